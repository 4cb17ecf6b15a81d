-- datatackning: one row: the first and last visit date in the extracts, and the years present.
-- Used to offer years in the filters and to know how far the running year has come.
-- Reads the rollup sam_tackning (one row per year and month with a visit: queries/sammandrag/tackning.sql).
select
    min(forsta_datum) as forsta_datum,
    max(sista_datum) as sista_datum,
    list(distinct ar order by ar) as ar_lista,
from sam_tackning
