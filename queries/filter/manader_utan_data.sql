-- manader_utan_data: one row per month between the first and last visit in the extracts that
-- has no visit at all (any direction, insats or regi): a gap in the time registration, to be
-- flagged as missing data, never shown as zero.
-- Reads the rollup sam_tackning (one row per year and month with a visit: queries/sammandrag/tackning.sql).
with

manader as (
    select unnest(generate_series(date_trunc('month', min(forsta_datum)), date_trunc('month', max(sista_datum)),
                                  interval 1 month)) as manad_start
    from sam_tackning
),

med_besok as (
    select distinct date_trunc('month', forsta_datum) as manad_start
    from sam_tackning
)

select
    cast(year(manader.manad_start) as integer) as ar,
    cast(month(manader.manad_start) as integer) as manad,
from manader
anti join med_besok using (manad_start)
order by ar, manad
