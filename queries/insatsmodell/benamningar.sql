-- benamningar: the label of each insatstyp code in the imported price table (any period).
-- One row per insatstyp. No parameters.
select insatstyp, any_value(benamning order by giltig_fran desc) as benamning,
from stg_insatspriser
group by insatstyp
order by insatstyp
