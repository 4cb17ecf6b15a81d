-- fakturakontroll_besok: a table macro, one row per visit of one payee (utförare) on the cost side
-- of year p_ar, with the invoice, the expected amount and every flag of the invoice check.
-- Shared by queries/fakturakontroll/arbetslista.sql and besok.sql, so the flag rules exist once.
-- Egen regi is left out: our own staff are never invoiced.
-- Arguments: p_ar, p_insatser, p_regier, p_kommuner (empty list = all), p_tolerans_procent (a rate
-- or hours deviation smaller than this many percent is no flag), p_avrundning_kr (kr per visit that
-- "equal" amounts may differ by through rounding).
create or replace macro fakturakontroll_besok(p_ar, p_insatser, p_regier, p_kommuner, p_tolerans_procent, p_avrundning_kr) as table
with

urval as (
    select
        *,
        fakturerat_kr is not null as is_fakturerat,
        -- moms_faktor (from stg_besok, the cost rule's macro momsfaktor): what the decided rate is
        -- paid with, × (1 + moms) to a private payee of a rate excl., ÷ (1 + moms) to a municipality
        -- or egen regi of a rate incl.; so a municipality that invoices an incl. rate as it stands
        -- is flagged as invoicing momskompensation (getvariable: basis points, 600 = 6 %)
        1 + getvariable('momskompensation_bp') / 10000 as momskompensation_faktor,
        -- minutes on the basis the model does not use (beviljad when it pays utförd and vice versa)
        case grund when 'utford' then beviljad_min when 'beviljad' then utford_min end as annan_grund_min,
    from stg_besok
    where riktning = 'kostnad'
        and regi is distinct from 'egen_regi'
        and ar = p_ar
        and i_urval(insats, regi, motpartskommun, p_insatser, p_regier, p_kommuner)
),

kontroller as (
    select
        *,
        is_fakturerat and not is_niva_saknas as is_jamforbar,
        cast(fakturerat_kr - beraknad_kostnad_kr as double) as avvikelse_kr,
        -- the rate the invoice implies per hour on the model's basis, with the moms factor removed
        cast(fakturerat_kr as double) / nullif(debiterbara_min / 60, 0) / moms_faktor as implicit_kr_per_timme,
        -- a municipality (it pays no VAT) invoicing our amount + momskompensation
        is_fakturerat and not is_niva_saknas and regi = 'vistelsekommun' and not is_momskompensation
            and abs(fakturerat_kr - beraknad_kostnad_kr) > p_avrundning_kr
            and abs(cast(fakturerat_kr as double) - cast(beraknad_kostnad_kr as double) * momskompensation_faktor)
                <= p_avrundning_kr
            as is_momskompensation_kommun,
        -- the invoice is exactly the other basis's minutes × rate (e.g. beviljad instead of utförd)
        is_fakturerat and not is_niva_saknas and annan_grund_min <> debiterbara_min
            and abs(fakturerat_kr - beraknad_kostnad_kr) > p_avrundning_kr
            and abs(cast(fakturerat_kr as double) - annan_grund_min / 60 * cast(kr_per_timme as double) * moms_faktor)
                <= p_avrundning_kr
            as is_annan_grund,
        -- no decided stay of this person in this municipality covers the visit date
        not exists (
            select 1
            from stg_vistelser
            where stg_vistelser.brukare_id = urval.brukare_id
                and stg_vistelser.bosattningskommun = urval.bosattningskommun
                and stg_vistelser.vistelsekommun = urval.vistelsekommun
                and urval.datum between stg_vistelser.fran and stg_vistelser.till
        ) as is_utanfor_vistelse,
        -- the same person, day, payee, insats and minutes invoiced under another id: every copy
        -- after the first (by besok_id) is a possible duplicate. Without a time of day two real
        -- visits of the same length on one day look the same, hence "possible".
        is_fakturerat and row_number() over (
            partition by is_fakturerat, brukare_id, datum, utforare_id, insats, beviljad_min, utford_min
            order by besok_id
        ) > 1 as is_mojlig_dubblett,
    from urval
),

timmar as (
    select
        *,
        -- hours the invoice pays for = invoiced kr / (decided kr/h × moms factor); when the
        -- municipality added momskompensation, that is removed too (it is flagged on its own)
        case when is_jamforbar then
            cast(fakturerat_kr as double) / (cast(kr_per_timme as double)
                * case when is_momskompensation_kommun then momskompensation_faktor else moms_faktor end)
        end as fakturerade_timmar,
    from kontroller
),

flaggor as (
    select
        *,
        is_fakturerat and is_niva_saknas as is_utan_niva,
        -- a rate other than the decided one, when no known pattern explains the amount
        is_jamforbar and not is_momskompensation_kommun and not is_annan_grund
            and abs(fakturerat_kr - beraknad_kostnad_kr) > p_avrundning_kr
            and abs(implicit_kr_per_timme - cast(kr_per_timme as double)) > cast(kr_per_timme as double) * p_tolerans_procent / 100
            as is_annat_timpris,
        -- the person's invoiced hours with this payee, insats and month exceed the granted hours
        -- (per person and month: single visits often run a few minutes over, which is no error);
        -- 1e-9 h absorbs floating-point noise when the two are equal
        is_jamforbar and sum(fakturerade_timmar) over person_manad
            > sum(case when is_jamforbar then beviljad_min end) over person_manad / 60 * (1 + p_tolerans_procent / 100) + 1e-9
            as is_over_beviljad,
    from timmar
    window person_manad as (partition by utforare_id, insats, manad, brukare_id)
),

besok as (
    select
        *,
        is_momskompensation_kommun or is_annan_grund or is_annat_timpris or is_over_beviljad
            or is_utanfor_vistelse or is_mojlig_dubblett or is_utan_niva as is_flaggad,
    from flaggor
)

select * from besok
