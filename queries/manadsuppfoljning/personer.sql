-- personer: distinct persons behind the follow-up's figures, for small-number protection.
-- One row per grouping (niva) and year ($ar and $ar − 1):
--   'total'   all of the selection, months $manader of the year
--   'insats'  per insats, months $manader;   'regi'  per insats and regi, months $manader
--   'manad'   per month (for the monthly chart), months $manader
-- $manader are the months the table's year-to-date columns cover (missing months left out).
-- Parameters: $ar, $manader (integer list), $insatser, $regier, $kommuner (empty list = all).
-- Reads the rollup sam_besok (per person and month, exact sums: queries/sammandrag/besok.sql).
select
    -- grouping() sets a bit per rolled-up column, first argument highest: 0b111 = only ar kept
    case grouping(manad, insats, regi)
        when 7 then 'total'
        when 3 then 'manad'
        when 5 then 'insats'
        when 4 then 'regi'
    end as niva,
    ar,
    manad,
    insats,
    regi,
    count(distinct brukare_id) as antal_personer,
from sam_besok
where riktning = 'kostnad'
    and ar in ($ar - 1, $ar)
    and list_contains($manader::integer[], manad)
    and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
group by grouping sets ((ar), (ar, manad), (ar, insats), (ar, insats, regi))
order by niva, ar, manad, insats, regi
