-- budget: one row per budget row of the chosen insatser (ar, manad, insats, budget_kr in kr);
-- manad null is an annual budget, which the forecast module spreads over the months.
-- The budget is decided per insats for all of our costs. It does not apply to a part of them,
-- so with a regi or vistelsekommun selection no rows are returned (no budget, not a wrong one).
-- Parameters: $insatser, $regier, $kommuner (empty list = all).
select
    ar,
    manad,
    insats,
    cast(budget_kr as double) as budget_kr,
from stg_budget
where i_vald(insats, $insatser)
    and len($regier::varchar[]) = 0
    and len($kommuner::varchar[]) = 0
order by ar, manad nulls first, insats
