-- stg_budget: one row per year, month and insats (manad null = an annual budget only).
create or replace view stg_budget as
select
    cast(ar as integer) as ar,
    cast(manad as integer) as manad,
    cast(insats as varchar) as insats,
    cast(budget_kr as decimal(18, 2)) as budget_kr,
    cast(budget_timmar as decimal(18, 2)) as budget_timmar,
from read_parquet(getvariable('extrakt') || 'budget.parquet')
