"""The input of "Vad händer om?": widget keys, widget state ↔ Scenario, and the scenario in the URL.

No Streamlit here (sidor/simulator.py draws the widgets). Each scenario's widgets are keyed
``simulator_s<i>_…`` (``Nycklar``); ``scenario_state`` gives every key's value for a scenario,
``state_scenario`` reads the scenario back from the widgets, and each scenario is kept in the
URL as compact JSON (``till_param`` / ``fran_param``: ?simulator_s1={…}). Numbers are typed the
Swedish way (`3,5`); ``RIMLIGT_*`` are the plausible ranges a typed value must be confirmed outside.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

from beslutsstod import begrepp, saker_text, talformat
from beslutsstod.data import referens
from beslutsstod.regler import opi
from beslutsstod.regler import simulator as sim
from beslutsstod.regler.nivaer import ROUNDING_STEPS, ROUNDING_TEXT
from beslutsstod.regler.opi import PublishedOpi, fmt_procent_sv, opi_from_components, to_decimal
from beslutsstod.regler.scenarier import Kontext, alla_opi_ar, modell_etikett, modellval, opi_ar, standard_belopp

# --- the page's widget keys (each scenario's own keys: Nycklar) -------------------------------------
VOLYMBAS = "simulator_volymbas"
MALAR = "simulator_malar"
ANTAL = "simulator_antal"
VISA = "simulator_visa"  # which computed scenario the details and the tjänsteskrivelse follow
BE_INSATS = "simulator_be_insats"
BE_KOSTNAD = "simulator_be_kostnad"
MAX_SCENARIER = sim.MAX_SCENARIER

# Plausible ranges of typed percentages (issue 11): a value outside gets a Swedish warning and is
# not used until the user confirms it (ui.tal_input).
RIMLIGT_OPI = opi.RIMLIGT_OPI
RIMLIGT_MOMS = (0, 25)
RIMLIGT_VOLYM = (-90, 300)
RIMLIGT_KR = (0, 100000)

OPI_VAL_TEXT = {
    "publicerat": "Publicerat värde",
    "eget": "Eget värde (känslighet)",
    "antagande": "Antaget värde",
    "komponenter": "Ur komponenter (SKR:s formel)",
}
AVRUNDNINGAR = tuple(ROUNDING_STEPS)
AVRUNDNING_TEXT = dict(ROUNDING_TEXT)
OPI_DECIMALER = Decimal("0.01")  # % : keep two decimals (components have two)
KR_DECIMALER = Decimal("0.01")  # kr : an own amount is kept to öre
SPARR = ("ett värde i scenariot kunde inte läsas eller är inte bekräftat; rätta eller bekräfta det "
         "innan scenariot räknas.")


def _tal_in(x: object, standard: object = 0) -> Decimal:
    """A widget's value (a typed Swedish number `3,5` or a number) as Decimal; unreadable → ``standard``.

    The page never computes a scenario with an unreadable value (ui.tal_input says so and stops it);
    the default only keeps the scenario's link well-formed meanwhile.
    """
    try:
        return talformat.parse_tal(x)
    except talformat.TalFel:
        return to_decimal(standard)


def procent_in(x: object, standard: object = 0) -> Decimal:
    """A percentage from a widget as Decimal with at most two decimals: 2.8000000000000003 → 2.8."""
    d = _tal_in(x, standard).quantize(OPI_DECIMALER, rounding=ROUND_HALF_UP)
    return d.normalize() if d != d.to_integral_value() else d.quantize(Decimal(1))


def kr_in(x: object, standard: object = 0) -> Decimal:
    d = _tal_in(x, standard).quantize(KR_DECIMALER, rounding=ROUND_HALF_UP)
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def _falt(x: object) -> str:
    """A value as an input field shows it: decimal comma (`3,5`)."""
    return talformat.fmt_inmatning(x)


def sparr(inmatat: list[object]) -> str | None:
    """Why a scenario waits (a typed value unreadable or unconfirmed: None), or None."""
    return SPARR if any(v is None for v in inmatat) else None


# --- the OPI inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpiFalt:
    """One OPI year the scenario needs: published (shown) or an input (assumed / components)."""

    ar: int
    publicerat: PublishedOpi | None
    val: tuple[str, ...]  # radio options; () = published, only shown

    @property
    def etikett(self) -> str:
        return f"OPI {self.ar}"

    @property
    def text(self) -> str:
        p = self.publicerat
        if p is None:
            return (f"OPI {self.ar} är inte publicerat i referensdata (opi.csv): ange ett antagande eller "
                    "komponenterna.")
        return f"OPI {self.ar}: {fmt_procent_sv(p.opi_procent)}, {p.status} (källa: {p.kalla})."


def opi_falt(k: Kontext, modeller: Mapping[str, str]) -> list[OpiFalt]:
    """The OPI years the chosen models need, each shown (published) or asked for."""
    out = []
    for y in opi_ar(k, modeller):
        p = k.published_opi.get(y)
        if p is None:
            val = ("antagande", "komponenter")
        elif y == k.malar:
            val = ("publicerat", "eget")
        else:
            val = ()
        out.append(OpiFalt(y, p, val))
    return out


def komponent_text(lon: object, kpi: object) -> str:
    """'0,8 × 2,77 % + 0,2 × 1,40 % = 2,496 → 2,5 %' for the components input."""
    lon_d, kpi_d = procent_in(lon), procent_in(kpi)
    raw = Decimal("0.8") * lon_d + Decimal("0.2") * kpi_d
    return (f"0,8 × {fmt_procent_sv(lon_d, 2)} + 0,2 × {fmt_procent_sv(kpi_d, 2)} = "
            f"{talformat.fmt_tal(float(raw), 3)} → OPI {fmt_procent_sv(opi_from_components(lon_d, kpi_d))}")


# --- widget keys and state -------------------------------------------------------------------------


class Nycklar:
    """Widget keys of one scenario: 'simulator_s1_opi_2027' etc."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _k(self, *parts: object) -> str:
        return "_".join([self.prefix, *map(str, parts)])

    namn = property(lambda self: self._k("namn"))
    avrundning = property(lambda self: self._k("avrundning"))
    grund = property(lambda self: self._k("grund"))
    moms = property(lambda self: self._k("moms"))
    volym = property(lambda self: self._k("volym"))
    volym_kommuner = property(lambda self: self._k("volym", "kommuner"))
    url = property(lambda self: f"_{self.prefix}_url")  # the link last applied to the widgets

    def modell(self, insats: str) -> str:
        return self._k("modell", insats)

    def belopp(self, insats: str) -> str:
        return self._k("belopp", insats)

    def opi_val(self, ar: int) -> str:
        return self._k("opi", ar, "val")

    def opi(self, ar: int) -> str:
        return self._k("opi", ar)

    def opi_lon(self, ar: int) -> str:
        return self._k("opi", ar, "lon")

    def opi_kpi(self, ar: int) -> str:
        return self._k("opi", ar, "kpi")

    def volym_kommun(self, kod: str) -> str:
        return self._k("volym", kod)


def scenarioprefix(i: int) -> str:
    """Scenario i's (1, 2, 3) key prefix, also its URL parameter: 'simulator_s1'."""
    return f"simulator_s{i}"


def scenario_state(scn: sim.Scenario, k: Kontext, prefix: str) -> tuple[dict[str, object], list[str]]:
    """Widget key → value for a scenario (every key the page may draw), and notes on what was changed.

    A model that the target year does not offer (a link made for another year) becomes the
    default model, with a note.
    """
    n = Nycklar(prefix)
    state: dict[str, object] = {n.namn: scn.namn}
    noter: list[str] = []
    for insats in k.insatser:
        m = scn.modeller.get(insats)
        val = modellval(k, insats)
        modell = m.modell if m is not None else val[0]
        if modell not in val:
            text = sim.RATE_MODEL_TEXT.get(modell, modell)
            noter.append(f"{begrepp.INSATS_NAMN.get(insats, insats)}: modellen ”{text}” "
                         f"finns inte för {k.malar}; {modell_etikett(k, insats, val[0]).lower()} används i stället.")
            modell = val[0]
        state[n.modell(insats)] = modell
        belopp = m.belopp_kr if m is not None and m.modell == "egen_summa" else standard_belopp(k, insats)
        state[n.belopp(insats)] = _falt(belopp)
    lon, kpi = k.opi_komponenter
    override = next((m.opi_procent for m in scn.modeller.values() if m.opi_procent is not None), None)
    for y in alla_opi_ar(k):
        p = k.published_opi.get(y)
        value, val = (p.opi_procent if p is not None else k.opi_antagande), ("publicerat" if p is not None else "antagande")
        y_lon, y_kpi = lon, kpi
        if y in scn.opi_komponenter and p is None:
            val = "komponenter"
            y_lon, y_kpi = scn.opi_komponenter[y]
        elif y in scn.opi_antaganden and p is None:
            value = scn.opi_antaganden[y]
        if y == k.malar and override is not None:
            value, val = override, ("eget" if p is not None else "antagande")
        state[n.opi_val(y)] = val
        state[n.opi(y)] = _falt(value)
        state[n.opi_lon(y)] = _falt(y_lon)
        state[n.opi_kpi(y)] = _falt(y_kpi)
    state[n.avrundning] = scn.avrundning
    state[n.grund] = scn.grund
    state[n.moms] = _falt(scn.momskompensation_procent)
    state[n.volym] = _falt(scn.volymforandring_procent)
    valda = [kod for kod in scn.volymforandring_per_vistelsekommun if kod in k.kommuner]
    utanfor = [kod for kod in scn.volymforandring_per_vistelsekommun if kod not in k.kommuner]
    if utanfor:
        noter.append("Volymförändring för " + ", ".join(referens.kommunnamn(x) for x in utanfor)
                     + " används inte: kommunen finns inte i underlaget.")
    state[n.volym_kommuner] = valda
    for kod in k.kommuner:
        state[n.volym_kommun(kod)] = _falt(scn.volymforandring_per_vistelsekommun.get(kod, Decimal(0)))
    return state, noter


def state_scenario(state: Mapping[str, object], k: Kontext, prefix: str) -> sim.Scenario:
    """The Scenario the widgets describe (only the OPI years the chosen models need are kept)."""
    n = Nycklar(prefix)
    modeller: dict[str, sim.RateModel] = {}
    for insats in k.insatser:
        modell = state.get(n.modell(insats))
        if modell not in modellval(k, insats):
            modell = modellval(k, insats)[0]
        if modell == "egen_summa":
            modeller[insats] = sim.RateModel("egen_summa", belopp_kr=kr_in(state.get(n.belopp(insats), 0)))
        else:
            modeller[insats] = sim.RateModel(modell)
    antaganden: dict[int, Decimal] = {}
    kallor: dict[int, str] = {}
    komponenter: dict[int, tuple[Decimal, Decimal]] = {}
    antagande = k.opi_antagande
    for falt in opi_falt(k, {i: m.modell for i, m in modeller.items()}):
        if not falt.val:
            continue
        val = state.get(n.opi_val(falt.ar))
        val = val if val in falt.val else falt.val[0]
        if val == "antagande":
            antaganden[falt.ar] = procent_in(state.get(n.opi(falt.ar), antagande), antagande)
            # the default is the product's choice, not the user's: say so in the text and its sources
            kallor[falt.ar] = k.antagande_kalla if antaganden[falt.ar] == antagande else "antagande angivet i scenariot"
        elif val == "komponenter":
            komponenter[falt.ar] = (procent_in(state.get(n.opi_lon(falt.ar))),
                                    procent_in(state.get(n.opi_kpi(falt.ar))))
        elif val == "eget":
            eget = procent_in(state.get(n.opi(falt.ar)))
            modeller = {i: replace(m, opi_procent=eget) if m.modell in ("egen", "senaste_plus_opi") else m
                        for i, m in modeller.items()}
    kommuner = [kod for kod in (state.get(n.volym_kommuner) or []) if kod in k.kommuner]
    avrundning = state.get(n.avrundning)
    grund = state.get(n.grund)
    return sim.Scenario(
        namn=str(state.get(n.namn) or "Scenario"),
        malar=k.malar,
        modeller=modeller,
        avrundning=avrundning if avrundning in ROUNDING_STEPS else "krona",
        grund=grund if grund in sim.BASES else k.grund,
        nuvarande_grund=k.grund,
        momskompensation_procent=procent_in(state.get(n.moms, k.momskompensation_procent),
                                            k.momskompensation_procent),
        volymforandring_procent=procent_in(state.get(n.volym, 0)),
        volymforandring_per_vistelsekommun={kod: procent_in(state.get(n.volym_kommun(kod), 0)) for kod in kommuner},
        opi_antaganden=antaganden,
        opi_komponenter=komponenter,
        opi_antaganden_kalla=kallor,
    )


# --- the URL ---------------------------------------------------------------------------------------


def till_param(scn: sim.Scenario) -> str:
    """Compact JSON of a scenario for the URL: only what differs from a default Scenario."""
    data = scn.to_dict()
    ref = sim.Scenario(scn.namn, scn.malar).to_dict()
    out = {k: v for k, v in data.items() if k in ("namn", "malar") or v != ref.get(k)}
    out["modeller"] = {i: {kk: vv for kk, vv in m.items() if vv is not None} for i, m in data["modeller"].items()}
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def fran_param(text: str) -> sim.Scenario:
    """Inverse of till_param; ValueError (Swedish) when the text is not a scenario."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise TypeError("inte ett objekt")
        return sim.Scenario.from_dict(data)
    except (ValueError, TypeError, KeyError, ArithmeticError, AttributeError) as exc:
        # The library's text ("Expecting value: line 1 column 1") only as a detail, shown literally.
        detalj = saker_text.markdown(str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__)
        raise ValueError(
            "Scenariot i adressen kunde inte läsas: länken är avkortad eller ändrad. Scenariot "
            "visas därför med standardvärden; be om en ny länk eller bygg scenariot igen "
            f"och kopiera adressen på nytt. (Teknisk detalj: {detalj})") from exc


def fran_lank(text: str, k: Kontext, prefix: str) -> tuple[dict[str, object], list[str]]:
    """The widget state a scenario link sets, and notes (a link that cannot be read sets nothing)."""
    try:
        return scenario_state(fran_param(text), k, prefix)
    except ValueError as exc:
        return {}, [str(exc)]
