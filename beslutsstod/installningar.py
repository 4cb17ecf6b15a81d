"""Every setting of the app, declared once as (name, default, help).

A setting is read, in order of precedence, from the environment variable
``BESLUTSSTOD_<NAME>`` (upper case), from ``.streamlit/secrets.toml`` (key ``<name>``
at top level), else its default. The README's settings table is checked against
this list by a test, so a setting cannot go undocumented.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "BESLUTSSTOD_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


def _grupper(text: str | dict) -> dict[str, str]:
    """'grupp-a=lasare,grupp-b=forvaltare' (or a TOML table) → {grupp: roll}."""
    if isinstance(text, dict):
        return {str(k): str(v).strip() for k, v in text.items()}
    par = [del_.split("=", 1) for del_ in str(text).split(",") if del_.strip()]
    if any(len(p) != 2 for p in par):
        raise ValueError(f"roll_grupper ska vara grupp=roll, kommaseparerat; fick {text!r}")
    return {grupp.strip(): roll.strip() for grupp, roll in par}


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(str(text)) if str(text).strip() else None


SETTINGS: tuple[Setting, ...] = (
    Setting("hemkommun", "1401", "Egen kommuns kommunkod (SCB). Rader med denna bosättningskommun är kostnader, rader med denna vistelsekommun är intäkter."),
    Setting("namnd", "Socialnämnden", "Nämndens namn: författare (med kommunens namn) i de dokument appen skapar, t.ex. tjänsteskrivelsens .docx."),
    Setting("data_dir", "data", "Mapp med extrakten (undermappen extracts/) och referensdata (reference/). Relativ sökväg räknas från projektets rot."),
    Setting("smatal_grans", 5, "Minsta antal personer som en cell får beskriva i den skyddade vyn (läsare); färre maskeras med '..'.", int),
    Setting("momskompensation_procent", 6.0, "Momskompensation i procent som läggs på ersättningen till privata utförare när nivån är exklusive momskompensation.", float),
    Setting("demo_seed", 42, "Slumpfrö för demodata.", int),
    Setting("demo_per_datum", "", "Per-datum för demodata (ÅÅÅÅ-MM-DD); tomt betyder dagens datum. Data skapas till och med månaden före.", _date),
    Setting("duckdb_threads", 2, "Antal trådar DuckDB får använda.", int),
    Setting("duckdb_memory_limit", "1GB", "Minnesgräns för DuckDB."),
    Setting("upload_max_mb", 200, "Största tillåtna filstorlek vid uppladdning på sidan Data, i MB.", int),
    Setting("objektlager_url", "", "Läs extrakten från S3-kompatibel objektlagring i stället för data_dir, t.ex. s3://hink/beslutsstod. Tomt betyder lokal disk. Importer publiceras dit som en ny version (se README, Mer än en process och mer än en maskin)."),
    Setting("objektlager_endpoint", "", "Adress till en S3-kompatibel tjänst (t.ex. MinIO eller Ceph), t.ex. https://s3.example.se. Tomt betyder AWS."),
    Setting("objektlager_region", "", "Region för objektlagret; tomt betyder standard för tjänsten."),
    Setting("objektlager_nyckel_id", "", "Åtkomstnyckelns id för objektlagret. Tomt: AWS-klientens vanliga källor (miljövariabler, ~/.aws). Sätt i secrets.toml eller som miljövariabel, aldrig i data."),
    Setting("objektlager_hemlig_nyckel", "", "Hemlig åtkomstnyckel för objektlagret. Sätt i secrets.toml eller som miljövariabel, aldrig i data."),


    Setting("lokal_roll", "forvaltare", "Rollen för den lokala användaren när ingen inloggning är konfigurerad (servern lyssnar då bara på 127.0.0.1): forvaltare (alla roller), tjansteperson eller lasare (för att förhandsgranska den skyddade vyn)."),
    Setting("roll_claim", "groups", "Det anspråk (claim) i ID-token från inloggningen som bär användarens grupper eller roller."),
    Setting("roll_grupper", "beslutsstod-lasare=lasare,beslutsstod-tjansteperson=tjansteperson,beslutsstod-forvaltare=forvaltare",
            "Vilken grupp i anspråket som ger vilken roll: grupp=roll, kommaseparerat (roller: lasare, tjansteperson, forvaltare). Flera grupper ger den högsta rollen.",
            _grupper),
    Setting("pseudonym_nyckel", "", "Hemlig nyckel för att pseudonymisera personnummer vid import (HMAC-SHA256). Sätt den i secrets.toml eller som miljövariabel, aldrig i data."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _secrets() -> dict[str, Any]:
    path = REPO_ROOT / ".streamlit" / "secrets.toml"
    try:
        stat = path.stat()
    except FileNotFoundError:
        return {}
    return _las_secrets(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _las_secrets(path: Path, mtime_ns: int, storlek: int) -> dict[str, Any]:
    # Parsed once per version of the file (its time stamp and size are in the key): settings are
    # read many times per page run. Read only: callers never change the dict.
    with path.open("rb") as fh:
        return tomllib.load(fh)


def get(name: str) -> Any:
    """The value of one setting, parsed to its type."""
    setting = _BY_NAME[name]
    env = os.environ.get(ENV_PREFIX + name.upper())
    if env is not None:
        return setting.parse(env)
    secrets = _secrets()
    if name in secrets:
        value = secrets[name]
        return setting.parse(value) if isinstance(value, str) or setting.parse is _grupper else value
    return setting.default if not isinstance(setting.default, str) or setting.parse is str else setting.parse(setting.default)


def data_dir() -> Path:
    path = Path(get("data_dir"))
    return path if path.is_absolute() else REPO_ROOT / path


def extracts_dir() -> Path:
    return data_dir() / "extracts"


def reference_dir() -> Path:
    """Reference data is versioned in the repo; a data_dir without it falls back to the repo's."""
    return _reference_dir(data_dir())


@functools.lru_cache(maxsize=16)
def _reference_dir(data: Path) -> Path:
    # Looked up once per data folder and process (a kommun's name is looked up per table row).
    own = data / "reference"
    return own if (own / "opi.csv").exists() else REPO_ROOT / "data" / "reference"


def demo_as_of() -> dt.date:
    return get("demo_per_datum") or dt.date.today()
