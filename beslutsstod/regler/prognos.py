"""The forecast rule: outcome against a periodised budget, full-year forecasts (straight-line and
seasonal), the committee's follow-up table and forecast accuracy. Pure functions over the small
monthly frames DuckDB returns. Månadsuppföljning's page model is beslutsstod/vyer/manadsuppfoljning.py;
the table as the committee's .xlsx is beslutsstod/dokument/manadsrapport.py.

Input frames
------------
``utfall``: one row per ar, manad, insats, regi (costs in kr; revenues, if ever passed, as
negative amounts, the committee's convention, so that every formula below still holds):

- ``utfall_kr``: invoiced amount where one exists, else the computed cost. May be omitted when
  both ``fakturerat_kr`` and ``beraknat_kr`` are given (then it is their sum).
- optional ``fakturerat_kr`` (the invoiced part of ``utfall_kr``) and ``beraknat_kr`` (the
  computed part), or ``fakturerad_andel`` (invoiced share of ``utfall_kr``, 0–1). Without
  either, the invoiced share is reported as unknown.
- optional ``saknar_data`` (bool): the month has no registrations (an outage).

A month is *missing* for an insats when any of its rows that month has ``saknar_data`` true or
``utfall_kr`` null, or when the frame has no row at all for that year and month (an outage of
the whole registration, or a month outside the extracts). An insats or regi with no row in a
month that does have rows had no visits: 0 kr (small volumes have empty months). So the query
need not return zero rows, but must flag an outage that hits only one insats. A missing month
is never counted as 0 kr:
it is left out of ack utfall, ack budget, föregående år ack utfall and the forecast base (all
YTD columns then cover the same months, so the deviation compares like with like), and the
forecast estimates it like a month still to come. The granularity is the insats because the
budget exists per insats only.

``budget``: one row per ar, manad, insats with ``budget_kr``. **An annual budget is a row with
``manad`` NULL** (``0`` is accepted too). Monthly rows are used as they are; an annual amount
(less any monthly rows given) is spread over the remaining months by the previous year's
outcome per month (the summer peak), or evenly when that year has no outcome; both are flagged.

Budget exists per insats, not per regi, so regi rows of the report have no budget columns.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping, Sequence

import pandas as pd

from beslutsstod import begrepp
from beslutsstod import talformat as fmt

MONTHS = tuple(range(1, 13))

STRAIGHT_LINE = "straight_line"
SEASONAL = "seasonal"
METHOD_NAME = {STRAIGHT_LINE: "Rak prognos", SEASONAL: "Säsongsprognos"}


def method_explanation(method: str, comparison_years: int = 1) -> str:
    """The one Swedish sentence that explains a forecast method on the page and in the export."""
    if method == STRAIGHT_LINE:
        return ("Rak prognos: årets genomsnittliga utfall per månad hittills (bara månader med data) "
                "gånger tolv.")
    if method == SEASONAL:
        basis = ("föregående års utfall" if comparison_years == 1
                 else f"genomsnittet av de {comparison_years} föregående årens utfall")
        return (f"Säsongsprognos: utfallet hittills i år plus {basis} för årets återstående månader, "
                "uppräknat med kvoten mellan årets och jämförelseårets utfall för samma månader.")
    raise ValueError(f"okänd prognosmetod: {method!r}")


# The committee's own sign convention for costs (seed 001, Månadsrapport per 2022-04-30:
# "Avvikelse utfall vs budget" 543 tkr = budget 76 684 − utfall 76 141; and "en försämring med
# 2 850 tkr sedan februari" is printed as Förändr prognos −2 850).
SIGN_CONVENTION = ("Avvikelse = budget − utfall: ett positivt tal betyder att kostnaden är lägre "
                   "än budget (bättre än budget), ett negativt tal att den är högre.")
CHANGE_CONVENTION = ("Förändring prognos = föregående prognos − denna prognos: ett negativt tal "
                     "betyder att prognosen har försämrats (högre kostnad), som i nämndens rapporter.")
ACCURACY_CONVENTION = ("Prognosfel = prognos − slutligt utfall: ett positivt tal betyder att "
                       "prognosen överskattade kostnaden, ett negativt att den underskattade den.")

REGI_ORDNING = (*begrepp.REGIER, begrepp.REGI_OKAND)  # the order of a report's regi rows

LABEL_COLUMN = "Verksamhet"
PREVIOUS_COLUMN = "Föregående år ack utfall"
REPORT_COLUMNS = (
    "Föregående år ack utfall", "Ack utfall", "Ack budget", "Avvikelse",
    "År budget", "År prognos", "Avvikelse prognos mot budget", "Förändring prognos",
)
BUDGET_COLUMNS = ("Ack budget", "Avvikelse", "År budget", "Avvikelse prognos mot budget")

# How a month's budget was obtained (Report.budget_spread, the chart's spread months).
BUDGET_MONTHLY = "manad"
BUDGET_PREVIOUS_YEAR = "forra_arets_monster"
BUDGET_EVEN = "jamn"
BUDGET_MISSING = "saknas"

KR_PER_TENTH_TKR = 100  # the table is rounded to 0,1 tkr = 100 kr

NAN = float("nan")


def _ordered(values: Iterable[str], order: Sequence[str]) -> list[str]:
    rank = {v: i for i, v in enumerate(order)}
    return sorted(set(values), key=lambda v: (rank.get(v, len(rank)), v))


def _insats_label(insats: str) -> str:
    return begrepp.INSATS_NAMN.get(insats, insats)


def _regi_label(regi: str) -> str:
    return begrepp.REGI_NAMN.get(regi, begrepp.REGI_OKAND_NAMN if regi == begrepp.REGI_OKAND else regi)


def month_list(months: Iterable[int]) -> str:
    """`mars`, `mars och april`, `januari, mars och maj`."""
    names = [fmt.manad_namn(m, lang=True) for m in sorted(months)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


# ---------------------------------------------------------------------------------------------
# Normalising the input frames
# ---------------------------------------------------------------------------------------------

@dataclass
class _Outcome:
    """The outcome frame as dictionaries: kr per (ar, insats, regi) and month; missing months."""
    kr: dict[tuple[int, str, str], dict[int, float]]
    invoiced: dict[tuple[int, str, str], dict[int, float | None]]  # None: share unknown
    seen: dict[tuple[int, str], set[int]]  # months with an unflagged row per (ar, insats)
    flagged: dict[tuple[int, str], set[int]]  # months flagged per (ar, insats)
    any_row: dict[int, set[int]]  # months with any row at all per ar

    def missing(self, ar: int, insats: str) -> set[int]:
        return (set(MONTHS) - self.any_row.get(ar, set())) | self.flagged.get((ar, insats), set())

    def regier(self, years: Iterable[int], insats: str) -> list[str]:
        years = set(years)
        return _ordered((r for (a, i, r) in self.kr if a in years and i == insats), REGI_ORDNING)

    def insatser(self, years: Iterable[int]) -> set[str]:
        years = set(years)
        return {i for (a, i) in self.seen | self.flagged if a in years} | \
               {i for (a, i, _r) in self.kr if a in years}

    def series(self, ar: int, insats: str, regi: str | None = None) -> dict[int, float | None]:
        """Month → kr for one regi (or the insats summed over regi); None for a missing month."""
        missing = self.missing(ar, insats)
        regier = [regi] if regi is not None else self.regier([ar], insats)
        out: dict[int, float | None] = {}
        for m in MONTHS:
            out[m] = None if m in missing else sum(self.kr.get((ar, insats, r), {}).get(m, 0.0) for r in regier)
        return out


def _col(row: Mapping, name: str) -> object:
    value = row.get(name)
    return None if begrepp.saknas(value) else value


def _normalise_outcome(utfall: pd.DataFrame) -> _Outcome:
    cols = set(utfall.columns)
    for needed in ("ar", "manad", "insats"):
        if needed not in cols:
            raise ValueError(f"utfall saknar kolumnen {needed}")
    if "utfall_kr" not in cols and not {"fakturerat_kr", "beraknat_kr"} <= cols:
        raise ValueError("utfall behöver utfall_kr, eller både fakturerat_kr och beraknat_kr")
    kr: dict = defaultdict(lambda: defaultdict(float))
    invoiced: dict = defaultdict(lambda: defaultdict(float))
    seen: dict = defaultdict(set)
    flagged: dict = defaultdict(set)
    any_row: dict = defaultdict(set)
    for row in utfall.to_dict("records"):
        ar, manad, insats = int(row["ar"]), int(row["manad"]), str(row["insats"])
        any_row[ar].add(manad)
        regi = begrepp.REGI_OKAND if _col(row, "regi") is None else str(row["regi"])
        if "utfall_kr" in cols:
            value = _col(row, "utfall_kr")
        else:
            parts = [_col(row, "fakturerat_kr"), _col(row, "beraknat_kr")]
            value = None if all(p is None for p in parts) else sum(float(p) for p in parts if p is not None)
        if bool(_col(row, "saknar_data") or False) or value is None:
            flagged[(ar, insats)].add(manad)
            continue
        value = float(value)
        seen[(ar, insats)].add(manad)
        kr[(ar, insats, regi)][manad] += value
        if "fakturerat_kr" in cols:
            part: float | None = float(_col(row, "fakturerat_kr") or 0.0)
        elif "fakturerad_andel" in cols and _col(row, "fakturerad_andel") is not None:
            part = float(row["fakturerad_andel"]) * value
        else:
            part = None
        previous = invoiced[(ar, insats, regi)].get(manad, 0.0)
        invoiced[(ar, insats, regi)][manad] = None if part is None or previous is None else previous + part
    return _Outcome({k: dict(v) for k, v in kr.items()}, {k: dict(v) for k, v in invoiced.items()},
                    dict(seen), dict(flagged), dict(any_row))


@dataclass
class _BudgetPlan:
    """The budget of one (ar, insats) per month, and how it was obtained."""
    kr: dict[int, float]  # NaN where there is no budget
    how: dict[int, str]
    pattern_year: int | None = None
    pattern_filled: tuple[int, ...] = ()  # months of the pattern year without data (given its mean)

    def spread(self) -> str | None:
        """BUDGET_PREVIOUS_YEAR / BUDGET_EVEN when any month was spread from an annual amount."""
        for code in (BUDGET_PREVIOUS_YEAR, BUDGET_EVEN):
            if code in self.how.values():
                return code
        return None


def _normalise_budget(budget: pd.DataFrame) -> dict[tuple[int, str], tuple[dict[int, float], float | None]]:
    monthly: dict = defaultdict(lambda: defaultdict(float))
    annual: dict = {}
    for row in budget.to_dict("records"):
        key = (int(row["ar"]), str(row["insats"]))
        value = _col(row, "budget_kr")
        if value is None:
            continue
        manad = _col(row, "manad")
        if manad is None or int(manad) == 0:  # an annual budget (manad NULL, or 0)
            annual[key] = annual.get(key, 0.0) + float(value)
        else:
            monthly[key][int(manad)] += float(value)
    keys = set(monthly) | set(annual)
    return {k: (dict(monthly.get(k, {})), annual.get(k)) for k in keys}


def _budget_plans(budget: pd.DataFrame, outcome: _Outcome | None) -> dict[tuple[int, str], _BudgetPlan]:
    plans = {}
    for (ar, insats), (monthly, annual) in _normalise_budget(budget).items():
        kr = {m: monthly[m] for m in monthly if m in MONTHS}
        how = {m: BUDGET_MONTHLY for m in kr}
        gaps = [m for m in MONTHS if m not in kr]
        plan = _BudgetPlan(kr, how)
        if gaps and annual is None:
            for m in gaps:
                kr[m], how[m] = NAN, BUDGET_MISSING
        elif gaps:
            rest = annual - sum(monthly.get(m, 0.0) for m in MONTHS if m not in gaps)
            weights, filled = _pattern(outcome, ar - 1, insats, gaps)
            if weights is None:
                for m in gaps:
                    kr[m], how[m] = rest / len(gaps), BUDGET_EVEN
            else:
                total = sum(weights.values())
                for m in gaps:
                    # Multiply before dividing: 2 925 000 × 150 000 / 2 250 000 is exactly 195 000.
                    kr[m], how[m] = rest * weights[m] / total, BUDGET_PREVIOUS_YEAR
                plan.pattern_year, plan.pattern_filled = ar - 1, filled
        plans[(ar, insats)] = plan
    return plans


def _pattern(outcome: _Outcome | None, year: int, insats: str, months: Sequence[int]
             ) -> tuple[dict[int, float] | None, tuple[int, ...]]:
    """The year's outcome per month as spreading weights over `months`, or None (spread evenly).

    A month of that year without data gets the mean of its months with data: a gap in last
    year's registrations must not become a month with no budget.
    """
    if outcome is None:
        return None, ()
    series = outcome.series(year, insats)
    known = [v for v in series.values() if v is not None]
    if not known:
        return None, ()
    mean = sum(known) / len(known)
    weights = {m: (series[m] if series[m] is not None else mean) for m in months}
    if sum(weights.values()) <= 0:
        return None, ()
    filled = tuple(m for m in months if series[m] is None)
    return weights, filled


# ---------------------------------------------------------------------------------------------
# Forecasts of one monthly series
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SeriesForecast:
    """A full-year forecast of one series, as actual months plus estimated months."""
    method: str  # the method asked for
    method_used: str  # differs from `method` when the seasonal method fell back to straight-line
    through_month: int
    full_year_kr: float  # NaN when no month up to through_month has data
    ytd_kr: float  # sum of months with data up to through_month
    months_with_data: tuple[int, ...]
    missing_months: tuple[int, ...]  # up to through_month
    estimates: dict[int, float]  # kr for every month not in months_with_data
    level: float | None = None  # seasonal: this year / comparison years, same months
    notes: tuple[str, ...] = ()

    def monthly(self, actual: Mapping[int, float | None]) -> dict[int, float]:
        """Month → kr on the forecast's path: actual where it has data, else the estimate."""
        return {m: (float(actual[m]) if m in self.months_with_data else self.estimates.get(m, NAN))
                for m in MONTHS}


def _clean(series: Mapping[int, float | None], through: int = 12) -> dict[int, float]:
    return {m: float(v) for m, v in series.items() if 1 <= m <= through and not begrepp.saknas(v)}


def monthly_forecast(this_year: Mapping[int, float | None],
                     previous_years: Sequence[Mapping[int, float | None]],
                     through_month: int, method: str = SEASONAL) -> SeriesForecast:
    """Forecast a year from its months 1..through_month (month → kr; None or absent = missing).

    Straight-line: every month without data is estimated at the mean of the months with data.
    Seasonal: comparison pattern P(m) = mean over `previous_years` having data in m; level
    L = Σ this year / Σ P over months with data in both; each month without data is L × P(m).
    Falls back to straight-line (noted) when no month has data in both, or the pattern sums to
    0 there; a single month without a pattern value gets the straight-line mean (noted).
    """
    if method not in METHOD_NAME:
        raise ValueError(f"okänd prognosmetod: {method!r}")
    if not 1 <= through_month <= 12:
        raise ValueError("through_month ska vara 1–12")
    data = _clean(this_year, through_month)
    with_data = tuple(sorted(data))
    missing = tuple(m for m in range(1, through_month + 1) if m not in data)
    to_estimate = [m for m in MONTHS if m not in data]
    if not data:
        return SeriesForecast(method, method, through_month, NAN, 0.0, (), missing, {m: NAN for m in MONTHS},
                              notes=("Ingen månad med data hittills i år; prognos saknas.",))
    ytd = sum(data.values())
    mean = ytd / len(data)
    notes: list[str] = []
    if method == SEASONAL:
        pattern: dict[int, float] = {}
        cleaned = [_clean(p) for p in previous_years]
        for m in MONTHS:
            values = [p[m] for p in cleaned if m in p]
            if values:
                pattern[m] = sum(values) / len(values)
        common = [m for m in data if m in pattern]
        base = sum(pattern[m] for m in common)
        if common and base != 0:
            level = sum(data[m] for m in common) / base
            estimates = {}
            unpatterned = []
            for m in to_estimate:
                if m in pattern:
                    estimates[m] = level * pattern[m]
                else:
                    estimates[m] = mean
                    unpatterned.append(m)
            if unpatterned:
                notes.append(f"Jämförelseåret saknar data för {month_list(unpatterned)}; "
                             "de månaderna har uppskattats med årets genomsnitt per månad.")
            return SeriesForecast(method, SEASONAL, through_month, ytd + sum(estimates.values()), ytd,
                                  with_data, missing, estimates, level, tuple(notes))
        notes.append("Säsongsprognos gick inte att göra (inget utfall jämförelseåret för samma månader); "
                     "rak prognos används.")
    estimates = {m: mean for m in to_estimate}
    return SeriesForecast(method, STRAIGHT_LINE, through_month, ytd + mean * len(to_estimate), ytd,
                          with_data, missing, estimates, None, tuple(notes))


# ---------------------------------------------------------------------------------------------
# The committee's report table
# ---------------------------------------------------------------------------------------------

def _tenths(kr: float) -> float:
    """kr → whole tenths of a tkr (100 kr), half away from zero; NaN stays NaN.

    The one rounding rule (talformat.avrunda): the float sum is first taken back to its exact öre
    (every amount is whole öre; float noise is far below half an öre), then divided and rounded
    once in Decimal — so 1 250,00 kr is 12,5 tenths → 13 (1,3 tkr), never 12 from 12,4999….
    """
    if begrepp.saknas(kr):
        return NAN
    ore = Decimal(repr(round(float(kr), 2)))
    return float((ore / KR_PER_TENTH_TKR).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _sum(values: Iterable[float]) -> float:
    """Sum that is NaN as soon as one term is (a missing budget must not become 0)."""
    total = 0.0
    for v in values:
        if begrepp.saknas(v):
            return NAN
        total += v
    return total


@dataclass(frozen=True)
class Report:
    """The follow-up table for one year and month, with everything the page and paper must say."""
    year: int
    month: int
    method: str
    previous_month: int | None
    table: pd.DataFrame  # radtyp, insats, regi, Verksamhet, then REPORT_COLUMNS in tkr (0,1 tkr)
    title: str
    sign_convention: str
    method_explanation: str
    notes: tuple[str, ...]
    invoiced_share_percent: float | None  # share of ack utfall that is invoiced; None if unknown
    missing_months: dict[str, tuple[int, ...]] = field(default_factory=dict)  # insats → months ≤ month
    budget_spread: dict[str, str] = field(default_factory=dict)  # insats → fordelning code
    # insats → months of the year before (among those compared) without data: its ack utfall is incomplete
    previous_missing: dict[str, tuple[int, ...]] = field(default_factory=dict)


def _previous_years(outcome: _Outcome, year: int, insats: str, regi: str | None, n: int) -> list[dict]:
    return [outcome.series(year - k, insats, regi) for k in range(1, n + 1)]


def report_table(utfall: pd.DataFrame, budget: pd.DataFrame, year: int, month: int,
                 method: str = SEASONAL, previous_month: int | None = None,
                 comparison_years: int = 1) -> Report:
    """The committee's follow-up table for `year` through `month`, in tkr.

    Rows: per insats a subtotal row (with the budget) followed by its regi rows (outcome and
    forecast only: the budget is per insats), then "Totalt". Each regi value is rounded to
    0,1 tkr and every subtotal and total is the sum of the rounded rows, so the printed table
    adds up exactly; Avvikelse columns are differences of the printed figures.
    Förändring prognos compares with the forecast made with the same method on data through
    `previous_month` (default month − 1), as the data stand today.
    """
    if not 1 <= month <= 12:
        raise ValueError("month ska vara 1–12")
    if previous_month is None:
        previous_month = month - 1 if month > 1 else None
    elif not 1 <= previous_month < month:
        raise ValueError("previous_month ska vara 1 till month − 1")
    outcome = _normalise_outcome(utfall)
    plans = _budget_plans(budget, outcome)
    insatser = _ordered(outcome.insatser([year, year - 1]) | {i for (a, i) in plans if a == year},
                        begrepp.INSATSER)

    rows: list[dict] = []
    notes: list[str] = []
    totals: list[dict] = []
    missing_by_insats: dict[str, tuple[int, ...]] = {}
    prev_missing_by_insats: dict[str, tuple[int, ...]] = {}
    spread_by_insats: dict[str, str] = {}
    invoiced_sum, outcome_sum, invoiced_known = 0.0, 0.0, True
    fallback_rows: list[str] = []
    filled_rows: list[str] = []

    for insats in insatser:
        missing = outcome.missing(year, insats)
        missing_now = tuple(m for m in range(1, month + 1) if m in missing)
        missing_by_insats[insats] = missing_now
        comparable = [m for m in range(1, month + 1) if m not in missing]
        prev_missing = [m for m in comparable if m in outcome.missing(year - 1, insats)]
        prev_missing_by_insats[insats] = tuple(prev_missing)
        regi_rows = []
        for regi in outcome.regier([year, year - 1], insats):
            this = outcome.series(year, insats, regi)
            prev = outcome.series(year - 1, insats, regi)
            history = _previous_years(outcome, year, insats, regi, comparison_years)
            now = monthly_forecast(this, history, month, method)
            before = (monthly_forecast(this, history, previous_month, method)
                      if previous_month is not None else None)
            label = f"{_insats_label(insats).lower()}, {_regi_label(regi).lower()}"
            if now.method_used != now.method:
                fallback_rows.append(label)
            if any("Jämförelseåret saknar" in n for n in now.notes):
                filled_rows.append(label)
            ack = sum(this[m] for m in comparable)
            inv = outcome.invoiced.get((year, insats, regi), {})
            for m in comparable:
                if m in inv:
                    if inv[m] is None:
                        invoiced_known = False
                    else:
                        invoiced_sum += inv[m]
            outcome_sum += ack
            forecast_t = _tenths(now.full_year_kr)
            before_t = _tenths(before.full_year_kr) if before is not None else NAN
            regi_rows.append({
                "radtyp": "regi", "insats": insats, "regi": regi, LABEL_COLUMN: _regi_label(regi),
                "Föregående år ack utfall": _tenths(sum(prev[m] for m in comparable if prev[m] is not None)),
                "Ack utfall": _tenths(ack),
                "Ack budget": NAN, "Avvikelse": NAN, "År budget": NAN,
                "År prognos": forecast_t, "Avvikelse prognos mot budget": NAN,
                "Förändring prognos": before_t - forecast_t,
            })

        plan = plans.get((year, insats))
        if plan is None:
            ack_budget_t = year_budget_t = NAN
            notes.append(f"Budget saknas för {_insats_label(insats).lower()} {year}.")
        else:
            ack_budget_t = _tenths(_sum(plan.kr[m] for m in comparable))
            year_budget_t = _tenths(_sum(plan.kr[m] for m in MONTHS))
            spread = plan.spread()
            if spread is not None:
                spread_by_insats[insats] = spread
                notes.append(_spread_note(insats, year, plan))
            if BUDGET_MISSING in plan.how.values():
                months_without = [m for m in MONTHS if plan.how[m] == BUDGET_MISSING]
                notes.append(f"Budget för {_insats_label(insats).lower()} {year} saknas för "
                             f"{month_list(months_without)}; budgetkolumnerna visas inte som 0.")
        ack_t = _sum(r["Ack utfall"] for r in regi_rows)
        if regi_rows:
            forecast_t = _sum(r["År prognos"] for r in regi_rows)
            change_t = _sum(r["Förändring prognos"] for r in regi_rows)
        else:  # no outcome at all this year or last: no forecast, not a forecast of 0 kr
            forecast_t = change_t = NAN
        insats_row = {
            "radtyp": "insats", "insats": insats, "regi": None, LABEL_COLUMN: _insats_label(insats),
            "Föregående år ack utfall": _sum(r["Föregående år ack utfall"] for r in regi_rows),
            "Ack utfall": ack_t,
            "Ack budget": ack_budget_t, "Avvikelse": ack_budget_t - ack_t,
            "År budget": year_budget_t, "År prognos": forecast_t,
            "Avvikelse prognos mot budget": year_budget_t - forecast_t,
            "Förändring prognos": change_t,
        }
        totals.append(insats_row)
        rows.append(insats_row)
        rows.extend(regi_rows)
        if missing_now:
            notes.append(
                f"Data saknas för {_insats_label(insats).lower()} i {month_list(missing_now)} {year}. "
                + ("Månaden visas inte som 0: den ingår varken i ack utfall, ack budget, föregående års "
                   "ack utfall eller prognosunderlaget, och prognosen uppskattar den som en kommande månad."
                   if len(missing_now) == 1 else
                   "Månaderna visas inte som 0: de ingår varken i ack utfall, ack budget, föregående års "
                   "ack utfall eller prognosunderlaget, och prognosen uppskattar dem som kommande månader."))
        if prev_missing:
            notes.append(f"Föregående års ack utfall för {_insats_label(insats).lower()} är ofullständigt: "
                         f"{month_list(prev_missing)} {year - 1} saknar data och ingår inte. Jämför det inte "
                         "rakt av med årets ack utfall.")

    total = {"radtyp": "total", "insats": None, "regi": None, LABEL_COLUMN: begrepp.TOTALT}
    for col in REPORT_COLUMNS:
        total[col] = _sum(r[col] for r in totals)
    rows.append(total)

    table = pd.DataFrame(rows, columns=["radtyp", "insats", "regi", LABEL_COLUMN, *REPORT_COLUMNS])
    for col in REPORT_COLUMNS:
        table[col] = table[col].astype("float64") / 10  # tenths of tkr → tkr

    share = invoiced_sum / outcome_sum * 100 if invoiced_known and outcome_sum else None
    head_notes = [_invoiced_note(share, invoiced_known)]
    if fallback_rows:
        head_notes.append("Säsongsprognos gick inte att göra för " + ", ".join(fallback_rows)
                          + " (inget utfall jämförelseåret för samma månader); där används rak prognos.")
    if filled_rows:
        head_notes.append("Jämförelseåret saknar data för några av årets återstående månader för "
                          + ", ".join(filled_rows) + "; de månaderna har uppskattats med årets "
                          "genomsnitt per månad.")
    if previous_month is None:
        head_notes.append("Förändring prognos visas inte: det finns ingen tidigare prognos för året.")
    else:
        head_notes.append(f"Förändring prognos jämför med prognosen per {fmt.manad_namn(previous_month, lang=True)}, "
                          "beräknad med samma metod på data som de ser ut i dag.")
    head_notes.append("Budgeten finns per insats, inte per regi; regiraderna saknar därför budgetkolumner.")
    head_notes.append("Beloppen är avrundade till 0,1 tkr per regi; delsummor och totaler är summan "
                      "av de avrundade raderna.")

    last_day = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    title = (f"Månadsuppföljning per den {last_day} {fmt.manad_namn(month, lang=True)} {year}, "
             f"prognos för helåret {year} ({METHOD_NAME[method].lower()})")
    return Report(year, month, method, previous_month, table, title,
                  SIGN_CONVENTION + " " + CHANGE_CONVENTION, method_explanation(method, comparison_years),
                  tuple(head_notes + notes), share, missing_by_insats, spread_by_insats,
                  previous_missing=prev_missing_by_insats)


def _spread_note(insats: str, year: int, plan: _BudgetPlan) -> str:
    name = _insats_label(insats).lower()
    spread_months = [m for m in MONTHS if plan.how[m] in (BUDGET_PREVIOUS_YEAR, BUDGET_EVEN)]
    if len(spread_months) == 12:
        text = f"Budgeten för {name} {year} finns bara som årsbelopp och har fördelats "
        where = "på månaderna"
    else:
        text = (f"Budgeten för {name} {year} saknar månadsbelopp för {month_list(spread_months)}; "
                "årsbeloppet minus övriga månader har fördelats ")
        where = "på dem"
    if plan.spread() == BUDGET_PREVIOUS_YEAR:
        text += f"{where} efter {plan.pattern_year} års utfall per månad (sommartoppen)."
        if plan.pattern_filled:
            text += (f" {plan.pattern_year} saknar data för {month_list(plan.pattern_filled)}; "
                     "de månaderna har vägts som årets genomsnittliga månad.")
        return text
    return text + f"jämnt {where}, eftersom utfall för {year - 1} saknas."


def _invoiced_note(share: float | None, known: bool) -> str:
    if share is None:
        return ("Uppgift saknas om hur stor del av utfallet som är fakturerat." if not known
                else "Inget utfall hittills i år.")
    return (f"Utfallet är till {fmt.fmt_procent(share)} fakturerade belopp och till "
            f"{fmt.fmt_procent(100 - share)} beräknad kostnad (timmar × ersättningsnivå) där faktura saknas.")


# ---------------------------------------------------------------------------------------------
# Monthly series for the chart
# ---------------------------------------------------------------------------------------------

def monthly_series(utfall: pd.DataFrame, budget: pd.DataFrame, year: int, month: int,
                   method: str = SEASONAL, insats: str | None = None, comparison_years: int = 1) -> pd.DataFrame:
    """One row per month 1–12 of `year` (all insats, or one): for a chart of outcome, budget, forecast.

    Columns: manad, utfall_kr (NaN for a missing month, a month after `month`, or a month that
    any insats lacks), budget_kr (periodised; NaN if any insats lacks one), prognos_kr (the
    forecast's path: actual where there is data, else the estimate; sums to År prognos),
    saknar_data (a month up to `month` that some insats lacks), fordelad_budget (the budget of
    that month was spread from an annual amount).
    """
    outcome = _normalise_outcome(utfall)
    plans = _budget_plans(budget, outcome)
    insatser = [insats] if insats is not None else _ordered(
        outcome.insatser([year, year - 1]) | {i for (a, i) in plans if a == year}, begrepp.INSATSER)
    utfall_kr = {m: 0.0 for m in MONTHS}
    prognos_kr = {m: 0.0 for m in MONTHS}
    budget_kr = {m: 0.0 for m in MONTHS}
    missing_any: set[int] = set()
    spread: set[int] = set()
    for i in insatser:
        missing = outcome.missing(year, i)
        missing_any |= {m for m in missing if m <= month}
        for regi in outcome.regier([year, year - 1], i):
            this = outcome.series(year, i, regi)
            fc = monthly_forecast(this, _previous_years(outcome, year, i, regi, comparison_years), month, method)
            path = fc.monthly(this)
            for m in MONTHS:
                prognos_kr[m] += path[m]
                utfall_kr[m] += this[m] if this[m] is not None else NAN
        plan = plans.get((year, i))
        for m in MONTHS:
            budget_kr[m] += plan.kr[m] if plan is not None else NAN
            if plan is not None and plan.how[m] in (BUDGET_PREVIOUS_YEAR, BUDGET_EVEN):
                spread.add(m)
    return pd.DataFrame({
        "manad": list(MONTHS),
        "utfall_kr": [NAN if m > month or m in missing_any else utfall_kr[m] for m in MONTHS],
        "budget_kr": [budget_kr[m] for m in MONTHS],
        "prognos_kr": [prognos_kr[m] for m in MONTHS],
        "saknar_data": [m in missing_any for m in MONTHS],
        "fordelad_budget": [m in spread for m in MONTHS],
    })


# ---------------------------------------------------------------------------------------------
# Forecast accuracy
# ---------------------------------------------------------------------------------------------

def forecast_accuracy(utfall: pd.DataFrame, methods: Sequence[str] = (STRAIGHT_LINE, SEASONAL),
                      comparison_years: int = 1, years: Iterable[int] | None = None) -> pd.DataFrame:
    """For each past year with all twelve months of data: the forecast made at each month 1–11
    against the final outcome, per insats and in total ("totalt").

    Columns: ar, prognosmanad, insats, metod, metod_anvand (differs on fallback), prognos_kr,
    utfall_kr (the final full-year outcome), fel_kr = prognos − utfall, fel_procent (of utfall).
    A year with a missing month has no known final outcome and is left out (for the total:
    when any insats lacks a month).
    """
    outcome = _normalise_outcome(utfall)
    all_years = sorted({a for (a, _i) in outcome.seen})
    wanted = sorted(set(years)) if years is not None else all_years
    rows = []
    for year in wanted:
        insatser = _ordered(outcome.insatser([year]), begrepp.INSATSER)
        complete = [i for i in insatser if not outcome.missing(year, i)]
        if not complete:
            continue
        for m in range(1, 12):
            for method in methods:
                total_fc, total_final = 0.0, 0.0
                total_used = set()
                for i in complete:
                    fc_sum, final = 0.0, 0.0
                    used = set()
                    for regi in outcome.regier([year], i):
                        this = outcome.series(year, i, regi)
                        fc = monthly_forecast(this, _previous_years(outcome, year, i, regi, comparison_years), m, method)
                        fc_sum += fc.full_year_kr
                        final += sum(this.values())
                        used.add(fc.method_used)
                    rows.append(_accuracy_row(year, m, i, method, used, fc_sum, final))
                    total_fc += fc_sum
                    total_final += final
                    total_used |= used
                if len(complete) == len(insatser):
                    rows.append(_accuracy_row(year, m, "totalt", method, total_used, total_fc, total_final))
    return pd.DataFrame(rows, columns=["ar", "prognosmanad", "insats", "metod", "metod_anvand",
                                       "prognos_kr", "utfall_kr", "fel_kr", "fel_procent"])


def _accuracy_row(year, month, insats, method, used, forecast_kr, final_kr) -> dict:
    error = forecast_kr - final_kr
    return {"ar": year, "prognosmanad": month, "insats": insats, "metod": method,
            "metod_anvand": method if used == {method} else STRAIGHT_LINE,
            "prognos_kr": forecast_kr, "utfall_kr": final_kr, "fel_kr": error,
            "fel_procent": error / final_kr * 100 if final_kr else NAN}


def previous_incomplete(report: Report, insats: str | None) -> tuple[int, ...]:
    """Months of the year before missing from a row's Föregående år ack utfall (insats None = total)."""
    if insats is None:
        return tuple(sorted({m for ms in report.previous_missing.values() for m in ms}))
    return report.previous_missing.get(insats, ())
