-- stg_avgiftsregler: one row per year of the municipality's hemtjänst avgift (optional table,
-- issue 17): the timtaxa and the time it is charged for. The maxtaxa is reference data.
create or replace view stg_avgiftsregler as
select
    cast(ar as integer) as ar,
    cast(timtaxa_kr as decimal(10, 2)) as timtaxa_kr,
    cast(grund as varchar) as grund,
    cast(kalla as varchar) as kalla,
from read_parquet(getvariable('extrakt') || 'avgiftsregler.parquet')
