"""The vocabulary: one name and one unit per measure in every user text, and the glossary (Begrepp)
that help texts link to."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from beslutsstod import begrepp

ROOT = Path(__file__).resolve().parent.parent
KALLOR = sorted([*(ROOT / "beslutsstod").rglob("*.py"), *(ROOT / "sidor").glob("*.py"), ROOT / "app.py"])

# What the measures were called before issue 15, and what a user must never read again.
GAMLA_ORD = {
    r"\bkr/h\b": "enheten heter kr/tim",
    r"\bkr/timme\b": "enheten heter kr/tim",
    r"\bKr per timme\b": f"måttet heter {begrepp.KR_PER_DEBITERAD_TIMME} (eller {begrepp.KR_PER_UTFORD_TIMME})",
    r"(Kostnad|Intäkt) per (debiterad|utförd) timme": "måttet heter Kr per debiterad/utförd timme",
    r"\btimpris": f"måttet heter {begrepp.ERSATTNINGSNIVA.lower()}",
}


def _docstrings(trad: ast.AST) -> set[int]:
    ids = set()
    for nod in ast.walk(trad):
        if isinstance(nod, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and nod.body:
            forsta = nod.body[0]
            if isinstance(forsta, ast.Expr) and isinstance(forsta.value, ast.Constant):
                ids.add(id(forsta.value))
    return ids


def texter() -> list[tuple[str, int, str]]:
    """Every string literal a user may read (f-string parts included; docstrings left out)."""
    ut = []
    for sokvag in KALLOR:
        trad = ast.parse(sokvag.read_text(encoding="utf-8"))
        dok = _docstrings(trad)
        for nod in ast.walk(trad):
            if isinstance(nod, ast.Constant) and isinstance(nod.value, str) and id(nod) not in dok:
                ut.append((sokvag.relative_to(ROOT).as_posix(), nod.lineno, nod.value))
    return ut


def test_no_user_text_uses_an_old_name_or_unit_of_a_measure():
    fel = [f"{fil}:{rad}: {text!r} ({varfor})" for fil, rad, text in texter()
           for monster, varfor in GAMLA_ORD.items() if re.search(monster, text)]
    assert not fel, "\n".join(fel)


def test_the_measures_are_named_only_in_begrepp():
    namn = (begrepp.KR_PER_DEBITERAD_TIMME, begrepp.KR_PER_UTFORD_TIMME)
    utanfor = [(fil, rad, text) for fil, rad, text in texter()
               if fil != "beslutsstod/begrepp.py" and any(n.lower() in text.lower() for n in namn)]
    assert not utanfor, utanfor
    assert begrepp.med_enhet(begrepp.ERSATTNINGSNIVA) == "Ersättningsnivå (kr/tim)"


def test_the_glossary_has_the_terms_of_the_issue_each_once_with_an_anchor():
    ankare = [b.ankare for b in begrepp.ORDLISTA]
    assert len(ankare) == len(set(ankare))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", a) for a in ankare)
    assert {"vistelsekommun", "bosattningskommun", "utford-tid", "beviljad-tid", "opi", "momskompensation", "dolt",
            "saknas", "prognos", "ersattningsniva", "regi", "utforare", "netto", "fasta-priser",
            "kr-per-debiterad-timme", "kr-per-utford-timme"} <= set(ankare)
    termer = {b.ankare: b.term for b in begrepp.ORDLISTA}
    assert termer["dolt"].startswith(begrepp.MASK) and termer["saknas"].startswith(begrepp.SAKNAS)
    assert all(len(b.forklaring) > 40 and b.forklaring.endswith(".") for b in begrepp.ORDLISTA)


def test_the_glossary_is_in_swedish_alphabetical_order():
    termer = [b.term for b in begrepp.ordlista()]
    assert termer.index("Vistelsekommun") < termer.index("Volymunderlag")
    assert termer.index("Momskompensation") < termer.index("Målår") < termer.index("Netto")  # å after z


def test_a_link_names_a_term_that_exists():
    assert begrepp.lank("opi") == "[Omsorgsprisindex (OPI)](begrepp#opi)"
    assert begrepp.lank("utford-tid", "utförd tid") == "[utförd tid](begrepp#utford-tid)"
    with pytest.raises(KeyError):
        begrepp.lank("finns-inte")
    # every lank(...) in the code, also in branches no test runs, names a known term
    anrop = [nod.args[0].value for sokvag in KALLOR for nod in ast.walk(ast.parse(sokvag.read_text(encoding="utf-8")))
             if isinstance(nod, ast.Call) and getattr(nod.func, "attr", None) == "lank"
             and nod.args and isinstance(nod.args[0], ast.Constant)]
    assert anrop and set(anrop) <= {b.ankare for b in begrepp.ORDLISTA}


def test_the_glossary_page_for_a_lasare_shows_every_term_under_its_anchor(lasare_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("sidor/begrepp.py").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Begrepp"]
    rubriker = {s.proto.anchor: s.value for s in at.subheader}
    assert rubriker == {b.ankare: b.term for b in begrepp.ORDLISTA}
    text = "\n".join(m.value for m in at.markdown)
    assert "[Vistelsekommun](#vistelsekommun)" in text  # the in-page index
    assert "folkbokförd" in text  # an explanation, as written in begrepp.py


def test_the_overview_help_texts_link_to_the_glossary(demo_env):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    hjalp = {m.label: m.help for m in at.metric}
    assert "(begrepp#debiterad-timme)" in hjalp[begrepp.KR_PER_DEBITERAD_TIMME]
    assert "(begrepp#vistelsekommun)" in hjalp["Kommuner"]
