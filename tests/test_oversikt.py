"""Översikt's KPI cards and the masking of its monthly chart."""

import pandas as pd

from beslutsstod.vyer import oversikt


def rader(personer_nu, personer_fore):
    return pd.DataFrame([
        dict(ar=2023, kostnad_kr=1000.0, utford_timmar=10.0, antal_personer=personer_fore, antal_kommuner=2,
             kr_per_timme=100.0),
        dict(ar=2024, kostnad_kr=1500.0, utford_timmar=12.0, antal_personer=personer_nu, antal_kommuner=2,
             kr_per_timme=125.0),
    ])


def test_cards_show_change_in_kr_and_percent():
    kort, maskerat = oversikt.nyckeltal(rader(10, 8), 2024, oppen_vy=True, smatal_grans=5)
    kostnad = {k.etikett: k for k in kort}["Kostnad"]
    assert not maskerat
    assert kostnad.varde == "1\xa0500 kr"
    assert kostnad.andring == "+500 kr (+50,0 %)"  # (1500 − 1000) / 1000
    assert {k.etikett: k for k in kort}["Kommuner"].andring == "0 (0,0 %)"


def test_cards_masked_when_either_year_has_few_persons_in_open_view():
    kort, maskerat = oversikt.nyckeltal(rader(10, 3), 2024, oppen_vy=True, smatal_grans=5)
    assert maskerat and all(k.varde == ".." and k.andring is None for k in kort)
    kort, maskerat = oversikt.nyckeltal(rader(10, 3), 2024, oppen_vy=False, smatal_grans=5)
    assert not maskerat and {k.etikett: k for k in kort}["Personer"].varde == "10"


def test_one_small_month_hides_a_second_so_the_year_total_does_not_reveal_it():
    manader = pd.DataFrame(dict(ar=[2024] * 4, manad=[1, 6, 7, 8], kostnad_kr=[10.0, 500.0, 900.0, 700.0],
                                antal_personer=[2, 30, 40, 6]))
    assert oversikt.maskerade_manader(manader, oppen_vy=True, smatal_grans=5) == {(2024, 1), (2024, 8)}
    assert oversikt.maskerade_manader(manader, oppen_vy=False, smatal_grans=5) == set()


def test_change_compares_the_same_months_and_says_so():
    # issue 11 point 2: 2025 lacks March (an outage). Registered: 2024 jan–nov 1 100 kr, 2025 jan–nov
    # without March 1 000 kr. On the 10 months both have, 2024 had 1 100 − 100 (its March) = 1 000 kr,
    # so the change is 0 kr (0,0 %), not −100 kr (−9,1 %), and the card says what it compared.
    from beslutsstod.regler import jamforelse

    jmf = jamforelse.jamforbarhet((2024, 2025), 11, {(2025, 3)})
    assert jmf.manader == [1, 2, 4, 5, 6, 7, 8, 9, 10, 11]
    assert jmf.text() == "jämfört med samma 10 månader; mars saknas 2025"
    rader = pd.DataFrame([
        dict(ar=2024, kostnad_kr=1100.0, kostnad_kr_jmf=1000.0, utford_timmar=11.0, utford_timmar_jmf=10.0,
             antal_personer=10, antal_personer_jmf=10, antal_kommuner=2, antal_kommuner_jmf=2,
             kr_per_timme=100.0, kr_per_timme_jmf=100.0),
        dict(ar=2025, kostnad_kr=1000.0, kostnad_kr_jmf=1000.0, utford_timmar=10.0, utford_timmar_jmf=10.0,
             antal_personer=10, antal_personer_jmf=10, antal_kommuner=2, antal_kommuner_jmf=2,
             kr_per_timme=100.0, kr_per_timme_jmf=100.0),
    ])
    kort, _ = oversikt.nyckeltal(rader, 2025, oppen_vy=True, smatal_grans=5, jamforelse_text=jmf.text())
    kostnad = {k.etikett: k for k in kort}["Kostnad"]
    assert kostnad.varde == "1\xa0000 kr"  # the amount is what was registered
    assert kostnad.andring == "0 kr (0,0 %)"
    assert "jämfört med samma 10 månader; mars saknas 2025" in kostnad.hjalp


def test_revenue_cards_say_intakt():
    # issue 11 point 4: in the Intäkter view the amount card is "Intäkt", not "Kostnad"
    kort, _ = oversikt.nyckeltal(rader(10, 8), 2024, oppen_vy=True, smatal_grans=5, riktning="intakt")
    assert [k.etikett for k in kort][0] == "Intäkt"
    assert "Kostnad" not in [k.etikett for k in kort]


def test_revenue_priced_by_our_own_rates_is_labelled_on_its_card():
    # issue 11 point 9: with no payer's rate in force the revenue card itself says it is an assumption;
    # a masked card (3 persons < 5) carries no figure, so no label either
    antagande = "Intäkterna är beräknade med egna nivåer."
    kort, _ = oversikt.nyckeltal(rader(10, 8), 2024, oppen_vy=True, smatal_grans=5, riktning="intakt",
                                 antagande=antagande)
    assert kort[0].etikett == "Intäkt, beräknad med egna nivåer (antagande)"
    assert kort[0].hjalp.endswith(antagande)
    dolda, maskerat = oversikt.nyckeltal(rader(10, 3), 2024, oppen_vy=True, smatal_grans=5, riktning="intakt",
                                         antagande=antagande)
    assert maskerat and dolda[0].etikett == "Intäkt"
