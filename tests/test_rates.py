"""Published rates and their revision by a percentage, rounded as decisions round."""

from __future__ import annotations

from decimal import Decimal

import pytest

from beslutsstod.regler import nivaer, opi

D = Decimal


@pytest.fixture(scope="module")
def published():
    return nivaer.load_published_rates()


@pytest.fixture(scope="module")
def opi_table():
    return opi.load_opi()


def test_published_table(published):
    assert len(published) == 12
    by = {(r.ar, r.insats, r.kr_per_timme) for r in published}
    for row in [(2016, "hemtjanst", 383), (2017, "hemtjanst", 391), (2019, "hemtjanst", 412),
                (2021, "hemtjanst", 433), (2024, "hemtjanst", 454), (2016, "kommunal_primarvard", 570),
                (2016, "kommunal_primarvard", 595), (2021, "kommunal_primarvard", 710),
                (2024, "kommunal_primarvard", 828)]:
        assert (row[0], row[1], D(row[2])) in by
    harryda = nivaer.published_rate(2024, "hemtjanst", published)
    assert harryda.momskompensation_ingar is False and not harryda.is_vastkom_recommendation
    assert "2024SOCN66 709" in harryda.referens
    assert nivaer.published_rate(2021, "hemtjanst", published).referens.startswith("VästKom styrelse 2021-03-09 § 15")


def test_first_row_is_the_main_level(published):
    # 2016 primärvård: 570 (distriktssköterska) is listed before 595 (arbetsterapeut/fysioterapeut).
    assert nivaer.published_rate(2016, "kommunal_primarvard", published).kr_per_timme == D(570)
    assert nivaer.published_rate(2018, "hemtjanst", published) is None


def test_latest_recommendation(published):
    # VästKom's last hemtjänst recommendation is 433 kr (2021); the 2024 row is Härryda's own rate.
    assert nivaer.latest_published_rate("hemtjanst", 2025, published, only_vastkom=True).kr_per_timme == D(433)
    assert nivaer.latest_published_rate("hemtjanst", 2025, published).kr_per_timme == D(454)
    assert nivaer.latest_published_rate("kommunal_primarvard", 2023, published, only_vastkom=True).ar == 2021
    assert nivaer.latest_published_rate("hemtjanst", 2015, published) is None


@pytest.mark.parametrize("rate, pct, rounding, expected", [
    (454, "3.0", "krona", "468"),         # 454 × 1,030 = 467,62 → 468
    (383, "2", "krona", "391"),           # 383 × 1,02 = 390,66 → 391 (VästKom 2017)
    (454, "3.0", "tiotal_ore", "467.6"),  # 467,62 → 467,6
    (454, "3.0", "none", "467.620"),      # exact product
    (100, "2.5", "krona", "103"),         # 102,5 → 103 (half-up; half-even would give 102)
    (200, "0.25", "krona", "201"),        # 200,5 → 201
    (441, "3.5", "krona", "456"),         # 456,435 → 456
    (750, "4.6", "krona", "785"),         # 784,5 → 785
    (500, "-1.5", "krona", "493"),        # 492,5 → 493 (half-up on a negative OPI)
])
def test_revise_rate(rate, pct, rounding, expected):
    assert nivaer.revise_rate(rate, pct, rounding) == D(expected)


def test_unknown_rounding():
    with pytest.raises(ValueError, match="avrundning"):
        nivaer.revise_rate(454, 3, "femtiotal")


def test_chain_with_published_opi(opi_table):
    # VästKom 2021 433 kr → 2022: × 1,019 = 441,227 → 441; 2023: 441 × 1,046 = 461,286 → 461.
    steps = nivaer.chain_revisions(433, 2021, 2023, nivaer.resolve_opi([2022, 2023], opi_table))
    assert [(s.ar, s.from_kr, s.opi_procent, s.exakt_kr, s.to_kr) for s in steps] == [
        (2022, D(433), D("1.9"), D("441.227"), D(441)),
        (2023, D(441), D("4.6"), D("461.286"), D(461)),
    ]
    assert all(s.opi_status == "definitiv" and not s.is_assumption for s in steps)
    text = steps[1].text().replace("\u00a0", " ")
    assert "441 kr × (1 + 4,6 %) = 461,29 kr → 461 kr (hela kronor)" in text and "Vårdföretagarna" in text


def test_chain_reproduces_published_2019(opi_table):
    # 391 (2017) × 1,026 = 401,166 → 401; × 1,027 = 411,827 → 412 = VästKom 2019.
    steps = nivaer.chain_revisions(391, 2017, 2019, nivaer.resolve_opi([2018, 2019], opi_table))
    assert [s.to_kr for s in steps] == [D(401), D(412)]


def test_chain_without_rounding_keeps_exact_values(opi_table):
    # 433 × 1,019 × 1,046 = 461,523442 (no rounding between the steps).
    steps = nivaer.chain_revisions(433, 2021, 2023, nivaer.resolve_opi([2022, 2023], opi_table), "none")
    assert steps[-1].to_kr == D("461.523442")


def test_chain_reports_every_missing_year(opi_table):
    with pytest.raises(nivaer.MissingOpiError) as exc:
        nivaer.chain_revisions(433, 2021, 2025, nivaer.resolve_opi(range(2022, 2026), opi_table))
    assert exc.value.years == [2024, 2025]
    assert "2024, 2025" in str(exc.value)


def test_chain_with_assumptions_is_labelled(opi_table):
    values = nivaer.resolve_opi([2024, 2025], opi_table, {2024: "4.1", 2025: 3})
    steps = nivaer.chain_revisions(454, 2023, 2025, values)
    # 454 × 1,041 = 472,614 → 473; 473 × 1,03 = 487,19 → 487
    assert [s.to_kr for s in steps] == [D(473), D(487)]
    assert all(s.is_assumption for s in steps)
    assert "antagande" in steps[0].text()


def test_chain_zero_years_and_backwards():
    assert nivaer.chain_revisions(454, 2024, 2024, {}) == []
    with pytest.raises(ValueError):
        nivaer.chain_revisions(454, 2024, 2023, {})


def test_fmt_kr_sv():
    assert nivaer.fmt_kr_sv(D("391")).replace("\u00a0", " ") == "391 kr"
    assert nivaer.fmt_kr_sv(D("390.66")).replace("\u00a0", " ") == "390,66 kr"
    assert nivaer.fmt_kr_sv(D("1234.005")).replace("\u00a0", " ") == "1 234,01 kr"  # half-up to öre


def test_unquoted_decimal_comma_in_avser_is_rejoined(published):
    # The 2016 row has "(+2,5 % mot 2015)" unquoted: one field too many. It must not shift
    # kalla and referens.
    r = nivaer.published_rate(2016, "hemtjanst", published)
    assert r.avser == "Rekommendation för hemtjänst i annan kommun (+2,5 % mot 2015)"
    assert r.kalla == "VästKom styrelse"
    assert r.referens == "VästKom styrelse 2016-02-16"


def test_row_with_too_few_fields_is_an_error(tmp_path):
    path = tmp_path / "beslutade_nivaer.csv"
    path.write_text("ar,insats,kr_per_timme,momskompensation_ingar,avser,kalla,referens\n2024,hemtjanst,454\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match="för få fält"):
        nivaer.load_published_rates(path)
