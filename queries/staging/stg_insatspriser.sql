-- stg_insatspriser: one row per price period of one insatstyp (optional table, issue 17).
-- giltig_till null means "until further notice"; regi null means "all regi". Prices are per
-- delivered insats, excluding momskompensation (as the hourly rates are by default).
create or replace view stg_insatspriser as
select
    cast(giltig_fran as date) as giltig_fran,
    cast(giltig_till as date) as giltig_till,
    coalesce(cast(giltig_till as date), date '9999-12-31') as giltig_till_eller_tillsvidare,
    cast(insatstyp as varchar) as insatstyp,
    cast(benamning as varchar) as benamning,
    cast(regi as varchar) as regi,
    cast(kr_per_insats as decimal(10, 2)) as kr_per_insats,
    cast(normtid_min as integer) as normtid_min,
    cast(kalla as varchar) as kalla,
    cast(beslut as varchar) as beslut,
from read_parquet(getvariable('extrakt') || 'insatspriser.parquet')
