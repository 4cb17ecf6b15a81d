"""regler/fasta_priser.py: each year's kronor in a base year's prices by OPI, missing never guessed."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from beslutsstod.regler import fasta_priser, opi

OPI = opi.load_opi()

# --- fixed prices ----------------------------------------------------------------------------


def test_fasta_priser_factors_from_published_opi():
    p = fasta_priser.fasta_priser([2020, 2021, 2023], 2023, publicerade=OPI)
    # to 2023 prices: 2021 × (1 + 1,9 %) × (1 + 4,6 %) = 1,019 × 1,046 = 1,065874
    assert p.faktor[2021] == pytest.approx(1.065874)
    # 2020 × 1,015 × 1,019 × 1,046 = 1,081862 (OPI 2021 1,5 %)
    assert p.faktor[2020] == pytest.approx(1.015 * 1.019 * 1.046)
    assert p.faktor[2023] == 1.0
    assert sorted(p.opi) == [2021, 2022, 2023] and p.saknade == []
    assert "4,6 % (definitiv)" in p.beskrivning()


def test_fasta_priser_missing_year_is_named_and_assumption_marked():
    p = fasta_priser.fasta_priser([2022, 2024, 2025], 2023, publicerade=OPI)
    assert p.saknade == [2024, 2025]
    assert p.faktor[2024] is None and p.faktor[2025] is None  # missing, never guessed
    assert p.faktor[2022] == pytest.approx(1.046)
    p = fasta_priser.fasta_priser([2022, 2024, 2025], 2023, {2024: 2.0, 2025: None}, publicerade=OPI)
    assert p.faktor[2024] == pytest.approx(1 / 1.02)  # a later year is deflated: 1 / (1 + 2,0 %)
    assert p.faktor[2025] is None and p.saknade == [2025] and p.antaganden == [2024]
    assert p.opi[2024].status == "antagande"
    tabell = fasta_priser.opi_tabell(p)
    assert tabell.set_index("År").loc[2024, "Status"] == "antagande"
    assert pd.isna(tabell.set_index("År").loc[2025, "OPI (%)"])


def test_published_opi_wins_over_an_assumption():
    p = fasta_priser.fasta_priser([2022], 2023, {2023: 10.0}, publicerade=OPI)
    assert p.faktor[2022] == pytest.approx(1.046)
    assert p.opi[2023].value_procent == Decimal("4.6") and not p.opi[2023].is_assumption


def test_base_year_after_the_data_and_default_base_year():
    p = fasta_priser.fasta_priser([2021], 2023, publicerade=OPI)
    assert p.faktor[2021] == pytest.approx(1.019 * 1.046)
    assert fasta_priser.opi_ar_som_behovs([2019, 2026], 2023) == list(range(2020, 2027))
    assert fasta_priser.standard_basar(range(2019, 2027), 2026, OPI) == 2023  # latest published OPI
    assert fasta_priser.standard_basar(range(2019, 2027), 2021, OPI) == 2021
    assert fasta_priser.standard_basar([2030, 2031], 2031, OPI) == 2031
    # the years the page asks an assumption for: needed and not published
    assert fasta_priser.saknade_opi(range(2019, 2027), 2023, OPI) == [2024, 2025, 2026]
    assert fasta_priser.saknade_opi([2021, 2022], 2023, OPI) == []
