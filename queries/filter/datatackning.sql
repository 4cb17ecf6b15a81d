-- datatackning: one row: the first and last visit date in the extracts, and the years present.
-- Used to offer years in the filters and to know how far the running year has come.
select
    min(datum) as forsta_datum,
    max(datum) as sista_datum,
    list(distinct ar order by ar) as ar_lista,
from stg_besok
