-- utfall_per_manad: one row per year, month, insats and regi of our costs (our residents' visits
-- in other municipalities), for every month from the first to the last month with visits in
-- the extracts, all years (the forecast compares with earlier years; its accuracy looks back
-- at every complete year). Columns:
--   utfall_kr       outcome: the invoiced amount where the visit has one, else its computed
--                   cost; null when no visit of the row has either (no rate in force), never 0
--   fakturerat_kr   the invoiced part of utfall_kr (kr); beraknat_kr the computed part (kr)
--   antal_besok, antal_besok_utan_belopp (visits with neither invoice nor rate: not in utfall_kr)
--   saknar_data     the month has no visit at all in the extracts (a time-registration outage,
--                   as filter/manader_utan_data): one row per insats with regi and all amounts
--                   null, so the month is flagged and never read as 0 kr.
-- An insats and regi with visits in a year gets a row for every other covered month of that
-- year with 0 kr: in a small selection an empty month is 0 kr, not missing data. A covered year
-- without any visit in the selection gets 0 kr rows for every insats and regi of the selection.
-- Parameters: $insatser, $regier, $kommuner (empty list = all).
-- Reads the rollups sam_besok and sam_tackning (queries/sammandrag/), not every visit.
with

tackta_manader as (
    select
        unnest(generate_series(date_trunc('month', min(forsta_datum)), date_trunc('month', max(sista_datum)),
                               interval 1 month)) as manad_start,
    from sam_tackning
),

manader_med_besok as (
    select distinct date_trunc('month', forsta_datum) as manad_start,
    from sam_tackning
),

manader as (
    select
        cast(year(tackta_manader.manad_start) as integer) as ar,
        cast(month(tackta_manader.manad_start) as integer) as manad,
        manader_med_besok.manad_start is null as saknar_data,
    from tackta_manader
    left join manader_med_besok using (manad_start)
),

per_manad as (
    select
        ar,
        manad,
        insats,
        regi,
        sum(utfall_kr) as utfall_kr,
        coalesce(sum(fakturerat_kr), 0) as fakturerat_kr,
        coalesce(sum(beraknat_kr), 0) as beraknat_kr,
        cast(sum(antal_besok) as bigint) as antal_besok,
        cast(sum(antal_besok_utan_belopp) as bigint) as antal_besok_utan_belopp,
    from sam_besok
    where riktning = 'kostnad'
        and i_urval(insats, regi, motpartskommun, $insatser, $regier, $kommuner)
    group by ar, manad, insats, regi
),

-- the insats and regi present in each year (all of the selection's for a year without visits):
-- they get every covered month of that year
med_besok_ar as (
    select distinct ar, insats, regi,
    from per_manad
),

ar_insats_regi as (
    select * from med_besok_ar
    union
    select distinct tomma_ar.ar, med_besok_ar.insats, med_besok_ar.regi,
    from (select distinct ar from manader) as tomma_ar
    cross join med_besok_ar
    where tomma_ar.ar not in (select ar from med_besok_ar)
),

med_data as (
    select
        manader.ar,
        manader.manad,
        ar_insats_regi.insats,
        ar_insats_regi.regi,
        case when per_manad.ar is null then 0 else per_manad.utfall_kr end as utfall_kr,
        coalesce(per_manad.fakturerat_kr, 0) as fakturerat_kr,
        coalesce(per_manad.beraknat_kr, 0) as beraknat_kr,
        coalesce(per_manad.antal_besok, 0) as antal_besok,
        coalesce(per_manad.antal_besok_utan_belopp, 0) as antal_besok_utan_belopp,
        false as saknar_data,
    from manader
    inner join ar_insats_regi on ar_insats_regi.ar = manader.ar
    left join per_manad
        on per_manad.ar = manader.ar
        and per_manad.manad = manader.manad
        and per_manad.insats = ar_insats_regi.insats
        and per_manad.regi is not distinct from ar_insats_regi.regi
    where not manader.saknar_data
),

utan_data as (
    select distinct
        manader.ar,
        manader.manad,
        ar_insats_regi.insats,
        cast(null as varchar) as regi,
        cast(null as decimal(38, 2)) as utfall_kr,
        cast(null as decimal(38, 2)) as fakturerat_kr,
        cast(null as decimal(38, 2)) as beraknat_kr,
        0 as antal_besok,
        0 as antal_besok_utan_belopp,
        true as saknar_data,
    from manader
    inner join ar_insats_regi on ar_insats_regi.ar = manader.ar
    where manader.saknar_data
),

alla as (
    select * from med_data
    union all
    select * from utan_data
)

select
    ar,
    manad,
    insats,
    regi,
    cast(utfall_kr as double) as utfall_kr,
    cast(fakturerat_kr as double) as fakturerat_kr,
    cast(beraknat_kr as double) as beraknat_kr,
    cast(antal_besok as integer) as antal_besok,
    cast(antal_besok_utan_belopp as integer) as antal_besok_utan_belopp,
    saknar_data,
from alla
order by ar, manad, insats, regi nulls last
