-- stg_utforare: one row per provider (utförare). Renames and casts only.
create or replace view stg_utforare as
select
    cast(utforare_id as varchar) as utforare_id,
    cast(namn as varchar) as utforare_namn,
    cast(regi as varchar) as regi,
    cast(kommun as varchar) as utforare_kommun,
from read_parquet(getvariable('extrakt') || 'utforare.parquet')
