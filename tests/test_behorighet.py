"""Roles, the role from the ID token, the listening address, and the audit log.

Sign-in itself (a real OIDC provider, Chromium) is tested in tests/browser/test_inloggning_browser.py;
here the local user's role (setting lokal_roll, honoured only without sign-in) drives AppTest.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from beslutsstod import behorighet as b
from beslutsstod import installningar
from beslutsstod.data import granskningslogg

ROOT = Path(__file__).resolve().parent.parent
ALLA_SIDOR = ["oversikt", "begrepp", "kostnader", "utforare", "vistelsekommuner", "manadsuppfoljning", "fakturakontroll",
              "simulator", "kartlaggning", "data"]
GRUPPER = {"sn-politiker": "lasare", "sn-ekonomi": "tjansteperson", "sn-data": "forvaltare"}


# --- the role from the token -------------------------------------------------------------------


def test_role_from_a_list_claim_takes_the_highest_role():
    assert b.roll_fran_claims({"groups": ["sn-politiker", "annat"]}, "groups", GRUPPER) == "lasare"
    assert b.roll_fran_claims({"groups": ["sn-politiker", "sn-data", "sn-ekonomi"]}, "groups", GRUPPER) == "forvaltare"
    assert b.roll_fran_claims({"roles": "sn-ekonomi"}, "roles", GRUPPER) == "tjansteperson"  # one group as a string


def test_no_matching_group_gives_no_role():
    assert b.roll_fran_claims({"groups": ["alla-anstallda"]}, "groups", GRUPPER) is None
    assert b.roll_fran_claims({"email": "a@kommun.se"}, "groups", GRUPPER) is None  # claim missing
    # another claim than the configured one never counts (e.g. a user-editable profile field)
    assert b.roll_fran_claims({"name": "sn-data", "groups": []}, "groups", GRUPPER) is None


def test_a_mapping_to_an_unknown_role_is_a_configuration_error():
    with pytest.raises(ValueError, match="okända roller"):
        b.roll_fran_claims({"groups": ["x"]}, "groups", {"x": "admin"})


def test_pages_per_role_and_one_decision_for_the_masked_view():
    assert [s for s in ALLA_SIDOR if b.far_se_sida("lasare", s)] == ["oversikt", "begrepp", "vistelsekommuner"]
    assert [s for s in ALLA_SIDOR if b.far_se_sida("tjansteperson", s)] == ALLA_SIDOR[:-1]
    assert [s for s in ALLA_SIDOR if b.far_se_sida("forvaltare", s)] == ALLA_SIDOR
    assert not any(b.far_se_sida(None, s) for s in ALLA_SIDOR)
    assert [b.detaljerad(r) for r in (None, "lasare", "tjansteperson", "forvaltare")] == [False, False, True, True]
    assert [b.far_redigera_referens(r) for r in ("lasare", "tjansteperson", "forvaltare")] == [False, False, True]


@pytest.mark.parametrize(("adress", "lokal"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.1.1", True),
    ("0.0.0.0", False), ("", False), (None, False), ("10.1.2.3", False), ("::", False), ("server.kommun.se", False)])
def test_loopback_addresses(adress, lokal):
    assert b.ar_loopback(adress) is lokal


def test_config_listens_on_loopback_without_file_watcher():
    import tomllib

    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert conf["server"]["address"] == "127.0.0.1"
    assert conf["server"]["fileWatcherType"] == "none" and conf["server"]["runOnSave"] is False
    assert conf["browser"]["gatherUsageStats"] is False


# --- the audit log -----------------------------------------------------------------------------


def test_audit_log_is_appended_and_holds_only_the_users_identity(tmp_path):
    vem = {"sub": "abc-123", "epost": "anna@kommun.se", "namn": "Anna", "groups": ["sn-data"]}
    granskningslogg.skriv(tmp_path, vem, "import", {"tabell": "besok", "status": "importerad"})
    forsta = (tmp_path / granskningslogg.FILNAMN).read_bytes()
    granskningslogg.skriv(tmp_path, vem, "export", {"fil": "rangordning.xlsx"})
    innehall = (tmp_path / granskningslogg.FILNAMN).read_bytes()
    assert innehall.startswith(forsta)  # append-only: the first line is untouched
    poster = [json.loads(r) for r in innehall.decode().splitlines()]
    assert [set(p) for p in poster] == [{"tid", "sub", "epost", "handelse", "vad"}] * 2  # no name, no groups
    assert [p["handelse"] for p in poster] == ["import", "export"]
    tabell = granskningslogg.tabell(granskningslogg.las(tmp_path))
    assert tabell["Händelse"].tolist() == ["Export", "Import"]  # newest first
    assert tabell["Vem"].tolist() == ["anna@kommun.se"] * 2
    with pytest.raises(ValueError):
        granskningslogg.skriv(tmp_path, vem, "radering", {})


# --- the app per role (AppTest) -----------------------------------------------------------------


def start(sida: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if sida:
        try:
            at.switch_page(f"sidor/{sida}.py")
        except ValueError:
            # the page is registered as the refusal page, not as its file: open its address as a
            # direct link does (AppTest.switch_page only matches file pages)
            at._page_hash = calc_hash(sida)
        at.run()
    assert not at.exception, at.exception
    return at


def nekad(at: AppTest) -> bool:
    return [t.value for t in at.title] == ["Du saknar behörighet"]


def visar_data(at: AppTest) -> bool:
    return bool(at.dataframe or at.metric or at.table or at.get("plotly_chart") or at.get("download_button"))


@pytest.mark.parametrize("roll", ["lasare", "tjansteperson", "forvaltare"])
def test_each_role_reaches_exactly_its_pages(demo_env, monkeypatch, roll):
    monkeypatch.setenv("BESLUTSSTOD_LOKAL_ROLL", roll)
    for sida in ALLA_SIDOR:
        at = start(sida)
        if b.far_se_sida(roll, sida):
            assert not nekad(at), sida
        else:
            # a direct link: the Swedish refusal, no figures, no filters
            assert nekad(at) and not visar_data(at), sida
            assert "Du saknar behörighet till den här sidan" in at.error[0].value
            assert not at.sidebar.selectbox


def test_only_forvaltare_edit_kartlaggnings_table(demo_env, monkeypatch):
    monkeypatch.setenv("BESLUTSSTOD_LOKAL_ROLL", "tjansteperson")
    at = start("kartlaggning")
    assert not [k for k in ("kartlaggning_spara",) if any(bt.key == k for bt in at.button)]
    assert any("ändras av förvaltaren" in c.value for c in at.caption)
    assert not at.file_uploader  # no import of the table either
    monkeypatch.setenv("BESLUTSSTOD_LOKAL_ROLL", "forvaltare")
    at = start("kartlaggning")
    assert any(bt.key == "kartlaggning_spara" for bt in at.button) and len(at.file_uploader) == 1


def test_data_page_shows_the_audit_log_to_forvaltare(demo_env, tmp_path, monkeypatch):
    granskningslogg.skriv(demo_env, {"sub": "s-1", "epost": "e@kommun.se"}, "export", {"fil": "x.xlsx"})
    try:
        at = start("data")
        logg = next(d.value for d in at.dataframe if "Händelse" in d.value.columns)
        assert logg.iloc[0]["Vem"] == "e@kommun.se" and logg.iloc[0]["Vad"] == "fil: x.xlsx"
    finally:
        granskningslogg.sokvag(demo_env).unlink()


def test_listening_beyond_this_machine_without_sign_in_shows_no_data(demo_env):
    gammal = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = start()
    finally:
        config.set_option("server.address", gammal)
    assert "Beslutsstödet visar inga uppgifter" in at.error[0].value
    assert "[auth]" in at.error[0].value or "`[auth]`" in at.error[0].value
    assert not visar_data(at) and not at.sidebar.selectbox


def test_local_role_setting_rejects_unknown_roles(demo_env, monkeypatch):
    monkeypatch.setenv("BESLUTSSTOD_LOKAL_ROLL", "admin")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert at.exception  # a typo must not silently grant a role
    assert installningar.get("lokal_roll") == "admin"
