"""Deterministic demo extracts for a fictitious Härryda (1401): same seed and as-of date, same bytes.

Everything here is fictitious (persons, visits, providers, invoices, budget, insatstyper, prices
per insats and the avgift's timtaxa) except the
rates taken from data/reference/beslutade_nivaer.csv; years with no published rate are
derived by OPI (data/reference/opi.csv) and labelled so in the rate row's `kalla`, and years
with neither are carried forward and labelled as an assumption.

Run: ``python -m beslutsstod.data.demo [--data-dir data] [--per-datum 2026-11-23] [--seed 42]``
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import shutil
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from beslutsstod import installningar
from beslutsstod.data import referens

HEMKOMMUN = "1401"  # Härryda
FIRST_YEAR = 2019
MOMS_ANDEL = Decimal("0.06")  # momskompensation 6 % to private providers

# Where Härryda's residents stay: summer at the coast, winter in the mountains, all year nearby.
KUST = ["1407", "1419", "1421", "1427", "1435", "1484", "1486", "1482",  # Bohuslän
        "1384", "1383", "1382", "1380", "1381",  # Halland
        "0980"]  # Gotland
FJALL = ["2321", "2361", "2023"]  # Åre, Härjedalen, Malung-Sälen
NARA = ["1480", "1481", "1443", "1441", "1490"]  # Göteborg, Mölndal, Bollebygd, Lerum, Borås
# Other municipalities whose residents stay in Härryda (the revenue side).
GASTKOMMUNER = ["0180", "1480", "1280", "0380", "1490", "1402"]

# Fictitious private (LOV) providers and where they work.
PRIVATA = {
    "P01": ("Kustomsorg Bohuslän AB (fiktiv)", ["1427", "1435", "1484", "1486"]),
    "P02": ("Hallandshemtjänst AB (fiktiv)", ["1383", "1382", "1380"]),
    "P03": ("Omsorgspartner Väst AB (fiktiv)", ["1480", "1481"]),
}
EGEN_REGI = ("E1401", "Härryda hemtjänst, egen regi")
EGEN_REGI_OMRADE = ["1443", "1481", "1480"]  # neighbours own staff can reach

MISSING_MONTH = (2025, 3)  # a time-registration outage: no visits recorded this month
ANNUAL_BUDGET_YEAR = 2020  # a year whose budget exists only as an annual sum (manad null)

BESOK_SCHEMA = pa.schema([
    ("besok_id", pa.string()), ("datum", pa.date32()), ("brukare_id", pa.string()),
    ("bosattningskommun", pa.string()), ("vistelsekommun", pa.string()),
    ("utforare_id", pa.string()), ("insats", pa.string()),
    ("beviljad_min", pa.int32()), ("utford_min", pa.int32()),
    ("fakturerat_kr", pa.decimal128(18, 2)), ("insatstyp", pa.string()),
])
UTFORARE_SCHEMA = pa.schema([("utforare_id", pa.string()), ("namn", pa.string()),
                             ("regi", pa.string()), ("kommun", pa.string())])
NIVA_SCHEMA = pa.schema([
    ("giltig_fran", pa.date32()), ("giltig_till", pa.date32()), ("insats", pa.string()),
    ("regi", pa.string()), ("kr_per_timme", pa.decimal128(10, 2)), ("grund", pa.string()),
    ("momskompensation_ingar", pa.bool_()), ("kalla", pa.string()), ("beslut", pa.string()),
    ("preliminar", pa.bool_()), ("betalande_kommun", pa.string()),
])
BUDGET_SCHEMA = pa.schema([("ar", pa.int32()), ("manad", pa.int32()), ("insats", pa.string()),
                           ("budget_kr", pa.decimal128(18, 2)), ("budget_timmar", pa.decimal128(18, 2))])
INSATSPRIS_SCHEMA = pa.schema([
    ("giltig_fran", pa.date32()), ("giltig_till", pa.date32()), ("insatstyp", pa.string()),
    ("benamning", pa.string()), ("regi", pa.string()), ("kr_per_insats", pa.decimal128(10, 2)),
    ("normtid_min", pa.int32()), ("kalla", pa.string()), ("beslut", pa.string()),
])
AVGIFT_SCHEMA = pa.schema([("ar", pa.int32()), ("timtaxa_kr", pa.decimal128(10, 2)), ("grund", pa.string()),
                           ("kalla", pa.string())])

# The trial of pay per insats (issue 17, seed 002): a fictitious KSI-based catalogue. Code →
# (label, price per insats in kr excl. momskompensation, normtid in minutes for the avgift).
INSATSTYPER = {
    "TIL": ("Tillsyn", 115, 15),
    "MAL": ("Måltid", 160, 20),
    "PH": ("Personlig hygien", 245, 35),
    "INK": ("Inköp", 290, 40),
    "TVA": ("Tvätt", 320, 45),
    "STA": ("Städning", 420, 60),
}
# Which insatstyp a hemtjänst visit of a given granted length is (weights): short visits are
# tillsyn and måltid, long ones städning and inköp.
INSATSTYP_VIKTER = {
    15: {"TIL": 60, "MAL": 40},
    20: {"MAL": 50, "TIL": 30, "PH": 20},
    30: {"PH": 50, "MAL": 30, "INK": 20},
    45: {"PH": 40, "INK": 30, "TVA": 30},
    60: {"STA": 60, "INK": 20, "PH": 20},
}
FORSOK_START = dt.date(2023, 4, 1)  # the demo price list applies from the seed's trial start
TIMTAXA_2019 = 290  # kr per hour, fictitious; +10 kr a year

VISTELSE_SCHEMA = pa.schema([("brukare_id", pa.string()), ("bosattningskommun", pa.string()),
                             ("vistelsekommun", pa.string()), ("fran", pa.date32()), ("till", pa.date32())])


@dataclass(frozen=True)
class Niva:
    ar: int
    insats: str
    kr: Decimal
    kalla: str
    beslut: str
    preliminar: bool


def _round_krona(x: Decimal) -> Decimal:
    return x.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def rate_levels(last_year: int) -> list[Niva]:
    """Härryda's rate per year and insats: published, else OPI-derived, else carried forward."""
    ref = installningar.reference_dir()
    with (ref / "beslutade_nivaer.csv").open(encoding="utf-8") as fh:
        published = list(csv.DictReader(fh))
    with (ref / "opi.csv").open(encoding="utf-8") as fh:
        opi = {int(r["ar"]): Decimal(r["opi_procent"]) for r in csv.DictReader(fh)}
    levels: list[Niva] = []
    for insats, avser_prefix in (("hemtjanst", ""), ("kommunal_primarvard", "")):
        by_year: dict[int, dict] = {}
        for row in published:
            # One published row per year and insats: for primärvård the district-nurse level
            # (the first listed) is the one used for visits.
            if row["insats"] == insats and int(row["ar"]) not in by_year:
                by_year[int(row["ar"])] = row
        prev: Niva | None = None
        for ar in range(FIRST_YEAR, last_year + 1):
            if ar in by_year:
                row = by_year[ar]
                vastkom = row["kalla"].startswith("VästKom")
                # an own rate (Härryda's LOV rate 454 kr 2024, seed 000) starts its own series: it is not
                # a step in VästKom's, and later years are revised from it, never from VästKom's levels
                kalla = (f"Publicerad: {row['kalla']}" if vastkom else
                         f"Egen nivå: {row['avser']} ({row['kalla']}); inte ett steg i VästKoms serie")
                niva = Niva(ar, insats, Decimal(row["kr_per_timme"]), kalla, row["referens"], False)
            elif prev is not None and ar in opi:
                kr = _round_krona(prev.kr * (1 + opi[ar] / 100))
                niva = Niva(ar, insats, kr,
                            f"Härledd: {ar - 1} års nivå {prev.kr} kr + OPI {ar} {str(opi[ar]).replace('.', ',')} %, avrundat till hela kronor",
                            "Demodata: härledd nivå, inget publicerat beslut", False)
            elif prev is not None:
                niva = Niva(ar, insats, prev.kr,
                            f"Antagande: {ar - 1} års nivå oförändrad; OPI {ar} saknas i referensdata",
                            "Demodata: antagande, inget beslut", True)
            else:
                raise ValueError(f"Ingen nivå för {insats} {ar}")
            levels.append(niva)
            prev = niva
    return levels


def generate(data_dir: Path, as_of: dt.date, seed: int = 42) -> Path:
    """Write the five extracts, and the two optional tables of the trial per insats, under data_dir/extracts."""
    rng = random.Random(seed)
    last = dt.date(as_of.year, as_of.month, 1) - dt.timedelta(days=1)  # last day of last month
    last_year = last.year
    levels = {(n.ar, n.insats): n for n in rate_levels(last_year)}

    utforare: list[tuple[str, str, str, str]] = [(EGEN_REGI[0], EGEN_REGI[1], "egen_regi", HEMKOMMUN)]
    for pid, (namn, _) in PRIVATA.items():
        utforare.append((pid, namn, "privat", HEMKOMMUN))
    for kod in sorted(set(KUST + FJALL + NARA)):
        utforare.append((f"V{kod}", f"{referens.kommunnamn(kod)} kommun, hemtjänst och hemsjukvård", "vistelsekommun", kod))
    regi_of = {u[0]: u[2] for u in utforare}

    pool = [f"p-{rng.getrandbits(32):08x}" for _ in range(320)]
    guests = [f"g-{rng.getrandbits(32):08x}" for _ in range(60)]

    besok: list[dict] = []
    vistelser: list[tuple] = []

    def add_stay(person: str, bos: str, vist: str, start: dt.date, days: int, utforare_id: str,
                 hemtjanst: bool, hsl: bool, outside: bool = False) -> None:
        end = start + dt.timedelta(days=days - 1)
        vistelser.append((person, bos, vist, start, end))
        # A few visits recorded after the decided stay ended (for the invoice check).
        stop = end + dt.timedelta(days=2 if outside else 0)
        day = start
        while day <= min(stop, last):
            if (day.year, day.month) != MISSING_MONTH:
                if hemtjanst:
                    # Visits of one person on one day differ in length, as real ones do; identical
                    # rows would read as the same visit invoiced twice.
                    dagens: set[int] = set()
                    for bev in rng.sample([15, 20, 30, 45, 60], rng.choices([1, 2, 3], weights=[5, 4, 2])[0]):
                        utf = max(5, round(bev * rng.uniform(0.75, 1.05)))
                        while utf in dagens:
                            utf += 1
                        dagens.add(utf)
                        besok.append(dict(datum=day, brukare_id=person, bosattningskommun=bos,
                                          vistelsekommun=vist, utforare_id=utforare_id,
                                          insats="hemtjanst", beviljad_min=bev, utford_min=utf))
                if hsl and (day - start).days % 3 == 0:
                    bev = rng.choice([20, 30, 45])
                    utf = max(5, round(bev * rng.uniform(0.8, 1.1)))
                    besok.append(dict(datum=day, brukare_id=person, bosattningskommun=bos,
                                      vistelsekommun=vist, utforare_id=f"V{vist}" if vist != HEMKOMMUN else EGEN_REGI[0],
                                      insats="kommunal_primarvard", beviljad_min=bev, utford_min=utf))
            day += dt.timedelta(days=1)

    for ar in range(FIRST_YEAR, last_year + 1):
        n_persons = 85 + (ar - FIRST_YEAR) * 8 + rng.randint(-5, 5)
        for person in rng.sample(pool, n_persons):
            kind = rng.choices(["kust", "fjall", "nara"], weights=[70, 8, 22])[0]
            if kind == "kust":
                vist = rng.choice(KUST)
                start = dt.date(ar, 6, 1) + dt.timedelta(days=rng.randint(0, 70))
                days = rng.randint(7, 42)
            elif kind == "fjall":
                vist = rng.choice(FJALL)
                start = rng.choice([dt.date(ar, 2, 1), dt.date(ar, 3, 1), dt.date(ar, 12, 18)]) + dt.timedelta(days=rng.randint(0, 12))
                days = rng.randint(5, 16)
            else:
                vist = rng.choice(NARA)
                start = dt.date(ar, 1, 1) + dt.timedelta(days=rng.randint(0, 330))
                days = rng.randint(7, 60)
            if start > last:
                continue
            privata = [pid for pid, (_, kommuner) in PRIVATA.items() if vist in kommuner]
            draw = rng.random()
            if vist in EGEN_REGI_OMRADE and draw < 0.4:
                utf_id = EGEN_REGI[0]
            elif privata and draw < 0.75:
                utf_id = rng.choice(privata)
            else:
                utf_id = f"V{vist}"
            hsl = rng.random() < 0.35
            add_stay(person, HEMKOMMUN, vist, start, days, utf_id, hemtjanst=rng.random() < 0.9 or not hsl,
                     hsl=hsl, outside=rng.random() < 0.03)
        if ar == 2023 and dt.date(2023, 7, 1) <= last:
            # One summer stay in Tanum every demo has: Tanum's invoices at the wrong rate (below).
            add_stay(rng.choice(pool), HEMKOMMUN, "1435", dt.date(2023, 7, 3), 28, "V1435",
                     hemtjanst=True, hsl=False)
        # The revenue side: other municipalities' residents staying in Härryda.
        for person in rng.sample(guests, 12 + rng.randint(0, 6)):
            start = dt.date(ar, 1, 1) + dt.timedelta(days=rng.randint(0, 340))
            if start > last:
                continue
            add_stay(person, rng.choice(GASTKOMMUNER), HEMKOMMUN, start, rng.randint(7, 35),
                     EGEN_REGI[0], hemtjanst=True, hsl=rng.random() < 0.25)

    besok.sort(key=lambda b: (b["datum"], b["brukare_id"], b["insats"], b["utforare_id"]))
    for i, b in enumerate(besok, start=1):
        b["besok_id"] = f"B{i:08d}"
    # Insatstyp on hemtjänst visits from a stream of its own, so every other draw (and figure)
    # is what it was before the column existed.
    rng_typ = random.Random(f"insatstyp-{seed}")
    for b in besok:
        vikter = INSATSTYP_VIKTER[b["beviljad_min"]] if b["insats"] == "hemtjanst" else None
        b["insatstyp"] = rng_typ.choices(list(vikter), weights=list(vikter.values()))[0] if vikter else None

    # Invoices: what the payee billed per visit; egen regi is internal and never invoiced, and the
    # last two months are not yet invoiced. Some deviate on purpose (see the invoice check).
    invoice_cutoff = dt.date(last.year, last.month, 1) - dt.timedelta(days=32)
    month_cost: dict[tuple[int, int, str], Decimal] = {}
    month_hours: dict[tuple[int, int, str], Decimal] = {}
    for b in besok:
        niva = levels[(b["datum"].year, b["insats"])]
        regi = regi_of[b["utforare_id"]]
        expected = niva.kr * b["utford_min"] / 60
        if regi == "privat":
            expected *= 1 + MOMS_ANDEL
        expected = expected.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if b["bosattningskommun"] == HEMKOMMUN:
            key = (b["datum"].year, b["datum"].month, b["insats"])
            month_cost[key] = month_cost.get(key, Decimal(0)) + expected
            month_hours[key] = month_hours.get(key, Decimal(0)) + Decimal(b["utford_min"]) / 60
        invoiced = None
        if regi != "egen_regi" or b["vistelsekommun"] == HEMKOMMUN:
            if b["datum"] <= invoice_cutoff:
                invoiced = expected
                if b["utforare_id"] == "V1435" and b["datum"].year == 2023 and b["datum"].month in (7, 8):
                    # Tanum billed 480 kr/h instead of the decided rate.
                    invoiced = (Decimal(480) * b["utford_min"] / 60).quantize(Decimal("0.01"))
                elif b["utforare_id"] == "V1486" and b["datum"].year == 2024:
                    # Strömstad, a municipality, added momskompensation.
                    invoiced = (expected * (1 + MOMS_ANDEL)).quantize(Decimal("0.01"))
                elif b["utforare_id"] == "P02" and (b["datum"].year, b["datum"].month) == (2022, 7):
                    # Billed granted instead of delivered time.
                    invoiced = (niva.kr * b["beviljad_min"] / 60 * (1 + MOMS_ANDEL)).quantize(Decimal("0.01"))
        b["fakturerat_kr"] = invoiced
    # The same visit invoiced twice under a new id (three cases).
    invoiced_rows = [b for b in besok if b["fakturerat_kr"] is not None and b["bosattningskommun"] == HEMKOMMUN]
    for i, b in enumerate(rng.sample(invoiced_rows, min(3, len(invoiced_rows))), start=1):
        besok.append(dict(b, besok_id=f"D{i:08d}"))

    budget = []
    for ar in range(FIRST_YEAR, last_year + 1):
        for insats in ("hemtjanst", "kommunal_primarvard"):
            rows = []
            for manad in range(1, 13):
                base_year = ar - 1 if ar > FIRST_YEAR else ar
                if (base_year, manad) == MISSING_MONTH:
                    base_year -= 1  # the outage month has no outcome to budget from
                cost = month_cost.get((base_year, manad, insats), Decimal(0))
                hours = month_hours.get((base_year, manad, insats), Decimal(0))
                factor = Decimal("1.05") if ar > FIRST_YEAR else Decimal("1.00")
                rows.append(dict(ar=ar, manad=manad, insats=insats,
                                 budget_kr=(cost * factor).quantize(Decimal("1000"), rounding=ROUND_HALF_UP).quantize(Decimal("0.01")),
                                 budget_timmar=(hours * Decimal("1.02")).quantize(Decimal("0.01"))))
            if ar == ANNUAL_BUDGET_YEAR:
                # This year's budget was decided as an annual sum only (manad null): the follow-up
                # spreads it by the previous year's monthly pattern.
                rows = [dict(ar=ar, manad=None, insats=insats, budget_kr=sum(r["budget_kr"] for r in rows),
                             budget_timmar=sum(r["budget_timmar"] for r in rows))]
            budget.extend(rows)

    nivaer = [dict(giltig_fran=dt.date(n.ar, 1, 1), giltig_till=dt.date(n.ar, 12, 31) if n.ar < last_year else None,
                   insats=n.insats, regi=None, kr_per_timme=n.kr.quantize(Decimal("0.01")), grund="utford",
                   momskompensation_ingar=False, kalla=n.kalla, beslut=n.beslut, preliminar=n.preliminar)
              for n in sorted(levels.values(), key=lambda n: (n.insats, n.ar))]

    insatspriser = [dict(giltig_fran=FORSOK_START, giltig_till=None, insatstyp=kod, benamning=namn,
                         regi="egen_regi", kr_per_insats=Decimal(kr).quantize(Decimal("0.01")), normtid_min=normtid,
                         kalla="Demodata: fiktiv prislista per insats (jfr Österåker, Dnr VON 2022/0007, bilaga 3)",
                         beslut=None)
                    for kod, (namn, kr, normtid) in sorted(INSATSTYPER.items())] if last >= FORSOK_START else []
    avgiftsregler = [dict(ar=ar, timtaxa_kr=Decimal(TIMTAXA_2019 + 10 * (ar - FIRST_YEAR)).quantize(Decimal("0.01")),
                          grund="beviljad", kalla="Demodata: fiktiv timtaxa för hemtjänst")
                     for ar in range(FIRST_YEAR, last_year + 1)]

    out = data_dir / "extracts"
    tmp = data_dir / "extracts.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "besok").mkdir(parents=True)
    for ar in range(FIRST_YEAR, last_year + 1):
        rows = sorted((b for b in besok if b["datum"].year == ar), key=lambda b: (b["datum"], b["besok_id"]))
        part = tmp / "besok" / f"ar={ar}"
        part.mkdir()
        _write(part / "besok.parquet", rows, BESOK_SCHEMA)
    _write(tmp / "utforare.parquet", [dict(zip(UTFORARE_SCHEMA.names, u)) for u in utforare], UTFORARE_SCHEMA)
    _write(tmp / "ersattningsnivaer.parquet", nivaer, NIVA_SCHEMA)
    _write(tmp / "budget.parquet", budget, BUDGET_SCHEMA)
    if insatspriser:
        _write(tmp / "insatspriser.parquet", insatspriser, INSATSPRIS_SCHEMA)
    _write(tmp / "avgiftsregler.parquet", avgiftsregler, AVGIFT_SCHEMA)
    _write(tmp / "vistelser.parquet", [dict(zip(VISTELSE_SCHEMA.names, v)) for v in
                                       sorted(vistelser, key=lambda v: (v[3], v[0]))], VISTELSE_SCHEMA)
    (tmp / "_demo.json").write_text(json.dumps(
        {"demodata": True, "seed": seed, "per_datum": as_of.isoformat(), "data_till_och_med": last.isoformat()},
        indent=2) + "\n", encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out


def _write(path: Path, rows: list[dict], schema: pa.Schema) -> None:
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path, compression="zstd")


def main() -> None:
    parser = argparse.ArgumentParser(description="Skapa demodata (fiktiv Härryda).")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--per-datum", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    out = generate(args.data_dir or installningar.data_dir(), args.per_datum or installningar.demo_as_of(),
                   args.seed if args.seed is not None else installningar.get("demo_seed"))
    print(f"Demodata skriven till {out}")


if __name__ == "__main__":
    main()
