-- motpartskommuner: one row per municipality on the other side of a visit for one direction
-- (vistelsekommun for costs, bosättningskommun for revenues), with its number of visits.
-- Parameters: $riktning ('kostnad' | 'intakt').
-- Reads the rollup sam_besok (queries/sammandrag/besok.sql), not every visit.
select
    motpartskommun as kommunkod,
    cast(sum(antal_besok) as bigint) as antal_besok,
from sam_besok
where riktning = $riktning
group by motpartskommun
order by motpartskommun
