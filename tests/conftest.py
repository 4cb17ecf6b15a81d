"""Shared fixtures: the fixture extracts and one demo data set per test session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from beslutsstod import db, demo
from tests.fixtures import write_fixture

DEMO_AS_OF = dt.date(2026, 11, 23)  # fixed so the demo data, and what tests expect of it, never drift
DEMO_SEED = 42


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> db.Database:
    extracts = write_fixture(tmp_path_factory.mktemp("fixture"))
    return db.Database(extracts, hemkommun="1401", momskompensation_procent=6.0)


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("demo")
    demo.generate(data_dir, DEMO_AS_OF, DEMO_SEED)
    return data_dir


@pytest.fixture()
def demo_env(demo_data_dir, monkeypatch) -> Path:
    """Point the app's settings at the session's demo data, as the local user (no sign-in
    configured: every role, so the detailed view)."""
    monkeypatch.setenv("BESLUTSSTOD_DATA_DIR", str(demo_data_dir))
    monkeypatch.delenv("BESLUTSSTOD_LOKAL_ROLL", raising=False)
    return demo_data_dir


@pytest.fixture()
def lasare_env(demo_env, monkeypatch) -> Path:
    """The demo data in the protected public view: the local user previews the läsare role."""
    monkeypatch.setenv("BESLUTSSTOD_LOKAL_ROLL", "lasare")
    return demo_env
