-- intakt_nivaer: per year up to $ar, the revenue visits in the selection (we carry out other
-- kommuners' decisions) and how they are priced: by the paying kommun's rate (is_betalarens_niva)
-- or, when it has none in force, by our own rates — an assumption the pages label
-- "beräknad med egna nivåer (antagande)" (issue 11; 2 a kap. 7 § SoL, seed 004).
-- Parameters: $ar, $insatser, $regier, $kommuner (empty list = all).
select
    ar,
    count(*) as antal_besok,
    count(*) filter (where is_betalarens_niva) as antal_betalarens_niva,
    count(*) filter (where is_egen_niva_antagande) as antal_egna_nivaer,
from stg_besok
where riktning = 'intakt'
    and ar <= $ar
    and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
group by ar
order by ar
