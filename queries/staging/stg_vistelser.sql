-- stg_vistelser: one row per decided stay of one person in another municipality.
create or replace view stg_vistelser as
select
    cast(brukare_id as varchar) as brukare_id,
    cast(bosattningskommun as varchar) as bosattningskommun,
    cast(vistelsekommun as varchar) as vistelsekommun,
    cast(fran as date) as fran,
    cast(till as date) as till,
from read_parquet(getvariable('extrakt') || 'vistelser.parquet')
