-- datatackning: one row: the first and last visit date in the extracts, and the years present.
-- Used to offer years in the filters and to know how far the running year has come.
-- Reads stg_besok_rad: the coverage needs no direction, rate or cost, so it skips their joins.
select
    min(datum) as forsta_datum,
    max(datum) as sista_datum,
    list(distinct ar order by ar) as ar_lista,
from stg_besok_rad
