"""Pay per insats instead of per hour (issue 17, seed 002: Österåker, Dnr VON 2022/0007): the rules.

The same visits are priced both ways by ``queries/intermediate/insatsmodell_besok.sql``; this
module holds the rules around it, as pure functions:

* the working price list (one price per insatstyp for every payee in the trial), taken from the
  imported table ``insatspriser`` or derived as cost-neutral over a base period;
* the maxtaxa (SoL 8 kap. 5 §: a month's avgift is at most 1/12 of 0,5392 × the year's
  prisbasbelopp) from ``data/reference/maxtaxa.csv``, or computed from a prisbasbelopp the user
  enters and labelled so; a year with neither is missing;
* each brukare's monthly avgift under both models: the timtaxa × the hours it is charged for,
  capped by the maxtaxa, *before* any reduction for the person's avgiftsutrymme (income is not in
  the extracts); per insats the hours are the insatser's normtid;
* the trial (``Forsok``: the user's choices) and its outcome (``Utfall``), which the report-back
  (beslutsstod/dokument/aterrapportering.py) and the page (beslutsstod/vyer/insatsmodell.py) show.

Money is Decimal; prices and avgifter are rounded half up to whole kronor (stated in the text).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd

from beslutsstod import begrepp, talformat

MAXTAXA_ANDEL = Decimal("0.5392")  # SoL 8 kap. 5 §: the year's maxtaxa is 0,5392 × prisbasbeloppet
MANADER_PER_AR = 12
EN_KRONA = Decimal("1")


def krona(x: Decimal) -> Decimal:
    return x.quantize(EN_KRONA, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- price list


@dataclass(frozen=True)
class Pris:
    """One insatstyp of the working price list: kr per insats excl. momskompensation, normtid in minutes."""

    insatstyp: str
    benamning: str
    kr_per_insats: Decimal | None
    normtid_min: int | None


def prislista_ur_import(rader: pd.DataFrame, regier: Sequence[str]) -> list[Pris]:
    """The imported prices in force (queries/insatsmodell/insatspriser) for the trial's payees.

    Per insatstyp a row for one of the trial's regier wins over a row for all regier (regi
    empty); among regier, the trial's first listed. The list then applies to every payee in the
    trial (the page says so).
    """
    ut: dict[str, Pris] = {}
    rang: dict[str, int] = {}
    ordning = {r: i for i, r in enumerate(regier)}
    for rad in rader.itertuples(index=False):
        regi = None if pd.isna(rad.regi) else rad.regi
        if regi is not None and regi not in ordning:
            continue
        r = ordning[regi] if regi is not None else len(ordning)
        if rad.insatstyp in rang and rang[rad.insatstyp] <= r:
            continue
        rang[rad.insatstyp] = r
        ut[rad.insatstyp] = Pris(rad.insatstyp, str(rad.benamning), Decimal(str(rad.kr_per_insats)),
                                 None if pd.isna(rad.normtid_min) else int(rad.normtid_min))
    return [ut[k] for k in sorted(ut)]


def neutral_prislista(rader: pd.DataFrame, benamningar: Mapping[str, str]) -> list[Pris]:
    """The price per insatstyp that keeps the cost equal to per-hour payment over a base period.

    ``rader`` is queries/insatsmodell/per_insatstyp: per insatstyp the number of visits, their
    cost per hour excl. momskompensation and the avgift's minutes. Price = cost / visits and
    normtid = minutes / visits, both rounded half up to whole kronor and minutes (so the total
    can differ from neutral by at most 50 öre per visit). Visits without insatstyp, or with a
    missing hourly cost, give no price.
    """
    ut = []
    for rad in rader.itertuples(index=False):
        if pd.isna(rad.insatstyp) or rad.antal_besok == 0 or rad.antal_utan_timpris:
            continue
        n = Decimal(int(rad.antal_besok))
        kostnad = Decimal(str(rad.kostnad_exkl_moms_kr))
        normtid = None if pd.isna(rad.avgift_min) else int(krona(Decimal(int(rad.avgift_min)) / n))
        ut.append(Pris(rad.insatstyp, benamningar.get(rad.insatstyp, ""), krona(kostnad / n), normtid))
    return ut


def besok_utan_insatstyp(rader: pd.DataFrame) -> int:
    """Visits of the base period (queries/insatsmodell/per_insatstyp) that have no insatstyp and so give no price."""
    return int(rader.loc[rader["insatstyp"].isna(), "antal_besok"].sum())


def prisparametrar(prislista: Sequence[Pris]) -> dict[str, list]:
    """The price list as the query parameters of insatsmodell_besok (prices in whole öre)."""
    priced = [p for p in prislista if p.kr_per_insats is not None]
    return dict(typer=[p.insatstyp for p in priced],
                priser_ore=[int((p.kr_per_insats * 100).to_integral_value(ROUND_HALF_UP)) for p in priced],
                normtider_min=[p.normtid_min for p in priced])


# --------------------------------------------------------------------------- maxtaxa and avgift


@dataclass(frozen=True)
class Maxtaxa:
    ar: int
    kr: Decimal | None  # None: missing (no published value and no prisbasbelopp entered)
    text: str  # its source, or how it was computed, or why it is missing
    harledd: bool = False


def las_maxtaxor(reference_dir: Path) -> dict[int, tuple[Decimal, str]]:
    """{year: (maxtaxa kr per month, source)} from reference/maxtaxa.csv (only confirmed years)."""
    sokvag = Path(reference_dir) / "maxtaxa.csv"
    if not sokvag.exists():
        return {}
    with sokvag.open(encoding="utf-8") as fh:
        return {int(r["ar"]): (Decimal(r["maxtaxa_kr_per_manad"]), r["kalla"]) for r in csv.DictReader(fh)}


def maxtaxa_ur_prisbasbelopp(prisbasbelopp_kr: Decimal) -> Decimal:
    """1/12 of 0,5392 × prisbasbeloppet, rounded half up to whole kronor (SoL 8 kap. 5 §)."""
    return krona(MAXTAXA_ANDEL * Decimal(prisbasbelopp_kr) / MANADER_PER_AR)


def maxtaxa(ar: int, publicerade: Mapping[int, tuple[Decimal, str]],
            prisbasbelopp_kr: Decimal | None = None) -> Maxtaxa:
    """The year's maxtaxa: published, else computed from the prisbasbelopp the user entered, else missing."""
    if ar in publicerade:
        kr, kalla = publicerade[ar]
        return Maxtaxa(ar, kr, f"Maxtaxa {ar}: {talformat.fmt_tal(float(kr))} kr per månad ({kalla})")
    if prisbasbelopp_kr:
        kr = maxtaxa_ur_prisbasbelopp(prisbasbelopp_kr)
        return Maxtaxa(ar, kr, f"Maxtaxa {ar}: {talformat.fmt_tal(float(kr))} kr per månad, beräknad som 1/12 av "
                       f"0,5392 × prisbasbeloppet {talformat.fmt_tal(float(prisbasbelopp_kr))} kr som användaren "
                       "angett (inte ur en publicerad källa)", harledd=True)
    return Maxtaxa(ar, None, f"Maxtaxa {ar} saknas i referensdata; ange årets prisbasbelopp för att beräkna den.")


def avgift(minuter: int | None, timtaxa_kr: Decimal | None, tak_kr: Decimal | None) -> Decimal | None:
    """A month's avgift: timtaxa × hours, half up to whole kronor, capped by the maxtaxa; None if missing."""
    if minuter is None or timtaxa_kr is None or tak_kr is None:
        return None
    return min(krona(Decimal(timtaxa_kr) * Decimal(int(minuter)) / 60), Decimal(tak_kr))


@dataclass(frozen=True)
class Troskel:
    """When a change of a brukare's monthly avgift counts as material: more than `varde` kr or %."""

    varde: Decimal
    enhet: str  # "kr" or "procent"

    def text(self) -> str:
        v = talformat.fmt_tal(float(self.varde), 0 if self.varde == self.varde.to_integral_value() else 1)
        return f"{v} kr" if self.enhet == "kr" else f"{v} %"

    def overskrids(self, fore: Decimal, efter: Decimal) -> bool:
        andring = abs(efter - fore)
        if self.enhet == "kr":
            return andring > self.varde
        if fore == 0:
            return andring > 0
        return andring * 100 / fore > self.varde


def avgifter(per_brukare_manad: pd.DataFrame, timtaxor: Mapping[int, Decimal],
             maxtaxor: Mapping[int, Maxtaxa]) -> pd.DataFrame:
    """Each brukare's avgift per month under both models (queries/insatsmodell/per_brukare_manad).

    Columns: brukare_id, ar, manad, avgift_timme_kr, avgift_insats_kr (Decimal or None when
    minutes, timtaxa or maxtaxa are missing), andring_kr.
    """
    rader = []
    for r in per_brukare_manad.itertuples(index=False):
        ar = int(r.ar)
        taxa = timtaxor.get(ar)
        tak = maxtaxor[ar].kr if ar in maxtaxor else None
        min_t = None if r.antal_timme_min_saknas or pd.isna(r.avgift_min_timme) else int(r.avgift_min_timme)
        min_i = None if r.antal_insats_min_saknas or pd.isna(r.avgift_min_insats) else int(r.avgift_min_insats)
        a_t, a_i = avgift(min_t, taxa, tak), avgift(min_i, taxa, tak)
        rader.append(dict(brukare_id=r.brukare_id, ar=ar, manad=int(r.manad), is_i_forsok=r.antal_besok_i_forsok > 0,
                          avgift_timme_kr=a_t, avgift_insats_kr=a_i,
                          andring_kr=None if a_t is None or a_i is None else a_i - a_t))
    return pd.DataFrame(rader, columns=["brukare_id", "ar", "manad", "is_i_forsok", "avgift_timme_kr",
                                        "avgift_insats_kr", "andring_kr"])


# --------------------------------------------------------------------------- outcome


@dataclass(frozen=True)
class Avgiftsutfall:
    antal_brukare: int  # brukare with hemtjänst from a payee in the trial
    antal_over: int  # of those, brukare whose avgift changes beyond the threshold in some month
    antal_hojs: int  # ... of whom it rises
    antal_sanks: int
    antal_saknas: int  # brukare with a month whose avgift cannot be computed
    storsta_hojning_kr: Decimal | None
    storsta_sankning_kr: Decimal | None
    fordelning: pd.DataFrame  # klass, personer (brukare), ordered
    rader: pd.DataFrame  # avgifter(): one row per brukare and month (detail view only)


FORDELNING_KLASSER = ("Sänks mer än tröskeln", "Sänks inom tröskeln", "Oförändrad", "Höjs inom tröskeln",
                      "Höjs mer än tröskeln", "Kan inte beräknas")


def avgiftsutfall(avg: pd.DataFrame, troskel: Troskel) -> Avgiftsutfall:
    """How the trial's brukare's avgift changes: each brukare classed by the month that changes most."""
    i_forsok = avg[avg["is_i_forsok"]]
    klass: dict[str, str] = {}
    storst: dict[str, Decimal] = {}
    for b, grupp in i_forsok.groupby("brukare_id", sort=True):
        if grupp["andring_kr"].isna().any():
            klass[b] = FORDELNING_KLASSER[5]
            continue
        rad = max(grupp.itertuples(index=False), key=lambda r: (abs(r.andring_kr), r.andring_kr))
        storst[b] = rad.andring_kr
        over = troskel.overskrids(rad.avgift_timme_kr, rad.avgift_insats_kr)
        if rad.andring_kr == 0:
            klass[b] = FORDELNING_KLASSER[2]
        elif rad.andring_kr < 0:
            klass[b] = FORDELNING_KLASSER[0 if over else 1]
        else:
            klass[b] = FORDELNING_KLASSER[4 if over else 3]
    varden = list(klass.values())
    fordelning = pd.DataFrame({"Avgiften": FORDELNING_KLASSER,
                               "Brukare": [varden.count(k) for k in FORDELNING_KLASSER]})
    hojningar = [v for v in storst.values() if v > 0]
    sankningar = [v for v in storst.values() if v < 0]
    return Avgiftsutfall(
        antal_brukare=len(klass), antal_over=varden.count(FORDELNING_KLASSER[0]) + varden.count(FORDELNING_KLASSER[4]),
        antal_hojs=varden.count(FORDELNING_KLASSER[4]), antal_sanks=varden.count(FORDELNING_KLASSER[0]),
        antal_saknas=varden.count(FORDELNING_KLASSER[5]),
        storsta_hojning_kr=max(hojningar) if hojningar else None,
        storsta_sankning_kr=min(sankningar) if sankningar else None, fordelning=fordelning, rader=avg)


@dataclass(frozen=True)
class Forsok:
    """The user's choices for one trial."""

    fran: dt.date
    till: dt.date
    regier: tuple[str, ...]
    prislista: tuple[Pris, ...]
    prislista_underlag: str  # "import" / "harledd"
    prislista_andrad: bool
    troskel: Troskel
    prisbasbelopp: Mapping[int, Decimal] = field(default_factory=dict)  # entered by the user, per year


def params(f: Forsok, avgift_grund: str) -> dict:
    return dict(fran=f.fran, till=f.till, regier=list(f.regier), avgift_grund=avgift_grund, **prisparametrar(f.prislista))


def timtaxor(avgiftsregler: pd.DataFrame) -> dict[int, Decimal]:
    return {int(r.ar): Decimal(str(r.timtaxa_kr)) for r in avgiftsregler.itertuples(index=False)}


def avgift_grund(avgiftsregler: pd.DataFrame, ar: int) -> str:
    """The time the timtaxa is charged for in the trial's first year (else the latest year before it)."""
    fore = avgiftsregler[avgiftsregler["ar"] <= ar].sort_values("ar")
    rad = fore.iloc[-1] if len(fore) else avgiftsregler.sort_values("ar").iloc[0]
    return str(rad["grund"])


@dataclass(frozen=True)
class Utfall:
    """One trial's figures: costs both ways against the budget, per utförare, and the avgift."""

    forsok: Forsok  # the choices the figures were computed for (period, payees, price list, threshold)
    per_manad: pd.DataFrame  # queries/insatsmodell/per_manad (the total row has ar null)
    per_utforare: pd.DataFrame
    budget: pd.DataFrame  # queries/insatsmodell/budget
    avgift: Avgiftsutfall
    maxtaxor: tuple[Maxtaxa, ...]
    timtaxor: Mapping[int, Decimal]
    avgift_grund: str
    kallor: tuple[str, ...] = field(default_factory=tuple)

    @property
    def total(self):
        return self.per_manad[self.per_manad["ar"].isna()].iloc[0]

    @property
    def kostnad_timme(self) -> Decimal:
        return Decimal(str(self.total["kostnad_timme_kr"]))

    @property
    def kostnad_insats(self) -> Decimal:
        return Decimal(str(self.total["kostnad_insats_kr"]))

    @property
    def skillnad(self) -> Decimal:
        return self.kostnad_insats - self.kostnad_timme

    @property
    def personer_i_forsok(self) -> int:
        return int(self.total["personer_i_forsok"])

    @property
    def budget_kr(self) -> Decimal | None:
        """The budget of the trial's months; None when a month has only an annual budget or none."""
        manader = self.per_manad[self.per_manad["ar"].notna()][["ar", "manad"]].astype(int)
        b = self.budget[self.budget["manad"].notna()]
        finns = {(int(r.ar), int(r.manad)): Decimal(str(r.budget_kr)) for r in b.itertuples(index=False)}
        behov = {(int(r.ar), int(r.manad)) for r in manader.itertuples(index=False)}
        if not behov or not behov <= finns.keys():
            return None
        return sum((finns[k] for k in behov), Decimal(0))


def period_text(fran: dt.date, till: dt.date) -> str:
    """'april–juli 2023' (whole months), or the dates."""
    if fran.year == till.year:
        return f"{talformat.manad_namn(fran.month, True)}–{talformat.manad_namn(till.month, True)} {till.year}"
    return (f"{talformat.manad_namn(fran.month, True)} {fran.year}–"
            f"{talformat.manad_namn(till.month, True)} {till.year}")


def regi_text(regier: Sequence[str]) -> str:
    return " och ".join(begrepp.REGI_TEXT[r] for r in regier) if regier else "inga utförare"
