"""AppTest of the Data page: the status of the stored tables, uploads that are refused (and change
nothing), uploads that the other pages show at once, and the app with incomplete extracts.

Everything that writes works on a copy of the session's demo data (other tests read the original).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from beslutsstod.data import granskningslogg
from beslutsstod.inlasning import pseudonym

ROOT = Path(__file__).resolve().parent.parent
DATA = "sidor/data.py"
OVERSIKT = "sidor/oversikt.py"
NYCKEL = "testnyckel-minst-16-byte"  # pseudonym_nyckel for the test (>= 16 bytes)

BESOK_KOLUMNER = ("besok_id;datum;brukare_id;bosattningskommun;vistelsekommun;utforare_id;insats;"
                  "beviljad_min;utford_min;fakturerat_kr")
# Three rows, five problems: text in a number column, a date that does not exist, a personnummer
# (19121212-1212 is Skatteverket's test number, Luhn-valid), an unknown kommunkod, negative minutes.
DALIG_BESOK = (BESOK_KOLUMNER + "\r\n"
               "X1;2026-10-15;p-ny0001;1401;1407;V1407;hemtjanst;60;sextio;454,00\r\n"
               "X2;2026-02-30;19121212-1212;1401;1407;V1407;hemtjanst;60;60;\r\n"
               "X3;2026-10-16;p-ny0002;9999;1407;V1407;hemtjanst;60;-5;\r\n")
# One visit by a new person, 60 delivered minutes with Öckerö's own staff (regi vistelsekommun) in
# October 2026; the demo's 2026 hemtjänst rate is 454 kr/h per delivered time, with no momskompensation
# for a municipality: cost = 60 / 60 h × 454 kr/h = 454 kr.
GOD_BESOK = BESOK_KOLUMNER + "\r\nX1;2026-10-15;p-ny0001;1401;1407;V1407;hemtjanst;60;60;454,00\r\n"


def kopia(demo_data_dir: Path, tmp_path: Path, monkeypatch, *, demo: bool = True) -> Path:
    """A private copy of the demo data that the app reads (without the marker: 'real' data)."""
    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir, data_dir)
    if not demo:
        (data_dir / "extracts" / "_demo.json").unlink()
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(data_dir))
    monkeypatch.delenv("BESLUTSSTOD_LOKAL_ROLL", raising=False)
    monkeypatch.delenv("BESLUTSSTOD_PSEUDONYM_NYCKEL", raising=False)
    return data_dir


def lagrat(data_dir: Path) -> dict[str, str]:
    """sha256 of every stored extract and the demo marker (not the log, which records each attempt)."""
    ext = data_dir / "extracts"
    return {p.relative_to(ext).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(ext.rglob("*")) if p.is_file() and (p.suffix == ".parquet" or p.name == "_demo.json")}


def start(sida: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    if sida:
        at.switch_page(sida).run()
    assert not at.exception, at.exception
    return at


def ladda_upp(at: AppTest, tabell: str, namn: str, innehall: bytes) -> AppTest:
    at.file_uploader(key=f"data_fil_{tabell}_{at.session_state['data_uppladdning_nr']}").set_value(
        (namn, innehall, "text/csv")).run()
    at.button(key="data_importera").click().run()
    assert not at.exception, at.exception
    return at


def tabell(at: AppTest, kolumn: str):
    """The first table with this column, indexed by table name (AppTest does not expose a dataframe's key)."""
    return next(d.value for d in at.dataframe if kolumn in d.value.columns).set_index("Tabell")


def status(at: AppTest):
    return tabell(at, "Månader utan data")


def heltal(text: str) -> int:
    """'1 684 525 kr' or '44 047' (babel's no-break spaces) → 1684525 or 44047."""
    return int(re.sub(r"\D", "", text))


def test_page_shows_the_stored_tables_and_templates(demo_env):
    at = start(DATA)
    assert at.title[0].value == "Data"
    tabell = status(at)
    assert list(tabell.index) == ["utforare", "ersattningsnivaer", "budget", "vistelser", "besok",
                                  "insatspriser", "avgiftsregler"]  # the last two optional (the trial per insats)
    assert heltal(tabell.loc["besok", "Rader"]) > 40_000
    # six demo insatstyper from 2023-04-01 until further notice; timtaxa 2019–2026 (demo.py)
    assert heltal(tabell.loc["insatspriser", "Rader"]) == 6 and tabell.loc["insatspriser", "Från"] == "2023-04-01"
    assert heltal(tabell.loc["avgiftsregler", "Rader"]) == 8
    assert tabell.loc["besok", "Månader utan data"] == "mar 2025"  # the demo's outage month
    assert any("Den första importen tar bort **all** demodata" in i.value for i in at.info)
    assert [f.allowed_type for f in at.file_uploader] == [[".csv", ".xlsx"]] * 7
    assert at.button(key="data_importera").disabled  # nothing chosen yet
    # no key configured: pseudonymisation cannot be chosen, and the page says why
    assert at.checkbox(key="data_pseudonymisera").disabled
    assert "Ingen nyckel" in at.checkbox(key="data_pseudonymisera").help
    assert any("Importlogg" == h.value for h in at.subheader) and any("Ingen import" in c.value for c in at.caption)


def test_bad_file_shows_every_problem_in_swedish_and_changes_nothing(demo_data_dir, tmp_path, monkeypatch):
    data_dir = kopia(demo_data_dir, tmp_path, monkeypatch)
    fore = lagrat(data_dir)
    at = ladda_upp(start(DATA), "besok", "besök okt.csv", DALIG_BESOK.encode("cp1252"))

    fel = [e.value for e in at.error]
    assert "Importen avvisades. **Ingenting har ändrats**" in fel[0]
    assert "**besok** från besök okt.csv: avvisad – ingenting har ändrats." in fel[1]
    problem = next(d.value for d in at.dataframe if "Varför" in d.value.columns)
    rader = {(r.Rad, r.Kolumn): (r.Värde, r.Varför) for r in problem.itertuples()}
    assert rader[(2, "utford_min")] == ("sextio", "Värdet 'sextio' är inte ett tal.")
    assert rader[(3, "datum")] == ("2026-02-30", "Datumet '2026-02-30' finns inte i kalendern.")
    assert rader[(3, "brukare_id")][0] == "19121212-****"  # masked even in the report
    assert "måste vara en pseudonym" in rader[(3, "brukare_id")][1]
    assert rader[(4, "bosattningskommun")][1].startswith("Kommunkoden '9999' är inte en av Sveriges 290")
    assert rader[(4, "utford_min")][1].startswith("Värdet '-5' är negativt")
    assert set(problem["Fil"]) == {"besök okt.csv"}
    assert lagrat(data_dir) == fore  # same bytes: demo data and marker untouched
    # the attempt is logged and pointed out on the status
    logg = next(d.value for d in at.dataframe if "Resultat" in d.value.columns)
    assert list(logg["Resultat"]) == ["Avvisad"] and logg.iloc[0]["Fel"] >= 5
    assert any("avvisades; det som är lagrat är oförändrat" in w.value for w in at.warning)
    # who did it: the audit log (the local user without sign-in), shown on the page
    importer = [p for p in granskningslogg.las(data_dir) if p["handelse"] == "import"]
    assert [(p["sub"], p["vad"]["tabell"], p["vad"]["status"]) for p in importer] == [("lokal", "besok", "avvisad")]
    vem = next(d.value for d in at.dataframe if "Händelse" in d.value.columns)
    assert vem.iloc[0]["Händelse"] == "Import" and "fil: besök okt.csv" in vem.iloc[0]["Vad"]


def test_good_file_is_shown_on_oversikt_at_once(demo_data_dir, tmp_path, monkeypatch):
    data_dir = kopia(demo_data_dir, tmp_path, monkeypatch, demo=False)
    at = start()  # Översikt first: its queries are cached and the DuckDB connection is opened
    fore = {m.label: m.value for m in at.metric}
    at.switch_page(DATA).run()
    rader_fore = heltal(status(at).loc["besok", "Rader"])
    ladda_upp(at, "besok", "besok.csv", GOD_BESOK.encode("cp1252"))
    assert [s.value for s in at.success][:2] == ["Importen är klar. Sidorna visar nu de nya uppgifterna.",
                                                 "**besok** från besok.csv: importerad. Tillagda 1, ersatta 0, "
                                                 "oförändrade 0, borttagna 0."]
    assert heltal(status(at).loc["besok", "Rader"]) == rader_fore + 1
    senaste = tabell(at, "Kontrollsumma").loc["besok"]
    assert tuple(senaste[["Fil", "Tillagda", "Ersatta", "Avvisade"]]) == ("besok.csv", "1", "0", "0")
    assert senaste["Kontrollsumma"] == hashlib.sha256(GOD_BESOK.encode("cp1252")).hexdigest()[:12] + "…"
    assert at.session_state["data_uppladdning_nr"] == 1  # fresh, empty uploaders
    importer = [p for p in granskningslogg.las(data_dir) if p["handelse"] == "import"]
    assert [(p["vad"]["status"], p["vad"]["tillagda"]) for p in importer] == [("genomford", 1)]

    at.switch_page(OVERSIKT).run()
    efter = {m.label: m.value for m in at.metric}
    assert heltal(efter["Kostnad"]) - heltal(fore["Kostnad"]) == 454  # 1 h × 454 kr/h
    assert int(efter["Personer"]) == int(fore["Personer"]) + 1

    # the same file again: nothing new, nothing written
    at.switch_page(DATA).run()
    ladda_upp(at, "besok", "besok.csv", GOD_BESOK.encode("cp1252"))
    assert "Filerna innehöll inget nytt" in at.success[0].value


def test_incomplete_extracts_offer_only_the_data_page_until_all_five_are_imported(
        demo_data_dir, tmp_path, monkeypatch):
    data_dir = kopia(demo_data_dir, tmp_path, monkeypatch, demo=False)
    ext = data_dir / "extracts"
    (ext / "budget.parquet").unlink()
    (ext / "vistelser.parquet").unlink()
    (ext / "_importlogg.jsonl").write_text(json.dumps({"tabell": "besok", "status": "genomford"}) + "\n")
    monkeypatch.setenv("BESLUTSSTOD_PSEUDONYM_NYCKEL", NYCKEL)

    at = start()
    assert at.title[0].value == "Data"
    assert any("Extrakten är ofullständiga: budget, vistelser saknas." in w.value for w in at.warning)
    assert not at.sidebar.selectbox  # no global filters: they need data
    at.switch_page(OVERSIKT).run()  # a link to another page opens the Data page
    assert not at.exception, at.exception
    assert at.title[0].value == "Data" and not at.metric
    at.switch_page(DATA).run()  # where the browser's address now points (AppTest keeps requesting Översikt)

    # import both at once, with a personnummer pseudonymised on the way in
    at.file_uploader(key="data_fil_budget_0").set_value(
        ("budget.csv", "ar;manad;insats;budget_kr\r\n2026;;hemtjanst;1200000,50\r\n".encode("cp1252"), "text/csv"))
    at.file_uploader(key="data_fil_vistelser_0").set_value(
        ("vistelser.csv", "brukare_id;bosattningskommun;vistelsekommun;fran;till\r\n"
                          "19121212-1212;1401;1407;2026-06-01;2026-08-31\r\n".encode("cp1252"), "text/csv"))
    assert not at.checkbox(key="data_pseudonymisera").disabled
    at.checkbox(key="data_pseudonymisera").check().run()
    at.button(key="data_importera").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Importen är klar"), [e.value for e in at.error]
    assert not at.warning or not any("ofullständiga" in w.value for w in at.warning)
    lagrad = duckdb.connect().execute("select brukare_id from read_parquet($p)",
                                      {"p": str(ext / "vistelser.parquet")}).fetchall()
    assert lagrad == [(pseudonym.pseudonym("19121212-1212", NYCKEL),)]
    assert lagrad[0][0].startswith("ps_")

    at.switch_page(OVERSIKT).run()  # all five in place: the other pages and the filters are back
    assert not at.exception, at.exception
    assert at.title[0].value == "Översikt" and at.sidebar.selectbox(key="ar").value == 2026
