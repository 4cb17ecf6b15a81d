-- stg_besok_insatstyp: one row per delivered visit with its insatstyp (the municipality's
-- KSI-based catalogue code; optional column of besok, issue 17). Renames and casts only.
--
-- The column is optional: visits extracted before it existed lack it. The files are read by
-- name, and the empty relation below adds the column (null) when no file has it, so the view
-- always binds; a visit without insatstyp has null here and is reported as such, never guessed.
create or replace view stg_besok_insatstyp as
select
    cast(besok_id as varchar) as besok_id,
    cast(insatstyp as varchar) as insatstyp,
from (
    select * from read_parquet(getvariable('extrakt') || 'besok/*/*.parquet', hive_partitioning = true, union_by_name = true)
    union all by name
    select cast(null as varchar) as insatstyp where false
)
