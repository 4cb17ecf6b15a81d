-- per_ar: one row per year, direction and breakdown group, for every year up to $ar, both
-- directions (kostnad and intakt), as three breakdowns of the same visits:
--   dimension 'totalt' (grupp null): the year's total;
--   dimension 'insats' (grupp = insats) and dimension 'regi' (grupp = the utförare's regi).
-- A change compares like with like (issue 11): for each year a in $jmf_ar (the running year, or a
-- year where a or a − 1 lacks a month: beslutsstod.jamforelse), the year before is also returned
-- on the months a has (is_jamforelse true, labelled a − 1), and a itself on the months a − 1 has
-- (is_jamforelse_nu true, labelled a). Months are 1..$till_manad for $ar, else 1..12; a month
-- without registrations is in $utan_data (ar × 100 + manad).
-- Persons are distinct pseudonyms per row (not additive: one person can have both insatser).
-- Reads the rollup sam_besok (per person and month, exact sums: queries/sammandrag/besok.sql), not
-- every visit: the same figures from thousands of rows instead of millions.
-- Parameters: $ar, $till_manad (12 for a completed year), $jmf_ar (integer list), $utan_data
-- (integer list), $insatser, $regier, $kommuner (empty list = all; kommuner filters the
-- counterpart municipality).
with

urval as (
    select *
    from sam_besok
    where ar <= $ar
        and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
),

perioder as (
    select *, false as is_jamforelse, false as is_jamforelse_nu from urval
    union all
    select *, true as is_jamforelse, false as is_jamforelse_nu from urval
    where list_contains($jmf_ar::integer[], ar + 1)
        and manad <= case when ar + 1 = $ar then $till_manad else 12 end
        and not list_contains($utan_data::integer[], (ar + 1) * 100 + manad)
    union all
    select *, false as is_jamforelse, true as is_jamforelse_nu from urval
    where list_contains($jmf_ar::integer[], ar)
        and manad <= case when ar = $ar then $till_manad else 12 end
        and not list_contains($utan_data::integer[], (ar - 1) * 100 + manad)
)

select
    ar,
    is_jamforelse,
    is_jamforelse_nu,
    riktning,
    case
        when grouping(insats) = 0 then 'insats'
        when grouping(regi) = 0 then 'regi'
        else 'totalt'
    end as dimension,
    coalesce(insats, regi) as grupp,
    cast(sum(kostnad_kr) as double) as kostnad_kr,
    sum(utford_min) / 60 as utford_timmar,
    sum(debiterbara_min_med_niva) / 60 as debiterbara_timmar,
    count(distinct brukare_id) as antal_personer,
    cast(sum(antal_besok) as bigint) as antal_besok,
    cast(sum(antal_besok_utan_niva) as bigint) as antal_besok_utan_niva,
from perioder
group by grouping sets (
    (ar, is_jamforelse, is_jamforelse_nu, riktning),
    (ar, is_jamforelse, is_jamforelse_nu, riktning, insats),
    (ar, is_jamforelse, is_jamforelse_nu, riktning, regi)
)
order by ar, is_jamforelse, is_jamforelse_nu, riktning, dimension, grupp
