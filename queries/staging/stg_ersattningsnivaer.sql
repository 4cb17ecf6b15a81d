-- stg_ersattningsnivaer: one row per rate period (insats, regi or all regi, from–to).
-- giltig_till null means "until further notice"; regi null means "all regi".
create or replace view stg_ersattningsnivaer as
select
    cast(giltig_fran as date) as giltig_fran,
    cast(giltig_till as date) as giltig_till,
    coalesce(cast(giltig_till as date), date '9999-12-31') as giltig_till_eller_tillsvidare,
    cast(insats as varchar) as insats,
    cast(regi as varchar) as regi,
    cast(kr_per_timme as decimal(10, 2)) as kr_per_timme,
    cast(grund as varchar) as grund,
    cast(momskompensation_ingar as boolean) as is_momskompensation_ingar,
    cast(kalla as varchar) as kalla,
    cast(beslut as varchar) as beslut,
    cast(preliminar as boolean) as is_preliminar,
from read_parquet('ersattningsnivaer.parquet')
