-- intakt_nivaer: per year up to $ar, the revenue visits in the selection (we carry out other
-- kommuners' decisions) and how they are priced: by the paying kommun's rate (is_betalarens_niva)
-- or, when it has none in force, by our own rates — an assumption the pages label
-- "beräknad med egna nivåer (antagande)" (issue 11; 2 a kap. 7 § SoL, seed 004).
-- Parameters: $ar, $insatser, $regier, $kommuner (empty list = all).
-- Reads the rollup sam_besok (queries/sammandrag/besok.sql), not every visit.
select
    ar,
    cast(sum(antal_besok) as bigint) as antal_besok,
    cast(sum(antal_betalarens_niva) as bigint) as antal_betalarens_niva,
    cast(sum(antal_egna_nivaer) as bigint) as antal_egna_nivaer,
from sam_besok
where riktning = 'intakt'
    and ar <= $ar
    and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
group by ar
order by ar
