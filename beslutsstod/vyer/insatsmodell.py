"""Ny ersättningsmodell: the page model of the trial of pay per insats beside pay per hour (issue 17).

The page asks in three steps, because its widgets' options come from the data:

1. ``perioder(s)``: the months the trial can cover and the default (the seed's April–July 2023);
2. ``prisunderlag(s, …)``: the starting price list (imported or derived cost-neutral), its caption,
   and the years whose maxtaxa needs a prisbasbelopp from the user;
3. ``insatsmodell(s, …)``: the trial computed (regler/insatsersattning.py) and everything the page
   shows: the cards, the report-back's tables (dokument/aterrapportering.py), its .docx/.xlsx.

``berakna`` runs the trial's queries through any query runner (the app's cache, the benchmark's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable, Mapping, Sequence

import pandas as pd

from beslutsstod import begrepp, installningar, saker_text, talformat
from beslutsstod.dokument import aterrapportering as ar_dok
from beslutsstod.dokument import tjansteskrivelse as tj
from beslutsstod.regler import smatalsskydd
from beslutsstod.regler.insatsersattning import (
    Forsok,
    Maxtaxa,
    Pris,
    Troskel,
    Utfall,
    avgift_grund,
    avgifter,
    avgiftsutfall,
    besok_utan_insatstyp,
    las_maxtaxor,
    maxtaxa,
    neutral_prislista,
    params,
    period_text,
    prislista_ur_import,
    regi_text,
    timtaxor,
)
from beslutsstod.vyer.urval import Fraga, Kort, Sammanhang

FORSOK_STANDARD = (dt.date(2023, 4, 1), dt.date(2023, 7, 31))  # seed 002: april–juli 2023
REGI_STANDARD = ("egen_regi",)  # seed 002: hemtjänst i egen regi
PRISLISTOR = {"import": "Importerad (tabellen insatspriser)", "harledd": "Härledd: kostnadsneutral"}
PRIS_KOLUMNER = ["insatstyp", "benamning", "kr_per_insats", "normtid_min"]
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --------------------------------------------------------------------------- step 1: the period


@dataclass(frozen=True)
class Perioder:
    """The months a trial can cover (first days, ascending) and the data's last day."""

    manader: list[dt.date]
    sista: dt.date
    standard_fran: dt.date  # the seed's April 2023 when the data has it, else the last four months

    def till_val(self, fran: dt.date) -> list[dt.date]:
        """The months the trial can end in (from `fran` on); the default is the fourth (index)."""
        return [m for m in self.manader if m >= fran]

    def standard_till(self, fran: dt.date) -> int:
        return min(3, len(self.till_val(fran)) - 1)

    def till(self, till_manad: dt.date) -> dt.date:
        """The trial's last day: the chosen month's end, or the data's last day."""
        return min((pd.Timestamp(till_manad) + pd.offsets.MonthEnd(0)).date(), self.sista)


def perioder(s: Sammanhang) -> Perioder:
    tackning = s.fraga("filter/datatackning", None).iloc[0]
    sista = pd.Timestamp(tackning["sista_datum"]).date()
    forsta = dt.date(int(min(tackning["ar_lista"])), 1, 1)
    manader = [dt.date(a, m, 1) for a in range(forsta.year, sista.year + 1) for m in range(1, 13)
               if forsta <= dt.date(a, m, 1) <= sista]
    standard_fran = FORSOK_STANDARD[0]
    if standard_fran not in manader or dt.date(2023, 7, 1) not in manader:
        standard_fran = manader[max(0, len(manader) - 4)]
    return Perioder(manader, sista, standard_fran)


def manad_text(d: dt.date) -> str:
    return f"{talformat.manad_namn(d.month, True)} {d.year}"


# --------------------------------------------------------------------------- step 2: the price list


@dataclass(frozen=True)
class Prisunderlag:
    """The trial's choices so far and the price list it starts from."""

    fran: dt.date
    till: dt.date
    regier: tuple[str, ...]
    underlag: str  # "import" / "harledd"
    prislista: tuple[Pris, ...]  # the starting point (the user may edit it)
    fel: str | None  # the imported price list is chosen but not imported: nothing more can be shown
    texter: tuple[str, ...]  # captions under the choice
    avgiftsregler: pd.DataFrame | None  # None: the optional table is not imported
    publicerade_maxtaxor: Mapping[int, tuple[Decimal, str]]
    pbb_ar: tuple[int, ...]  # years without a published maxtaxa: the page asks for their prisbasbelopp

    @property
    def tabell(self) -> pd.DataFrame:
        """The price list as the page's editor shows it."""
        return pd.DataFrame([dict(insatstyp=p.insatstyp, benamning=p.benamning,
                                  kr_per_insats=float(p.kr_per_insats) if p.kr_per_insats is not None else None,
                                  normtid_min=p.normtid_min) for p in self.prislista], columns=PRIS_KOLUMNER)


def prisunderlag(s: Sammanhang, fran: dt.date, till: dt.date, regier: Sequence[str], underlag: str, *,
                 har_priser: bool, har_regler: bool, reference_dir: Path | None = None) -> Prisunderlag:
    """The starting price list for the chosen period, payees and kind (imported or derived).

    `har_priser`/`har_regler`: whether the optional tables insatspriser/avgiftsregler are imported.
    """
    publicerade = las_maxtaxor(installningar.reference_dir() if reference_dir is None else reference_dir)
    pbb_ar = tuple(ar for ar in range(fran.year, till.year + 1) if ar not in publicerade)
    regler = s.fraga("insatsmodell/avgiftsregler", None) if har_regler else None
    grund = avgift_grund(regler, fran.year) if regler is not None and len(regler) else "beviljad"
    gemensamt = dict(fran=fran, till=till, regier=tuple(regier), underlag=underlag, avgiftsregler=regler,
                     publicerade_maxtaxor=publicerade, pbb_ar=pbb_ar)
    if underlag == "import":
        if not har_priser:
            return Prisunderlag(**gemensamt, prislista=(), texter=(), fel=(
                "Tabellen insatspriser är inte importerad: välj den härledda prislistan eller importera priser "
                "på sidan Data."))
        prislista = prislista_ur_import(s.fraga("insatsmodell/insatspriser", {"datum": fran}), regier)
        return Prisunderlag(**gemensamt, prislista=tuple(prislista), fel=None, texter=(
            f"Priserna som gällde {fran.isoformat()} för {regi_text(regier)} (en rad för en regi går före en "
            "för alla regier). Prislistan gäller alla utförare i försöket.",))
    benamningar = dict(s.fraga("insatsmodell/benamningar", None).itertuples(index=False)) if har_priser else {}
    bas_fran, bas_till = dt.date(fran.year - 1, fran.month, 1), fran - dt.timedelta(days=1)
    bas = s.fraga("insatsmodell/per_insatstyp", dict(fran=bas_fran, till=bas_till, regier=list(regier),
                                                     avgift_grund=grund))
    texter = [f"Härledd ur basperioden {bas_fran.isoformat()}–{bas_till.isoformat()}: dagens kostnad per timme "
              "(exkl. momskompensation) för insatstypens besök delad med antalet besök, avrundad till hela kronor; "
              "normtiden är medeltiden som avgiften tas ut för. Ändra priserna i tabellen om du vill."]
    if utan_typ := besok_utan_insatstyp(bas):
        texter.append(f"{talformat.fmt_tal(utan_typ)} besök i basperioden saknar insatstyp och ingår inte i "
                      "härledningen.")
    return Prisunderlag(**gemensamt, prislista=tuple(neutral_prislista(bas, benamningar)), fel=None,
                        texter=tuple(texter))


def prislista_ur_tabell(redigerad: pd.DataFrame) -> tuple[Pris, ...]:
    """The editor's rows back as the working price list."""
    return tuple(Pris(r.insatstyp, r.benamning, None if pd.isna(r.kr_per_insats) else Decimal(str(r.kr_per_insats)),
                      None if pd.isna(r.normtid_min) else int(r.normtid_min))
                 for r in redigerad[PRIS_KOLUMNER].itertuples(index=False))


# --------------------------------------------------------------------------- step 3: the trial


def kort(u: Utfall, troskel: Troskel, *, oppen_vy: bool, smatal_grans: int) -> list[Kort]:
    """The trial page's four cards, masked as the report-back's tables are: the per-hour cost with
    the whole selection, the per-insats cost and its change with the trial's own brukare."""
    alla_dolda = smatalsskydd.is_masked(int(u.total["personer"]), smatal_grans, oppen_vy=oppen_vy)
    dold = alla_dolda or smatalsskydd.is_masked(u.personer_i_forsok, smatal_grans, oppen_vy=oppen_vy)
    over = ar_dok.antal_over_visat(u, oppen_vy=oppen_vy, smatal_grans=smatal_grans)
    return [
        Kort("Kostnad med ersättning per timme", begrepp.MASK if alla_dolda else talformat.fmt_kr(float(u.kostnad_timme))),
        Kort("Kostnad med ersättning per insats", begrepp.MASK if dold else talformat.fmt_kr(float(u.kostnad_insats)),
             None if dold else f"{talformat.fmt_andring_kr(float(u.skillnad))} mot ersättning per timme"),
        Kort("Budget för månaderna",
             talformat.fmt_kr(float(u.budget_kr)) if u.budget_kr is not None else begrepp.SAKNAS),
        Kort(f"Brukare med avgiftsändring > {troskel.text()}",
             begrepp.MASK if over is None else talformat.fmt_tal(over),
             hjalp="Brukare i försöket vars månadsavgift någon månad ändras mer än tröskeln."),
    ]


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


def berakna(run: Fraga, f: Forsok, avgiftsregler: pd.DataFrame, publicerade_maxtaxor: Mapping[int, tuple[Decimal, str]]
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
    kallor = tuple(f"Timtaxa {ar}: {talformat.fmt_tal(float(taxor[ar]))} {begrepp.KR_TIM} ({r.kalla})"
                   for r in avgiftsregler.itertuples(index=False) for ar in [int(r.ar)] if ar in ar_lista)
    utfall = Utfall(forsok=f, per_manad=run("insatsmodell/per_manad", p), per_utforare=run("insatsmodell/per_utforare", p),
                    budget=run("insatsmodell/budget", dict(fran=f.fran, till=f.till)),
                    avgift=avgiftsutfall(avg, f.troskel), maxtaxor=maxtaxor, timtaxor=taxor,
                    avgift_grund=grund, kallor=kallor)
    return utfall, []


def bruttotabell(avg: pd.DataFrame) -> pd.DataFrame:
    """Each brukare-month's avgift both ways, for the detail view only (never in the open view)."""
    return avg[avg["is_i_forsok"]].rename(columns={
        "brukare_id": "Brukare", "ar": "År", "manad": "Månad", "avgift_timme_kr": "Avgift per timme (kr)",
        "avgift_insats_kr": "Avgift per insats (kr)", "andring_kr": "Ändring (kr)"}).drop(columns="is_i_forsok")


@dataclass(frozen=True)
class Tabell:
    namn: str
    rubrik: str  # Markdown-safe
    tabell: pd.DataFrame  # display strings
    fotnot: str | None


@dataclass(frozen=True)
class InsatsmodellVy:
    saknas: list[str]  # what keeps the trial from being computed (Markdown-safe); empty when it was
    kort: list[Kort]
    tabeller: list[Tabell]  # the report-back's tables
    brukare: pd.DataFrame | None  # each brukare-month's avgift: the detailed view only
    filnamn: str  # of the report-back, without extension
    docx: Callable[[], bytes] | None
    xlsx: Callable[[], bytes] | None
    text: str  # the report-back as Markdown
    avgift_notis: str = ("Avgiften är taxans belopp begränsat av maxtaxan, före en eventuell minskning för den "
                         "enskildes avgiftsutrymme (inkomsterna finns inte i underlaget).")
    brukare_notis: str = "Avgiften per brukare och månad visas bara i detaljvyn."


def insatsmodell(s: Sammanhang, pu: Prisunderlag, prislista: Sequence[Pris], troskel: Troskel,
                 prisbasbelopp: Mapping[int, Decimal]) -> InsatsmodellVy:
    """The trial with the (possibly edited) price list, the threshold and the entered prisbasbelopp."""
    forsok = Forsok(fran=pu.fran, till=pu.till, regier=pu.regier, prislista=tuple(prislista),
                    prislista_underlag=pu.underlag, prislista_andrad=tuple(prislista) != pu.prislista,
                    troskel=troskel, prisbasbelopp=dict(prisbasbelopp))
    filnamn = f"aterrapportering_ersattning_per_insats_{pu.fran:%Y%m}_{pu.till:%Y%m}"
    utfall, saknas = berakna(s.fraga, forsok, pu.avgiftsregler, pu.publicerade_maxtaxor)
    if saknas:
        return InsatsmodellVy([saker_text.markdown(t) for t in saknas], [], [], None, filnamn, None, None, "")
    oppen, smatal_grans = s.oppen_vy, s.smatal_grans
    avsnitt = ar_dok.aterrapportering(utfall, oppen_vy=oppen, smatal_grans=smatal_grans)
    return InsatsmodellVy(
        saknas=[], kort=kort(utfall, troskel, oppen_vy=oppen, smatal_grans=smatal_grans),
        tabeller=[Tabell(tb.namn, saker_text.markdown(tb.rubrik), tb.display_frame(), tb.fotnot)
                  for tb in avsnitt.tabeller],
        brukare=None if oppen else bruttotabell(utfall.avgift.rader), filnamn=filnamn,
        docx=lambda: tj.to_docx(avsnitt), xlsx=lambda: tj.to_xlsx(avsnitt), text=tj.markdown_text(avsnitt))
