-- budget: the hemtjänst budget of each month in $fran..$till. One row per year and month
-- (manad null = the year has an annual budget only, which is not split here).
-- Parameters: $fran, $till.
select ar, manad, budget_kr,
from stg_budget
where insats = 'hemtjanst'
    and ar between year($fran::date) and year($till::date)
    and (manad is null or make_date(ar, manad, 1) between date_trunc('month', $fran::date) and $till::date)
order by ar, manad
