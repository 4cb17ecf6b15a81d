"""What every page model gets: the sidebar's selection (Filter) and the context it runs in (Sammanhang).

A page model (one module per page in this folder) is a pure function of these two and the page's
own choices; it returns everything the page shows. The page script (sidor/<sida>.py) reads the
widgets, calls its model and renders; the benchmark (bench/interactions.py) and the tests call
the same models with another query runner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd

from beslutsstod import begrepp
from beslutsstod import talformat as fmt
from beslutsstod.data import referens
from beslutsstod.regler import intaktsantagande, jamforelse, lasarvy

# A named query (queries/<namn>.sql) with bound parameters → its result. In the app: ui.run
# (cached per parameters and data version); in the benchmark: a timed, uncached runner.
Fraga = Callable[[str, "dict[str, Any] | None"], pd.DataFrame]


@dataclass(frozen=True)
class Kort:
    """One KPI card of a page (st.metric): label, shown value, change (None: none shown), help text."""

    etikett: str
    varde: str
    andring: str | None = None
    hjalp: str | None = None


@dataclass(frozen=True)
class Filter:
    """The global selection in the sidebar (and in the URL)."""

    ar: int
    insatser: list[str]
    regier: list[str]
    kommuner: list[str]
    sista_datum: dt.date

    def params(self, riktning: str, **extra: Any) -> dict[str, Any]:
        return dict(riktning=riktning, ar=self.ar, insatser=self.insatser, regier=self.regier,
                    kommuner=self.kommuner, **extra)

    @property
    def till_manad(self) -> int:
        """Months of the chosen year that have passed in the data (12 for a completed year)."""
        return self.sista_datum.month if self.ar == self.sista_datum.year else 12

    def beskrivning(self) -> str:
        """The active filters in words, for captions and export metadata."""
        delar = [f"År {self.ar}"]
        delar.append("insats: " + (", ".join(begrepp.INSATS_NAMN[i] for i in self.insatser) if self.insatser else "alla"))
        delar.append("regi: " + (", ".join(begrepp.REGI_NAMN[r] for r in self.regier) if self.regier else "alla"))
        delar.append("kommun: " + (", ".join(referens.kommunnamn(k) for k in self.kommuner) if self.kommuner else "alla"))
        return "; ".join(delar)

    def period_text(self) -> str:
        if self.till_manad == 12:
            return f"helår {self.ar} jämfört med helår {self.ar - 1}"
        slut = fmt.manad_namn(self.till_manad)
        return f"jan–{slut} {self.ar} jämfört med jan–{slut} {self.ar - 1} (året pågår)"


@dataclass(frozen=True)
class Sammanhang:
    """Where a page model runs: how it asks the data, and who is looking."""

    fraga: Fraga
    oppen_vy: bool  # the protected public view (läsare): masked, linked tables (lasarvy.py)
    smatal_grans: int  # groups of fewer persons are shown as begrepp.MASK
    hemkommun: str
    demodata: bool = False  # the extracts are the built-in demo data: exports and documents say so

    def manader_utan_data(self) -> set[tuple[int, int]]:
        """(år, månad) that have no time registrations at all (shown as missing, never as zero)."""
        return {(int(r.ar), int(r.manad)) for r in self.fraga("filter/manader_utan_data", None).itertuples()}

    def ofullstandigt_ar(self, f: Filter) -> str | None:
        """'ofullständigt: mars saknas' when the chosen year (through the data's last month) lacks a month."""
        return jamforelse.ofullstandig(f.ar, f.till_manad, self.manader_utan_data())

    def intakt_antagande(self, f: Filter, ar: int | None = None) -> str | None:
        """The label for revenue priced by our own rates ("beräknad med egna nivåer (antagande)"), or None."""
        return intaktsantagande.intakt_antagande(self.fraga("filter/intakt_nivaer", f.params("intakt")), ar)

    def oversikt_skydd(self, f: Filter, riktning: str, jmf_manader: list[int]) -> lasarvy.OversiktSkydd | None:
        """Översikt's masking in the protected view, from the same crosstabs as Vistelsekommuner."""
        if not self.oppen_vy:
            return None
        rader = {ar: self.fraga("vistelsekommuner/per_manad_kommun", {**f.params("alla"), "ar": ar})
                 for ar in (f.ar, f.ar - 1)}
        return lasarvy.oversikt_skydd(rader[f.ar], rader[f.ar - 1], f.ar, riktning, jmf_manader, self.smatal_grans)


@dataclass(frozen=True)
class Sidopanel:
    """What the sidebar offers: the years with data, the data's last date, the counterpart kommuner."""

    ar_lista: list[int]  # ascending
    sista_datum: dt.date
    kommuner: list[str]  # kommunkoder, sorted by name (empty in the protected view: it offers no kommun)


def sidopanel(s: Sammanhang) -> Sidopanel:
    """The sidebar's model (app.py, every page run)."""
    tackning = s.fraga("filter/datatackning", None).iloc[0]
    kommuner: list[str] = []
    if not s.oppen_vy:
        koder = set()
        for riktning in ("kostnad", "intakt"):
            koder |= set(s.fraga("filter/motpartskommuner", {"riktning": riktning})["kommunkod"])
        kommuner = sorted(koder, key=referens.kommunnamn)
    return Sidopanel([int(y) for y in tackning["ar_lista"]], pd.Timestamp(tackning["sista_datum"]).date(), kommuner)
