-- sammandrag/tackning: the rollup of the date coverage, one row per year and month that has a
-- visit (any direction), with its first and last date and number of visits. Written and read as
-- sammandrag/besok (view sam_tackning); read by filter/datatackning and filter/manader_utan_data.
select
    ar,
    manad,
    min(datum) as forsta_datum,
    max(datum) as sista_datum,
    count(*) as antal_besok,
from stg_besok_rad
group by all
order by ar, manad
