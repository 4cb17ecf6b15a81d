-- besok: one row per visit of one payee (utförare) in the chosen year on the cost side, with the
-- invoice, the expected amount, the deviation and every flag (the rules are in the table macro
-- queries/intermediate/fakturakontroll_besok.sql, shared with arbetslista.sql).
-- For the official's detail view and the list sent to the payee; brukare_id is a pseudonym.
-- Parameters: $ar, $insatser, $regier, $kommuner (empty list = all), $tolerans_procent,
-- $avrundning_kr (as in arbetslista.sql), $utforare_id, $endast_avvikande (true: only visits
-- with a flag or an amount deviation beyond rounding).
with

besok as (
    select * from fakturakontroll_besok($ar, $insatser, $regier, $kommuner, $tolerans_procent, $avrundning_kr)
)

select
    besok_id,
    datum,
    manad,
    brukare_id,
    insats,
    grund,
    beviljad_min,
    utford_min,
    debiterbara_min,
    cast(kr_per_timme as double) as kr_per_timme,
    moms_faktor,
    is_fakturerat,
    cast(fakturerat_kr as double) as fakturerat_kr,
    cast(beraknad_kostnad_kr as double) as forvantat_kr,
    case when is_jamforbar then avvikelse_kr end as avvikelse_kr,
    fakturerade_timmar * 60 as fakturerade_min,
    implicit_kr_per_timme,
    is_momskompensation_kommun,
    is_annan_grund,
    is_annat_timpris,
    is_over_beviljad,
    is_utanfor_vistelse,
    is_mojlig_dubblett,
    is_utan_niva,
    is_flaggad,
from besok
where utforare_id = $utforare_id
    and (not $endast_avvikande or is_flaggad or abs(coalesce(avvikelse_kr, 0)) > $avrundning_kr)
order by datum, besok_id
