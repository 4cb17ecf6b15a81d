-- motpartskommuner: one row per municipality on the other side of a visit for one direction
-- (vistelsekommun for costs, bosättningskommun for revenues), with its number of visits.
-- Parameters: $riktning ('kostnad' | 'intakt').
select
    motpartskommun as kommunkod,
    count(*) as antal_besok,
from stg_besok
where riktning = $riktning
group by motpartskommun
order by motpartskommun
