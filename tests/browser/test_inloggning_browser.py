"""Sign-in through a real OIDC provider (oidc-provider-mock on a loopback port), in Chromium.

The app is configured as a municipality would configure it against Entra ID or Keycloak: an
`[auth]` section with the provider's discovery URL, and the role from the `groups` claim of the
ID token (settings roll_claim / roll_grupper, defaults). The provider offers four predefined
users, one per role and one whose groups give no role.
"""

from __future__ import annotations

import re

import pytest
from oidc_provider_mock import User, run_server_in_thread
from playwright.sync_api import expect

from beslutsstod.data import granskningslogg
from tests.browser.conftest import streamlit_server, vanta_klar

ANVANDARE = {
    "lasare": User(sub="lisa", claims={"email": "lisa@kommun.test", "name": "Lisa Läsare",
                                       "groups": ["beslutsstod-lasare", "alla-anstallda"]}),
    "tjansteperson": User(sub="tore", claims={"email": "tore@kommun.test", "name": "Tore Tjänsteperson",
                                              "groups": ["beslutsstod-tjansteperson"]}),
    "forvaltare": User(sub="frida", claims={"email": "frida@kommun.test", "name": "Frida Förvaltare",
                                            "groups": ["beslutsstod-forvaltare", "beslutsstod-lasare"]}),
    None: User(sub="ingen", claims={"email": "ingen@kommun.test", "name": "Ingen Roll", "groups": ["alla-anstallda"]}),
}
# What each role finds in the menu (app.py's page titles), and nothing else.
LASARE = ["Översikt", "Begrepp", "Vistelsekommuner"]
TJANSTEPERSON = ["Översikt", "Begrepp", "Kostnader över år", "Utförare", "Vistelsekommuner", "Månadsuppföljning",
                 "Fakturakontroll", "Vad händer om?", "Kartläggning", "Ny ersättningsmodell"]
MENY = {"lasare": LASARE, "tjansteperson": TJANSTEPERSON, "forvaltare": [*TJANSTEPERSON, "Data"]}


@pytest.fixture(scope="module")
def idp():
    with run_server_in_thread(port=0, user_claims=list(ANVANDARE.values())) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def app_med_inloggning(idp, demo_data_dir, tmp_path_factory):
    mapp = tmp_path_factory.mktemp("auth")
    secrets = mapp / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "testnyckel-for-kakor-0123456789abcdef0123456789"
client_id = "beslutsstod"
client_secret = "testhemlighet"
server_metadata_url = "{idp}/.well-known/openid-configuration"
client_kwargs = {{ scope = "openid profile email" }}
""", encoding="utf-8")
    with streamlit_server(demo_data_dir, mapp / "streamlit.log", "--secrets.files", str(secrets),
                          BESLUTSSTOD_LOKAL_ROLL=None) as url:
        yield url


def meny(page, antal: int) -> list[str]:
    """The menu's page titles, once the menu holds `antal` links and the run has finished."""
    nav = page.get_by_role("navigation", name="Sidor")  # ui.meny
    expect(nav.get_by_role("link")).to_have_count(antal)
    vanta_klar(page)
    return [t.strip().split("\n")[-1] for t in nav.get_by_role("link").all_inner_texts()]  # after the icon


def logga_in(page, url: str, roll) -> None:
    page.goto(url)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("button", name=ANVANDARE[roll].sub, exact=True).click()  # the provider's sign-in page
    expect(page.get_by_test_id("stSidebar").get_by_text(ANVANDARE[roll].claims["name"])).to_be_visible()


def test_anonymous_visitor_sees_only_the_sign_in_page(app_med_inloggning, page):
    for adress in ("", "/data", "/vistelsekommuner"):
        page.goto(app_med_inloggning + adress)
        expect(page.get_by_role("button", name="Logga in")).to_be_visible()
        expect(page.get_by_text("visas bara för inloggade")).to_be_visible()
        expect(page.get_by_role("navigation", name="Sidor")).to_have_count(0)
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
        expect(page.get_by_test_id("stDataFrame")).to_have_count(0)


@pytest.mark.parametrize("roll", ["lasare", "tjansteperson", "forvaltare"])
def test_each_role_signs_in_and_sees_exactly_its_pages(app_med_inloggning, demo_data_dir, page, roll):
    logga_in(page, app_med_inloggning, roll)
    sidopanel = page.get_by_test_id("stSidebar")
    expect(sidopanel.get_by_text({"lasare": "Roll: Läsare", "tjansteperson": "Roll: Tjänsteperson",
                                  "forvaltare": "Roll: Förvaltare"}[roll])).to_be_visible()
    assert meny(page, len(MENY[roll])) == MENY[roll]
    expect(page.get_by_test_id("stMetric").first).to_be_visible()  # Översikt's figures
    if roll == "lasare":
        # the protected view: the year is the only filter
        expect(sidopanel.get_by_test_id("stSelectbox")).to_have_count(1)
        expect(sidopanel.get_by_test_id("stMultiSelect")).to_have_count(0)
        # a direct link to the Data page: the refusal, and no data
        page.goto(app_med_inloggning + "/data")
        expect(page.get_by_role("heading", name="Du saknar behörighet")).to_be_visible()
        expect(page.get_by_text("Du saknar behörighet till den här sidan")).to_be_visible()
        expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
        expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
        page.goto(app_med_inloggning + "/fakturakontroll")
        expect(page.get_by_role("heading", name="Du saknar behörighet")).to_be_visible()
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
    else:
        expect(sidopanel.get_by_test_id("stMultiSelect")).to_have_count(3)  # insats, regi, kommun
    if roll == "tjansteperson":
        # an export is recorded with the identity from the ID token
        page.goto(app_med_inloggning + "/vistelsekommuner?ar=2025")
        vanta_klar(page)
        with page.expect_download() as nedladdning:
            page.get_by_test_id("stDownloadButton").filter(has_text=".csv").filter(visible=True).first.click()
        assert nedladdning.value.suggested_filename == "kostnad_per_kommun_2025.csv"
        vanta_klar(page)  # the download's run (which writes the audit entry) has finished
        sista = granskningslogg.las(demo_data_dir)[-1]
        assert (sista["sub"], sista["epost"], sista["handelse"]) == ("tore", "tore@kommun.test", "export")
        page.goto(app_med_inloggning + "/data")
        expect(page.get_by_role("heading", name="Du saknar behörighet")).to_be_visible()
        expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    if roll == "forvaltare":
        page.goto(app_med_inloggning + "/data")
        expect(page.get_by_role("heading", name="Vem gjorde vad")).to_be_visible()
        expect(page.get_by_test_id("stFileUploader").first).to_be_visible()


def test_signed_in_without_a_role_group_gets_no_data(app_med_inloggning, page):
    page.goto(app_med_inloggning)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("button", name="ingen", exact=True).click()
    expect(page.get_by_role("heading", name="Du saknar behörighet")).to_be_visible()
    expect(page.get_by_text("saknar behörighet till beslutsstödet")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Sidor")).to_have_count(0)


def test_sign_out_returns_to_the_sign_in_page(app_med_inloggning, page):
    logga_in(page, app_med_inloggning, "tjansteperson")
    page.get_by_test_id("stSidebar").get_by_role("button", name="Logga ut").click()
    # the provider's end-session page (RP-initiated logout), then back to the app
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    page.goto(app_med_inloggning + "/kostnader")  # the cookie is gone: no way back without signing in
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/kostnader$"))
