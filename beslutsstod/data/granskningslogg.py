"""Who did what: an append-only audit log (JSON Lines) in the data folder.

One line per event: time (ISO 8601 with offset), the user's subject and e-mail from the ID token
(or "lokal" without sign-in), the event and what it concerned (table, file name, counts, export
file). Nothing else about the user, and never any data about the persons in the extracts.
Events: import (accepted/refused), import_aterstalld (a crashed import finished),
kartlaggning_tabell (the reference table saved or replaced), export (a file downloaded).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from beslutsstod.data import jsonlogg

FILNAMN = "granskningslogg.jsonl"
HANDELSER = {"import": "Import", "import_aterstalld": "Avbruten import slutförd",
             "kartlaggning_tabell": "Kartläggningens tabell ändrad", "export": "Export"}


def sokvag(data_dir: str | Path) -> Path:
    return Path(data_dir) / FILNAMN


def skriv(data_dir: str | Path, vem: dict[str, str], handelse: str, vad: dict) -> None:
    """Append one event (opened in append mode, flushed and synced: earlier lines are never rewritten)."""
    if handelse not in HANDELSER:
        raise ValueError(f"okänd händelse {handelse!r}")
    post = {"tid": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "sub": str(vem.get("sub", "")), "epost": str(vem.get("epost", "")),
            "handelse": handelse, "vad": vad}
    jsonlogg.lagg_till(sokvag(data_dir), post)


def las(data_dir: str | Path) -> list[dict]:
    """Every event, oldest first; a damaged line is skipped (the file is only ever appended to)."""
    return jsonlogg.las(sokvag(data_dir))


def tabell(poster: list[dict]) -> pd.DataFrame:
    """The log for the Data page, newest first, every value as text (data, never markup)."""
    rader = [{"Tid": str(p.get("tid", ""))[:19].replace("T", " "), "Vem": str(p.get("epost") or p.get("sub") or ""),
              "Subjekt (sub)": str(p.get("sub", "")), "Händelse": HANDELSER.get(p.get("handelse"), str(p.get("handelse"))),
              "Vad": "; ".join(f"{k}: {v}" for k, v in (p.get("vad") or {}).items())}
             for p in reversed(poster)]
    return pd.DataFrame(rader, columns=["Tid", "Vem", "Subjekt (sub)", "Händelse", "Vad"])
