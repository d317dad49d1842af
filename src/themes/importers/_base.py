"""What every format reader yields: one :class:`ExportRecord` per input record.

A record carries the statement (text, context, an id if the export has one) and the
annotators' votes on it. The readers only parse; deciding labels (majority, mapping,
ids, duplicates) happens once, in :func:`themes.importers.import_export`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from themes.corpus import is_record_number
from themes.errors import CorpusError
from themes.jsonlines import read_jsonl

__all__ = ["OPTION_NAMES", "ExportRecord", "Vote", "invalid_unicode", "json_lines", "option_setting", "printable_place", "text_id"]

#: How a report names an option the user may set: ``"python"``, the parameter of the function
#: called (``empty_labels='report'``), or ``"cli"``, the flag of ``themes import``
#: (``--empty-labels report``). The user reads the report where they set the option.
OPTION_NAMES = ("python", "cli")


@dataclass(frozen=True)
class Vote:
    """One annotator's answer about a statement.

    Attributes
    ----------
    annotator : str or None
        Who answered, when the export says so.
    chosen : tuple of str
        Label names the annotator chose, as written in the export (before ``--map``).
    judged : tuple of str or None
        Label names the answer is about. None means every theme (a choice task: what was
        not chosen was judged absent); a binary answer judges its one label only.
    binary : bool
        A yes/no answer about the one label in ``judged`` (Prodigy's binary ``textcat``),
        not a choice among the themes: it says nothing about the other themes.
    where : str or None
        The answer's place when its record holds several answers (a Label Studio
        annotation); None when it is the record's place.
    """

    annotator: str | None
    chosen: tuple[str, ...]
    judged: tuple[str, ...] | None = None
    binary: bool = False
    where: str | None = None


@dataclass
class ExportRecord:
    """One input record (a task, a line or a row) of an export.

    ``skip_reason`` is set by a reader when the record cannot give a statement whatever its
    text (a rejected task, span labels, a task nobody annotated); ``cancelled`` counts
    annotations left out because the annotator cancelled, skipped or ignored the task.
    """

    where: str
    text: str | None
    context: str | None = None
    export_id: str | None = None
    tool_id: str | None = None
    votes: list[Vote] = field(default_factory=list)
    cancelled: int = 0
    skip_reason: str | None = None
    style: str | None = None
    lang: str | None = None
    #: An empty answer the export writes the same way as no answer at all (doccano's
    #: ``"label": []``): read as "no theme", and counted in the import's warnings.
    unmarked_empty: bool = False


_SURROGATE = re.compile("[\ud800-\udfff]")


def option_setting(name: str, value: str, option_names: str = "python") -> str:
    """An option set to ``value``, named as the user sets it (:data:`OPTION_NAMES`).

    Examples
    --------
    >>> option_setting("empty_labels", "report"), option_setting("empty_labels", "report", "cli")
    ("empty_labels='report'", '--empty-labels report')
    """
    if option_names == "cli":
        return f"--{name.replace('_', '-')} {value}"
    return f"{name}={value!r}"


def invalid_unicode(text: str | None) -> str | None:
    """Why ``text`` cannot be written as UTF-8 (a lone surrogate, as JSON's ``\\ud800``
    allows), or None.

    Examples
    --------
    >>> invalid_unicode("Financing \\ud800 x.")
    'a lone surrogate U+D800 at character 11 (not valid Unicode)'
    >>> invalid_unicode("Financing x.") is None
    True
    """
    if text is None or text.isascii():
        return None
    found = _SURROGATE.search(text)
    return None if found is None else f"a lone surrogate U+{ord(found.group()):04X} at character {found.start() + 1} (not valid Unicode)"


def printable_place(where: str) -> str:
    """A record's place with file-name bytes that are not UTF-8 shown as ``\\xNN`` (they
    arrive as lone surrogates, which cannot be written to the release or the report).

    Examples
    --------
    >>> import os
    >>> printable_place(os.fsdecode(b"exp/\\xcf\\xf0.jsonl") + ":1")
    'exp/\\\\xcf\\\\xf0.jsonl:1'

    A lone surrogate that is no file-name byte (a task id ``"\\ud800"`` of a JSON export)
    is shown as ``\\uXXXX``:

    >>> printable_place("x.json:1 (task 1, id a\\ud800)")
    'x.json:1 (task 1, id a\\\\ud800)'
    """
    if where.isascii() or not _SURROGATE.search(where):
        return where
    return _SURROGATE.sub(_escaped_surrogate, where)


def _escaped_surrogate(found: re.Match) -> str:
    code = ord(found.group())
    # os.fsdecode turns a file-name byte that is not UTF-8 into U+DC80..U+DCFF.
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def normalize_text(text: str) -> str:
    """Whitespace collapsed: the form ids are hashed from and duplicates are found by."""
    return " ".join(text.split())


def text_id(text: str) -> str:
    """A statement id from the sha256 of its whitespace-normalised text.

    Examples
    --------
    >>> text_id("Drones were used.") == text_id("  Drones   were used.")
    True
    >>> text_id("Drones were used.")
    'sha256-635324f9dc6a15f3'
    """
    digest = hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
    return f"sha256-{digest[:16]}"


def as_id(value) -> str | None:
    """A non-empty string id that is not a number, or None.

    A number, written as one or as a string of digits ("17", as every CSV cell is a string),
    is the tool's record key: another export, project or spreadsheet numbers its records
    again, and taken as an id it would replace a different statement of an earlier import.
    Such records get the text's hash (:func:`text_id`); ``id_from="export"`` takes the
    numbers (:func:`as_tool_id`).

    Examples
    --------
    >>> as_id("ls-105"), as_id(" q1 "), as_id("17"), as_id(17), as_id("")
    ('ls-105', 'q1', None, None, None)
    """
    if isinstance(value, str) and value.strip() and not is_record_number(value):
        return value.strip()
    return None


def as_tool_id(value) -> str | None:
    """Any id the tool gave the record, numbers included, as a string (for ``id_from="export"``)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, str)) and str(value).strip():
        return str(value).strip()
    return None


def optional_str(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def json_lines(path: Path, text: str | None = None):
    """Yield ``(line number, JSON object or error message)`` for each non-blank line of a JSONL file.

    A line that is valid JSON but not an object gives the message too: every export record
    is an object. Lines are read by :func:`themes.jsonlines.read_jsonl`, so a line nested
    too deeply or holding a lone surrogate is one bad record, not the end of the import.
    """
    if text is None:
        text = read_text(path)
    body = text.lstrip()
    if body.startswith("["):
        line = text.count("\n", 0, len(text) - len(body)) + 1
        raise CorpusError(
            f"{path}:{line}: one JSON array, not JSON Lines (one object a line): a Label Studio JSON "
            "export? Import it with `themes import labelstudio`."
        )
    for line in read_jsonl(path, text=text, errors="yield", objects=True, error=CorpusError):
        yield line.number, line.value if line.ok else line.error


def read_text(path: Path, fix: str = "save the file as UTF-8") -> str:
    """The file as text (UTF-8, a BOM tolerated); a clear error when it is not.

    ``fix`` is what the error tells the user to do about text that is not UTF-8.

    Examples
    --------
    >>> import pathlib, shutil, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "labels.csv"
    >>> _ = path.write_bytes("text\\nДроны".encode("cp1251"))
    >>> read_text(path, fix="save it as UTF-8 (in Excel: CSV UTF-8)")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    themes.errors.CorpusError: ...labels.csv: not UTF-8 text (invalid continuation byte at byte 5); save it as UTF-8 (in Excel: CSV UTF-8).
    >>> shutil.rmtree(path.parent)
    """
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CorpusError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise CorpusError(f"{path}: is a folder; give the export file.") from None
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); {fix}.") from None
