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

def sida_oversikt() -> list[Interaktion]:
    from beslutsstod.diagram import grund as diagram_grund
    from beslutsstod.vyer import oversikt

    def kort(df, k):
        cards, _ = oversikt.nyckeltal(df, k.f.ar, ui.oppen_vy(), ui.smatal_grans())
        return [[dataclasses.asdict(c) for c in cards]]

    def diagram(df, k):
        dolda = oversikt.maskerade_manader(df, ui.oppen_vy(), ui.smatal_grans())
        return [diagram_grund.kostnad_per_manad(df, k.f.ar, dolda, set())]

    return [
        *_varianter("oversikt", "nyckeltal", "oversikt/nyckeltal",
                    lambda k, r: k.f.params(r, till_manad=k.f.till_manad,
                                            jmf_manader=list(range(1, k.f.till_manad + 1))), kort, "nyckeltal",
                    riktningar=("kostnad", "intakt")),
        *_varianter("oversikt", "kostnad per månad", "oversikt/kostnad_per_manad",
                    lambda k, r: k.f.params(r), diagram, "kostnad_per_manad", riktningar=("kostnad", "intakt")),
        Interaktion("oversikt", "månader utan data", "filter/manader_utan_data", lambda k: {},
                    lambda df, k: [df], pandas="manader_utan_data"),
        Interaktion("oversikt", "intäkter med egna nivåer", "filter/intakt_nivaer", lambda k: k.f.params("intakt"),
                    lambda df, k: [df]),
    ]


# --- sidor/kostnader.py --------------------------------------------------------------------------

def sida_kostnader() -> list[Interaktion]:
    from beslutsstod.diagram import analys as diagram_analys
    from beslutsstod.vyer import analys

    def bygg(df, k):
        riktning, dimension = k.extra.get("kostnader", ("kostnad", "insats"))
        t = analys.kostnader_per_ar(df, riktning=riktning, dimension=dimension, ar=k.f.ar, till_manad=k.f.till_manad,
                                    oppen_vy=ui.oppen_vy(), grans=ui.smatal_grans(),
                                    etiketter={**ui.INSATSER, **ui.REGIER}, priser=None)
        ut = [diagram_analys.per_ar(t.diagram, t.titel, "kr"), analys.visningstabell(t.tabell, t.kolumnformat)]
        if riktning != analys.NETTO:
            ut.append(diagram_analys.per_timme(t.diagram, "Kostnad per debiterad timme"))
        return ut

    def netto(k):
        return dataclasses.replace(k, extra={**k.extra, "kostnader": ("netto", "regi")})

    # the running year is compared with the same months of the year before (the bench data have no outage)
    params = lambda k, r: k.f.params("alla", till_manad=k.f.till_manad,  # noqa: E731
                                     jmf_ar=[k.f.ar] if k.f.till_manad < 12 else [], utan_data=[])
    return [
        *_varianter("kostnader", "per år och insats", "kostnader/per_ar", params, bygg, "per_ar"),
        Interaktion("kostnader", "per år och regi, netto", "kostnader/per_ar", lambda k: params(k, None), bygg,
                    netto, "per_ar"),
    ]


# --- sidor/utforare.py ---------------------------------------------------------------------------

def sida_utforare() -> list[Interaktion]:
    from beslutsstod.diagram import analys as diagram_analys
    from beslutsstod.vyer import analys

    def rangordning(df, k):
        res = analys.utforare_tabeller(df, oppen_vy=ui.oppen_vy(), grans=ui.smatal_grans(), regi_namn=ui.REGIER)
        rubrik, slag = analys.UTFORARE_MATT[next(iter(analys.UTFORARE_MATT))]
        return [diagram_analys.rangordning(res.per_utforare.diagram, "Utförare", rubrik, f"Utförare, {k.f.ar}",
                                          ",.0f", markerad=None, id_kolumn="utforare_id"),
                analys.visningstabell(res.per_regi.tabell, res.per_regi.kolumnformat),
                analys.visningstabell(res.per_utforare.tabell, res.per_utforare.kolumnformat)]

    def manader(df, k):
        rader = k.hamta("utforare/per_utforare", k.f.params("kostnad"))
        res = analys.utforare_tabeller(rader, oppen_vy=ui.oppen_vy(), grans=ui.smatal_grans(), regi_namn=ui.REGIER,
                                       vald=k.utforare_id, manader=df, ar=k.f.ar)
        if res.per_manad is None:
            return []
        return [diagram_analys.per_manad(res.per_manad.diagram, "Kostnad (kr)", f"Kostnad per månad, {k.f.ar}"),
                analys.visningstabell(res.per_manad.tabell, res.per_manad.kolumnformat)]

    return [
        *_varianter("utforare", "per utförare", "utforare/per_utforare", lambda k, r: k.f.params(r), rangordning,
                    "per_utforare", riktningar=("kostnad", "intakt")),
        Interaktion("utforare", "en utförares månader", "utforare/per_manad",
                    lambda k: {**k.f.params("kostnad"), "utforare_id": k.utforare_id}, manader, pandas="utforare_per_manad"),
    ]


# --- sidor/vistelsekommuner.py -------------------------------------------------------------------

def sida_vistelsekommuner() -> list[Interaktion]:
    from beslutsstod.data import referens
    from beslutsstod.diagram import analys as diagram_analys
    from beslutsstod.vyer import analys

    def bygg(df, k):
        riktning, matt = k.extra.get("vistelsekommuner", ("kostnad", next(iter(analys.KOMMUN_MATT))))
        res = analys.kommun_tabeller(df, riktning=riktning, matt=matt, oppen_vy=ui.oppen_vy(), grans=ui.smatal_grans(),
                                     kommuner=referens.kommuner(), ar=k.f.ar)
        mk = res.manad_kommun
        return [diagram_analys.karta(res.karta, referens.kommuner(), referens.geojson_path(), res.matt_rubrik,
                                    res.divergerande),
                analys.visningstabell(res.rangordning.tabell, res.rangordning.kolumnformat),
                diagram_analys.manad_kommun(mk.tabell.data, mk.tabell.mask, res.matt_rubrik, res.divergerande),
                analys.visningstabell(mk.tabell, mk.kolumnformat)]

    def netto(k):
        return dataclasses.replace(k, extra={**k.extra, "vistelsekommuner": ("netto", "kostnad_kr")})

    params = lambda k, r: k.f.params("alla")  # noqa: E731
    return [
        *_varianter("vistelsekommuner", "karta, rangordning och säsong", "vistelsekommuner/per_manad_kommun", params,
                    bygg, "per_manad_kommun"),
        Interaktion("vistelsekommuner", "karta, netto", "vistelsekommuner/per_manad_kommun",
                    lambda k: params(k, None), bygg, netto, "per_manad_kommun"),
    ]


# --- sidor/manadsuppfoljning.py ------------------------------------------------------------------

def sida_manadsuppfoljning() -> list[Interaktion]:
    from beslutsstod.diagram import manadsuppfoljning as diagram_manadsuppfoljning
    from beslutsstod.regler import prognos as fc
    from beslutsstod.vyer import manadsuppfoljning

    def urval(k):
        return dict(insatser=k.f.insatser, regier=k.f.regier, kommuner=k.f.kommuner)

    def till(k):
        return manadsuppfoljning.manader_att_valja(k.f.ar, k.f.sista_datum)[-1]

    def rapport(df_utfall, df_budget, k):
        return fc.report_table(df_utfall, df_budget, k.f.ar, till(k), fc.SEASONAL)

    def bygg_utfall(df, k):
        budget = k.hamta("manadsuppfoljning/budget", urval(k))
        r = rapport(df, budget, k)
        serie = fc.monthly_series(df, budget, k.f.ar, till(k), fc.SEASONAL)
        personer = k.hamta("manadsuppfoljning/personer", dict(urval(k), ar=k.f.ar, manader=manadsuppfoljning.ack_manader(r)))
        mask = manadsuppfoljning.maskering(r, personer, ui.oppen_vy(), ui.smatal_grans())
        dolda = manadsuppfoljning.dolda_manader(personer, k.f.ar, ui.oppen_vy(), ui.smatal_grans())
        return [r.table.where(~mask.reindex_like(r.table).fillna(False).astype(bool)),
                diagram_manadsuppfoljning.utfall_budget_prognos(serie, k.f.ar, till(k), fc.SEASONAL, dolda)]

    def bygg_budget(df, k):
        utfall = k.hamta("manadsuppfoljning/utfall_per_manad", urval(k))
        return [rapport(utfall, df, k).table]

    def bygg_personer(df, k):
        utfall = k.hamta("manadsuppfoljning/utfall_per_manad", urval(k))
        r = rapport(utfall, k.hamta("manadsuppfoljning/budget", urval(k)), k)
        return [manadsuppfoljning.maskering(r, df, ui.oppen_vy(), ui.smatal_grans())]

    def personer_params(k):
        utfall = k.hamta("manadsuppfoljning/utfall_per_manad", urval(k))
        r = rapport(utfall, k.hamta("manadsuppfoljning/budget", urval(k)), k)
        return dict(urval(k), ar=k.f.ar, manader=manadsuppfoljning.ack_manader(r))

    return [
        *_varianter("manadsuppfoljning", "utfall, prognos och diagram", "manadsuppfoljning/utfall_per_manad",
                    lambda k, r: urval(k), bygg_utfall, "utfall_per_manad"),
        Interaktion("manadsuppfoljning", "budget", "manadsuppfoljning/budget", urval, bygg_budget, pandas=None),
        *_varianter("manadsuppfoljning", "personer (maskning)", "manadsuppfoljning/personer",
                    lambda k, r: personer_params(k), bygg_personer, "personer"),
    ]


# --- sidor/fakturakontroll.py --------------------------------------------------------------------

def sida_fakturakontroll() -> list[Interaktion]:
    from beslutsstod.vyer import fakturakontroll as fk

    def params(k, r=None):
        return k.f.params("kostnad", tolerans_procent=fk.TOLERANS_PROCENT, avrundning_kr=fk.AVRUNDNING_KR)

    def lista(df, k):
        if df.empty:
            return []
        rader = fk.arbetslista(df, fk.TOLERANS_KR, fk.TOLERANS_PROCENT, list(fk.FLAGGOR))
        s = fk.sammanfattning(rader)
        return [dataclasses.asdict(s), fk.visa_listtabell(rader.loc[rader["status"] == fk.STATUS_GRANSKA])]

    def besok(df, k):
        return [fk.visa_besokstabell(df)]

    def besok_params(k):
        rader = k.hamta("fakturakontroll/arbetslista", params(k))
        granska = fk.arbetslista(rader, fk.TOLERANS_KR, fk.TOLERANS_PROCENT, list(fk.FLAGGOR))
        granska = granska.loc[granska["status"] == fk.STATUS_GRANSKA]
        vald = (granska if not granska.empty else rader)["utforare_id"].iloc[0]
        return dict(params(k), utforare_id=vald, endast_avvikande=True)

    return [
        *_varianter("fakturakontroll", "arbetslista", "fakturakontroll/arbetslista", params, lista),
        Interaktion("fakturakontroll", "en utförares besök (detaljvyn)", "fakturakontroll/besok", besok_params, besok),
    ]


# --- sidor/kartlaggning.py -----------------------------------------------------------------------

def sida_kartlaggning() -> list[Interaktion]:
    from beslutsstod.diagram import kartlaggning as diagram_kartlaggning
    from beslutsstod.vyer import kartlaggning as kl

    moms = installningar.get("momskompensation_procent")

    def omfattning(df, k):
        tabeller = {r: kl.omfattning_tabell(df, r, ui.oppen_vy(), ui.smatal_grans()) for r in kl.RIKTNING_RUBRIK}
        svar = kl.omfattning_svar(tabeller["kostnad"], tabeller["intakt"])
        return [[dataclasses.asdict(s) for s in svar], *(kl.visa_omfattning(t) for t in tabeller.values())]

    def nivaer(df, k):
        return [kl.ersattning_beskrivning(df, k.f.ar, moms), diagram_kartlaggning.ersattningsniva_over_tid(df, k.f.ar),
                kl.visa_nivatabell(df)]

    def tackning(df, k):
        t = kl.tackning(df, kl.tom_egna_nivaer(), k.f.ar, moms)
        return [kl.visa_tackning(t)] if not t.empty else []

    return [
        *_varianter("kartlaggning", "omfattning", "kartlaggning/omfattning", lambda k, r: k.f.params("kostnad"),
                    omfattning, "omfattning"),
        Interaktion("kartlaggning", "ersättningsnivåer", "kartlaggning/ersattningsnivaer", lambda k: {"ar": k.f.ar},
                    nivaer),
        *_varianter("kartlaggning", "täckning per vistelsekommun", "kartlaggning/per_vistelsekommun",
                    lambda k, r: k.f.params("kostnad"), tackning, "per_vistelsekommun"),
    ]


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
    """The trial of pay per insats: the last four months of data, egen regi and private payees,
    the cost-neutral price list over the twelve months before (as the page derives it)."""
    from decimal import Decimal

    from beslutsstod.dokument import tjansteskrivelse as tj
    from beslutsstod.vyer import insatsmodell as im

    regier = ["egen_regi", "privat"]

    def period(k):
        till = k.f.sista_datum
        fran = (pd.Timestamp(till).replace(day=1) - pd.DateOffset(months=3)).date()
        return fran, till

    def bas_params(k):
        fran, _ = period(k)
        return dict(fran=dt.date(fran.year - 1, fran.month, 1), till=fran - dt.timedelta(days=1), regier=regier,
                    avgift_grund="beviljad")

    def forsok(k, prislista=None):
        fran, till = period(k)
        if prislista is None:
            prislista = im.neutral_prislista(k.hamta("insatsmodell/per_insatstyp", bas_params(k)), {})
        return im.Forsok(fran=fran, till=till, regier=tuple(regier), prislista=tuple(prislista),
                         prislista_underlag="harledd", prislista_andrad=False, troskel=im.Troskel(Decimal(100), "kr"),
                         prisbasbelopp={ar: Decimal(52500) for ar in range(fran.year, till.year + 1)})

    def params(k):
        return im.params(forsok(k), "beviljad")

    def utfall(k):
        regler = k.hamta("insatsmodell/avgiftsregler", {})
        u, saknas = im.berakna(k.hamta, forsok(k), regler, im.las_maxtaxor(installningar.reference_dir()))
        return u, saknas

    def rapport(df, k):
        u, saknas = utfall(k)
        if u is None:
            return [saknas]
        avsnitt = im.aterrapportering(u, oppen_vy=ui.oppen_vy(), grans=ui.smatal_grans())
        return [tj.markdown_text(avsnitt), *(tb.display_frame() for tb in avsnitt.tabeller)]

    def fordelning(df, k):
        u, _ = utfall(k)
        return [im.avgifter(df, im.timtaxor(k.hamta("insatsmodell/avgiftsregler", {})), {
            m.ar: m for m in (u.maxtaxor if u else ())}).shape]

    def tabell(df, k):
        return [df]

    def prislista(df, k):
        return [[dataclasses.asdict(p) for p in im.neutral_prislista(df, {})]]

    return [
        Interaktion("insatsmodell", "kostnad per månad och återrapportering", "insatsmodell/per_manad", params, rapport),
        Interaktion("insatsmodell", "per utförare", "insatsmodell/per_utforare", params, tabell),
        Interaktion("insatsmodell", "avgift per brukare och månad", "insatsmodell/per_brukare_manad", params,
                    fordelning),
        Interaktion("insatsmodell", "vad som saknas", "insatsmodell/saknas", params, tabell),
        Interaktion("insatsmodell", "kostnadsneutral prislista", "insatsmodell/per_insatstyp", bas_params, prislista),
        Interaktion("insatsmodell", "budget", "insatsmodell/budget",
                    lambda k: dict(fran=period(k)[0], till=period(k)[1]), tabell),
        Interaktion("insatsmodell", "importerad prislista", "insatsmodell/insatspriser",
                    lambda k: {"datum": period(k)[0]}, tabell),
        Interaktion("insatsmodell", "avgiftsregler", "insatsmodell/avgiftsregler", lambda k: {}, tabell),
        Interaktion("insatsmodell", "benämningar", "insatsmodell/benamningar", lambda k: {}, tabell),
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
