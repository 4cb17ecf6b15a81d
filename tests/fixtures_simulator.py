"""Hand-made inputs of the simulator's tests: a target year's context and a small volume basis."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from beslutsstod.regler import nivaer, opi
from beslutsstod.regler import scenarier as sc
from beslutsstod.regler import volymunderlag as vu
from beslutsstod.vyer import simulator_val as val

D = Decimal
PUBLISHED = tuple(nivaer.load_published_rates())
OPI = opi.load_opi()


def kontext(malar: int, basniva=(D(454), D(828)), kommuner=("1480", "1427")) -> sc.Kontext:
    per_insats = {i: nivaer.Niva(i, kr, "utford", "källa", "beslut", False, False)
                  for i, kr in zip(("hemtjanst", "kommunal_primarvard"), basniva)}
    return sc.Kontext(malar, malar - 1, ("hemtjanst", "kommunal_primarvard"), per_insats, per_insats, kommuner,
                      "utford", D(6), PUBLISHED, OPI)


def state_for(k, **changes):
    """The widget state of the first default scenario (prefix "p"), with some widgets changed."""
    state, _ = val.scenario_state(sc.standardscenarier(k)[0], k, "p")
    state.update(changes)
    return state


def hand_underlag(volymar: int = 2024, nu=(D(454), D(828)), personer=None, **extra) -> vu.Underlag:
    """100 utförda h hemtjänst in Sotenäs (vistelsekommun), 50 h privat in Göteborg, 20 h primärvård."""
    timmar = pd.DataFrame([
        ("hemtjanst", "vistelsekommun", "1427", 7, D(110), D(100)),
        ("hemtjanst", "privat", "1480", 7, D(60), D(50)),
        ("kommunal_primarvard", "vistelsekommun", "1427", 8, D(25), D(20)),
    ], columns=["insats", "regi", "vistelsekommun", "manad", "beviljad_timmar", "utford_timmar"])
    per_insats = {i: nivaer.Niva(i, kr, "utford", "källa", "beslut", False, False)
                  for i, kr in zip(("hemtjanst", "kommunal_primarvard"), nu)}
    personer = personer or {"totalt": 30, "insats": {"hemtjanst": 20, "kommunal_primarvard": 10},
                            "regi": {"vistelsekommun": 22, "privat": 8},
                            "vistelsekommun": {"1427": 25, "1480": 8}, "manad": {7: 20, 8: 10}}
    return vu.Underlag(timmar, volymar, "utfall", per_insats, per_insats, personer, **extra)


def hand_berakning(**underlag):
    """The hand basis, target year 2025: scenario 0 own rate + OPI 3,0 %, scenario 1 VästKom's + OPI."""
    u = hand_underlag(**underlag)
    k = sc.kontext(u, 2025, published_rates=PUBLISHED, published_opi=OPI)
    scn = val.state_scenario(state_for(k, p_opi_2025=3.0), k, "p")
    return u, k, sc.berakna(u, [scn, sc.standardscenarier(k)[1]], k)
