"""Tests of the import of real extracts (issue 6): every bad input gets a Swedish message with
file, row, column, value and why, and leaves the stored Parquet files byte-identical."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import os
import random
import shutil
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beslutsstod.inlasning import importflode, lagra, pseudonym
from beslutsstod.inlasning.importflode import ImportFil, importera, importera_flera
from beslutsstod.inlasning.schema import TABELLER

REFERENS = Path(__file__).resolve().parent.parent / "data" / "reference"

BESOK_KOL = ["besok_id", "datum", "brukare_id", "bosattningskommun", "vistelsekommun",
             "utforare_id", "insats", "beviljad_min", "utford_min", "fakturerat_kr"]
GOD_BESOK = dict(besok_id="B1", datum="2024-07-03", brukare_id="P1", bosattningskommun="1401",
                 vistelsekommun="1407", utforare_id="U001", insats="hemtjanst",
                 beviljad_min="45", utford_min="40", fakturerat_kr="302,67")
UTFORARE_CSV = ("utforare_id;namn;regi;kommun\r\n"
                "U001;Hemtjänsten Öckerö;vistelsekommun;1407\r\n"
                "U002;Omsorg AB;privat;0180\r\n")
TAXOR_CSV = (
    "giltig_fran;giltig_till;insats;regi;kr_per_timme;grund;momskompensation_ingar;kalla;"
    "beslut;preliminar\r\n"
    "2024-01-01;2024-12-31;hemtjanst;;454;utford;false;Socialnämnden Härryda;SN 2024 § 45;false\r\n"
    "2024-01-01;2024-12-31;kommunal_primarvard;;828;beviljad;false;VästKom;"
    "VästKom 2024-03-21 § 11;false\r\n")


def besok_csv(*rader: dict, sep: str = ";", kolumner: list[str] = BESOK_KOL) -> str:
    """A besok CSV; each row is GOD_BESOK with the given changes."""
    ut = [sep.join(kolumner)]
    for andring in rader:
        rad = {**GOD_BESOK, **andring}
        ut.append(sep.join(str(rad.get(k, "")) for k in kolumner))
    return "\r\n".join(ut) + "\r\n"


def skriv(katalog: Path, namn: str, text: str, kodning: str = "utf-8") -> Path:
    sokvag = katalog / namn
    sokvag.write_bytes(text.encode(kodning))
    return sokvag


def hashar(data_dir: Path) -> dict[str, str]:
    """sha256 of every stored Parquet file (and a check that no temp file is left)."""
    ext = data_dir / "extracts"
    assert not list(ext.rglob("*.tmp-*")), "temporary files left behind"
    return {str(p.relative_to(ext)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(ext.rglob("*.parquet"))}


def las(data_dir: Path, tabell: str, sql: str = "select * from t order by all") -> list[tuple]:
    con = duckdb.connect()
    con.execute(f"create view t as select * from {lagra.lagrad_relation(con, data_dir, tabell)}")
    return con.execute(sql).fetchall()


def ny_datakatalog(rot: Path) -> Path:
    data_dir = rot / "data"
    (data_dir / "reference").mkdir(parents=True)
    shutil.copy(REFERENS / "kommuner.geojson", data_dir / "reference" / "kommuner.geojson")
    return data_dir


@pytest.fixture(scope="module")
def bas(tmp_path_factory) -> Path:
    """A data directory with stored utforare, ersattningsnivaer and visits in 2023 and 2024."""
    rot = tmp_path_factory.mktemp("bas")
    data_dir = ny_datakatalog(rot)
    for tabell, text in (("utforare", UTFORARE_CSV), ("ersattningsnivaer", TAXOR_CSV)):
        assert importera(tabell, skriv(rot, f"{tabell}.csv", text), data_dir).ok
    text = besok_csv({}, dict(besok_id="B2", datum="2023-12-30", utforare_id="U002"),
                     dict(besok_id="B3", insats="kommunal_primarvard", fakturerat_kr=""))
    resultat = importera("besok", skriv(rot, "besok.csv", text), data_dir)
    assert resultat.ok, resultat.rapport()
    return data_dir


@pytest.fixture
def data_dir(bas, tmp_path) -> Path:
    kopia = tmp_path / "data"
    shutil.copytree(bas, kopia)
    return kopia


def ett_problem(resultat, kod: str):
    traffar = [p for p in resultat.problem if p.kod == kod]
    assert traffar, resultat.rapport()
    return traffar[0]


def avvisad(resultat, data_dir: Path, fore: dict[str, str]) -> None:
    assert not resultat.ok
    assert resultat.filer[0].status == importflode.AVVISAD
    assert hashar(data_dir) == fore  # same bytes: nothing was written


# ---------------------------------------------------------------- bad cells, one case each

# (id, table, file text, import options, kod, rad, kolumn, varde, words the reason must contain)
FALL = [
    ("text_i_tal", "besok", besok_csv(dict(utford_min="fyrtio")), {}, "inte_tal", 2,
     "utford_min", "fyrtio", "värdet 'fyrtio' är inte ett tal"),
    ("omojligt_datum", "besok", besok_csv({}, dict(besok_id="B9", datum="2023-02-30")), {},
     "datum_finns_inte", 3, "datum", "2023-02-30", "finns inte i kalendern"),
    ("datum_fel_format", "besok", besok_csv(dict(datum="03/07/2024")), {}, "datum_format", 2,
     "datum", "03/07/2024", "ÅÅÅÅ-MM-DD (skriv året först"),
    ("decimalkomma_dar_punkt_vantas", "besok", besok_csv(dict(fakturerat_kr="302,67")),
     {"decimal": "."}, "fel_decimaltecken", 2, "fakturerat_kr", "302,67",
     "har decimalkomma (,), men filen använder decimalpunkt (.)"),
    ("decimalpunkt_dar_komma_vantas", "besok", besok_csv(dict(fakturerat_kr="302.67")),
     {"decimal": ","}, "fel_decimaltecken", 2, "fakturerat_kr", "302.67",
     "har decimalpunkt (.), men filen använder decimalkomma (,)"),
    ("okand_kommun", "besok", besok_csv(dict(vistelsekommun="9999")), {}, "okand_kommun", 2,
     "vistelsekommun", "9999", "inte en av Sveriges 290 kommunkoder"),
    ("okand_insats", "besok", besok_csv(dict(insats="hemsjukvård")), {}, "okant_varde", 2,
     "insats", "hemsjukvård", "tillåtna värden är hemtjanst och kommunal_primarvard"),
    ("okand_utforare", "besok", besok_csv(dict(utforare_id="U999")), {}, "okand_utforare", 2,
     "utforare_id", "U999", "finns inte i utförarregistret"),
    ("negativa_minuter", "besok", besok_csv(dict(utford_min="-5")), {}, "negativ_tid", 2,
     "utford_min", "-5", "värdet '-5' är negativt; minuter måste vara 0 eller mer."),
    ("mer_an_24_timmar", "besok", besok_csv(dict(beviljad_min="1441")), {}, "over_24h", 2,
     "beviljad_min", "1441", "mer än 24 timmar (1 440 minuter)"),
    ("minuter_med_decimal", "besok", besok_csv(dict(utford_min="40,5")), {}, "inte_heltal", 2,
     "utford_min", "40,5", "inte ett heltal; utford_min anges i hela minuter"),
    # kommunal_primarvard is paid per granted time (TAXOR_CSV), so granted time is needed.
    ("beviljad_saknas", "besok",
     besok_csv(dict(insats="kommunal_primarvard", beviljad_min="")), {}, "beviljad_saknas", 2,
     "beviljad_min", None, "betalas per beviljad tid"),
    ("dubblett_besok_id", "besok", besok_csv({}, dict(datum="2024-07-04")), {}, "dubblett", 3,
     "besok_id", "B1", "finns redan på rad 2; varje besök får bara finnas en gång"),
    ("saknat_varde", "besok", besok_csv(dict(brukare_id="")), {}, "saknas", 2, "brukare_id",
     None, "värde saknas; brukare_id måste vara ifylld"),
    ("id_med_aao", "besok", besok_csv(dict(besok_id="Bå1")), {}, "id_ej_ascii", 2, "besok_id",
     "Bå1", "andra tecken än ASCII"),
    ("okand_regi", "utforare", "utforare_id;namn;regi;kommun\nU1;A;LOV;1401\n", {},
     "okant_varde", 2, "regi", "LOV", "egen_regi och privat och vistelsekommun"),
    ("taxa_noll", "ersattningsnivaer", TAXOR_CSV.replace(";454;", ";0;"), {},
     "taxa_ej_positiv", 2, "kr_per_timme", "0", "timtaxan '0' är noll"),
    ("taxa_negativ", "ersattningsnivaer", TAXOR_CSV.replace(";454;", ";-454;"), {},
     "taxa_ej_positiv", 2, "kr_per_timme", "-454", "är negativ"),
    ("taxa_period_overlappar", "ersattningsnivaer",
     TAXOR_CSV + "2024-07-01;;hemtjanst;;470;utford;false;SN;SN 2024 § 60;false\r\n", {},
     "period_overlapp", 4, "giltig_fran", "2024-07-01–tills vidare",
     "överlappar perioden 2024-01-01–2024-12-31 på rad 2 för insats hemtjanst"),
    ("taxa_period_omvand", "ersattningsnivaer", TAXOR_CSV.replace(
        "2024-01-01;2024-12-31;hemtjanst", "2024-01-01;2023-12-31;hemtjanst"), {},
     "period_omvand", 2, "giltig_till", "2023-12-31", "ligger före giltig_fran 2024-01-01"),
    ("budget_manad_13", "budget",
     "ar;manad;insats;budget_kr\n2024;12;hemtjanst;1000\n2024;13;hemtjanst;1000\n", {},
     "manad_utanfor", 3, "manad", "13", "månad anges som 1–12"),
    ("budget_manad_0", "budget", "ar;manad;insats;budget_kr\n2024;0;hemtjanst;1000\n", {},
     "manad_utanfor", 2, "manad", "0", "månad anges som 1–12"),
    ("budget_dubblett_arsrad", "budget",
     "ar;manad;insats;budget_kr\n2024;;hemtjanst;1000\n2024;;hemtjanst;900\n", {}, "dubblett",
     3, "ar, manad, insats", "2024, (tom), hemtjanst", "finns redan på rad 2; varje kombination "
     "av år, månad och insats får bara finnas en gång"),
    ("vistelse_omvand", "vistelser",
     "brukare_id;bosattningskommun;vistelsekommun;fran;till\nP1;1401;1407;2024-08-01;2024-06-01\n",
     {}, "period_omvand", 2, "till", "2024-06-01", "ligger före fran 2024-08-01"),
    ("personnummer", "besok", besok_csv(dict(brukare_id="19121212-1212")), {}, "personnummer",
     2, "brukare_id", "19121212-****", "ser ut som ett personnummer. brukare_id måste vara en "
     "pseudonym"),
    ("samordningsnummer", "vistelser",
     "brukare_id;bosattningskommun;vistelsekommun;fran;till\n"
     "701063-2391;1401;1407;2024-06-01;2024-08-01\n", {}, "personnummer", 2, "brukare_id",
     "701063-****", "ser ut som ett samordningsnummer"),
    ("for_manga_falt", "besok", besok_csv({}) + "B7;2024-07-03;P1;1401;1407;U001;hemtjanst;45;"
     "40;302;67\r\n", {}, "for_manga_falt", 3, None,
     "B7;2024-07-03;P1;1401;1407;U001;hemtjanst;45;40;302;67", "raden har 11 fält men "
     "rubrikraden har 10"),
]


@pytest.mark.parametrize("fall", FALL, ids=[f[0] for f in FALL])
def test_felaktigt_varde_ger_svenskt_meddelande_och_lamnar_data_orord(fall, data_dir, tmp_path):
    namn, tabell, text, val, kod, rad, kolumn, varde, orsak = fall
    fore = hashar(data_dir)
    fil = skriv(tmp_path, f"{namn}.csv", text)
    resultat = importera(tabell, fil, data_dir, **val)
    avvisad(resultat, data_dir, fore)
    p = ett_problem(resultat, kod)
    assert (p.fil, p.rad, p.kolumn, p.varde) == (f"{namn}.csv", rad, kolumn, varde)
    assert orsak in p.orsak
    prefix = f"Rad {rad}, kolumn {kolumn}: " if kolumn else f"Rad {rad}: "
    assert p.text.startswith(prefix)
    assert p.text in resultat.rapport()


def test_alla_problem_i_en_fil_rapporteras_inte_bara_det_forsta(data_dir, tmp_path):
    fore = hashar(data_dir)
    text = besok_csv(dict(utford_min="-5"), dict(besok_id="B8", datum="2023-02-30"),
                     dict(besok_id="B9", vistelsekommun="9999", insats="x"),
                     dict(besok_id="B9"))
    resultat = importera("besok", skriv(tmp_path, "b.csv", text), data_dir)
    avvisad(resultat, data_dir, fore)
    funna = {(p.rad, p.kolumn, p.kod) for p in resultat.problem}
    assert funna == {(2, "utford_min", "negativ_tid"), (3, "datum", "datum_finns_inte"),
                     (4, "vistelsekommun", "okand_kommun"), (4, "insats", "okant_varde"),
                     (5, "besok_id", "dubblett")}
    assert resultat.filer[0].avvisade == 4  # rows 2, 3, 4 and 5
    assert resultat.filer[0].antal_fel == 5


def test_radnummer_raknar_tomma_rader_som_anvandaren_ser_dem(data_dir, tmp_path):
    # Line 1 header, 2 good, 3 empty, 4 too few fields, 5 empty, 6 negative minutes.
    text = (besok_csv({}) + "\r\nB5;2024-07-03\r\n\r\n"
            + besok_csv(dict(besok_id="B6", utford_min="-1")).split("\r\n", 1)[1])
    resultat = importera("besok", skriv(tmp_path, "b.csv", text), data_dir)
    assert ett_problem(resultat, "for_fa_falt").rad == 4
    assert ett_problem(resultat, "negativ_tid").rad == 6


# ---------------------------------------------------------------- bad files

def test_tom_fil(data_dir, tmp_path):
    fore = hashar(data_dir)
    resultat = importera("besok", skriv(tmp_path, "tom.csv", ""), data_dir)
    avvisad(resultat, data_dir, fore)
    assert ett_problem(resultat, "tom_fil").text == "Filen är tom (0 byte)."


def test_bara_rubrikrad(data_dir, tmp_path):
    fore = hashar(data_dir)
    resultat = importera("besok", skriv(tmp_path, "b.csv", besok_csv()), data_dir)
    avvisad(resultat, data_dir, fore)
    assert "inga datarader" in ett_problem(resultat, "inga_rader").orsak


def test_avkortad_csv(data_dir, tmp_path):
    fore = hashar(data_dir)
    hel = besok_csv({}, dict(besok_id="B2"))
    resultat = importera("besok", skriv(tmp_path, "b.csv", hel[:-20]), data_dir)
    avvisad(resultat, data_dir, fore)
    p = ett_problem(resultat, "avkortad")
    assert (p.rad, p.varde) == (3, hel[:-20].splitlines()[-1])
    assert "verkar avkortad" in p.orsak


def test_avkortad_mitt_i_tecken(data_dir, tmp_path):
    fore = hashar(data_dir)
    data = UTFORARE_CSV.encode("utf-8")
    slut = data.index("Ö".encode("utf-8")) + 1  # cut between the two bytes of 'Ö'
    fil = tmp_path / "u.csv"
    fil.write_bytes(data[:slut])
    resultat = importera("utforare", fil, data_dir)
    avvisad(resultat, data_dir, fore)
    assert ett_problem(resultat, "avkortad").rad == 2


def test_avkortad_xlsx(data_dir, tmp_path):
    fore = hashar(data_dir)
    data = importflode.mall("besok", "xlsx")
    fil = tmp_path / "besok.xlsx"
    fil.write_bytes(data[: len(data) // 2])
    resultat = importera("besok", fil, data_dir)
    avvisad(resultat, data_dir, fore)
    assert "kunde inte läsas som Excel-arbetsbok" in ett_problem(resultat, "skadad_xlsx").orsak


@pytest.mark.parametrize("innehall,kod", [
    (b"\x00\x01\x02binary\x00", "binar_fil"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls_format"),
    (b"\xff\xfeb\x00e\x00", "utf16"),
    (b"PK\x03\x04rest", "xlsx_som_csv"),
])
def test_olasbar_fil(innehall, kod, data_dir, tmp_path):
    fore = hashar(data_dir)
    fil = tmp_path / "b.csv"
    fil.write_bytes(innehall)
    resultat = importera("besok", fil, data_dir)
    avvisad(resultat, data_dir, fore)
    assert ett_problem(resultat, kod).fil == "b.csv"


def test_fel_filandelse(data_dir, tmp_path):
    resultat = importera("besok", skriv(tmp_path, "b.txt", besok_csv({})), data_dir)
    assert ett_problem(resultat, "fel_filandelse").orsak.startswith("filtypen '.txt'")


def test_fel_kodning_angiven_utf8_for_windows1252(data_dir, tmp_path):
    fore = hashar(data_dir)
    fil = skriv(tmp_path, "u.csv", UTFORARE_CSV, kodning="cp1252")
    resultat = importera("utforare", fil, data_dir, kodning="utf-8")
    avvisad(resultat, data_dir, fore)
    p = ett_problem(resultat, "okand_kodning")
    assert (p.rad, p.varde) == (2, "0xE4")  # 'ä' in "Hemtjänsten" is 0xE4 in Windows-1252
    assert "ange kodningen cp1252" in p.orsak


def test_fel_kodning_utf8_last_som_windows1252(data_dir, tmp_path):
    fore = hashar(data_dir)
    fil = skriv(tmp_path, "u.csv", UTFORARE_CSV, kodning="utf-8")
    resultat = importera("utforare", fil, data_dir, kodning="cp1252")
    avvisad(resultat, data_dir, fore)
    p = ett_problem(resultat, "mojibake")
    assert p.rad == 2 and "Ange kodningen utf-8" in p.orsak


def test_saknad_och_okand_kolumn(data_dir, tmp_path):
    fore = hashar(data_dir)
    kolumner = [k for k in BESOK_KOL if k != "utford_min"] + ["kommentar"]
    resultat = importera("besok", skriv(tmp_path, "b.csv", besok_csv({}, kolumner=kolumner)),
                         data_dir)
    avvisad(resultat, data_dir, fore)
    saknad = ett_problem(resultat, "saknad_kolumn")
    assert (saknad.rad, saknad.kolumn) == (1, "utford_min")
    assert saknad.text.startswith("Rad 1, kolumn utford_min: kolumnen utford_min saknas")
    okand = ett_problem(resultat, "okand_kolumn")
    assert (okand.rad, okand.varde) == (1, "kommentar")
    assert "finns inte i tabellen besok" in okand.orsak


def test_personnummer_refuses_all_variants(data_dir, tmp_path):
    fore = hashar(data_dir)
    varianter = ["19121212-1212", "191212121212", "121212-1212", "1212121212", "121212+1212",
                 "20000229-0005", "701063-2391"]
    text = besok_csv(*[dict(besok_id=f"B{i}", brukare_id=v) for i, v in enumerate(varianter)])
    resultat = importera("besok", skriv(tmp_path, "b.csv", text), data_dir)
    avvisad(resultat, data_dir, fore)
    flaggade = [p.rad for p in resultat.problem if p.kod == "personnummer"]
    assert flaggade == list(range(2, 2 + len(varianter)))
    assert all("****" in p.varde for p in resultat.problem if p.kod == "personnummer")


def test_luhn_ogiltiga_och_andra_nummer_flaggas_inte(data_dir, tmp_path):
    # Same shapes as personnummer but with a wrong check digit, an impossible date, a century
    # no living person has, or too few digits: ordinary pseudonyms, imported.
    ej_pnr = ["19121212-1213", "1212121213", "121212+1211", "19000229-0003", "171212121212",
              "121232-1212", "12121212", "P-19121212"]
    text = besok_csv(*[dict(besok_id=f"B{i}", brukare_id=v) for i, v in enumerate(ej_pnr)])
    resultat = importera("besok", skriv(tmp_path, "b.csv", text), data_dir)
    assert resultat.ok, resultat.rapport()
    assert [p for p in resultat.problem if p.kod == "personnummer"] == []


# ---------------------------------------------------------------- xlsx

def _arbetsbok(blad: dict[str, list[list]]) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for namn, rader in blad.items():
        ws = wb.create_sheet(namn)
        for rad in rader:
            ws.append(rad)
    return wb


def _besok_rader(*andringar: dict) -> list[list]:
    return [BESOK_KOL] + [[{**GOD_BESOK, **a}[k] for k in BESOK_KOL] for a in andringar]


def test_xlsx_sammanfogad_rubrik(data_dir, tmp_path):
    fore = hashar(data_dir)
    wb = _arbetsbok({"besok": _besok_rader({})})
    wb["besok"].merge_cells("H1:I1")
    wb.save(tmp_path / "b.xlsx")
    resultat = importera("besok", tmp_path / "b.xlsx", data_dir)
    avvisad(resultat, data_dir, fore)
    p = ett_problem(resultat, "sammanfogad_rubrik")
    assert (p.rad, p.varde) == (1, "H1:I1")
    assert "Varje kolumn måste ha en egen rubrik" in p.orsak


def test_xlsx_flera_blad_utan_tabellnamn(data_dir, tmp_path):
    fore = hashar(data_dir)
    wb = _arbetsbok({"Blad1": _besok_rader({}), "Blad2": [["anteckning"]], "Blad3": []})
    wb.save(tmp_path / "b.xlsx")
    resultat = importera("besok", tmp_path / "b.xlsx", data_dir)
    avvisad(resultat, data_dir, fore)
    assert "flera blad med innehåll (Blad1, Blad2) och inget heter 'besok'" in ett_problem(
        resultat, "flera_blad").orsak
    # Naming the sheet, or naming it like the table, works.
    assert importera("besok", tmp_path / "b.xlsx", data_dir, blad="Blad1").ok
    wb["Blad1"].title = "Besök"
    wb.save(tmp_path / "b2.xlsx")
    resultat = importera("besok", tmp_path / "b2.xlsx", data_dir)
    assert resultat.ok and resultat.filer[0].blad == "Besök"


def test_xlsx_formel_utan_sparat_varde(data_dir, tmp_path):
    fore = hashar(data_dir)
    rader = _besok_rader({})
    rader[1][BESOK_KOL.index("utford_min")] = "=H2-5"
    _arbetsbok({"besok": rader}).save(tmp_path / "b.xlsx")  # openpyxl stores no cached value
    resultat = importera("besok", tmp_path / "b.xlsx", data_dir)
    avvisad(resultat, data_dir, fore)
    p = ett_problem(resultat, "formel_utan_varde")
    assert (p.rad, p.kolumn, p.varde) == (2, "utford_min", "=H2-5")


def test_xlsx_formel_med_sparat_varde_laser_vardet(data_dir, tmp_path):
    rader = _besok_rader(dict(besok_id="B50", beviljad_min=45))
    rader[1][BESOK_KOL.index("utford_min")] = "=H2-5"
    _arbetsbok({"besok": rader}).save(tmp_path / "f.xlsx")
    # Add the value Excel would have cached when saving (45 - 5 = 40).
    med_varde = tmp_path / "b.xlsx"
    with zipfile.ZipFile(tmp_path / "f.xlsx") as zin, zipfile.ZipFile(med_varde, "w") as zut:
        for post in zin.infolist():
            data = zin.read(post.filename)
            if post.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"<f>H2-5</f><v></v>", b"<f>H2-5</f><v>40</v>")
            zut.writestr(post, data)
    resultat = importera("besok", med_varde, data_dir)
    assert resultat.ok, resultat.rapport()
    assert "1 celler innehöll formler" in resultat.rapport()
    assert las(data_dir, "besok", "select utford_min from t where besok_id = 'B50'") == [(40,)]


def test_xlsx_typer_fran_celler(data_dir, tmp_path):
    # Real Excel cells: a date cell, numbers, kommunkod typed as a number (leading zero lost).
    rader = [BESOK_KOL, ["B60", dt.datetime(2024, 3, 31), "P9", 1401, 180, "U002", "Hemtjänst",
                         60, 55.0, 412.5]]
    _arbetsbok({"data": rader}).save(tmp_path / "b.xlsx")
    resultat = importera("besok", tmp_path / "b.xlsx", data_dir)
    assert resultat.ok, resultat.rapport()
    assert ett_problem(resultat, "kommun_nolla").allvarlighet == "varning"
    assert las(data_dir, "besok", "select datum, vistelsekommun, insats, utford_min, "
               "fakturerat_kr from t where besok_id = 'B60'") == [
        (dt.date(2024, 3, 31), "0180", "hemtjanst", 55, decimal.Decimal("412.50"))]


def test_xlsx_rubrikrad_under_en_titel(data_dir, tmp_path):
    rader = [["Besök juli 2024 (export från Combine)"], []] + _besok_rader(dict(besok_id="B70"))
    _arbetsbok({"besok": rader}).save(tmp_path / "b.xlsx")
    resultat = importera("besok", tmp_path / "b.xlsx", data_dir)
    assert resultat.ok, resultat.rapport()
    assert "Läste bladet 'besok' med rubrikerna på rad 3; raderna 1–1 ovanför lästes inte." in (
        resultat.rapport())
    rader = [["Besök juli 2024"], []] + _besok_rader(dict(utford_min=-5))
    _arbetsbok({"besok": rader}).save(tmp_path / "fel.xlsx")
    p = ett_problem(importera("besok", tmp_path / "fel.xlsx", data_dir), "negativ_tid")
    assert (p.rad, p.varde) == (4, "-5")  # the sheet's own row number


# ---------------------------------------------------------------- successful imports

def test_windows1252_med_aao_och_decimalkomma(tmp_path):
    data_dir = ny_datakatalog(tmp_path)
    utforare = importera("utforare", skriv(tmp_path, "u.csv", UTFORARE_CSV, "cp1252"), data_dir)
    assert utforare.ok and utforare.filer[0].kodning == "Windows-1252"
    text = besok_csv(dict(fakturerat_kr="1 302,67"), dict(besok_id="B2", fakturerat_kr="-12,5"))
    resultat = importera("besok", skriv(tmp_path, "b.csv", text, "cp1252"), data_dir)
    assert resultat.ok, resultat.rapport()
    fil = resultat.filer[0]
    assert (fil.avgransare, fil.decimal) == (";", ",")
    assert las(data_dir, "utforare", "select namn from t order by 1") == [
        ("Hemtjänsten Öckerö",), ("Omsorg AB",)]
    # '1 302,67' (thousands space, decimal comma).
    assert las(data_dir, "besok", "select besok_id, fakturerat_kr from t order by 1") == [
        ("B1", decimal.Decimal("1302.67")), ("B2", decimal.Decimal("-12.50"))]


def test_kommaavgransad_utf8_med_bom(tmp_path):
    data_dir = ny_datakatalog(tmp_path)
    assert importera("utforare", skriv(tmp_path, "u.csv", "\ufeff" + UTFORARE_CSV), data_dir).ok
    # '−3.5' with the Unicode minus sign (U+2212) that Swedish number formats write.
    text = besok_csv(dict(fakturerat_kr="302.67"), dict(besok_id="B2", fakturerat_kr="−3.5"),
                     sep=",")
    resultat = importera("besok", skriv(tmp_path, "b.csv", "\ufeff" + text), data_dir)
    assert resultat.ok, resultat.rapport()
    assert (resultat.filer[0].avgransare, resultat.filer[0].decimal) == (",", ".")
    assert las(data_dir, "besok", "select fakturerat_kr from t order by besok_id") == [
        (decimal.Decimal("302.67"),), (decimal.Decimal("-3.50"),)]


def test_samma_fil_tva_ganger_andrar_ingenting(data_dir, tmp_path):
    fil = skriv(tmp_path, "b.csv", besok_csv(dict(besok_id="B10"), dict(besok_id="B11")))
    forsta = importera("besok", fil, data_dir)
    assert forsta.ok and forsta.filer[0].tillagda == 2
    fore, version = hashar(data_dir), importflode.read_data_version(data_dir)
    andra = importera("besok", fil, data_dir)
    assert andra.ok and andra.filer[0].status == importflode.OFORANDRAD
    assert (andra.filer[0].tillagda, andra.filer[0].ersatta, andra.filer[0].oforandrade) == (0, 0, 2)
    assert hashar(data_dir) == fore
    assert importflode.read_data_version(data_dir) == version and andra.dataversion is None


def test_delvis_omimport_ersatter_rader_per_besok_id(data_dir, tmp_path):
    fore = hashar(data_dir)
    # B1 gets new minutes; B2 moves from 2023-12-30 to 2024; B12 is new.
    text = besok_csv(dict(utford_min="35"), dict(besok_id="B2", datum="2024-01-02",
                                                 utforare_id="U002"), dict(besok_id="B12"))
    resultat = importera("besok", skriv(tmp_path, "b.csv", text), data_dir)
    assert resultat.ok, resultat.rapport()
    assert (resultat.filer[0].tillagda, resultat.filer[0].ersatta) == (1, 2)
    assert las(data_dir, "besok", "select besok_id, datum, utford_min, ar from t order by 1") == [
        ("B1", dt.date(2024, 7, 3), 35, 2024), ("B12", dt.date(2024, 7, 3), 40, 2024),
        ("B2", dt.date(2024, 1, 2), 40, 2024), ("B3", dt.date(2024, 7, 3), 40, 2024)]
    efter = hashar(data_dir)
    assert "besok/ar=2023/besok.parquet" in fore and "besok/ar=2023/besok.parquet" not in efter
    assert efter["besok/ar=2024/besok.parquet"] != fore["besok/ar=2024/besok.parquet"]
    assert efter["utforare.parquet"] == fore["utforare.parquet"]


def test_omimport_skriver_bara_berorda_ar(data_dir, tmp_path):
    fore = hashar(data_dir)
    resultat = importera("besok", skriv(tmp_path, "b.csv", besok_csv(
        dict(besok_id="B13", datum="2022-05-01"))), data_dir)
    assert resultat.ok
    efter = hashar(data_dir)
    assert "besok/ar=2022/besok.parquet" in efter
    assert efter["besok/ar=2023/besok.parquet"] == fore["besok/ar=2023/besok.parquet"]
    assert efter["besok/ar=2024/besok.parquet"] == fore["besok/ar=2024/besok.parquet"]


def test_varning_stoppar_inte_importen(data_dir, tmp_path):
    # hemtjanst is paid per delivered time, so missing granted time is only a warning.
    resultat = importera("besok", skriv(tmp_path, "b.csv", besok_csv(
        dict(besok_id="B14", beviljad_min=""))), data_dir)
    assert resultat.ok
    p = ett_problem(resultat, "beviljad_saknas_varning")
    assert (p.rad, p.kolumn, p.allvarlighet) == (2, "beviljad_min", "varning")
    assert las(data_dir, "besok", "select beviljad_min from t where besok_id = 'B14'") == [(None,)]


def test_budget_ersatter_filens_ar_och_behaller_andra(tmp_path):
    data_dir = ny_datakatalog(tmp_path)
    forsta = "ar;manad;insats;budget_kr\n2023;1;hemtjanst;100\n2024;1;hemtjanst;200\n" \
             "2024;2;hemtjanst;300\n"
    assert importera("budget", skriv(tmp_path, "b1.csv", forsta), data_dir).ok
    # The revised 2024 budget no longer has February; 2023 is untouched.
    resultat = importera("budget", skriv(tmp_path, "b2.csv",
                                         "ar;manad;insats;budget_kr\n2024;1;hemtjanst;250\n"),
                         data_dir)
    assert resultat.ok
    assert (resultat.filer[0].ersatta, resultat.filer[0].borttagna) == (1, 1)
    assert las(data_dir, "budget", "select ar, manad, budget_kr from t order by 1, 2") == [
        (2023, 1, decimal.Decimal("100.00")), (2024, 1, decimal.Decimal("250.00"))]


def test_budget_arsbudget_och_blandning(tmp_path):
    data_dir = ny_datakatalog(tmp_path)
    # 2023 as an annual sum (empty month), 2024 per month; a mix within one year is refused.
    text = "ar;manad;insats;budget_kr\n2023;;hemtjanst;1200\n2024;3;hemtjanst;100\n"
    assert importera("budget", skriv(tmp_path, "b.csv", text), data_dir).ok
    status = {s.tabell: s for s in importflode.sammanfatta(data_dir)}["budget"]
    # The annual row covers 2023-01..12; 2024 has only March, so January and February are empty.
    assert (status.forsta_datum, status.sista_datum) == (dt.date(2023, 1, 1), dt.date(2024, 3, 1))
    assert status.manader_utan_data == ["2024-01", "2024-02"]
    fore = hashar(data_dir)
    blandad = "ar;manad;insats;budget_kr\n2024;;hemtjanst;1200\n2024;1;hemtjanst;100\n"
    resultat = importera("budget", skriv(tmp_path, "fel.csv", blandad), data_dir)
    avvisad(resultat, data_dir, fore)
    p = ett_problem(resultat, "budget_blandad")
    assert (p.rad, p.kolumn, p.varde) == (3, "manad", "2024")
    assert "både en årsbudget (tom månad, rad 2) och månadsbudget för insats hemtjanst" in p.orsak


def test_demodata_ersatts_helt_av_forsta_importen(data_dir, tmp_path):
    # Pretend the stored extracts are the built-in demo data.
    (data_dir / "extracts" / "_demo.json").write_text('{"demodata": true}')
    resultat = importera("utforare", skriv(tmp_path, "u.csv", UTFORARE_CSV), data_dir)
    assert resultat.ok, resultat.rapport()
    assert "Demodata fanns och har tagits bort" in resultat.rapport()
    assert list(hashar(data_dir)) == ["utforare.parquet"]
    assert not lagra.har_demodata(data_dir)


def test_ogiltigt_val_avvisas(data_dir, tmp_path):
    fil = skriv(tmp_path, "b.csv", besok_csv({}))
    resultat = importera("besok", fil, data_dir, decimal="x")
    assert ett_problem(resultat, "ogiltigt_val").orsak.startswith("Decimaltecknet 'x' är okänt")


def test_utforare_som_anvands_av_lagrade_besok_kan_inte_tas_bort(data_dir, tmp_path):
    fore = hashar(data_dir)
    text = "utforare_id;namn;regi;kommun\nU001;Hemtjänsten Öckerö;vistelsekommun;1407\n"
    resultat = importera("utforare", skriv(tmp_path, "u.csv", text), data_dir)
    avvisad(resultat, data_dir, fore)
    p = ett_problem(resultat, "utforare_anvands")
    assert p.varde == "U002" and p.orsak.startswith("1 lagrade besök hänvisar")


def test_utforare_och_besok_i_samma_import(tmp_path):
    data_dir = ny_datakatalog(tmp_path)
    filer = [ImportFil("besok", skriv(tmp_path, "b.csv", besok_csv({}))),
             ImportFil("utforare", skriv(tmp_path, "u.csv", UTFORARE_CSV))]
    resultat = importera_flera(filer, data_dir)
    assert resultat.ok, resultat.rapport()
    assert [f.status for f in resultat.filer] == [importflode.GENOMFORD, importflode.GENOMFORD]


def test_en_felaktig_fil_stoppar_hela_importen(tmp_path):
    data_dir = ny_datakatalog(tmp_path)
    filer = [ImportFil("utforare", skriv(tmp_path, "u.csv", UTFORARE_CSV)),
             ImportFil("besok", skriv(tmp_path, "b.csv", besok_csv(dict(utford_min="-1"))))]
    resultat = importera_flera(filer, data_dir)
    assert [f.status for f in resultat.filer] == [importflode.EJ_GENOMFORD, importflode.AVVISAD]
    assert hashar(data_dir) == {}


def test_uppladdning_anvander_aldrig_anvandarens_sokvag(tmp_path):
    data_dir = ny_datakatalog(tmp_path)
    fil = ImportFil("utforare", innehall=UTFORARE_CSV.encode(), filnamn="../../etc/u.csv")
    resultat = importera_flera([fil], data_dir, max_bytes=1_000_000)
    assert resultat.ok and resultat.filer[0].fil == "u.csv"
    # 2 097 153 bytes = 2.000001 MB of 1 048 576 bytes, shown with one decimal.
    stor = ImportFil("utforare", innehall=b"x" * (2 * 1024 * 1024 + 1), filnamn="u.csv")
    resultat = importera_flera([stor], data_dir, max_bytes=1024 * 1024)
    assert ett_problem(resultat, "for_stor").orsak == "filen är 2,0 MB, större än gränsen 1,0 MB."


def test_ovantat_fel_avvisar_filen_och_lamnar_data_orord(data_dir, tmp_path, monkeypatch):
    fore = hashar(data_dir)

    def trasig(*args, **kwargs):
        raise RuntimeError("simulerat fel")

    monkeypatch.setattr(importflode, "validera", trasig)
    resultat = importera("besok", skriv(tmp_path, "b.csv", besok_csv(dict(besok_id="B90"))),
                         data_dir)
    avvisad(resultat, data_dir, fore)
    assert "(Teknisk detalj: simulerat fel)" in ett_problem(resultat, "internt_fel").orsak
    assert importflode.las_importlogg(data_dir)[-1]["status"] == "avvisad"


def test_demodata_exporterad_som_csv_importeras_identiskt(tmp_path):
    # The demo generator writes the extract contract; exporting each table to CSV and
    # importing all five in one batch must give back exactly the same rows.
    from beslutsstod.data import demo

    kalla = ny_datakatalog(tmp_path / "kalla")
    demo.generate(kalla, dt.date(2025, 10, 15), 42)
    mal = ny_datakatalog(tmp_path / "mal")
    con = duckdb.connect()
    filer = []
    for tabell in ("besok", "utforare", "ersattningsnivaer", "budget", "vistelser"):
        csv = tmp_path / f"{tabell}.csv"
        kolumner = ", ".join(TABELLER[tabell].kolumnnamn)
        con.execute(f"copy (select {kolumner} from {lagra.lagrad_relation(con, kalla, tabell)})"
                    " to $csv (header, delimiter ';')", {"csv": str(csv)})
        filer.append(ImportFil(tabell, csv))
    resultat = importera_flera(filer, mal)
    assert resultat.ok, resultat.rapport()
    for tabell in ("besok", "utforare", "ersattningsnivaer", "budget", "vistelser"):
        sql = f"select {', '.join(TABELLER[tabell].kolumnnamn)} from t order by all"
        assert las(kalla, tabell, sql) == las(mal, tabell, sql), tabell


# ---------------------------------------------------------------- pseudonymisation

NYCKEL = "en-hemlig-nyckel-som-ar-lang-nog"


def test_pseudonymisering_med_nyckel(tmp_path):
    data_dir = ny_datakatalog(tmp_path)
    assert importera("utforare", skriv(tmp_path, "u.csv", UTFORARE_CSV), data_dir).ok
    text = besok_csv(dict(brukare_id="19121212-1212"),
                     dict(besok_id="B2", brukare_id="121212-1212"),
                     dict(besok_id="B3", brukare_id="P7"))
    resultat = importera("besok", skriv(tmp_path, "b.csv", text), data_dir, pseudonymisera=True,
                         nyckel=NYCKEL)
    assert resultat.ok, resultat.rapport()
    assert resultat.filer[0].pseudonymiserade == 2
    ps = pseudonym.pseudonym("19121212-1212", NYCKEL)
    assert ps.startswith("ps_") and len(ps) == 23
    # Both spellings of the same person get the same pseudonym; P7 is left alone.
    assert las(data_dir, "besok", "select besok_id, brukare_id from t order by 1") == [
        ("B1", ps), ("B2", ps), ("B3", "P7")]
    rapport_och_logg = resultat.rapport() + lagra.logg_sokvag(data_dir).read_text()
    assert "1212-1212" not in rapport_och_logg and NYCKEL not in rapport_och_logg


@pytest.mark.parametrize("nyckel", [None, "kort"])
def test_pseudonymisering_utan_giltig_nyckel_avvisas(nyckel, data_dir, tmp_path):
    fore = hashar(data_dir)
    fil = skriv(tmp_path, "b.csv", besok_csv(dict(brukare_id="19121212-1212")))
    resultat = importera("besok", fil, data_dir, pseudonymisera=True, nyckel=nyckel)
    avvisad(resultat, data_dir, fore)
    assert "nyckel" in ett_problem(resultat, "ogiltig_nyckel").orsak.lower()


def test_pseudonym_ar_nyckelberoende():
    assert pseudonym.pseudonym("121212-1212", NYCKEL) != pseudonym.pseudonym(
        "121212-1212", NYCKEL + "x")


_PNR_CON: list = []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(
    st.from_regex(r"\A(18|19|20|17)?[0-9]{2}(0[0-9]|1[0-3])([0-3][0-9]|[6-9][0-9])[-+]?[0-9]{4}\Z"),
    st.text(alphabet="0123456789-+ ", max_size=14)), min_size=1, max_size=100))
def test_sql_och_python_regeln_for_personnummer_ar_lika(varden):
    if not _PNR_CON:
        _PNR_CON.append(duckdb.connect())
        pseudonym.registrera_makron(_PNR_CON[0])
    con = _PNR_CON[0]
    sql = con.execute("select pnr_typ(v) from unnest($v) with ordinality u(v, i) order by i",
                      {"v": varden}).fetchall()
    assert [r[0] for r in sql] == [pseudonym.personnummer_typ(v) for v in varden]


def test_luhn_handrakning():
    # 811218-987C: digits 8 1 1 2 1 8 9 8 7, weights 2 1 2 1 2 1 2 1 2:
    # 16->1+6=7, 1, 2, 2, 2, 8, 18->1+8=9, 8, 14->1+4=5; sum 44, so C = (10 - 4) % 10 = 6.
    assert pseudonym.luhn_ok("8112189876")
    assert not pseudonym.luhn_ok("8112189875")


# ---------------------------------------------------------------- log, version, summary

def test_importlogg_och_dataversion(data_dir, tmp_path):
    fore = len(importflode.las_importlogg(data_dir))
    version = importflode.read_data_version(data_dir)
    fil = skriv(tmp_path, "b.csv", besok_csv(dict(besok_id="B20")))
    resultat = importera("besok", fil, data_dir)
    assert resultat.dataversion and resultat.dataversion != version
    assert importflode.read_data_version(data_dir) == resultat.dataversion
    importera("besok", skriv(tmp_path, "fel.csv", besok_csv(dict(utford_min="-1"))), data_dir)
    logg = importflode.las_importlogg(data_dir)[fore:]
    assert [(p["fil"], p["status"], p["tillagda"], p["avvisade"]) for p in logg] == [
        ("b.csv", "genomford", 1, 0), ("fel.csv", "avvisad", 0, 1)]
    assert logg[0]["sha256"] == hashlib.sha256(fil.read_bytes()).hexdigest()


def test_bump_data_version_ger_ny_token(tmp_path):
    a = importflode.bump_data_version(tmp_path)
    b = importflode.bump_data_version(tmp_path)
    assert a != b and importflode.read_data_version(tmp_path) == b
    assert json.loads((tmp_path / "extracts" / "_version.json").read_text())["token"] == b


def test_en_import_byter_dataversionen_och_cachade_fragor_ser_nya_data(data_dir, tmp_path, monkeypatch):
    """The data version is the cache key of every query result (ui.run): one token, changed by an
    import's commit (the import log's dataversion) and by nothing else."""
    from beslutsstod import ui
    from beslutsstod.data import db

    for tabell, text in (("budget", "ar;manad;insats;budget_kr\r\n2024;;hemtjanst;100000\r\n"),
                         ("vistelser", "brukare_id;bosattningskommun;vistelsekommun;fran;till\r\n"
                                       "P1;1401;1407;2024-06-01;2024-08-31\r\n")):
        assert importera(tabell, skriv(tmp_path, f"{tabell}.csv", text), data_dir).ok
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(data_dir))
    extrakt = data_dir / "extracts"
    fore = db.data_version(extrakt)
    assert fore == importflode.read_data_version(data_dir) == ui.data_version()
    korningar = []
    query = db.Database.query
    monkeypatch.setattr(db.Database, "query", lambda self, *a, **k: korningar.append(a[0]) or query(self, *a, **k))
    params = dict(riktning="kostnad", ar=2024, till_manad=12, jmf_manader=[], insatser=[], regier=[], kommuner=[])

    def besok_2024() -> int:
        return int(ui.run("oversikt/nyckeltal", params).set_index("ar").loc[2024, "antal_besok"])

    assert besok_2024() == 2 and besok_2024() == 2
    assert korningar == ["oversikt/nyckeltal"]  # the second answer came from the cache
    # Nothing but an import changes the version: not a refused import, nor a file's time stamp.
    assert not importera("besok", skriv(tmp_path, "fel.csv", besok_csv(dict(utford_min="-1"))), data_dir).ok
    for fil in extrakt.rglob("*.parquet"):
        os.utime(fil)
    assert db.data_version(extrakt) == fore and besok_2024() == 2 and len(korningar) == 1

    resultat = importera("besok", skriv(tmp_path, "ny.csv", besok_csv(dict(besok_id="B99"))), data_dir)
    assert resultat.ok and resultat.filer[0].tillagda == 1
    efter = db.data_version(extrakt)
    assert efter != fore and efter == resultat.dataversion == importflode.read_data_version(data_dir)
    # a new key: computed again, with the new visit (the import itself also ran the protected view's
    # first questions, vyer/forvarm.py, which are not this one)
    assert besok_2024() == 3 and korningar.count("oversikt/nyckeltal") == 2


def test_sammanfattning(tmp_path):
    data_dir = ny_datakatalog(tmp_path)
    assert importera("utforare", skriv(tmp_path, "u.csv", UTFORARE_CSV), data_dir).ok
    # Visits in January, February and May 2024: March and April have no data.
    text = besok_csv(dict(datum="2024-01-15"), dict(besok_id="B2", datum="2024-02-01"),
                     dict(besok_id="B3", datum="2024-05-31"))
    assert importera("besok", skriv(tmp_path, "b.csv", text), data_dir).ok
    status = {s.tabell: s for s in importflode.sammanfatta(data_dir)}
    besok = status["besok"]
    assert (besok.rader, besok.forsta_datum, besok.sista_datum) == (
        3, dt.date(2024, 1, 15), dt.date(2024, 5, 31))
    assert besok.manader_utan_data == ["2024-03", "2024-04"]
    assert besok.senaste_import["fil"] == "b.csv" and besok.senaste_import["tillagda"] == 3
    assert besok.filer == 1
    assert (status["utforare"].rader, status["utforare"].forsta_datum) == (2, None)
    assert (status["budget"].rader, status["budget"].senaste_import) == (0, None)


# ---------------------------------------------------------------- atomicity

def test_avbruten_commit_fullfors_av_aterstallning(data_dir, tmp_path, monkeypatch):
    # A two-year import that crashes after the first rename is completed on recovery.
    text = besok_csv(dict(besok_id="B30", datum="2021-01-01"),
                     dict(besok_id="B31", datum="2022-01-01"))
    riktig = os.replace
    anrop = []

    def krasch_efter_forsta(src, dst):
        if str(dst).endswith(".parquet") and anrop:
            raise OSError("strömavbrott")
        riktig(src, dst)
        if str(dst).endswith(".parquet"):
            anrop.append(dst)

    monkeypatch.setattr(lagra.os, "replace", krasch_efter_forsta)
    with pytest.raises(OSError):
        importera("besok", skriv(tmp_path, "b.csv", text), data_dir)
    monkeypatch.setattr(lagra.os, "replace", riktig)
    assert (data_dir / "extracts" / "_pagaende_import.json").exists()
    assert importflode.aterstall_avbruten_import(data_dir)
    assert las(data_dir, "besok", "select besok_id from t where ar < 2023 order by 1") == [
        ("B30",), ("B31",)]
    assert not (data_dir / "extracts" / "_pagaende_import.json").exists()
    hashar(data_dir)  # no temp file left


def test_samtidig_import_avvisas(data_dir, tmp_path):
    fore = hashar(data_dir)
    with lagra.importlas(data_dir):
        resultat = importera("besok", skriv(tmp_path, "b.csv", besok_csv({})), data_dir)
    avvisad(resultat, data_dir, fore)
    assert ett_problem(resultat, "import_pagar").orsak.startswith("en annan import pågår")


# ---------------------------------------------------------------- templates and CLI

@pytest.mark.parametrize("format", ["xlsx", "csv"])
def test_mallar_kan_importeras(format, tmp_path):
    data_dir = ny_datakatalog(tmp_path)
    for tabell in ("utforare", "ersattningsnivaer", "budget", "vistelser", "besok", "insatspriser", "avgiftsregler"):
        fil = tmp_path / f"{tabell}.{format}"
        fil.write_bytes(importflode.mall(tabell, format))
        resultat = importera(tabell, fil, data_dir)
        assert resultat.ok and resultat.filer[0].tillagda == 1, resultat.rapport()
    if format == "csv":
        rubrik = importflode.mall("besok", "csv").decode("utf-8-sig").splitlines()[0]
        assert rubrik.split(";") == BESOK_KOL + ["insatstyp"]  # the optional column of the trial per insats


def test_cli(data_dir, tmp_path, capsys, monkeypatch):
    fil = skriv(tmp_path, "b.csv", besok_csv(dict(utford_min="-5")))
    kod = importflode.main(["besok", str(fil), "--data-dir", str(data_dir), "--sep", ";",
                       "--decimal", ",", "--encoding", "utf-8"])
    ut = capsys.readouterr().out
    assert kod == 1
    assert "AVVISAD – ingenting har ändrats" in ut
    assert "Rad 2, kolumn utford_min: värdet '-5' är negativt; minuter måste vara 0 eller mer." in ut
    fil = skriv(tmp_path, "ok.csv", besok_csv(dict(besok_id="B40", brukare_id="121212-1212")))
    # The key comes from the setting pseudonym_nyckel (here its environment variable).
    monkeypatch.setenv("BESLUTSSTOD_PSEUDONYM_NYCKEL", NYCKEL)
    assert importflode.main(["besok", str(fil), "--data-dir", str(data_dir), "--pseudonymisera"]) == 0
    ut = capsys.readouterr().out
    assert "GENOMFÖRD" in ut and "1 värde i brukare_id (1 person) såg ut som personnummer" in ut
    assert las(data_dir, "besok", "select brukare_id from t where besok_id = 'B40'") == [
        (pseudonym.pseudonym("121212-1212", NYCKEL),)]


def test_stor_fil_med_manga_fel_begransas_i_rapporten(data_dir, tmp_path):
    rnd = random.Random(42)
    rader = [dict(besok_id=f"B{i}", utford_min=str(-rnd.randint(1, 99))) for i in range(300)]
    resultat = importera("besok", skriv(tmp_path, "b.csv", besok_csv(*rader)), data_dir)
    fil = resultat.filer[0]
    assert fil.antal_fel == 300 and len(fil.problem) == 300
    assert "… och 200 till (per slag: negativ_tid 300)" in fil.rapport()
    assert io.StringIO(fil.rapport()).read().count("är negativt") == importflode.RAPPORT_MAX_PROBLEM


# ---------------------------------------------------------------- the optional tables of the trial per insats

PRISER_CSV = ("giltig_fran;giltig_till;insatstyp;benamning;regi;kr_per_insats;normtid_min;kalla;beslut\r\n"
              "2023-04-01;;PH;Personlig hygien;egen_regi;245,50;35;Prislista 2023;\r\n"
              "2023-04-01;2023-07-31;STA;Städning;;420;;Prislista 2023;VON § 3\r\n")


def test_insatspriser_and_avgiftsregler_import_with_decimal_comma(data_dir, tmp_path):
    assert importera("insatspriser", skriv(tmp_path, "priser.csv", PRISER_CSV), data_dir).ok
    assert las(data_dir, "insatspriser", "select insatstyp, regi, kr_per_insats, normtid_min, giltig_till from t "
               "order by insatstyp") == [("PH", "egen_regi", decimal.Decimal("245.50"), 35, None),
                                         ("STA", None, decimal.Decimal("420.00"), None, dt.date(2023, 7, 31))]
    text = "ar;timtaxa_kr;grund;kalla\r\n2023;345,5;beviljad;Taxa 2023\r\n"
    assert importera("avgiftsregler", skriv(tmp_path, "avgift.csv", text), data_dir).ok
    assert las(data_dir, "avgiftsregler") == [(2023, decimal.Decimal("345.50"), "beviljad", "Taxa 2023")]


def test_a_bad_price_row_is_named_and_nothing_changes(data_dir, tmp_path):
    fore = hashar(data_dir)
    text = PRISER_CSV + "2023-04-01;;MAL;Måltid;egen_regi;0;20;Prislista 2023;\r\n"  # a price must be > 0
    resultat = importera("insatspriser", skriv(tmp_path, "priser.csv", text), data_dir)
    avvisad(resultat, data_dir, fore)
    problem = [p for p in resultat.problem if p.kolumn == "kr_per_insats"]
    assert problem and problem[0].rad == 4, resultat.rapport()  # the header is row 1


def test_visits_with_insatstyp_merge_into_visits_stored_without_it(data_dir, tmp_path):
    # An installation that imported its visits before the optional column existed: 2024 stored without it.
    part = data_dir / "extracts" / "besok" / "ar=2024" / "besok.parquet"
    con = duckdb.connect()
    con.execute(f"copy (select * exclude (insatstyp) from read_parquet('{part}')) to '{part}.ny' (format parquet)")
    os.replace(f"{part}.ny", part)
    kol = BESOK_KOL + ["insatstyp"]
    resultat = importera("besok", skriv(tmp_path, "b.csv", besok_csv(dict(besok_id="B7", insatstyp="PH"), kolumner=kol)),
                         data_dir)
    assert resultat.ok, resultat.rapport()
    assert las(data_dir, "besok", "select besok_id, insatstyp from t where ar = 2024 order by besok_id") == [
        ("B1", None), ("B3", None), ("B7", "PH")]


def test_inkl_rad_accepteras_for_varje_regi_och_rapporten_sager_vem_som_far_avdrag(tmp_path):
    # Seed 000: momskompensationen dras av när betalningsmottagaren är en kommun. An incl. row is
    # accepted for a municipality, egen regi and a private payee alike (3 rows + 1 for all regi);
    # the report names who gets it deducted.
    data_dir = ny_datakatalog(tmp_path)
    text = ("giltig_fran;giltig_till;insats;regi;kr_per_timme;grund;momskompensation_ingar;kalla;beslut;preliminar\r\n"
            "2024-01-01;;hemtjanst;vistelsekommun;530;utford;true;Taxa;SN 1;false\r\n"
            "2024-01-01;;hemtjanst;egen_regi;530;utford;true;Taxa;SN 1;false\r\n"
            "2024-01-01;;hemtjanst;privat;530;utford;true;Taxa;SN 1;false\r\n"
            "2024-01-01;;hemtjanst;;530;utford;true;Taxa;SN 1;false\r\n")
    resultat = importera("ersattningsnivaer", skriv(tmp_path, "taxor.csv", text), data_dir)
    assert resultat.ok, resultat.rapport()
    rapport = resultat.rapport()
    assert ("Nivåer inklusive momskompensation: 1 för alla regier, 1 för egen regi, 1 för privata utförare, "
            "1 för vistelsekommuner.") in rapport
    assert "Till vistelsekommuner och egen regi betalas de med momskompensationen avdragen" in rapport


def test_betalande_kommun_ar_valfri_och_far_overlappa_egna_nivaer(tmp_path):
    # issue 11 point 9 (seed 004, 2 a kap. 7 § SoL): a rate row may name the paying kommun. It overlaps our own
    # rate for the same insats and period without being an overlap error, and a file without the column
    # (older template) is still accepted — also on top of a stored table written before the column existed.
    data_dir = ny_datakatalog(tmp_path)
    assert importera("ersattningsnivaer", skriv(tmp_path, "gammal.csv", TAXOR_CSV), data_dir).ok
    lagrad = data_dir / "extracts" / "ersattningsnivaer.parquet"
    import pyarrow.parquet as pq
    pq.write_table(pq.read_table(lagrad).drop_columns(["betalande_kommun"]), lagrad)  # as an older version stored it
    text = ("giltig_fran;giltig_till;insats;regi;kr_per_timme;grund;momskompensation_ingar;kalla;beslut;preliminar;"
            "betalande_kommun\r\n"
            "2024-01-01;2024-12-31;hemtjanst;;454;utford;false;Socialnämnden Härryda;SN 2024 § 45;false;\r\n"
            "2024-01-01;2024-12-31;hemtjanst;;480;utford;false;Göteborgs stad;SN Göteborg;false;1480\r\n")
    resultat = importera("ersattningsnivaer", skriv(tmp_path, "ny.csv", text), data_dir)
    assert resultat.ok, resultat.rapport()
    assert las(data_dir, "ersattningsnivaer", "select betalande_kommun, kr_per_timme from t order by all") == [
        ("1480", decimal.Decimal("480.00")), (None, decimal.Decimal("454.00"))]
