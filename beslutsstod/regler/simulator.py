"""Vad händer om? — the rate revision simulator as pure functions (no Streamlit).

Inputs are small aggregated frames from the SQL layer: one row per insats, regi,
vistelsekommun and month (the last two optional) with ``beviljad_timmar`` and
``utford_timmar`` (hours) and, optionally, the current ``kr_per_timme``.

Number handling: every amount is computed in Decimal (rates and hours as given, no binary
floating point), each row's cost is rounded to öre (ROUND_HALF_UP), and every aggregate is
the exact sum of those öre amounts, so a total always equals the sum of its parts. Frames
handed to pages convert to float only at the end (``ScenarioResult.frame``).

New rates are exclusive of momskompensation, as Härryda's 454 kr for 2024 ("exklusive
momskompensation", tjänsteskrivelse 2024-05-20, dnr 2024SOCN66 709). Every cost goes through the
one cost rule (``beslutsstod.regler.kostnadsregel``, the same as the SQL macro behind stg_besok):
momskompensation (default 6 %) is added only where regi == "privat" and the rate excludes it;
municipalities pay no VAT, so neither a vistelsekommun nor the municipality's own staff (egen
regi) receives it, and a rate stated including it is divided by (1 + 6 %) for them. Today's
rate keeps the basis it is stated on (``current_moms_ingar``), so the cost at today's level
equals the staging cost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping, Sequence

import pandas as pd

from beslutsstod import begrepp
from beslutsstod.regler import kostnadsregel
from beslutsstod.regler.nivaer import (
    ROUNDING_STEPS,
    ROUNDING_TEXT,
    MissingOpiError,
    PublishedRate,
    RevisionStep,
    chain_revisions,
    fmt_kr_sv,
    latest_published_rate,
    load_published_rates,
    published_rate,
    round_rate,
)
from beslutsstod.regler.opi import (
    OpiValue,
    PublishedOpi,
    fmt_procent_sv,
    load_opi,
    opi_for_year,
    to_decimal,
)

PROCENT_DECIMAL = Decimal("0.1")  # change in per cent is shown with one decimal
MOMSKOMPENSATION_PROCENT = Decimal("6")  # % on the rate, to private providers only
MAX_SCENARIER = 3  # scenarios compared side by side (issue 4)

RATE_MODELS = ("publicerad", "egen", "senaste_plus_opi", "egen_summa")
RATE_MODEL_TEXT = {
    "publicerad": "publicerad nivå (rekommendation eller beslut)",
    "egen": "kommunens egen nivå, uppräknad med OPI",
    "senaste_plus_opi": "senaste rekommendation uppräknad med OPI (antagande)",
    "egen_summa": "eget belopp",
}
BASES = ("utford", "beviljad")
BASIS_TEXT = {"utford": "utförd", "beviljad": "beviljad"}
BASIS_PLURAL = {"utford": "utförda", "beviljad": "beviljade"}  # "12 345 utförda timmar"
DIMENSIONS = ("insats", "regi", "vistelsekommun", "manad")

# VästKom's board stopped recommending a hemtjänst rate: protokoll 2023-12-12 § 67.
VASTKOM_SLUT_HEMTJANST = "VästKom styrelse 2023-12-12 § 67"
VASTKOM_SISTA_HEMTJANST_AR = 2023  # no VästKom hemtjänst recommendation for later years


class MissingInputError(ValueError):
    """A scenario cannot be computed: a rate or OPI is missing. The message is Swedish, for the page."""


def _d(x: object) -> Decimal:
    return to_decimal(x)


def _procent(andel: Decimal | None, bas: Decimal) -> Decimal | None:
    """Change in per cent to one decimal, half-up; None when the base is zero."""
    if andel is None or bas == 0:
        return None
    return (andel / bas * 100).quantize(PROCENT_DECIMAL, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- scenario


@dataclass(frozen=True)
class RateModel:
    """How one insats gets its rate in the target year.

    - "publicerad": the published level of the target year (beslutade_nivaer.csv);
    - "egen": the municipality's own rate ``belopp_kr`` in force ``bas_ar`` (default: the current
      rate, in force the year before the target year), revised by OPI for each later year;
    - "senaste_plus_opi": VästKom's last recommendation revised by OPI — an assumption;
    - "egen_summa": the amount ``belopp_kr`` as it stands.
    ``opi_procent`` overrides the OPI of the target year (sensitivity, or a value not yet in
    opi.csv); it is labelled "angivet i scenariot".
    """

    modell: str = "egen"
    belopp_kr: Decimal | None = None
    bas_ar: int | None = None
    opi_procent: Decimal | None = None
    kalla: str | None = None  # source or decision of an own amount

    def __post_init__(self) -> None:
        if self.modell not in RATE_MODELS:
            raise ValueError(f"Okänd ersättningsmodell {self.modell!r}; välj bland {', '.join(RATE_MODELS)}")
        if self.modell == "egen_summa" and self.belopp_kr is None:
            raise ValueError("Modellen egen_summa kräver ett belopp (belopp_kr)")
        for name in ("belopp_kr", "opi_procent"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Decimal):
                object.__setattr__(self, name, _d(value))


@dataclass(frozen=True)
class Scenario:
    """One "what if": target year, a rate model per insats, basis, momskompensation and volume.

    Volume change is in per cent on the basis hours; ``volymforandring_per_vistelsekommun``
    (kommunkod → %) replaces the overall change for those municipalities. ``opi_antaganden``
    (year → %) fills years with no published OPI and is labelled as an assumption;
    ``opi_komponenter`` (year → (summa lönekostnadsförändring %, KPI %)) derives a missing year by
    SKR's formula ("härledd") and is used before an assumption. A published value always wins. ``nuvarande_grund`` is the basis of today's rate, so a scenario
    on the other basis shows the effect of switching.
    """

    namn: str
    malar: int
    modeller: Mapping[str, RateModel] = field(default_factory=dict)
    avrundning: str = "krona"
    grund: str = "utford"
    nuvarande_grund: str = "utford"
    momskompensation_procent: Decimal = MOMSKOMPENSATION_PROCENT
    volymforandring_procent: Decimal = Decimal("0")
    volymforandring_per_vistelsekommun: Mapping[str, Decimal] = field(default_factory=dict)
    opi_antaganden: Mapping[int, Decimal] = field(default_factory=dict)
    opi_komponenter: Mapping[int, tuple[Decimal, Decimal]] = field(default_factory=dict)
    # year → where an assumed OPI comes from ("antagande valt av produkten: genomsnittet av …"); not
    # part of the link (to_dict): the page derives it from the year's default on every run
    opi_antaganden_kalla: Mapping[int, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.avrundning not in ROUNDING_STEPS:
            raise ValueError(f"Okänd avrundning {self.avrundning!r}")
        for g in (self.grund, self.nuvarande_grund):
            if g not in BASES:
                raise ValueError(f"Okänd grund {g!r}; välj utford eller beviljad")
        object.__setattr__(self, "momskompensation_procent", _d(self.momskompensation_procent))
        object.__setattr__(self, "volymforandring_procent", _d(self.volymforandring_procent))
        object.__setattr__(self, "volymforandring_per_vistelsekommun",
                           {str(k): _d(v) for k, v in self.volymforandring_per_vistelsekommun.items()})
        object.__setattr__(self, "opi_antaganden", {int(k): _d(v) for k, v in self.opi_antaganden.items()})
        object.__setattr__(self, "opi_komponenter", {int(k): (_d(v[0]), _d(v[1]))
                                                     for k, v in self.opi_komponenter.items()})
        object.__setattr__(self, "modeller", {
            k: v if isinstance(v, RateModel) else RateModel(**v) for k, v in self.modeller.items()})

    def to_dict(self) -> dict:
        """JSON-ready dict (Decimals as strings), e.g. to keep a scenario in the URL."""
        def s(x: object) -> object:
            return None if x is None else str(x)
        return {
            "namn": self.namn, "malar": self.malar, "avrundning": self.avrundning,
            "grund": self.grund, "nuvarande_grund": self.nuvarande_grund,
            "momskompensation_procent": s(self.momskompensation_procent),
            "volymforandring_procent": s(self.volymforandring_procent),
            "volymforandring_per_vistelsekommun": {k: s(v) for k, v in self.volymforandring_per_vistelsekommun.items()},
            "opi_antaganden": {str(k): s(v) for k, v in self.opi_antaganden.items()},
            "opi_komponenter": {str(k): [s(v[0]), s(v[1])] for k, v in self.opi_komponenter.items()},
            "modeller": {k: {"modell": m.modell, "belopp_kr": s(m.belopp_kr), "bas_ar": m.bas_ar,
                             "opi_procent": s(m.opi_procent), "kalla": m.kalla}
                         for k, m in self.modeller.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> "Scenario":
        """Inverse of to_dict."""
        data = dict(data)
        data["modeller"] = {k: RateModel(**{kk: vv for kk, vv in m.items() if vv is not None})
                            for k, m in (data.get("modeller") or {}).items()}
        return cls(**data)


# --------------------------------------------------------------------------- new rate


@dataclass(frozen=True)
class RateCalculation:
    """The new rate of one insats, with each step explained in Swedish and its sources.

    ``kr_per_timme`` is None when it cannot be computed (``saknas`` says why; ``saknade_opi_ar``
    lists the OPI years for which the page should ask for an assumed value).
    """

    insats: str
    ar: int
    modell: str
    kr_per_timme: Decimal | None
    utgangslage_kr: Decimal | None = None
    utgangslage_ar: int | None = None
    steg: tuple[RevisionStep, ...] = ()
    forklaring: tuple[str, ...] = ()
    kallor: tuple[str, ...] = ()
    beslut: tuple[str, ...] = ()  # decision references (VästKom §, nämnd §, dnr)
    antaganden: tuple[str, ...] = ()
    kort: str = ""  # short parenthesis for the text: "454 kr + OPI 3,0 %"
    saknas: str | None = None
    saknade_opi_ar: tuple[int, ...] = ()

    @property
    def is_assumption(self) -> bool:
        return bool(self.antaganden)


def _insats_text(insats: str) -> str:
    return begrepp.INSATS_TEXT.get(insats, insats)


def _opi_values(years: Iterable[int], published: Mapping[int, PublishedOpi],
                assumptions: Mapping[int, Decimal], override_year: int | None,
                override: Decimal | None,
                components: Mapping[int, tuple[Decimal, Decimal]] | None = None,
                assumption_sources: Mapping[int, str] | None = None) -> dict[int, OpiValue]:
    components = components or {}
    assumption_sources = assumption_sources or {}
    out: dict[int, OpiValue] = {}
    for y in years:
        if override is not None and y == override_year:
            pub = published.get(y)
            kalla = "angivet i scenariot"
            if pub is not None and pub.opi_procent != override:
                kalla += f" (publicerat värde {fmt_procent_sv(pub.opi_procent)}, {pub.kalla})"
            elif pub is not None:
                kalla = pub.kalla
            is_pub = pub is not None and pub.opi_procent == override
            out[y] = OpiValue(y, override, pub.status if is_pub else "angivet i scenariot", kalla,
                              is_assumption=not is_pub)
        else:
            lon, kpi = components.get(y, (None, None))
            out[y] = opi_for_year(y, published, summa_lonekostnadsforandring=lon, kpi=kpi,
                                  assumed_procent=assumptions.get(y), assumed_kalla=assumption_sources.get(y))
    return out


def _chain_calc(insats: str, malar: int, modell: str, bas_kr: Decimal, bas_ar: int, bas_kalla: str,
                beslut: list[str], antaganden: list[str], model: RateModel, avrundning: str,
                published_opi: Mapping[int, PublishedOpi], opi_antaganden: Mapping[int, Decimal],
                opi_komponenter: Mapping[int, tuple[Decimal, Decimal]],
                opi_kallor: Mapping[int, str] | None = None) -> RateCalculation:
    ins = _insats_text(insats)
    forklaring = [f"Utgångsläge: {fmt_kr_sv(bas_kr)} per timme {bas_ar} för {ins} ({bas_kalla})."]
    kallor = [f"{ins.capitalize()} {bas_ar}: {bas_kalla}"]
    years = range(bas_ar + 1, malar + 1)
    values = _opi_values(years, published_opi, opi_antaganden, malar, model.opi_procent, opi_komponenter, opi_kallor)
    try:
        steps = chain_revisions(bas_kr, bas_ar, malar, values, avrundning)
    except MissingOpiError as exc:
        return RateCalculation(insats, malar, modell, None, bas_kr, bas_ar, (), tuple(forklaring),
                               tuple(kallor), tuple(beslut), tuple(antaganden), "",
                               saknas=f"{ins.capitalize()}: {exc}", saknade_opi_ar=tuple(exc.years))
    for s in steps:
        forklaring.append(s.text(avrundning))
        v = values[s.ar]
        if f"OPI {s.ar}: {v.kalla}" not in kallor:
            kallor.append(f"OPI {s.ar}: {v.kalla}")
        if v.is_assumption:
            kalla_ar = (opi_kallor or {}).get(s.ar)
            antaganden.append(f"OPI {s.ar} ({fmt_procent_sv(v.value_procent)}) är ett antagande"
                              + (f" ({kalla_ar})" if kalla_ar else "") + "; inget publicerat värde används.")
        elif v.is_derived:
            antaganden.append(f"OPI {s.ar} ({fmt_procent_sv(v.value_procent)}) är härlett ur komponenter enligt SKR:s "
                              f"formel; SKR har inte publicerat värdet.")
        elif v.status == "preliminär":
            antaganden.append(f"OPI {s.ar} ({fmt_procent_sv(v.value_procent)}) är preliminärt och kan ändras "
                              f"när det blir definitivt; skillnaden regleras då i efterhand.")
    new = steps[-1].to_kr if steps else bas_kr
    if not steps:
        kort = "enligt VästKoms rekommendation" if modell == "senaste_plus_opi" else "kommunens egen nivå"
    elif len(steps) == 1:
        kort = f"{fmt_kr_sv(bas_kr)} + OPI {fmt_procent_sv(steps[0].opi_procent)}"
    else:
        kort = f"{fmt_kr_sv(bas_kr)} för {bas_ar} uppräknat med OPI för {bas_ar + 1}–{malar}"
    forklaring.append(f"Ny nivå {malar}: {fmt_kr_sv(new)} per timme exklusive momskompensation"
                      f" (avrundning: {ROUNDING_TEXT[avrundning]}).")
    return RateCalculation(insats, malar, modell, new, bas_kr, bas_ar, tuple(steps), tuple(forklaring),
                           tuple(kallor), tuple(beslut), tuple(antaganden), kort)


def new_rate(
    insats: str,
    model: RateModel,
    malar: int,
    *,
    current_rate: object | None = None,
    avrundning: str = "krona",
    opi_antaganden: Mapping[int, object] | None = None,
    opi_komponenter: Mapping[int, tuple[object, object]] | None = None,
    published_rates: Sequence[PublishedRate] | None = None,
    published_opi: Mapping[int, PublishedOpi] | None = None,
    opi_kallor: Mapping[int, str] | None = None,
) -> RateCalculation:
    """The rate of ``insats`` in ``malar`` under ``model``, with a step-by-step Swedish explanation."""
    rates = list(published_rates) if published_rates is not None else load_published_rates()
    table = published_opi if published_opi is not None else load_opi()
    assumptions = {int(k): _d(v) for k, v in (opi_antaganden or {}).items()}
    components = {int(k): (_d(v[0]), _d(v[1])) for k, v in (opi_komponenter or {}).items()}
    ins = _insats_text(insats)

    if model.modell == "publicerad":
        r = published_rate(malar, insats, rates)
        if r is None:
            why = f"Ingen publicerad nivå för {ins} {malar} finns i referensdata (beslutade_nivaer.csv)."
            if insats == "hemtjanst" and malar > VASTKOM_SISTA_HEMTJANST_AR:
                why += f" VästKom rekommenderar inte längre någon nivå för hemtjänst ({VASTKOM_SLUT_HEMTJANST})."
            return RateCalculation(insats, malar, model.modell, None, forklaring=(why,), saknas=why)
        kalla = f"{r.avser}; {r.kalla}"
        kort = "enligt VästKoms rekommendation" if r.is_vastkom_recommendation else f"enligt {r.referens}"
        forklaring = (f"Publicerad nivå {malar} för {ins}: {fmt_kr_sv(r.kr_per_timme)} per timme ({kalla}; {r.referens}).",)
        return RateCalculation(insats, malar, model.modell, r.kr_per_timme, r.kr_per_timme, malar, (),
                               forklaring, (f"{ins.capitalize()} {malar}: {kalla}",), (r.referens,), (), kort)

    if model.modell == "egen_summa":
        kalla = model.kalla or "belopp angivet i scenariot"
        forklaring = (f"Eget belopp för {ins} {malar}: {fmt_kr_sv(model.belopp_kr)} per timme exklusive "
                      f"momskompensation ({kalla}).",)
        return RateCalculation(insats, malar, model.modell, model.belopp_kr, model.belopp_kr, malar, (),
                               forklaring, (f"{ins.capitalize()} {malar}: {kalla}",), (), (), "eget belopp")

    if model.modell == "senaste_plus_opi":
        r = latest_published_rate(insats, malar, rates, only_vastkom=True)
        if r is None:
            why = f"Det finns ingen rekommendation från VästKom för {ins} till och med {malar} i referensdata."
            return RateCalculation(insats, malar, model.modell, None, forklaring=(why,), saknas=why)
        antaganden: list[str] = []
        if r.ar < malar:
            if insats == "hemtjanst" and malar > VASTKOM_SISTA_HEMTJANST_AR:
                antaganden.append(
                    f"VästKom upphörde att rekommendera en ersättning för hemtjänst ({VASTKOM_SLUT_HEMTJANST}). "
                    f"Nivån är VästKoms senaste rekommendation ({fmt_kr_sv(r.kr_per_timme)} för {r.ar}) uppräknad "
                    f"med OPI; det är ett antagande, inte en rekommendation.")
            else:
                antaganden.append(
                    f"Nivån är VästKoms senaste publicerade rekommendation ({fmt_kr_sv(r.kr_per_timme)} för {r.ar}) "
                    f"uppräknad med OPI; det är ett antagande tills en rekommendation för {malar} finns.")
        return _chain_calc(insats, malar, model.modell, r.kr_per_timme, r.ar, f"{r.avser}; {r.kalla}",
                           [r.referens], antaganden, model, avrundning, table, assumptions, components, opi_kallor)

    # "egen": the municipality's own rate, revised by OPI from its year to the target year.
    if model.belopp_kr is not None:
        bas_kr = model.belopp_kr
        bas_ar = model.bas_ar if model.bas_ar is not None else malar
    elif current_rate is not None:
        bas_kr = _d(current_rate)
        bas_ar = model.bas_ar if model.bas_ar is not None else malar - 1
    else:
        why = f"Kommunens egen nivå för {ins} är okänd: ange ett belopp eller nuvarande nivå."
        return RateCalculation(insats, malar, model.modell, None, forklaring=(why,), saknas=why)
    if bas_ar > malar:
        raise ValueError(f"Utgångsåret {bas_ar} ligger efter målåret {malar}")
    beslut: list[str] = []
    match = next((r for r in rates if r.ar == bas_ar and r.insats == insats and r.kr_per_timme == bas_kr
                  and not r.is_vastkom_recommendation), None)
    if model.kalla:
        kalla = model.kalla
    elif match is not None:
        kalla = f"{match.avser}; {match.kalla}"
    elif model.belopp_kr is None:
        kalla = "kommunens nuvarande ersättningsnivå enligt ersättningsnivåtabellen"
    else:
        kalla = "kommunens egen nivå, angiven i scenariot"
    if match is not None:
        beslut.append(match.referens)
    antaganden = []
    if insats == "kommunal_primarvard" and published_rate(malar, insats, rates) is None:
        # seed 000: the KPV rate follows VästKom's yearly recommendation; OPI stands in until it is published
        antaganden.append(f"Kommunal primärvård följer VästKoms årliga rekommendation. Rekommendationen för {malar} "
                          "är inte publicerad; uppräkning med OPI står i dess ställe tills den finns (antagande).")
    return _chain_calc(insats, malar, model.modell, bas_kr, bas_ar, kalla, beslut, antaganden, model, avrundning,
                       table, assumptions, components, opi_kallor)


# --------------------------------------------------------------------------- costs


@dataclass(frozen=True)
class Aggregat:
    """Hours and costs of one group (or the total). kr to öre; change in % to one decimal.

    timmar_nu: hours on today's basis; timmar_bas: hours on the scenario's basis before the
    volume change; timmar_ny: after it. kostnad_ny − kostnad_nu = priseffekt + volymeffekt
    (volymeffekt includes a change of basis).
    """

    nyckel: tuple
    timmar_nu: Decimal
    timmar_bas: Decimal
    timmar_ny: Decimal
    kostnad_nu_kr: Decimal
    kostnad_ny_kr: Decimal
    priseffekt_kr: Decimal
    volymeffekt_kr: Decimal
    momskompensation_ny_kr: Decimal

    @property
    def forandring_kr(self) -> Decimal:
        return self.kostnad_ny_kr - self.kostnad_nu_kr

    @property
    def forandring_procent(self) -> Decimal | None:
        return _procent(self.forandring_kr, self.kostnad_nu_kr)


_SUMMED = ("timmar_nu", "timmar_bas", "timmar_ny", "kostnad_nu_kr", "kostnad_ny_kr", "priseffekt_kr",
           "volymeffekt_kr", "momskompensation_ny_kr")


@dataclass(frozen=True)
class ScenarioResult:
    """The cost of one scenario at the input grain, aggregable along any of its dimensions."""

    scenario: Scenario
    nivaer: Mapping[str, RateCalculation]  # insats → new rate with explanation
    nuvarande_nivaer: Mapping[str, Decimal]  # insats → current rate (when one per insats)
    dimensioner: tuple[str, ...]
    rader: tuple[dict, ...]  # one dict per input row: dimension values + Decimal amounts

    def per(self, *dims: str) -> list[Aggregat]:
        """Aggregates per combination of ``dims`` (none = one total), sorted by key."""
        for d in dims:
            if d not in self.dimensioner:
                raise ValueError(f"Dimensionen {d!r} finns inte i underlaget ({', '.join(self.dimensioner)})")
        groups: dict[tuple, dict[str, Decimal]] = {}
        for row in self.rader:
            key = tuple(row[d] for d in dims)
            acc = groups.setdefault(key, {k: Decimal(0) for k in _SUMMED})
            for k in _SUMMED:
                acc[k] += row[k]
        # Months sort as numbers (1, 2, … 12), codes as text.
        def order(kv: tuple) -> tuple:
            return tuple((0, v, "") if isinstance(v, (int, float)) else (1, 0, str(v)) for v in kv[0])
        return [Aggregat(key, **acc) for key, acc in sorted(groups.items(), key=order)]

    def totalt(self) -> Aggregat:
        totals = self.per()
        if totals:
            return totals[0]
        zero = Decimal(0)
        return Aggregat((), zero, zero, zero, zero, zero, zero, zero, zero)

    def frame(self, *dims: str) -> pd.DataFrame:
        """The aggregates as a float DataFrame for pages and charts (kr to öre, % to 0,1)."""
        rows = []
        for a in self.per(*dims):
            row = dict(zip(dims, a.nyckel))
            for k in _SUMMED:
                row[k] = float(getattr(a, k))
            row["forandring_kr"] = float(a.forandring_kr)
            pct = a.forandring_procent
            row["forandring_procent"] = float(pct) if pct is not None else math.nan
            rows.append(row)
        columns = list(dims) + list(_SUMMED) + ["forandring_kr", "forandring_procent"]
        return pd.DataFrame(rows, columns=columns)


def _validate_hours(hours: pd.DataFrame) -> tuple[str, ...]:
    required = ("insats", "regi", "beviljad_timmar", "utford_timmar")
    missing = [c for c in required if c not in hours.columns]
    if missing:
        raise ValueError(f"Timunderlaget saknar kolumnerna {', '.join(missing)}")
    bad = sorted(set(hours["regi"].astype(str)) - set(begrepp.REGIER))
    if bad:
        raise ValueError(f"Okänd regi {', '.join(bad)}; väntade {', '.join(begrepp.REGIER)}")
    return tuple(d for d in DIMENSIONS if d in hours.columns)


def _hours_value(x: object, column: str) -> Decimal:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        raise ValueError(f"Timunderlaget har ett tomt värde i {column}")
    return _d(x)


def _current_rates(hours: pd.DataFrame, current_rates: Mapping[str, object] | None) -> dict[str, Decimal | None]:
    """insats → the single current rate (None when the frame's rates differ within an insats)."""
    out: dict[str, Decimal | None] = {}
    for insats in dict.fromkeys(hours["insats"].astype(str)):
        if current_rates is not None and insats in current_rates:
            out[insats] = _d(current_rates[insats])
        elif "kr_per_timme" in hours.columns:
            values = {_d(v) for v in hours.loc[hours["insats"] == insats, "kr_per_timme"]}
            out[insats] = values.pop() if len(values) == 1 else None
        else:
            raise MissingInputError(f"Nuvarande ersättningsnivå för {_insats_text(insats)} saknas.")
    return out


def compute_rates(
    scenario: Scenario,
    insatser: Iterable[str],
    current: Mapping[str, Decimal | None],
    *,
    published_rates: Sequence[PublishedRate] | None = None,
    published_opi: Mapping[int, PublishedOpi] | None = None,
) -> dict[str, RateCalculation]:
    """New rate per insats for a scenario; an insats without a model keeps its current rate."""
    rates = list(published_rates) if published_rates is not None else load_published_rates()
    table = published_opi if published_opi is not None else load_opi()
    out: dict[str, RateCalculation] = {}
    for insats in insatser:
        model = scenario.modeller.get(insats)
        if model is None:
            kr = current.get(insats)
            text = f"Ersättningen för {_insats_text(insats)} ändras inte i scenariot."
            out[insats] = RateCalculation(insats, scenario.malar, "oforandrad", kr, kr, None, (), (text,),
                                          kort="oförändrad nivå")
            continue
        out[insats] = new_rate(insats, model, scenario.malar, current_rate=current.get(insats),
                               avrundning=scenario.avrundning, opi_antaganden=scenario.opi_antaganden,
                               opi_komponenter=scenario.opi_komponenter,
                               opi_kallor=scenario.opi_antaganden_kalla,
                               published_rates=rates, published_opi=table)
    return out


def scenario_cost(
    hours_frame: pd.DataFrame,
    scenario: Scenario,
    current_rates: Mapping[str, object] | None = None,
    *,
    published_rates: Sequence[PublishedRate] | None = None,
    published_opi: Mapping[int, PublishedOpi] | None = None,
    current_moms_ingar: Mapping[str, bool | None] | None = None,
) -> ScenarioResult:
    """Cost at the scenario's new rate and volume vs at today's rate and volume, per input row.

    Per row (Decimal, each cost rounded to öre):
      timmar_nu  = hours on today's basis (``scenario.nuvarande_grund``)
      timmar_ny  = hours on the scenario's basis × (1 + volume change / 100)
      kostnad_nu = kostnadsregel(timmar_nu, today's rate, regi, today's rate incl. momskomp.?)
      kostnad_ny = kostnadsregel(timmar_ny, new rate, regi, excl.) — an unchanged rate keeps
                   today's statement
      volymeffekt = (timmar_ny − timmar_nu) at today's rate by the same rule; priseffekt = the rest.
    The rule (beslutsstod.regler.kostnadsregel): × (1 + momskompensation) to a private payee of a rate
    excl.; ÷ (1 + momskompensation) to a municipality or egen regi of a rate incl.
    Today's rate per row: ``current_rates[insats]`` when given, else the frame's kr_per_timme;
    ``current_moms_ingar[insats]`` says whether it includes momskompensation (default: excl.).
    Raises MissingInputError (Swedish message) when a new rate cannot be computed.
    """
    dims = _validate_hours(hours_frame)
    current = _current_rates(hours_frame, current_rates)
    nivaer = compute_rates(scenario, current.keys(), current,
                           published_rates=published_rates, published_opi=published_opi)
    missing = [c.saknas for c in nivaer.values() if c.kr_per_timme is None and c.saknas]
    missing += [f"Nuvarande nivå för {_insats_text(i)} skiljer sig mellan raderna; ange ett belopp."
                for i, c in nivaer.items() if c.kr_per_timme is None and not c.saknas]
    if missing:
        raise MissingInputError(" ".join(missing))
    moms = scenario.momskompensation_procent
    ingar_nu = dict(current_moms_ingar or {})
    rows = []
    for rec in hours_frame.to_dict("records"):
        insats = str(rec["insats"])
        regi = str(rec["regi"])
        if current_rates is not None and insats in current_rates:
            rate_nu = _d(current_rates[insats])
        else:
            rate_nu = _hours_value(rec.get("kr_per_timme"), "kr_per_timme")
        calc = nivaer[insats]
        inkl_nu = ingar_nu.get(insats, False)
        if calc.modell == "oforandrad":
            rate_ny, inkl_ny = rate_nu, inkl_nu
        else:
            rate_ny, inkl_ny = calc.kr_per_timme, False
        timmar = {g: _hours_value(rec[f"{g}_timmar"], f"{g}_timmar") for g in BASES}
        kommun = str(rec["vistelsekommun"]) if "vistelsekommun" in dims else None
        vol = scenario.volymforandring_per_vistelsekommun.get(kommun, scenario.volymforandring_procent)
        t_nu = timmar[scenario.nuvarande_grund]
        t_bas = timmar[scenario.grund]
        t_ny = t_bas * (1 + vol / 100)
        k_nu = kostnadsregel.kostnad_kr(t_nu, rate_nu, regi, inkl_nu, moms)
        k_ny = kostnadsregel.kostnad_kr(t_ny, rate_ny, regi, inkl_ny, moms)
        # Volume effect at today's rate; the price effect is the rest, so with unchanged hours
        # the whole change is price (exactly, to the öre).
        volym = kostnadsregel.kostnad_kr(t_ny - t_nu, rate_nu, regi, inkl_nu, moms)
        # the momskompensation in the new cost: what a private payee gets above the rate excl.
        moms_ny = (k_ny - kostnadsregel.kostnad_kr(t_ny, rate_ny, "vistelsekommun", inkl_ny, moms)
                   if regi == begrepp.MOMS_REGI else Decimal(0))
        row: dict = {d: int(rec[d]) if d == "manad" else str(rec[d]) for d in dims}
        row.update(
            kr_per_timme_nu=rate_nu, kr_per_timme_ny=rate_ny, timmar_nu=t_nu, timmar_bas=t_bas, timmar_ny=t_ny,
            kostnad_nu_kr=k_nu, kostnad_ny_kr=k_ny, priseffekt_kr=k_ny - k_nu - volym, volymeffekt_kr=volym,
            momskompensation_ny_kr=moms_ny,
        )
        rows.append(row)
    nuvarande = {i: v for i, v in current.items() if v is not None}
    return ScenarioResult(scenario, nivaer, nuvarande, dims, tuple(rows))


# --------------------------------------------------------------------------- comparison


# --------------------------------------------------------------------------- sensitivity


def sensitivity(
    hours_frame: pd.DataFrame,
    scenario: Scenario,
    current_rates: Mapping[str, object] | None = None,
    *,
    opi_procent: Iterable[object] | None = None,
    kr_per_timme: Iterable[object] | None = None,
    insats: str | None = None,
    **kwargs,
) -> pd.DataFrame:
    """Total cost as a function of the target year's OPI, or of the rate of one insats.

    Exactly one of ``opi_procent`` / ``kr_per_timme``. OPI: every OPI-based model (egen,
    senaste_plus_opi; only ``insats`` if given) gets that OPI for the target year; published
    or own amounts do not move. Rate: ``insats`` (required unless there is only one) gets the
    amount as an own amount. Returns one row per value: varde, kr_per_timme_<insats>,
    kostnad_nu_kr, kostnad_ny_kr, forandring_kr, forandring_procent.
    """
    if (opi_procent is None) == (kr_per_timme is None):
        raise ValueError("Ange antingen opi_procent eller kr_per_timme")
    insatser = list(dict.fromkeys(hours_frame["insats"].astype(str)))
    rows = []
    if opi_procent is not None:
        variabel, values = "opi_procent", [_d(v) for v in opi_procent]
    else:
        variabel, values = "kr_per_timme", [_d(v) for v in kr_per_timme]
        if insats is None:
            if len(insatser) != 1:
                raise ValueError("Ange vilken insats vars nivå ska varieras")
            insats = insatser[0]
    for v in values:
        modeller = dict(scenario.modeller)
        if variabel == "opi_procent":
            for i in insatser:
                m = modeller.get(i, RateModel("egen"))
                if (insats is None or i == insats) and m.modell in ("egen", "senaste_plus_opi"):
                    modeller[i] = replace(m, opi_procent=v)
        else:
            modeller[insats] = RateModel("egen_summa", belopp_kr=v, kalla="känslighetsanalys")
        res = scenario_cost(hours_frame, replace(scenario, modeller=modeller), current_rates, **kwargs)
        t = res.totalt()
        row = {"variabel": variabel, "varde": float(v)}
        for i, c in res.nivaer.items():
            row[f"kr_per_timme_{i}"] = float(c.kr_per_timme)
        row.update(kostnad_nu_kr=float(t.kostnad_nu_kr), kostnad_ny_kr=float(t.kostnad_ny_kr),
                   forandring_kr=float(t.forandring_kr),
                   forandring_procent=float(t.forandring_procent) if t.forandring_procent is not None else math.nan)
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- break-even


@dataclass(frozen=True)
class BreakEven:
    """Share of worked time that must be delivered (utförd) time for the rate to cover the cost."""

    kr_per_timme: Decimal
    kostnad_per_arbetad_timme_kr: Decimal
    andel: Decimal  # exact share, 0–1 (may exceed 1: then impossible)
    procent: Decimal  # rounded *up* to one decimal: "at least" must not be understated
    kringtid_max_procent: Decimal | None  # 100 − procent, None when impossible
    mojlig: bool
    forklaring: str


def break_even_share(rate_kr_per_h: object, cost_per_worked_hour_kr: object, grund: str = "utford") -> BreakEven:
    """andel = cost per worked hour / rate per delivered hour.

    Revenue per worked hour is rate × andel (only delivered time is paid), so it covers the cost
    when andel ≥ cost / rate. E.g. 468 kr and 380 kr: 380 / 468 = 0,81197 → at least 81,2 %
    delivered time, at most 18,8 % kringtid. Use the rate the provider actually receives
    (including momskompensation for a private provider). ``grund``: the time the rate pays for —
    utförd (delivered) or beviljad (granted) — and so the time the wording names.
    """
    if grund not in BASES:
        raise ValueError(f"Okänd grund {grund!r}")
    per = BASIS_TEXT[grund]  # "utförd" / "beviljad"
    rate = _d(rate_kr_per_h)
    cost = _d(cost_per_worked_hour_kr)
    if rate <= 0:
        raise ValueError("Ersättningen måste vara större än noll")
    if cost < 0:
        raise ValueError("Kostnaden per arbetad timme kan inte vara negativ")
    andel = cost / rate
    procent = (andel * 100).quantize(PROCENT_DECIMAL, rounding=ROUND_CEILING)
    mojlig = andel <= 1
    if mojlig:
        kring = Decimal(100) - procent
        text = (f"Med en ersättning på {fmt_kr_sv(rate)} per {per} timme och en kostnad på "
                f"{fmt_kr_sv(cost)} per arbetad timme måste minst {fmt_procent_sv(procent)} av den arbetade tiden "
                f"vara {per} tid {'(brukartid) ' if grund == 'utford' else 'som ersätts '}för att ersättningen ska täcka kostnaden "
                f"({fmt_kr_sv(cost)} / {fmt_kr_sv(rate)}). Kringtiden (restid, dokumentation) får då vara högst "
                f"{fmt_procent_sv(kring)} av den arbetade tiden.")
    else:
        kring = None
        text = (f"Ersättningen {fmt_kr_sv(rate)} per {per} timme täcker inte kostnaden {fmt_kr_sv(cost)} per "
                f"arbetad timme ens om all arbetad tid är {per} tid (det skulle kräva {fmt_procent_sv(procent)}).")
    return BreakEven(rate, cost, andel, procent, kring, mojlig, text)


# --------------------------------------------------------------------------- basis switch


@dataclass(frozen=True)
class BasisSwitch:
    """Cost per utförd vs per beviljad hour from the data's own hours, per insats and in total."""

    tabell: pd.DataFrame  # insats (and "totalt"), timmar, andel, kostnad per grund, skillnad
    total_utford_kr: Decimal
    total_beviljad_kr: Decimal
    forklaring: str

    @property
    def skillnad_kr(self) -> Decimal:
        return self.total_beviljad_kr - self.total_utford_kr


def basis_switch_effect(
    hours_frame: pd.DataFrame,
    current_rates: Mapping[str, object] | None = None,
    momskompensation_procent: object = MOMSKOMPENSATION_PROCENT,
    current_moms_ingar: Mapping[str, bool | None] | None = None,
) -> BasisSwitch:
    """Cost if the same rate were paid per beviljad instead of per utförd hour (seed 002's question).

    Per row: hours × rate by the cost rule (beslutsstod.regler.kostnadsregel), to öre, for each basis.
    """
    _validate_hours(hours_frame)
    ingar = dict(current_moms_ingar or {})
    acc: dict[str, dict[str, Decimal]] = {}
    for rec in hours_frame.to_dict("records"):
        insats = str(rec["insats"])
        rate = _d(current_rates[insats]) if current_rates and insats in current_rates else \
            _hours_value(rec.get("kr_per_timme"), "kr_per_timme")
        regel = (str(rec["regi"]), ingar.get(insats, False), momskompensation_procent)
        a = acc.setdefault(insats, {k: Decimal(0) for k in ("bev_h", "utf_h", "bev_kr", "utf_kr")})
        bev = _hours_value(rec["beviljad_timmar"], "beviljad_timmar")
        utf = _hours_value(rec["utford_timmar"], "utford_timmar")
        a["bev_h"] += bev
        a["utf_h"] += utf
        a["bev_kr"] += kostnadsregel.kostnad_kr(bev, rate, *regel)
        a["utf_kr"] += kostnadsregel.kostnad_kr(utf, rate, *regel)
    total = {k: sum((a[k] for a in acc.values()), Decimal(0)) for k in ("bev_h", "utf_h", "bev_kr", "utf_kr")}
    def nan_if_none(x: Decimal | None) -> float:
        return math.nan if x is None else float(x)

    rows = []
    for name, a in list(acc.items()) + [("totalt", total)]:
        rows.append({
            "insats": name, "beviljad_timmar": float(a["bev_h"]), "utford_timmar": float(a["utf_h"]),
            "utford_andel_procent": nan_if_none(_procent(a["utf_h"], a["bev_h"])),
            "kostnad_utford_kr": float(a["utf_kr"]), "kostnad_beviljad_kr": float(a["bev_kr"]),
            "skillnad_kr": float(a["bev_kr"] - a["utf_kr"]),
            "skillnad_procent": nan_if_none(_procent(a["bev_kr"] - a["utf_kr"], a["utf_kr"])),
        })
    diff = total["bev_kr"] - total["utf_kr"]
    pct = _procent(diff, total["utf_kr"])
    andel = _procent(total["utf_h"], total["bev_h"])
    riktning = "högre" if diff > 0 else "lägre" if diff < 0 else "lika hög"
    text = (f"Utförd tid var {fmt_procent_sv(andel) if andel is not None else '.'} av beviljad tid "
            f"({_fmt_h(total['utf_h'])} av {_fmt_h(total['bev_h'])} timmar). Med ersättning per beviljad timme "
            f"i stället för per utförd timme blir kostnaden {fmt_kr_sv(_kronor(abs(diff)))} "
            f"{riktning}" + (f" ({fmt_procent_sv(pct)})" if pct is not None and diff != 0 else "") + ", med samma ersättningsnivå.")
    return BasisSwitch(pd.DataFrame(rows), total["utf_kr"], total["bev_kr"], text)


def _kronor(x: Decimal) -> Decimal:
    return x.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _fmt_h(x: Decimal) -> str:
    return f"{int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP)):,}".replace(",", "\u00a0")


# --------------------------------------------------------------------------- arrears


@dataclass(frozen=True)
class ArrearsCorrection:
    """Extra cost when a year's rate was paid on a preliminary OPI and the definitive one is higher."""

    ar: int | None
    preliminar_procent: Decimal
    definitiv_procent: Decimal
    tabell: pd.DataFrame  # insats, bas_kr, kr_preliminar, kr_definitiv, diff per hour, timmar, efterbetalning_kr
    efterbetalning_kr: Decimal
    forklaring: tuple[str, ...]


def _pct_of(x: OpiValue | object) -> Decimal:
    if isinstance(x, OpiValue):
        if x.value_procent is None:
            raise MissingInputError(x.beskrivning())
        return x.value_procent
    return _d(x)


def arrears_correction(
    hours_frame: pd.DataFrame,
    bas_kr_per_timme: Mapping[str, object],
    preliminar_opi: OpiValue | object,
    definitiv_opi: OpiValue | object,
    *,
    ar: int | None = None,
    grund: str = "utford",
    momskompensation_procent: object = MOMSKOMPENSATION_PROCENT,
    avrundning: str = "krona",
) -> ArrearsCorrection:
    """Extra cost paid in arrears when the year's rate moves from preliminary to definitive OPI.

    bas_kr_per_timme: the rate of the year before, per insats. Per insats and regi:
    kr_prel = round(bas × (1 + prel)), kr_def = round(bas × (1 + def)); per row
    efterbetalning = hours × (kr_def − kr_prel) by the cost rule (rates excl.: + momskompensation
    to a private payee), to öre.
    2023: 441 kr × 1,035 = 456,44 → 456; × 1,046 = 461,29 → 461; 5 kr per hour more.
    """
    _validate_hours(hours_frame)
    if grund not in BASES:
        raise ValueError(f"Okänd grund {grund!r}")
    prel, defi = _pct_of(preliminar_opi), _pct_of(definitiv_opi)
    per_insats: dict[str, dict[str, Decimal]] = {}
    for rec in hours_frame.to_dict("records"):
        insats = str(rec["insats"])
        if insats not in bas_kr_per_timme:
            raise MissingInputError(f"Föregående års nivå för {_insats_text(insats)} saknas.")
        bas = _d(bas_kr_per_timme[insats])
        k_prel = round_rate(bas * (1 + prel / 100), avrundning)
        k_def = round_rate(bas * (1 + defi / 100), avrundning)
        t = _hours_value(rec[f"{grund}_timmar"], f"{grund}_timmar")
        a = per_insats.setdefault(insats, {"bas": bas, "prel": k_prel, "def": k_def, "h": Decimal(0), "kr": Decimal(0)})
        a["h"] += t
        # rates excl. momskompensation, by the cost rule
        a["kr"] += kostnadsregel.kostnad_kr(t, k_def - k_prel, str(rec["regi"]), False, momskompensation_procent)
    total = sum((a["kr"] for a in per_insats.values()), Decimal(0))
    rows, text = [], []
    y = f" {ar}" if ar is not None else ""
    text.append(f"Ersättningen{y} betalades med preliminärt OPI {fmt_procent_sv(prel)}; definitivt OPI är "
                f"{fmt_procent_sv(defi)}.")
    for insats, a in per_insats.items():
        rows.append({"insats": insats, "bas_kr_per_timme": float(a["bas"]), "kr_per_timme_preliminar": float(a["prel"]),
                     "kr_per_timme_definitiv": float(a["def"]), "skillnad_kr_per_timme": float(a["def"] - a["prel"]),
                     "timmar": float(a["h"]), "efterbetalning_kr": float(a["kr"])})
        text.append(f"{_insats_text(insats).capitalize()}: {fmt_kr_sv(a['bas'])} × (1 + {fmt_procent_sv(prel)}) = "
                    f"{fmt_kr_sv(a['prel'])} preliminärt och × (1 + {fmt_procent_sv(defi)}) = {fmt_kr_sv(a['def'])} "
                    f"definitivt; {fmt_kr_sv(a['def'] - a['prel'])} mer per timme för {_fmt_h(a['h'])} "
                    f"{BASIS_PLURAL[grund]} timmar = {fmt_kr_sv(a['kr'])} (inklusive momskompensation till privata utförare).")
    text.append(f"Efterbetalning totalt: {fmt_kr_sv(total)}.")
    return ArrearsCorrection(ar, prel, defi, pd.DataFrame(rows), total, tuple(text))
