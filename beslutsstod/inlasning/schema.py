"""The importable tables: columns, types, allowed values (DESIGN §4).

Five are required; `VALFRIA_TABELLER` (prices per insatstyp and the avgift rules, issue 17)
are optional: the app works without them, and the trial of pay per insats says what is missing.

One place declares each column once: its storage type, whether it may be empty, whether the
column may be left out of a file, a Swedish description (templates, error messages) and an
example value (templates). Validation, casting, storage and templates all read this list.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path

INSATSER = ("hemtjanst", "kommunal_primarvard")
REGIER = ("egen_regi", "privat", "vistelsekommun")
GRUNDER = ("utford", "beviljad")  # the rate is paid per delivered or per granted time

MAX_MIN_PER_BESOK = 1440  # minutes; one visit cannot exceed 24 hours
MIN_AR, MAX_AR = 2000, 2100  # budget years outside this range are typing errors

# Kinds of column. Each kind has its own normalisation, check and cast (ingest_validate).
ID = "id"  # ASCII identifier (DESIGN §4: identifiers are ASCII)
PSEUDONYM = "pseudonym"  # ASCII identifier that must not be a personnummer
TEXT = "text"
DATUM = "datum"
MINUTER = "minuter"  # INTEGER minutes, 0..MAX_MIN_PER_BESOK
HELTAL = "heltal"
DECIMAL = "decimal"
KOMMUN = "kommun"  # SCB four-digit kommunkod, one of the 290
ENUM = "enum"
BOOL = "bool"

# Longest value (characters) per kind of column: ids and names (DESIGN §4), refused beyond.
MAX_ID_TECKEN = 64
MAX_NAMN_TECKEN = 200
MAX_TECKEN = {ID: MAX_ID_TECKEN, PSEUDONYM: MAX_ID_TECKEN, TEXT: MAX_NAMN_TECKEN}


@dataclass(frozen=True)
class Kolumn:
    namn: str
    typ: str
    sql_typ: str  # storage type in Parquet
    nullbar: bool = False  # may a value be empty?
    kan_utelamnas: bool = False  # may the whole column be missing from a file?
    beskrivning: str = ""
    exempel: object = None  # example value for templates (None = empty cell)
    tillatna: tuple[str, ...] = ()  # ENUM values
    min_varde: float | None = None
    max_varde: float | None = None
    positiv: bool = False  # DECIMAL that must be > 0


@dataclass(frozen=True)
class Tabell:
    namn: str
    beskrivning: str
    kolumner: tuple[Kolumn, ...]
    sortering: tuple[str, ...]  # total order of stored rows, so output bytes are reproducible
    nyckel: tuple[str, ...]  # natural key: duplicates refused; re-import classifies by it

    @property
    def kolumnnamn(self) -> tuple[str, ...]:
        return tuple(k.namn for k in self.kolumner)

    def kolumn(self, namn: str) -> Kolumn:
        for k in self.kolumner:
            if k.namn == namn:
                return k
        raise KeyError(namn)


_KOMMUN_HJALP = "SCB:s fyrsiffriga kommunkod, t.ex. 1401 (Härryda)"

TABELLER: dict[str, Tabell] = {
    "besok": Tabell(
        namn="besok",
        beskrivning="Ett besök per rad, från tidregistrerings- eller faktureringssystemet.",
        kolumner=(
            Kolumn("besok_id", ID, "VARCHAR", beskrivning="Besökets id, unikt i källsystemet.",
                   exempel="B000001"),
            Kolumn("datum", DATUM, "DATE", beskrivning="Besöksdatum, ÅÅÅÅ-MM-DD.",
                   exempel=dt.date(2024, 7, 3)),
            Kolumn("brukare_id", PSEUDONYM, "VARCHAR",
                   beskrivning="Pseudonym för brukaren. Aldrig personnummer.", exempel="P00042"),
            Kolumn("bosattningskommun", KOMMUN, "VARCHAR",
                   beskrivning=f"Kommunen där brukaren är folkbokförd; {_KOMMUN_HJALP}.",
                   exempel="1401"),
            Kolumn("vistelsekommun", KOMMUN, "VARCHAR",
                   beskrivning=f"Kommunen där besöket utfördes; {_KOMMUN_HJALP}.",
                   exempel="0584"),
            Kolumn("utforare_id", ID, "VARCHAR",
                   beskrivning="Utförarens id; måste finnas i tabellen utforare.", exempel="U001"),
            Kolumn("insats", ENUM, "VARCHAR", tillatna=INSATSER,
                   beskrivning="hemtjanst eller kommunal_primarvard.", exempel="hemtjanst"),
            Kolumn("beviljad_min", MINUTER, "INTEGER", nullbar=True,
                   beskrivning="Beviljad tid i minuter (0–1440). Krävs när ersättningen "
                   "betalas per beviljad tid.", exempel=45, min_varde=0,
                   max_varde=MAX_MIN_PER_BESOK),
            Kolumn("utford_min", MINUTER, "INTEGER",
                   beskrivning="Utförd (direkt brukar-)tid i minuter (0–1440).", exempel=40,
                   min_varde=0, max_varde=MAX_MIN_PER_BESOK),
            Kolumn("fakturerat_kr", DECIMAL, "DECIMAL(18,2)", nullbar=True, kan_utelamnas=True,
                   beskrivning="Fakturerat belopp i kronor, om det är känt.", exempel=302.67),
            Kolumn("insatstyp", ID, "VARCHAR", nullbar=True, kan_utelamnas=True,
                   beskrivning="Insatstyp enligt kommunens KSI-baserade katalog (koden i tabellen "
                   "insatspriser), t.ex. PH för personlig hygien. Behövs bara för ersättning per insats.",
                   exempel="PH"),
        ),
        sortering=("bosattningskommun", "datum", "besok_id"),  # min/max per row group prune a hemkommun filter (bench/)
        nyckel=("besok_id",),
    ),
    "utforare": Tabell(
        namn="utforare",
        beskrivning="Utförarregistret: en rad per utförare.",
        kolumner=(
            Kolumn("utforare_id", ID, "VARCHAR", beskrivning="Utförarens id.", exempel="U001"),
            Kolumn("namn", TEXT, "VARCHAR", beskrivning="Utförarens namn.",
                   exempel="Hemtjänsten Öckerö"),
            Kolumn("regi", ENUM, "VARCHAR", tillatna=REGIER,
                   beskrivning="egen_regi, privat eller vistelsekommun.", exempel="vistelsekommun"),
            Kolumn("kommun", KOMMUN, "VARCHAR",
                   beskrivning=f"Utförarens kommun; {_KOMMUN_HJALP}.", exempel="0584"),
        ),
        sortering=("utforare_id",),
        nyckel=("utforare_id",),
    ),
    "ersattningsnivaer": Tabell(
        namn="ersattningsnivaer",
        beskrivning="Ersättningsnivåer (kr per timme) med giltighetsperiod och källa.",
        kolumner=(
            Kolumn("giltig_fran", DATUM, "DATE", beskrivning="Första giltighetsdag.",
                   exempel=dt.date(2024, 1, 1)),
            Kolumn("giltig_till", DATUM, "DATE", nullbar=True,
                   beskrivning="Sista giltighetsdag; tom = tills vidare.",
                   exempel=dt.date(2024, 12, 31)),
            Kolumn("insats", ENUM, "VARCHAR", tillatna=INSATSER,
                   beskrivning="hemtjanst eller kommunal_primarvard.", exempel="hemtjanst"),
            Kolumn("regi", ENUM, "VARCHAR", tillatna=REGIER, nullbar=True,
                   beskrivning="egen_regi, privat eller vistelsekommun; tom = alla regier.",
                   exempel="vistelsekommun"),
            Kolumn("kr_per_timme", DECIMAL, "DECIMAL(10,2)", positiv=True,
                   beskrivning="Ersättning i kronor per timme (större än 0).", exempel=454),
            Kolumn("grund", ENUM, "VARCHAR", tillatna=GRUNDER,
                   beskrivning="utford eller beviljad: vilken tid timtaxan betalas för.",
                   exempel="utford"),
            Kolumn("momskompensation_ingar", BOOL, "BOOLEAN",
                   beskrivning="true om taxan redan innehåller 6 % momskompensation.",
                   exempel=False),
            Kolumn("kalla", TEXT, "VARCHAR", beskrivning="Varifrån taxan kommer.",
                   exempel="Socialnämnden Härryda"),
            Kolumn("beslut", TEXT, "VARCHAR", nullbar=True,
                   beskrivning="Beslutsreferens, t.ex. 'SN 2024-06-12 § 45, dnr 2024SOCN66'; "
                   "tom om beslut ännu saknas.", exempel="SN 2024-06-12 § 45, dnr 2024SOCN66"),
            Kolumn("preliminar", BOOL, "BOOLEAN",
                   beskrivning="true om nivån är preliminär.", exempel=False),
            Kolumn("betalande_kommun", KOMMUN, "VARCHAR", nullbar=True, kan_utelamnas=True,
                   beskrivning="Kommunen som betalar denna nivå när vi utför dess beslut (2 a kap. 7 § SoL: "
                   f"bosättningskommunens nivå); tom = kommunens egna nivåer. Kolumnen får saknas; {_KOMMUN_HJALP}.",
                   exempel=None),
        ),
        sortering=("insats", "regi", "giltig_fran", "betalande_kommun"),
        nyckel=("insats", "regi", "giltig_fran", "betalande_kommun"),
    ),
    "budget": Tabell(
        namn="budget",
        beskrivning="Budget per år, månad och insats. En fil ersätter budgeten för de år den "
        "innehåller; andra år behålls.",
        kolumner=(
            Kolumn("ar", HELTAL, "INTEGER", beskrivning="År, t.ex. 2024.", exempel=2024,
                   min_varde=MIN_AR, max_varde=MAX_AR),
            Kolumn("manad", HELTAL, "INTEGER", nullbar=True,
                   beskrivning="Månad 1–12; tom = årsbudget för hela året.", exempel=1,
                   min_varde=1, max_varde=12),
            Kolumn("insats", ENUM, "VARCHAR", tillatna=INSATSER,
                   beskrivning="hemtjanst eller kommunal_primarvard.", exempel="hemtjanst"),
            Kolumn("budget_kr", DECIMAL, "DECIMAL(18,2)", beskrivning="Budget i kronor.",
                   exempel=250000),
            Kolumn("budget_timmar", DECIMAL, "DECIMAL(18,2)", nullbar=True, kan_utelamnas=True,
                   beskrivning="Budgeterade timmar, om sådana finns.", exempel=550.5),
        ),
        sortering=("ar", "manad", "insats"),
        nyckel=("ar", "manad", "insats"),
    ),
    "vistelser": Tabell(
        namn="vistelser",
        beskrivning="Beslutade vistelser: perioden då brukaren vistas i en annan kommun.",
        kolumner=(
            Kolumn("brukare_id", PSEUDONYM, "VARCHAR",
                   beskrivning="Pseudonym för brukaren. Aldrig personnummer.", exempel="P00042"),
            Kolumn("bosattningskommun", KOMMUN, "VARCHAR",
                   beskrivning=f"Folkbokföringskommun; {_KOMMUN_HJALP}.", exempel="1401"),
            Kolumn("vistelsekommun", KOMMUN, "VARCHAR",
                   beskrivning=f"Kommunen där brukaren vistas; {_KOMMUN_HJALP}.", exempel="0584"),
            Kolumn("fran", DATUM, "DATE", beskrivning="Vistelsens första dag.",
                   exempel=dt.date(2024, 6, 15)),
            Kolumn("till", DATUM, "DATE", beskrivning="Vistelsens sista dag.",
                   exempel=dt.date(2024, 8, 20)),
        ),
        sortering=("brukare_id", "fran", "vistelsekommun"),
        nyckel=("brukare_id", "fran"),
    ),
    "insatspriser": Tabell(
        namn="insatspriser",
        beskrivning="Valfri: ersättning per insats (kr per utförd insats) per insatstyp, med "
        "giltighetsperiod, regi och källa. Behövs för ersättning per insats.",
        kolumner=(
            Kolumn("giltig_fran", DATUM, "DATE", beskrivning="Första giltighetsdag.",
                   exempel=dt.date(2023, 4, 1)),
            Kolumn("giltig_till", DATUM, "DATE", nullbar=True,
                   beskrivning="Sista giltighetsdag; tom = tills vidare.",
                   exempel=dt.date(2023, 7, 31)),
            Kolumn("insatstyp", ID, "VARCHAR",
                   beskrivning="Insatstypens kod (samma som i besok.insatstyp).", exempel="PH"),
            Kolumn("benamning", TEXT, "VARCHAR",
                   beskrivning="Insatstypens namn, t.ex. Personlig hygien (KSI-begrepp).",
                   exempel="Personlig hygien"),
            Kolumn("regi", ENUM, "VARCHAR", tillatna=REGIER, nullbar=True,
                   beskrivning="egen_regi, privat eller vistelsekommun; tom = alla regier.",
                   exempel="egen_regi"),
            Kolumn("kr_per_insats", DECIMAL, "DECIMAL(10,2)", positiv=True,
                   beskrivning="Ersättning i kronor per utförd insats, exklusive momskompensation "
                   "(större än 0).", exempel=215),
            Kolumn("normtid_min", MINUTER, "INTEGER", nullbar=True, kan_utelamnas=True,
                   beskrivning="Normtid i minuter som brukarens avgift räknas på när ersättningen "
                   "är per insats; tom = okänd.", exempel=30, min_varde=0,
                   max_varde=MAX_MIN_PER_BESOK),
            Kolumn("kalla", TEXT, "VARCHAR", beskrivning="Varifrån priset kommer.",
                   exempel="Ersättningsbelopp till leverantör inom hemtjänst 2023"),
            Kolumn("beslut", TEXT, "VARCHAR", nullbar=True,
                   beskrivning="Beslutsreferens; tom om beslut saknas.",
                   exempel="VON 2023-03-xx § yy, Dnr VON 2022/0007"),
        ),
        sortering=("insatstyp", "regi", "giltig_fran"),
        nyckel=("insatstyp", "regi", "giltig_fran"),
    ),
    "avgiftsregler": Tabell(
        namn="avgiftsregler",
        beskrivning="Valfri: kommunens avgift för hemtjänst per år (timtaxa och vilken tid den "
        "tas ut för). Maxtaxan kommer ur referensdata.",
        kolumner=(
            Kolumn("ar", HELTAL, "INTEGER", beskrivning="År, t.ex. 2023.", exempel=2023,
                   min_varde=MIN_AR, max_varde=MAX_AR),
            Kolumn("timtaxa_kr", DECIMAL, "DECIMAL(10,2)", positiv=True,
                   beskrivning="Avgift i kronor per timme hemtjänst (större än 0).", exempel=345),
            Kolumn("grund", ENUM, "VARCHAR", tillatna=GRUNDER,
                   beskrivning="utford eller beviljad: vilken tid timtaxan tas ut för.",
                   exempel="beviljad"),
            Kolumn("kalla", TEXT, "VARCHAR", beskrivning="Varifrån taxan kommer.",
                   exempel="Taxor och avgifter 2023, KF 2022-11-xx § yy"),
        ),
        sortering=("ar",),
        nyckel=("ar",),
    ),
}

# Tables the app works without (issue 17): only the trial of pay per insats needs them.
VALFRIA_TABELLER = ("insatspriser", "avgiftsregler")

# Order in which a batch is validated and written: providers and rates first, because besok
# is checked against them.
TABELLORDNING = ("utforare", "ersattningsnivaer", "budget", "vistelser", "besok", *VALFRIA_TABELLER)


def normalisera_namn(text: str) -> str:
    """Column or value name folded the way users write it: 'Utförd min' -> 'utford_min'."""
    s = text.replace("\ufeff", "").strip().lower()
    s = s.translate(str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", " ": "_", "-": "_"}))
    while "__" in s:
        s = s.replace("__", "_")
    return s


REPO_REFERENS = Path(__file__).resolve().parents[2] / "data" / "reference"


@functools.lru_cache(maxsize=4)
def _las_kommunkoder(sokvag: str, _mtime: float) -> frozenset[str]:
    with open(sokvag, encoding="utf-8") as f:
        data = json.load(f)
    return frozenset(str(feat["properties"]["id"]) for feat in data["features"])


def kommunkoder(data_dir: str | Path) -> frozenset[str]:
    """The 290 kommunkoder (property `id` of reference/kommuner.geojson)."""
    for kandidat in (Path(data_dir) / "reference" / "kommuner.geojson",
                     REPO_REFERENS / "kommuner.geojson"):
        if kandidat.exists():
            return _las_kommunkoder(str(kandidat), kandidat.stat().st_mtime)
    raise FileNotFoundError(
        f"Referensfilen kommuner.geojson saknas i {Path(data_dir) / 'reference'}."
    )
