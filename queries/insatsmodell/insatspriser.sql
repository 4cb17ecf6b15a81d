-- insatspriser: the imported prices per insatstyp in force on $datum (optional table).
-- One row per insatstyp and regi (regi null = all regi). Parameters: $datum.
select insatstyp, benamning, regi, kr_per_insats, normtid_min, kalla, beslut, giltig_fran, giltig_till,
from stg_insatspriser
where $datum::date between giltig_fran and giltig_till_eller_tillsvidare
order by insatstyp, regi nulls last
