"""The state of the stored extracts: which required tables are missing, and recovery from an import
that was killed mid-commit. Used by app.py at the start of every run, before any query.

What the Data page shows of the stored tables and the import log is its page model, beslutsstod/vyer/data.py.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from beslutsstod.inlasning.lagra import ImportPagar, aterstall_avbruten_import, extrakt_dir, importlas, lagrade_filer
from beslutsstod.inlasning.schema import TABELLORDNING, VALFRIA_TABELLER


def saknade_tabeller(data_dir: str | Path) -> list[str]:
    """The required tables with no stored file, in import order (besok counts when one year is stored).

    The optional tables (inlasning/schema.py: VALFRIA_TABELLER) are never missing here: only the trial of
    pay per insats needs them, and it says so itself.
    """
    return [t for t in TABELLORDNING if t not in VALFRIA_TABELLER and not lagrade_filer(data_dir, t)]


def aterstall_om_avbruten(data_dir: str | Path) -> bool:
    """Finish or forget (and log) an import that was killed; True if its commit was finished.

    Called by app.py at every start of a run, before any query, so no page ever shows half an
    import. Does nothing (and writes nothing) unless a journal, an attempt file or a temporary
    file is left, and never while another import holds the lock: that import is running.
    """
    katalog = extrakt_dir(data_dir)
    if not katalog.exists():
        return False
    if not any((katalog / namn).exists() for namn in (
            "_pagaende_import.json", "_pagaende_forsok.json", "_import_tmp")) \
            and not any(katalog.rglob("*.tmp-*")):
        return False
    with contextlib.suppress(ImportPagar):
        with importlas(data_dir):
            return aterstall_avbruten_import(data_dir)
    return False
