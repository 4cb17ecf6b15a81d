-- stg_ersattningsnivaer: one row per rate period (insats, regi or all regi, from–to).
-- giltig_till null means "until further notice"; regi null means "all regi".
-- betalande_kommun (optional column; null or missing = our own rates): the paying kommun's rate,
-- which prices the revenue when we carry out that kommun's decision (2 a kap. 7 § SoL).
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
    cast(betalande_kommun as varchar) as betalande_kommun,
-- an extract written before the column existed reads as null there (union by name)
from (
    select cast(null as varchar) as betalande_kommun where false
    union all by name
    select * from read_parquet(getvariable('extrakt') || 'ersattningsnivaer.parquet')
)
