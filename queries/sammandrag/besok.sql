-- sammandrag/besok: the rollup of the visits that have a direction, one row per year, month,
-- direction, insats, regi, counterpart municipality and person (pseudonym), with exact sums.
--
-- Written once per data version (and hemkommun and momskompensation, which a cost depends on) to
-- Parquet next to the extracts (beslutsstod.data.sammandrag), and read through the view
-- sam_besok by every question that needs no visit's own detail (kostnader/per_ar, oversikt/*,
-- vistelsekommuner/per_manad_kommun, manadsuppfoljning/*, filter/intakt_nivaer,
-- filter/motpartskommuner): they then read thousands of rows, not every visit.
-- Exact: costs are decimals summed from each visit's öre-rounded cost (stg_besok), hours are
-- whole minutes, and the person is kept, so a distinct-person count over any set of these rows
-- equals the count over the visits behind them (the masking needs it).
-- A sum over no visit with a rate in force stays null (missing), never zero.
select
    ar,
    manad,
    riktning,
    insats,
    regi,
    motpartskommun,
    brukare_id,
    cast(sum(beraknad_kostnad_kr) as decimal(38, 2)) as kostnad_kr,
    cast(sum(utford_min) as bigint) as utford_min,
    cast(sum(beviljad_min) as bigint) as beviljad_min,
    cast(sum(debiterbara_min) filter (where not is_niva_saknas) as bigint) as debiterbara_min_med_niva,
    count(*) as antal_besok,
    count(*) filter (where is_niva_saknas) as antal_besok_utan_niva,
    count(*) filter (where is_betalarens_niva) as antal_betalarens_niva,
    count(*) filter (where is_egen_niva_antagande) as antal_egna_nivaer,
    -- the monthly follow-up's outcome: the invoiced amount where a visit has one, else its cost
    cast(sum(coalesce(fakturerat_kr, beraknad_kostnad_kr)) as decimal(38, 2)) as utfall_kr,
    cast(sum(fakturerat_kr) as decimal(38, 2)) as fakturerat_kr,
    cast(sum(beraknad_kostnad_kr) filter (where fakturerat_kr is null) as decimal(38, 2)) as beraknat_kr,
    count(*) filter (where fakturerat_kr is null and beraknad_kostnad_kr is null) as antal_besok_utan_belopp,
from stg_besok
where riktning is not null
group by all
order by ar, riktning, motpartskommun, manad
