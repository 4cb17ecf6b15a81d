"""What a scenario of "Vad händer om?" may choose for a target year, the default scenarios, and
every scenario's result.

``kontext`` fixes the target year and what the data offers (insatser, rates, kommuner, the
published rates and OPI, and the default OPI assumption, computed once); ``modellval`` lists the
rate models a target year offers; ``standardscenarier`` are the three scenarios a page starts
from; ``berakna`` computes each scenario by the engine (beslutsstod/regler/simulator.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Mapping, Sequence

from beslutsstod.regler import simulator as sim
from beslutsstod.regler.nivaer import (
    Niva,
    PublishedRate,
    fmt_kr_sv,
    latest_published_rate,
    load_published_rates,
    published_rate,
)
from beslutsstod.regler.opi import PublishedOpi, load_opi, standard_komponenter, standard_opi, to_decimal
from beslutsstod.regler.volymunderlag import Underlag


@dataclass(frozen=True)
class Kontext:
    """The target year and the data the scenario inputs are drawn from."""

    malar: int
    volymar: int
    insatser: tuple[str, ...]
    basnivaer: Mapping[str, Niva]
    nuvarande: Mapping[str, Niva]
    kommuner: tuple[str, ...]
    grund: str
    momskompensation_procent: Decimal
    published_rates: tuple[PublishedRate, ...]
    published_opi: Mapping[int, PublishedOpi]
    # the default assumption for an OPI year not published (mean of the last published years),
    # where it comes from, and the default components: computed once, here
    opi_antagande: Decimal = field(init=False)
    opi_antagande_text: str = field(init=False)
    opi_komponenter: tuple[Decimal, Decimal] = field(init=False)

    def __post_init__(self) -> None:
        opi, text = standard_opi(self.published_opi)
        object.__setattr__(self, "opi_antagande", opi)
        object.__setattr__(self, "opi_antagande_text", text)
        object.__setattr__(self, "opi_komponenter", standard_komponenter(self.published_opi))

    @property
    def basar(self) -> int:
        """The year of the own rate a scenario revises: the year before the target year."""
        return self.malar - 1

    @property
    def antagande_kalla(self) -> str:
        """The source of the default assumption, as the text and its sources write it."""
        return f"antagande valt av produkten: {self.opi_antagande_text}"


def kontext(underlag: Underlag, malar: int, momskompensation_procent: object = sim.MOMSKOMPENSATION_PROCENT,
            published_rates: Sequence[PublishedRate] | None = None,
            published_opi: Mapping[int, PublishedOpi] | None = None) -> Kontext:
    if malar <= underlag.volymar:
        raise ValueError(f"Målåret {malar} måste ligga efter volymåret {underlag.volymar}")
    return Kontext(
        malar, underlag.volymar, underlag.insatser, dict(underlag.basnivaer), dict(underlag.nuvarande),
        underlag.kommuner, underlag.grund, to_decimal(momskompensation_procent),
        tuple(published_rates if published_rates is not None else load_published_rates()),
        published_opi if published_opi is not None else load_opi())


def _vastkom(k: Kontext, insats: str) -> PublishedRate | None:
    return latest_published_rate(insats, k.malar, k.published_rates, only_vastkom=True)


def modellval(k: Kontext, insats: str) -> list[str]:
    """The rate models on offer for insats in the target year, the default first."""
    val = []
    if published_rate(k.malar, insats, k.published_rates) is not None:
        val.append("publicerad")
    if insats in k.basnivaer:
        val.append("egen")
    if _vastkom(k, insats) is not None:
        val.append("senaste_plus_opi")
    val.append("egen_summa")
    return val


def standardmodell(k: Kontext, insats: str) -> str:
    return modellval(k, insats)[0]


def modell_etikett(k: Kontext, insats: str, modell: str) -> str:
    """The option label, with the amount and year it starts from."""
    if modell == "egen":
        n = k.basnivaer[insats]
        return f"Egen nivå {fmt_kr_sv(n.kr_per_timme)} ({k.basar}) + OPI"
    if modell == "senaste_plus_opi":
        r = _vastkom(k, insats)
        suffix = " – antagande" if r.ar < k.malar else ""
        return f"VästKoms senaste rekommendation {fmt_kr_sv(r.kr_per_timme)} ({r.ar}) + OPI{suffix}"
    if modell == "publicerad":
        r = published_rate(k.malar, insats, k.published_rates)
        return f"Publicerad nivå {k.malar}: {fmt_kr_sv(r.kr_per_timme)} ({r.kalla})"
    return "Eget belopp"


def _startar(k: Kontext, insats: str, modell: str) -> int | None:
    """The year a model's OPI chain starts from (its base year), None when it uses no OPI."""
    if modell == "egen":
        return k.basar
    if modell == "senaste_plus_opi":
        r = _vastkom(k, insats)
        return r.ar if r is not None else None
    return None


def opi_ar(k: Kontext, modeller: Mapping[str, str]) -> list[int]:
    """The years whose OPI the chosen models need (base year + 1 … target year)."""
    years: set[int] = set()
    for insats, modell in modeller.items():
        start = _startar(k, insats, modell)
        if start is not None:
            years |= set(range(start + 1, k.malar + 1))
    return sorted(years)


def alla_opi_ar(k: Kontext) -> list[int]:
    """Every OPI year any offered model could need."""
    return sorted({y for i in k.insatser for m in modellval(k, i) for y in opi_ar(k, {i: m})})


def standard_belopp(k: Kontext, insats: str) -> Decimal:
    """An own amount's default: the own rate of the year before the target year, excl. momskompensation."""
    n = k.basnivaer.get(insats) or k.nuvarande.get(insats)
    return n.kr_exkl(k.momskompensation_procent) if n is not None else Decimal(0)


def standardscenarier(k: Kontext) -> list[sim.Scenario]:
    """Three defaults: own rate + OPI; VästKom's last recommendation + OPI; own rate on the other basis."""

    def scen(namn: str, modeller: dict[str, str], grund: str) -> sim.Scenario:
        antag = {y: k.opi_antagande for y in opi_ar(k, modeller) if y not in k.published_opi}
        return sim.Scenario(namn, k.malar, {i: sim.RateModel(m) if m != "egen_summa" else
                                            sim.RateModel(m, belopp_kr=standard_belopp(k, i))
                                            for i, m in modeller.items()},
                            grund=grund, nuvarande_grund=k.grund, momskompensation_procent=k.momskompensation_procent,
                            opi_antaganden=antag, opi_antaganden_kalla={y: k.antagande_kalla for y in antag})

    egen = {i: standardmodell(k, i) for i in k.insatser}
    vastkom = {i: "senaste_plus_opi" if "senaste_plus_opi" in modellval(k, i) else standardmodell(k, i)
               for i in k.insatser}
    andra = "beviljad" if k.grund == "utford" else "utford"
    return [
        scen("Egen nivå + OPI", egen, k.grund),
        scen("VästKoms senaste + OPI (antagande)", vastkom, k.grund),
        scen(f"Egen nivå + OPI, per {sim.BASIS_TEXT[andra]} timme", egen, andra),
    ]


def for_berakning(scn: sim.Scenario, k: Kontext) -> sim.Scenario:
    """The scenario as computed: the target year and today's basis from the context, and each "egen"
    model starting from the own rate in force the year before the target year (with its source)."""
    modeller = {}
    for insats, m in scn.modeller.items():
        if m.modell == "egen" and m.belopp_kr is None and insats in k.basnivaer:
            n = k.basnivaer[insats]
            kalla = n.kalltext + (" (preliminär nivå)" if n.is_preliminar else "")
            if n.is_momskompensation_ingar:
                kalla += (f" ({fmt_kr_sv(n.kr_per_timme)} inklusive momskompensation, "
                          f"{fmt_kr_sv(n.kr_exkl(k.momskompensation_procent))} exklusive)")
            m = replace(m, belopp_kr=n.kr_exkl(k.momskompensation_procent), bas_ar=k.basar, kalla=kalla)
        modeller[insats] = m
    return replace(scn, malar=k.malar, nuvarande_grund=k.grund, modeller=modeller)


@dataclass(frozen=True)
class Berakning:
    """Every scenario's result, or its error (Swedish) when it cannot be computed."""

    scenarier: tuple[sim.Scenario, ...]  # as computed (for_berakning)
    resultat: tuple[sim.ScenarioResult | None, ...]
    fel: tuple[str | None, ...]

    @property
    def giltiga(self) -> list[int]:
        return [i for i, r in enumerate(self.resultat) if r is not None]


def berakna(underlag: Underlag, scenarier: Sequence[sim.Scenario], k: Kontext,
            sparrar: Sequence[str | None] = ()) -> Berakning:
    """Every scenario's result; ``sparrar[i]`` (a Swedish reason) stops scenario i, e.g. an
    unconfirmed implausible or unreadable input: it is not computed until that is resolved."""
    beraknade, resultat, fel = [], [], []
    for i, s in enumerate(scenarier):
        s = for_berakning(s, k)
        beraknade.append(s)
        if i < len(sparrar) and sparrar[i]:
            resultat.append(None)
            fel.append(sparrar[i])
            continue
        try:
            resultat.append(sim.scenario_cost(underlag.timmar, s, underlag.nuvarande_kr,
                                              published_rates=k.published_rates, published_opi=k.published_opi,
                                              current_moms_ingar=underlag.nuvarande_ingar))
            fel.append(None)
        except sim.MissingInputError as exc:
            resultat.append(None)
            fel.append(str(exc))
    return Berakning(tuple(beraknade), tuple(resultat), tuple(fel))
