-- avgiftsregler: the imported avgift rules, one row per year (optional table). No parameters.
select ar, timtaxa_kr, grund, kalla,
from stg_avgiftsregler
order by ar
