"""How the import writes SQL: values are bound, names come from the declared schema.

The import's SQL is generated (the columns differ per table), but only two kinds of text are ever
spliced into it, each through one helper here:

- ``ident``: an identifier. Table and column names come from the declared schema
  (``schema.TABELLER``: the table names and ``Kolumn.namn``) or are made by this code from them and
  from counters (``f0_rad``, ``c3``, ``n_datum``, ``ny_besok``). A file's header text never becomes
  an identifier: a header cell is only matched against the schema's names (``schema.normalisera_namn``)
  and the file's columns are named ``c0, c1, ...`` by position. ``ident`` refuses anything that is not
  a plain lower-case name, so a name that did not come from here fails loudly instead of being quoted.
- ``konstant``: a string literal for a constant of this code (an allowed enum value, a message
  fragment, the trim characters) inside a definition DuckDB cannot bind parameters to, such as a
  view or a CASE expression generated per column.

Everything else travels as a bound parameter (``$name``): file paths (read_csv, COPY ... TO $fil;
the stored Parquet files through a session variable, as view definitions take no parameters),
years, limits, and every value from a file (as table data, or lists bound with unnest).
"""

from __future__ import annotations

import re

_NAMN = re.compile(r"[a-z_][a-z0-9_]*")


def ident(text: str) -> str:
    """A quoted SQL identifier for a name from the schema or made by this code (see the module)."""
    if not _NAMN.fullmatch(text):
        raise ValueError(f"inget namn ur schemat: {text!r}")
    return f'"{text}"'


def identlista(namnen) -> str:
    """Comma-separated quoted identifiers (ident) in the given order."""
    return ", ".join(ident(n) for n in namnen)


def konstant(text: str) -> str:
    """A SQL string literal for a constant of this code (never a value from a file)."""
    return "'" + str(text).replace("'", "''") + "'"
