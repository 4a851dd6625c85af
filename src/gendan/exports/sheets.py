"""Writing rows of an exported sheet so that no cell of text runs as a formula.

Text from the database (a customer's PO, a note) may start with "=", "+", "-" or "@": a
spreadsheet would read it as a formula and, with `=HYPERLINK(...)` or `=WEBSERVICE(...)`,
send the sheet's data to whoever wrote it (OWASP: CSV injection). openpyxl turns any string
that starts with "=" into a formula cell, so every exporter appends its rows through
`append_row`, which keeps such text a text cell with Excel's quote prefix (shown as written,
never evaluated). Numbers, dates and empty cells are written as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import TYPE_STRING, Cell
from openpyxl.worksheet.worksheet import Worksheet

# What a spreadsheet may take as the start of a formula (tab and CR too, per OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append one row; any text that a spreadsheet would evaluate is written as plain text."""
    sheet.append([_text_cell(sheet, v) if is_formula_like(v) else v for v in values])


def _text_cell(sheet: Worksheet, text: str) -> Cell:
    cell = Cell(sheet, value=text)
    cell.data_type = TYPE_STRING
    cell.quotePrefix = True
    return cell
