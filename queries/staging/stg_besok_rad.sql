-- stg_besok_rad: one row per delivered visit as extracted. Renames and casts only: no direction,
-- no provider, rate or cost (stg_besok adds those).
--
-- For questions that need only a visit's own columns (the date coverage, months without data):
-- they then read just those columns of the Parquet files. Reading stg_besok instead would pay
-- for its provider and rate joins on every one of the visits (DuckDB 2.0 drops an unused left
-- join only when it is the only one), which at national scale is most of the query's time
-- (bench/run.py, 10 million visits: the date coverage 214 ms through stg_besok, 25 ms here).
create or replace view stg_besok_rad as
select
    cast(besok_id as varchar) as besok_id,
    cast(datum as date) as datum,
    cast(ar as integer) as ar,
    cast(month(datum) as integer) as manad,
    cast(brukare_id as varchar) as brukare_id,
    cast(bosattningskommun as varchar) as bosattningskommun,
    cast(vistelsekommun as varchar) as vistelsekommun,
    cast(utforare_id as varchar) as utforare_id,
    cast(insats as varchar) as insats,
    cast(beviljad_min as integer) as beviljad_min,
    cast(utford_min as integer) as utford_min,
    cast(fakturerat_kr as decimal(18, 2)) as fakturerat_kr,
from read_parquet(getvariable('extrakt') || 'besok/*/*.parquet', hive_partitioning = true)
