"""The benchmark's registry: every interaction of every page, performed by the page's own model.

One interaction = a user's choice on a page (a filter, a direction, a scenario) and everything the
page then shows, computed by the page model (beslutsstod/vyer/<sida>.py) exactly as the page
calls it, with the benchmark's uncached, timed query runner in place of the app's cache. Nothing
here computes a figure: each ``sida_<page>()`` lists which model calls a user's choices make. A
new page adds its function to SIDOR. bench/run.py times each call, splits it into query time
(the recorded queries) and build time, and compares each recorded query that has a pandas
implementation (bench/pandas_path.py, keyed by query name) with it. tests/test_bench.py fails
when a query file in queries/ (outside staging/ and intermediate/) is run by no interaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from beslutsstod.vyer.urval import Filter, Sammanhang

SIDOPANEL = "app"  # app.py's sidebar: runs on every page


@dataclass
class Kontext:
    """The user's choices an interaction starts from, and the context the page models run in."""

    f: Filter  # the sidebar filters (year, insats, regi, kommun)
    s: Sammanhang  # s.fraga: the benchmark's timed query runner; the masked or detailed view; threshold
    ar_lista: list[int]
    kommun: str  # the counterpart municipality with most of our cost visits (for a kommun filter)
    utforare_id: str  # the provider with most of our cost visits (for a provider's months)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def hemkommun(self) -> str:
        return self.s.hemkommun

    def med(self, **filter_andringar: Any) -> "Kontext":
        return dataclasses.replace(self, f=dataclasses.replace(self.f, **filter_andringar))


@dataclass(frozen=True)
class Interaktion:
    sida: str  # sidor/<sida>.py, or SIDOPANEL
    namn: str  # what the user did, in Swedish
    kor: Callable[[Kontext], Any]  # the page model's call → everything the page shows
    variant: Callable[[Kontext], Kontext] = lambda k: k

    @property
    def id(self) -> str:
        return f"{self.sida}: {self.namn}"


# The filter choices each page is measured with: the first view, the other direction, a narrow
# selection (one insats, one municipality) and an older year.
def _standard(k: Kontext) -> Kontext:
    return k


def _urval(k: Kontext) -> Kontext:
    return k.med(insatser=["hemtjanst"], kommuner=[k.kommun])


def _aldre_ar(k: Kontext) -> Kontext:
    return k.med(ar=k.f.ar - 2)


VARIANTER = {"första vyn": _standard, "hemtjänst + en kommun": _urval, "äldre år": _aldre_ar}


def _varianter(sida: str, namn: str, kor: Callable[[Kontext, str], Any], riktningar=("kostnad",),
               varianter=VARIANTER) -> list[Interaktion]:
    """The interaction under each filter variant; the other directions under the first view only."""
    out = []
    for riktning in riktningar:
        for vnamn, variant in varianter.items():
            if riktning != riktningar[0] and variant is not _standard:
                continue
            etikett = f"{namn}, {vnamn}" + ("" if riktning == riktningar[0] else f", {riktning}")
            out.append(Interaktion(sida, etikett, (lambda k, r=riktning: kor(k, r)), variant))
    return out


# --- app.py: the sidebar ---------------------------------------------------------------------------

def sidopanel() -> list[Interaktion]:
    from beslutsstod.vyer import urval

    return [Interaktion(SIDOPANEL, "år, datatäckning och kommunlistor", lambda k: urval.sidopanel(k.s))]


# --- sidor/oversikt.py ---------------------------------------------------------------------------

def _lasarvy(k: Kontext) -> Kontext:
    """The protected view (role läsare): the year only, masking from the linked crosstabs."""
    return dataclasses.replace(k, s=dataclasses.replace(k.s, oppen_vy=True), f=dataclasses.replace(
        k.f, insatser=[], regier=[], kommuner=[]))


def sida_oversikt() -> list[Interaktion]:
    from beslutsstod.vyer import oversikt

    return [
        *_varianter("oversikt", "nyckeltal och månader", lambda k, r: oversikt.oversikt(k.s, k.f, r),
                    riktningar=("kostnad", "intakt")),
        Interaktion("oversikt", "nyckeltal och månader, läsarvy", lambda k: oversikt.oversikt(k.s, k.f, "kostnad"),
                    _lasarvy),
    ]


# --- sidor/kostnader.py --------------------------------------------------------------------------

def sida_kostnader() -> list[Interaktion]:
    from beslutsstod.vyer import kostnader

    def lopande(k, riktning, dimension):
        return kostnader.kostnader(k.s, k.f, kostnader.valbara(k.s, k.f), riktning, dimension)

    def fasta(k):
        val = kostnader.valbara(k.s, k.f)
        saknade = kostnader.opi_saknas(val, val.standard_basar)  # the page asks an assumption for these
        return kostnader.kostnader(k.s, k.f, val, "kostnad", "insats", val.standard_basar,
                                   {ar: 2.0 for ar in saknade})

    return [
        *_varianter("kostnader", "per år och insats", lambda k, r: lopande(k, r, "insats"),
                    riktningar=("kostnad", "intakt")),
        Interaktion("kostnader", "per år och regi, netto", lambda k: lopande(k, "netto", "regi")),
        Interaktion("kostnader", "fasta priser (OPI)", fasta),
    ]


# --- sidor/utforare.py ---------------------------------------------------------------------------

def sida_utforare() -> list[Interaktion]:
    from beslutsstod.vyer import utforare

    def visa(k, riktning, vald=None, matt="kostnad_kr"):
        v = utforare.valbara(k.s, k.f, riktning)
        return v if v.tomt else utforare.utforare(k.s, k.f, v, riktning, vald, matt)  # the page stops when empty

    return [
        *_varianter("utforare", "per utförare", visa, riktningar=("kostnad", "intakt")),
        Interaktion("utforare", "en utförares månader", lambda k: visa(k, "kostnad", k.utforare_id)),
        Interaktion("utforare", "rangordna efter kr per utförd timme",
                    lambda k: visa(k, "kostnad", matt="kr_per_utford_timme")),
    ]


# --- sidor/vistelsekommuner.py -------------------------------------------------------------------

def sida_vistelsekommuner() -> list[Interaktion]:
    from beslutsstod.vyer import vistelsekommuner

    return [
        *_varianter("vistelsekommuner", "karta, rangordning och säsong",
                    lambda k, r: vistelsekommuner.vistelsekommuner(k.s, k.f, r, "kostnad_kr"),
                    riktningar=("kostnad", "intakt")),
        Interaktion("vistelsekommuner", "karta, netto",
                    lambda k: vistelsekommuner.vistelsekommuner(k.s, k.f, "netto", "kostnad_kr")),
        Interaktion("vistelsekommuner", "färga efter personer, läsarvy",
                    lambda k: vistelsekommuner.vistelsekommuner(k.s, k.f, "kostnad", "antal_personer"), _lasarvy),
    ]


# --- sidor/manadsuppfoljning.py ------------------------------------------------------------------

def sida_manadsuppfoljning() -> list[Interaktion]:
    from beslutsstod.regler import prognos
    from beslutsstod.vyer import manadsuppfoljning

    def sida(metod, till=None):
        def kor(k, _riktning):
            manad = till or manadsuppfoljning.manader_att_valja(k.f.ar, k.f.sista_datum)[-1]
            return manadsuppfoljning.manadsuppfoljning(k.s, k.f, manad, metod)
        return kor

    return [
        *_varianter("manadsuppfoljning", "tabell, diagram och prognosfel (säsongsprognos)", sida(prognos.SEASONAL)),
        Interaktion("manadsuppfoljning", "rak prognos", lambda k: sida(prognos.STRAIGHT_LINE)(k, None)),
        Interaktion("manadsuppfoljning", "till och med juni", lambda k: sida(prognos.SEASONAL, 6)(k, None)),
        Interaktion("manadsuppfoljning", "den nedladdade tabellen (.xlsx)",
                    lambda k: sida(prognos.SEASONAL)(k, None).xlsx()),
    ]


# --- sidor/fakturakontroll.py --------------------------------------------------------------------

def sida_fakturakontroll() -> list[Interaktion]:
    from beslutsstod import installningar
    from beslutsstod.vyer import fakturakontroll as fk

    def lista(k, visa="granska", flaggor=tuple(fk.FLAGGOR)):
        return fk.fakturakontroll(k.s, k.f, fk.TOLERANS_KR, fk.TOLERANS_PROCENT, visa, list(flaggor),
                                  installningar.get("momskompensation_procent"))

    def underlag(k, alla_besok=False):
        vy = lista(k)
        return vy, fk.underlag(k.s, k.f, vy, vy.utforare[0], alla_besok) if vy.utforare else None

    return [
        *_varianter("fakturakontroll", "arbetslista", lambda k, _r: lista(k)),
        Interaktion("fakturakontroll", "alla rader utan flaggor", lambda k: lista(k, "alla", ())),
        Interaktion("fakturakontroll", "en utförares besök (detaljvyn)", lambda k: underlag(k)),
        Interaktion("fakturakontroll", "en utförares alla besök (detaljvyn)", lambda k: underlag(k, True)),
        Interaktion("fakturakontroll", "listan som .xlsx", lambda k: (vy := lista(k)).xlsx and vy.xlsx()),
    ]


# --- sidor/kartlaggning.py -----------------------------------------------------------------------

def sida_kartlaggning() -> list[Interaktion]:
    """The mapping's answers for the sidebar's selection, with the own rates saved in the data folder."""
    from beslutsstod.vyer import kartlaggning

    return _varianter("kartlaggning", "svaren: omfattning, ersättning och täckning",
                      lambda k, r: kartlaggning.kartlaggning(k.s, k.f))


# --- sidor/simulator.py -------------------------------------------------------------------------

def sida_simulator() -> list[Interaktion]:
    """The page's first view (the first volume basis and target year it offers, two default scenarios),
    the running year's forecast against the last complete year, and a scenario's break-even."""
    from decimal import Decimal

    from beslutsstod.vyer import simulator as sd
    from beslutsstod.vyer import simulator_val as val

    def forutsattningar(k, volymbas=None):
        period = sd.valbara_perioder(k.s)
        bas = volymbas if volymbas in period.volymbaser else period.volymbaser[0]
        return sd.forutsattningar(k.s, k.f, bas, period.malar[0])

    def vy(k, fu, antal=2):
        if fu.stopp:
            return fu
        # the widgets start from the default scenarios, read back as the page reads them
        scenarier = tuple(val.state_scenario(val.scenario_state(scn, fu.k, "p")[0], fu.k, "p")
                          for scn in fu.standard[:antal])
        return sd.simulator(k.s, fu, sd.Scenarioval(scenarier))

    def forsta_vyn(k, riktning):
        return vy(k, forutsattningar(k))

    def break_even(k):
        v = vy(k, forutsattningar(k), antal=1)
        return v.break_even(v.be_insatser[0], Decimal(380)) if isinstance(v, sd.SimulatorVy) and v.vald is not None \
            else v

    return [
        *_varianter("simulator", "perioder, underlag och två scenarier", forsta_vyn),
        Interaktion("simulator", "volymunderlag: senaste hela året, tre scenarier",
                    lambda k: vy(k, forutsattningar(k, "utfall"), antal=3)),
        Interaktion("simulator", "break-even vid 380 kr per arbetad timme", break_even),
    ]


# --- sidor/insatsmodell.py ------------------------------------------------------------------------

def sida_insatsmodell() -> list[Interaktion]:
    """The trial of pay per insats as a user runs it: the page's default period and payees, the
    imported or the cost-neutral price list, egen regi and private payees, a threshold in percent.
    The missing maxtaxa's prisbasbelopp is entered (52 500 kr), as the page asks."""
    from decimal import Decimal

    from beslutsstod.regler.insatsersattning import Troskel
    from beslutsstod.vyer import insatsmodell

    def forsok(k, underlag="import", regier=insatsmodell.REGI_STANDARD, troskel=Troskel(Decimal(100), "kr")):
        perioder = insatsmodell.perioder(k.s)
        fran = perioder.standard_fran
        till = perioder.till(perioder.till_val(fran)[perioder.standard_till(fran)])
        pu = insatsmodell.prisunderlag(k.s, fran, till, list(regier), underlag, har_priser=True, har_regler=True)
        return insatsmodell.insatsmodell(k.s, pu, pu.prislista, troskel, {ar: Decimal(52500) for ar in pu.pbb_ar})

    return [
        Interaktion("insatsmodell", "försöket: standardperiod, egen regi, importerad prislista", forsok),
        Interaktion("insatsmodell", "kostnadsneutral prislista", lambda k: forsok(k, "harledd")),
        Interaktion("insatsmodell", "egen regi och privata utförare",
                    lambda k: forsok(k, regier=("egen_regi", "privat"))),
        Interaktion("insatsmodell", "tröskel i procent", lambda k: forsok(k, troskel=Troskel(Decimal(5), "procent"))),
    ]


SIDOR: dict[str, Callable[[], list[Interaktion]]] = {
    "app": sidopanel,
    "oversikt": sida_oversikt,
    "kostnader": sida_kostnader,
    "utforare": sida_utforare,
    "vistelsekommuner": sida_vistelsekommuner,
    "manadsuppfoljning": sida_manadsuppfoljning,
    "fakturakontroll": sida_fakturakontroll,
    "kartlaggning": sida_kartlaggning,
    "simulator": sida_simulator,
    "insatsmodell": sida_insatsmodell,
}


def alla() -> list[Interaktion]:
    """Every interaction of every page whose modules import; a page that fails to import is left out."""
    out: list[Interaktion] = []
    for sida in SIDOR.values():
        out.extend(sida())
    return out


def kontext(database, s: Sammanhang) -> Kontext:
    """The first view's filters on these extracts (latest year, everything selected)."""
    tackning = s.fraga("filter/datatackning", {})
    sista = pd.Timestamp(tackning.iloc[0]["sista_datum"]).date()
    ar_lista = [int(a) for a in tackning.iloc[0]["ar_lista"]]
    cur = database.cursor()
    kommun = cur.execute("select vistelsekommun, count(*) n from stg_besok where riktning = 'kostnad' "
                         "group by all order by n desc, vistelsekommun limit 1").fetchone()
    # the provider the page's "one provider's months" shows: most of our visits in the latest year
    utforare_id = cur.execute(
        "select utforare_id, count(*) filter (where ar = $ar) as n_ar, count(*) as n from stg_besok "
        "where riktning = 'kostnad' and regi <> 'egen_regi' group by all order by n_ar desc, n desc, utforare_id "
        "limit 1", {"ar": ar_lista[-1]}).fetchone()
    if kommun is None or utforare_id is None:
        raise ValueError(f"Hemkommunen {s.hemkommun} har inga kostnader i extrakten: välj en annan "
                         "(BESLUTSSTOD_HEMKOMMUN)")
    f = Filter(ar_lista[-1], [], [], [], sista if isinstance(sista, dt.date) else sista)
    return Kontext(f=f, s=s, ar_lista=ar_lista, kommun=kommun[0], utforare_id=utforare_id[0])
