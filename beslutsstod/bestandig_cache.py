"""Results of pure, costly functions kept on disk across processes and restarts (issue 16).

The protected view's crosstab masking (regler/lasarvy) solves hundreds of small linear programs per
table: 0,9 s per year at 10 million visits, plus 0,5 s to import scipy. Its result depends only on
the cells it is given, the threshold and the masking code, so it is stored under a key made of
exactly those (the code as the text of the modules the function names) and read back by any later
process: a restart, a second app process, the import that computed it in advance
(vyer/forvarm.py). Nothing else is stored: the cells are counts and sums already shown to the same
role, and the file holds only which of them are hidden.

Files: ``<data_dir>/cache/<namn>/<sha256>.json``, written whole (temporary file, then rename). A
folder that cannot be written or read only means computing as before.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from beslutsstod import installningar

MAX_FILER = 4096  # per function: beyond it the oldest half is removed


@functools.cache
def _kod(moduler: tuple[ModuleType, ...]) -> str:
    """The fingerprint of the code that decides a result: the source text of its modules."""
    return hashlib.sha256("".join(inspect.getsource(m) for m in moduler).encode()).hexdigest()


def bestandig(namn: str, *, beror_pa: tuple[ModuleType, ...], koda: Callable[[Any], Any],
              avkoda: Callable[[Any], Any]) -> Callable:
    """Decorate a pure function of hashable arguments whose repr is exact (tuples of numbers and
    strings): its result is kept in ``<data_dir>/cache/<namn>/``. ``beror_pa`` are the modules whose
    code decides the result (a change to them is a new key); ``koda``/``avkoda`` turn the result
    into JSON and back."""

    def dekorator(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def omslag(*args: Any) -> Any:
            kod = _kod((inspect.getmodule(fn), *beror_pa))
            nyckel = hashlib.sha256(f"{fn.__qualname__}|{kod}|{args!r}".encode()).hexdigest()
            mapp = installningar.data_dir() / "cache" / namn
            fil = mapp / f"{nyckel}.json"
            with contextlib.suppress(OSError, ValueError):
                return avkoda(json.loads(fil.read_text(encoding="utf-8")))
            resultat = fn(*args)
            with contextlib.suppress(OSError):
                _skriv(mapp, fil, json.dumps(koda(resultat), ensure_ascii=False))
            return resultat

        return omslag

    return dekorator


def _skriv(mapp: Path, fil: Path, text: str) -> None:
    mapp.mkdir(parents=True, exist_ok=True)
    tmp = mapp / f".{fil.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, fil)
    filer = list(mapp.glob("*.json"))
    if len(filer) > MAX_FILER:
        for gammal in sorted(filer, key=lambda p: p.stat().st_mtime)[: len(filer) // 2]:
            with contextlib.suppress(OSError):
                gammal.unlink()
