"""A trial of pay per insats instead of per hour (issue 17, seed 002: Österåker, Dnr VON 2022/0007).

The same visits are priced both ways by ``queries/intermediate/insatsmodell_besok.sql``; this
module holds the rules around it, as pure functions (no Streamlit):

* the working price list (one price per insatstyp for every payee in the trial), taken from the
  imported table ``insatspriser`` or derived as cost-neutral over a base period;
* the maxtaxa (SoL 8 kap. 5 §: a month's avgift is at most 1/12 of 0,5392 × the year's
  prisbasbelopp) from ``data/reference/maxtaxa.csv``, or computed from a prisbasbelopp the user
  enters and labelled so; a year with neither is missing;
* each brukare's monthly avgift under both models: the timtaxa × the hours it is charged for,
  capped by the maxtaxa, *before* any reduction for the person's avgiftsutrymme (income is not in
  the extracts); per insats the hours are the insatser's normtid;
* the outcome (``Utfall``) and the report-back "Återrapportering: utfall av ny ersättningsmodell"
  as a ``tjansteskrivelse.Avsnitt`` (text, .docx, .xlsx), answering the seed's two conditions.

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

from beslutsstod import talformat
from beslutsstod.dokument import tjansteskrivelse as tj
from beslutsstod.regler import smatalsskydd

RUBRIK = "Återrapportering: utfall av ny ersättningsmodell"
MAXTAXA_ANDEL = Decimal("0.5392")  # SoL 8 kap. 5 §: the year's maxtaxa is 0,5392 × prisbasbeloppet
MANADER_PER_AR = 12
FORSOK_STANDARD = (dt.date(2023, 4, 1), dt.date(2023, 7, 31))  # seed 002: april–juli 2023
REGI_STANDARD = ("egen_regi",)  # seed 002: hemtjänst i egen regi
SEED_KALLA = ("Vård- och omsorgsnämnden, Österåkers kommun, tjänsteskrivelse 2023-02-13, Dnr VON 2022/0007: "
              "Pröva ny ersättningsmodell inom hemtjänsten i egen regi (förebild för försöket och villkoren)")
REGI_TEXT = {"egen_regi": "egen regi", "privat": "privata utförare", "vistelsekommun": "vistelsekommuner"}
GRUND_TEXT = {"utford": "utförd", "beviljad": "beviljad"}
UNDERLAG_TEXT = {"import": "importerad prislista", "harledd": "härledd kostnadsneutral prislista"}
EN_KRONA = Decimal("1")


def _krona(x: Decimal) -> Decimal:
    return x.quantize(EN_KRONA, rounding=ROUND_HALF_UP)


def _kr(x: Decimal | None) -> str:
    return talformat.SAKNAS if x is None else talformat.fmt_kr(float(x))


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
        normtid = None if pd.isna(rad.avgift_min) else int(_krona(Decimal(int(rad.avgift_min)) / n))
        ut.append(Pris(rad.insatstyp, benamningar.get(rad.insatstyp, ""), _krona(kostnad / n), normtid))
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
    return _krona(MAXTAXA_ANDEL * Decimal(prisbasbelopp_kr) / MANADER_PER_AR)


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
    return min(_krona(Decimal(timtaxa_kr) * Decimal(int(minuter)) / 60), Decimal(tak_kr))


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
class Utfall:
    """One trial's figures: costs both ways against the budget, per utförare, and the avgift."""

    fran: dt.date
    till: dt.date
    regier: tuple[str, ...]
    prislista: tuple[Pris, ...]
    prislista_underlag: str  # "import" or "harledd", and whether it was edited
    prislista_andrad: bool
    per_manad: pd.DataFrame  # queries/insatsmodell/per_manad (the total row has ar null)
    per_utforare: pd.DataFrame
    budget: pd.DataFrame  # queries/insatsmodell/budget
    avgift: Avgiftsutfall
    troskel: Troskel
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
    return " och ".join(REGI_TEXT[r] for r in regier) if regier else "inga utförare"


def _procent(x: Decimal, bas: Decimal) -> Decimal | None:
    return None if bas == 0 else (x * 100 / bas)


# --------------------------------------------------------------------------- report-back


def aterrapportering(u: Utfall, *, oppen_vy: bool, grans: int) -> tj.Avsnitt:
    """The report-back section: the seed's two conditions answered with the trial's figures.

    Open view: a figure about fewer than `grans` brukare is withheld (".."): the trial's cost per
    insats and its difference when the trial's payees served fewer, each utförare row likewise
    (smatalsskydd.mask_long), and the avgift counts.
    """
    period = period_text(u.fran, u.till)
    dold_total = (smatalsskydd.is_masked(u.personer_i_forsok, grans, oppen_vy=oppen_vy)
                  or smatalsskydd.is_masked(int(u.total["personer"]), grans, oppen_vy=oppen_vy))
    stycken = [
        f"Försöket med ersättning per insats gällde hemtjänst utförd av {regi_text(u.regier)} under {period}. "
        f"Samma besök har prissatts både med ersättning per timme (dagens modell) och per insats "
        f"({UNDERLAG_TEXT[u.prislista_underlag]}{', ändrad för hand' if u.prislista_andrad else ''}), "
        f"så att skillnaden beror på modellen och inte på volymen."
    ]
    budget = u.budget_kr
    if dold_total:
        stycken.append(f"Försöket omfattade färre än {grans} brukare; kostnaderna per modell redovisas därför inte i "
                       "den öppna vyn.")
    else:
        pct = _procent(u.skillnad, u.kostnad_timme)
        riktning = "lägre" if u.skillnad < 0 else "högre"
        stycken.append(
            f"Villkor 1, budgetramen: nämndens kostnad för hemtjänsten under perioden blev {_kr(u.kostnad_insats)} med "
            f"ersättning per insats och {_kr(u.kostnad_timme)} med ersättning per timme, "
            + (f"alltså {_kr(abs(u.skillnad))} ({talformat.fmt_procent(float(abs(pct)))}) {riktning}. "
               if u.skillnad != 0 and pct is not None else "alltså lika. ")
            + (f"Budgeten för månaderna är {_kr(budget)}: utfallet per insats är {_kr(abs(budget - u.kostnad_insats))} "
               f"{'under' if u.kostnad_insats <= budget else 'över'} budget, per timme "
               f"{_kr(abs(budget - u.kostnad_timme))} {'under' if u.kostnad_timme <= budget else 'över'}. "
               if budget is not None else "Budget per månad saknas för perioden, så utfallet kan inte ställas mot budget. ")
            + ("Ersättning per insats har inte påverkat budgetramen negativt jämfört med nuvarande modell."
               if u.skillnad <= 0 else
               "Ersättning per insats har ökat kostnaden jämfört med nuvarande modell; villkoret är inte uppfyllt."))
    a = u.avgift
    n_over = antal_over_visat(u, oppen_vy=oppen_vy, grans=grans)
    celler = _avgiftsceller(u, oppen_vy, grans)
    n_alla = celler[tj.TOTAL]
    if n_alla is None:
        stycken.append(f"Villkor 2, brukarnas avgift: försöket omfattade färre än {grans} brukare; antalet vars avgift "
                       "ändras redovisas därför inte i den öppna vyn.")
    else:
        tal = talformat.MASK if n_over is None else talformat.fmt_tal(n_over)
        text = (f"Villkor 2, brukarnas avgift: av {talformat.fmt_tal(n_alla)} brukare i försöket fick {tal} en "
                f"månadsavgift som ändras med mer än {u.troskel.text()} någon månad med ersättning per insats. ")
        if a.antal_saknas:
            n_saknas = celler[FORDELNING_KLASSER[5]]
            text += (f"För {talformat.MASK if n_saknas is None else talformat.fmt_tal(n_saknas)} "
                     "brukare kan avgiften inte beräknas (tid, taxa eller maxtaxa saknas). ")
        if n_over == 0 and not a.antal_saknas:
            text += "Avgiften påverkas alltså inte i väsentlig grad."
        elif n_over is not None and n_over > 0:
            text += "Avgiften påverkas alltså i väsentlig grad för några brukare; villkoret är inte uppfyllt för dem."
        stycken.append(text)
    stycken.append("Avgiften är taxans belopp (timtaxa × timmar) begränsat av maxtaxan, före en eventuell minskning "
                   "för den enskildes avgiftsutrymme: inkomsterna finns inte i underlaget, så den avgift som faktiskt "
                   "tas ut kan vara lägre.")

    antaganden = [
        f"Ersättning per timme: dagens ersättningsnivåer per besöksdag, insats och regi (samma beräkning som på "
        f"övriga sidor). Per insats: ett pris per insatstyp för alla besök hos {regi_text(u.regier)}; besök hos "
        "andra utförare ersätts per timme i båda modellerna.",
        "Priserna per insats är exklusive momskompensation; privata utförare får momskompensation ovanpå, som vid "
        "timersättningen. En kommun eller egen regi får den aldrig.",
        f"Avgiften per timme tas ut för {GRUND_TEXT[u.avgift_grund]} tid; per insats för insatstypens normtid. "
        "Timtaxa × timmar avrundas till hela kronor per månad.",
    ]
    if u.prislista_underlag == "harledd":
        antaganden.append("Den härledda prislistan är dagens kostnad per timme för en basperiod delad med antalet "
                          "insatser per insatstyp, avrundad till hela kronor; normtiden är medeltiden per insats.")
    antaganden += [m.text for m in u.maxtaxor if m.harledd or m.kr is None]
    kallor = [SEED_KALLA, *(m.text for m in u.maxtaxor if not m.harledd and m.kr is not None), *u.kallor]

    fotnot = smatalsskydd.footnote_sv(grans) if oppen_vy else None
    tabeller = (_manadstabell(u, oppen_vy, grans), _utforartabell(u, oppen_vy, grans),
                _avgiftstabell(u, oppen_vy, grans), _pristabell(u))
    return tj.Avsnitt(rubrik=RUBRIK, stycken=tuple(stycken), antaganden=tuple(antaganden),
                      kallor=tuple(dict.fromkeys(kallor)), beslut=(), tabeller=tabeller, fotnot=fotnot)


def _dec(x) -> Decimal | None:
    return None if x is None or pd.isna(x) else Decimal(str(x))


def _manadstabell(u: Utfall, oppen_vy: bool, grans: int) -> tj.Tabell:
    budget = {(int(r.ar), int(r.manad)): Decimal(str(r.budget_kr))
              for r in u.budget.itertuples(index=False) if not pd.isna(r.manad)}
    df = u.per_manad.copy()
    df["Månad"] = [tj.TOTAL if pd.isna(r.ar) else f"{talformat.manad_namn(int(r.manad))} {int(r.ar)}"
                   for r in df.itertuples(index=False)]
    df["skillnad"] = df["kostnad_insats_kr"].astype(float) - df["kostnad_timme_kr"].astype(float)
    # The per-hour cost describes every brukare of the month; the per-insats cost and the difference
    # differ from it only by the trial's brukare, so those are protected by the trial's count.
    alla = smatalsskydd.mask_long(df[["Månad", "personer", "kostnad_timme_kr"]], persons_col="personer",
                             value_cols=["kostnad_timme_kr"], threshold=grans, oppen_vy=oppen_vy,
                             label_col="Månad", total_label=tj.TOTAL)
    m = smatalsskydd.mask_long(df[["Månad", "personer_i_forsok", "kostnad_insats_kr", "skillnad"]],
                          persons_col="personer_i_forsok", value_cols=["kostnad_insats_kr", "skillnad"],
                          threshold=grans, oppen_vy=oppen_vy, label_col="Månad", total_label=tj.TOTAL)
    rader = []
    for i, r in enumerate(df.itertuples(index=False)):
        dold_alla = bool(alla.mask.iloc[i]["kostnad_timme_kr"])
        dold = dold_alla or bool(m.mask.iloc[i]["kostnad_insats_kr"])
        b = u.budget_kr if pd.isna(r.ar) else budget.get((int(r.ar), int(r.manad)))
        rader.append((r.Månad, b if b is not None else tj.SAKNAS, None if dold_alla else _dec(r.kostnad_timme_kr),
                      None if dold else _dec(r.kostnad_insats_kr), None if dold else _dec(r.skillnad)))
    return tj.Tabell("Per månad", f"Nämndens kostnad för hemtjänst per månad, {period_text(u.fran, u.till)}",
                     ("Månad", "Budget (kr)", "Per timme (kr)", "Per insats (kr)", "Skillnad (kr)"),
                     ("text", "kr", "kr", "kr", "andring_kr"), tuple(rader),
                     m.footnote or alla.footnote)


def _utforartabell(u: Utfall, oppen_vy: bool, grans: int) -> tj.Tabell:
    df = u.per_utforare.copy()
    df["Utförare"] = [tj.TOTAL if pd.isna(r.utforare_id) else str(r.utforare_namn or r.utforare_id)
                      for r in df.itertuples(index=False)]
    df["skillnad"] = df["kostnad_insats_kr"].astype(float) - df["kostnad_timme_kr"].astype(float)
    m = smatalsskydd.mask_long(df[["Utförare", "personer", "antal_besok", "kostnad_timme_kr", "kostnad_insats_kr", "skillnad"]],
                          persons_col="personer", value_cols=["antal_besok", "kostnad_timme_kr", "kostnad_insats_kr", "skillnad"],
                          threshold=grans, oppen_vy=oppen_vy, label_col="Utförare", total_label=tj.TOTAL)
    # The total's difference is the trial payees' difference (others are paid per hour both ways):
    # withheld with the trial when the trial describes too few brukare.
    forsok_dold = smatalsskydd.is_masked(u.personer_i_forsok, grans, oppen_vy=oppen_vy)
    rader = []
    for i, r in enumerate(df.itertuples(index=False)):
        dold = bool(m.mask.iloc[i]["personer"])
        if pd.isna(r.utforare_id) and forsok_dold:
            rader.append((r.Utförare, "", "", int(r.personer), int(r.antal_besok), _dec(r.kostnad_timme_kr), None, None))
            continue
        regi = "" if pd.isna(r.utforare_id) else REGI_TEXT.get(r.regi, str(r.regi))
        i_forsok = "" if pd.isna(r.utforare_id) else ("ja" if r.is_i_forsok else "nej")
        rader.append((r.Utförare, regi, i_forsok, None if dold else int(r.personer),
                      None if dold else int(r.antal_besok), None if dold else _dec(r.kostnad_timme_kr),
                      None if dold else _dec(r.kostnad_insats_kr), None if dold else _dec(r.skillnad)))
    return tj.Tabell("Per utförare", "Utförarnas ersättning under perioden",
                     ("Utförare", "Regi", "I försöket", "Brukare", "Besök", "Per timme (kr)", "Per insats (kr)",
                      "Skillnad (kr)"),
                     ("text", "text", "text", "antal", "antal", "kr", "kr", "andring_kr"), tuple(rader), m.footnote)


@dataclass(frozen=True)
class Kort:
    """One KPI card of the trial page: label, shown value, change text (None: no change shown), help."""

    etikett: str
    varde: str
    andring: str | None = None
    hjalp: str | None = None


def kort(u: Utfall, troskel: Troskel, *, oppen_vy: bool, grans: int) -> list[Kort]:
    """The trial page's four cards, masked as the report-back's tables are: the per-hour cost with
    the whole selection, the per-insats cost and its change with the trial's own brukare."""
    alla_dolda = smatalsskydd.is_masked(int(u.total["personer"]), grans, oppen_vy=oppen_vy)
    dold = alla_dolda or smatalsskydd.is_masked(u.personer_i_forsok, grans, oppen_vy=oppen_vy)
    over = antal_over_visat(u, oppen_vy=oppen_vy, grans=grans)
    return [
        Kort("Kostnad per timme", talformat.MASK if alla_dolda else talformat.fmt_kr(float(u.kostnad_timme))),
        Kort("Kostnad per insats", talformat.MASK if dold else talformat.fmt_kr(float(u.kostnad_insats)),
             None if dold else f"{talformat.fmt_andring_kr(float(u.skillnad))} mot per timme"),
        Kort("Budget för månaderna",
             talformat.fmt_kr(float(u.budget_kr)) if u.budget_kr is not None else talformat.SAKNAS),
        Kort(f"Brukare med avgiftsändring > {troskel.text()}",
             talformat.MASK if over is None else talformat.fmt_tal(over),
             hjalp="Brukare i försöket vars månadsavgift någon månad ändras mer än tröskeln."),
    ]


def antal_over_visat(u: Utfall, *, oppen_vy: bool, grans: int) -> int | None:
    """Brukare whose avgift changes beyond the threshold, or None when the avgift table withholds
    either of its classes (the count would then give a hidden cell away)."""
    celler = _avgiftsceller(u, oppen_vy, grans)
    over = (celler[FORDELNING_KLASSER[0]], celler[FORDELNING_KLASSER[4]])
    return None if None in over else sum(over)


def _avgiftsceller(u: Utfall, oppen_vy: bool, grans: int) -> dict[str, int | None]:
    """The avgift table's cells as published ({class or 'Totalt': brukare, None = withheld})."""
    return dict(_avgiftstabell(u, oppen_vy, grans).rader)


def _avgiftstabell(u: Utfall, oppen_vy: bool, grans: int) -> tj.Tabell:
    df = u.avgift.fordelning.copy()
    df = pd.concat([df, pd.DataFrame({"Avgiften": [tj.TOTAL], "Brukare": [u.avgift.antal_brukare]})], ignore_index=True)
    m = smatalsskydd.mask_long(df, persons_col="Brukare", value_cols=[], threshold=grans, oppen_vy=oppen_vy,
                          label_col="Avgiften", total_label=tj.TOTAL)
    rader = tuple((r.Avgiften, None if m.mask.iloc[i]["Brukare"] else int(r.Brukare))
                  for i, r in enumerate(df.itertuples(index=False)))
    return tj.Tabell("Avgift", f"Brukare i försöket efter hur månadsavgiften ändras (tröskel {u.troskel.text()}, "
                     "den månad som ändras mest)", ("Avgiften", "Brukare"), ("text", "antal"), rader, m.footnote)


def _pristabell(u: Utfall) -> tj.Tabell:
    rader = tuple((p.insatstyp, p.benamning, p.kr_per_insats if p.kr_per_insats is not None else tj.SAKNAS,
                   p.normtid_min if p.normtid_min is not None else tj.SAKNAS) for p in u.prislista)
    return tj.Tabell("Prislista", f"Pris per insats i försöket ({UNDERLAG_TEXT[u.prislista_underlag]}"
                     f"{', ändrad för hand' if u.prislista_andrad else ''})",
                     ("Insatstyp", "Benämning", "Pris (kr per insats)", "Normtid (min)"),
                     ("text", "text", "kr_tim", "antal"), rader)


# --------------------------------------------------------------------------- one trial from the queries


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


def saknade_uppgifter(saknas: pd.Series, f: Forsok, har_avgiftsregler: bool, maxtaxor: Sequence[Maxtaxa]) -> list[str]:
    """What keeps the trial from being computed, in Swedish (queries/insatsmodell/saknas); empty when nothing."""
    ut = []
    if not f.regier:
        ut.append("Välj minst en regi vars utförare ingår i försöket.")
    if int(saknas["antal_besok_i_forsok"]) == 0:
        ut.append(f"Inga hemtjänstbesök hos {regi_text(f.regier)} under {period_text(f.fran, f.till)}.")
    if int(saknas["antal_utan_insatstyp"]):
        ut.append(f"{talformat.fmt_tal(int(saknas['antal_utan_insatstyp']))} besök i försöket saknar insatstyp "
                  "(kolumnen insatstyp i besok). Importera besöken med insatstyp på sidan Data.")
    if int(saknas["antal_pris_saknas"]):
        ut.append(f"Pris saknas för insatstyp {', '.join(saknas['insatstyper_utan_pris'])} "
                  f"({talformat.fmt_tal(int(saknas['antal_pris_saknas']))} besök). Ange ett pris i prislistan.")
    if int(saknas["antal_utan_timpris"]):
        ut.append(f"{talformat.fmt_tal(int(saknas['antal_utan_timpris']))} hemtjänstbesök i perioden saknar "
                  "ersättningsnivå per timme (tabellen ersattningsnivaer), så kostnaden per timme kan inte räknas.")
    if not har_avgiftsregler:
        ut.append("Tabellen avgiftsregler (timtaxa per år) är inte importerad, så avgiften kan inte beräknas. "
                  "Importera den på sidan Data.")
    else:
        if int(saknas["antal_normtid_saknas"]):
            ut.append(f"Normtid saknas för insatstyp {', '.join(saknas['insatstyper_utan_normtid'])}, så avgiften per "
                      "insats kan inte beräknas. Ange normtid i prislistan.")
        ut += [m.text for m in maxtaxor if m.kr is None]
    return ut


def berakna(run, f: Forsok, avgiftsregler: pd.DataFrame, publicerade_maxtaxor: Mapping[int, tuple[Decimal, str]]
            ) -> tuple[Utfall | None, list[str]]:
    """Run the trial's queries through `run(name, params) -> DataFrame` and build its Utfall.

    Returns (None, what is missing) when the trial cannot be computed without guessing.
    """
    ar_lista = list(range(f.fran.year, f.till.year + 1))
    maxtaxor = tuple(maxtaxa(ar, publicerade_maxtaxor, f.prisbasbelopp.get(ar)) for ar in ar_lista)
    har_regler = avgiftsregler is not None and len(avgiftsregler) > 0  # an empty table is as good as none
    grund = avgift_grund(avgiftsregler, f.fran.year) if har_regler else "beviljad"
    p = params(f, grund)
    saknas = run("insatsmodell/saknas", p).iloc[0]
    taxor = timtaxor(avgiftsregler) if har_regler else {}
    problem = saknade_uppgifter(saknas, f, har_regler, maxtaxor)
    problem += [f"Timtaxa för {ar} saknas i tabellen avgiftsregler." for ar in ar_lista if har_regler and ar not in taxor]
    if problem:
        return None, problem
    avg = avgifter(run("insatsmodell/per_brukare_manad", p), taxor, {m.ar: m for m in maxtaxor})
    kallor = tuple(f"Timtaxa {ar}: {talformat.fmt_tal(float(taxor[ar]))} kr per timme ({r.kalla})"
                   for r in avgiftsregler.itertuples(index=False) for ar in [int(r.ar)] if ar in ar_lista)
    utfall = Utfall(fran=f.fran, till=f.till, regier=f.regier, prislista=f.prislista,
                    prislista_underlag=f.prislista_underlag, prislista_andrad=f.prislista_andrad,
                    per_manad=run("insatsmodell/per_manad", p), per_utforare=run("insatsmodell/per_utforare", p),
                    budget=run("insatsmodell/budget", dict(fran=f.fran, till=f.till)),
                    avgift=avgiftsutfall(avg, f.troskel), troskel=f.troskel, maxtaxor=maxtaxor, timtaxor=taxor,
                    avgift_grund=grund, kallor=kallor)
    return utfall, []


def bruttotabell(avg: pd.DataFrame) -> pd.DataFrame:
    """Each brukare-month's avgift both ways, for the detail view only (never in the open view)."""
    return avg[avg["is_i_forsok"]].rename(columns={
        "brukare_id": "Brukare", "ar": "År", "manad": "Månad", "avgift_timme_kr": "Avgift per timme (kr)",
        "avgift_insats_kr": "Avgift per insats (kr)", "andring_kr": "Ändring (kr)"}).drop(columns="is_i_forsok")
