"""Append-only JSON Lines files: the import log (ingest_store) and the audit log (granskningslogg).

One object per line, appended and synced to disk; earlier lines are never rewritten, and a
damaged line (a write cut off by a crash) is skipped when the file is read.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path


def lagg_till(sokvag: Path, post: dict) -> None:
    """Append one object as a line (opened in append mode, flushed and synced)."""
    sokvag.parent.mkdir(parents=True, exist_ok=True)
    with sokvag.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(post, ensure_ascii=False, default=str) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def las(sokvag: Path) -> list[dict]:
    """Every object, oldest first; a line that is not a JSON object is skipped."""
    if not sokvag.exists():
        return []
    poster = []
    with sokvag.open(encoding="utf-8") as fh:
        for rad in fh:
            with contextlib.suppress(ValueError):
                post = json.loads(rad)
                if isinstance(post, dict):
                    poster.append(post)
    return poster
