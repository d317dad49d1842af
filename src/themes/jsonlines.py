"""The one JSON Lines reader of themes: every bad line is reported as ``file:line: why``.

Scores, summaries, labelled statements, corpus releases and annotation exports are all
JSON Lines. :func:`read_jsonl` reads them line by line (so a file of any size), decodes
each line as UTF-8 on its own (so a bad byte names its line) and parses it with
:func:`parse_line`, which turns every way a line can be bad into one :class:`BadLine`
with its reason:

- not UTF-8 (a byte that cannot be decoded); a file saved as UTF-16 or UTF-32 (with its
  byte-order mark, as Windows editors save "Unicode") is named so once, with what to do;
- not JSON (with the column);
- nested too deeply for the parser (say 100,000 brackets), which would otherwise
  raise ``RecursionError``;
- a string holding a lone surrogate (``"\\ud800"``), which is valid JSON syntax but not
  Unicode text: it can be neither written as UTF-8 nor printed;
- not a JSON object, when ``objects=True``.

A caller chooses what a bad line does: raise (``errors="raise"``, the default), or come
out as a :class:`Line` whose ``error`` says why (``errors="yield"``), so that one bad
record never stops the others.

Examples
--------
>>> import pathlib, shutil, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "x.jsonl"
>>> _ = path.write_text('{"a": 1}\\n\\n[2]\\n{"b": "\\\\ud800"}\\n', encoding="utf-8")
>>> [(line.number, line.value) for line in read_jsonl(path, errors="yield") if line.ok]
[(1, {'a': 1}), (3, [2])]
>>> [line.error for line in read_jsonl(path, errors="yield", objects=True) if not line.ok]
['expected a JSON object, got list', 'a string holds a lone surrogate (\\\\ud800), which is not Unicode text']
>>> next(iter(read_jsonl(path, objects=True, start=3)))
Traceback (most recent call last):
...
themes.errors.InvalidInputError: ...x.jsonl:3: expected a JSON object, got list
>>> shutil.rmtree(path.parent)
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from themes.errors import InvalidInputError

__all__ = [
    "SHOWN_PROBLEMS", "BadLine", "Line", "bad_lines_error", "binary_kind", "dumps_line", "missing_reason", "parse_line",
    "read_jsonl",
]

# A \\uD800-\\uDFFF escape: either half of a surrogate pair, or a lone surrogate.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def binary_kind(head: bytes) -> str | None:
    r"""What a file whose first bytes are ``head`` is, when it is no text file at all.

    Known signatures (images, PDF, ZIP, gzip, old Office documents: the one table of
    :data:`themes.readers.formats.FILE_FORMATS`) are named; other data holding a NUL byte is
    "binary data". None for what may be text.

    Examples
    --------
    >>> binary_kind(b"\x89PNG\r\n\x1a\n\x00\x00"), binary_kind(b"ab\x00c"), binary_kind(b'{"a": 1}')
    ('a PNG image', 'binary data (a NUL byte at offset 2)', None)
    """
    # Imported here: the readers package imports this module (missing_reason), so an import
    # at the top would be circular.
    from themes.readers.formats import binary_format

    known = binary_format(head)
    if known is not None:
        return known.kind
    nul = head.find(b"\0")
    return f"binary data (a NUL byte at offset {nul})" if nul >= 0 else None


def missing_reason(path: str | os.PathLike) -> str:
    """Why ``path``, which does not exist, cannot be read: no such file, or a symbolic
    link whose target is gone (which the plain "no such file" hides: the link is listed).

    Examples
    --------
    >>> import os, shutil, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> os.symlink(os.path.join(folder, "gone.jsonl"), os.path.join(folder, "link.jsonl"))
    >>> missing_reason(os.path.join(folder, "link.jsonl")).startswith("a broken symbolic link: its target, ")
    True
    >>> missing_reason(os.path.join(folder, "none.jsonl"))
    'no such file'
    >>> shutil.rmtree(folder)
    """
    if os.path.islink(path):
        target = os.readlink(path)
        return f"a broken symbolic link: its target, {target}, does not exist; fix or remove the link"
    return "no such file"


# Byte-order marks of the encodings JSON Lines is not read in (UTF-32 first: its
# little-endian mark opens with UTF-16's).
_OTHER_UNICODE = [
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
]


def _whole_file_problem(raw: bytes | str) -> str | None:
    """Why a file whose first line is ``raw`` (which did not parse) is not JSON Lines at
    all: text in UTF-16 or UTF-32, a binary file, or a CSV table. Said once for the file,
    not once per line."""
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
    for mark, name in _OTHER_UNICODE:
        if data.startswith(mark):  # its NUL bytes are no binary data: say what it is
            return (
                f"is {name} text (it opens with a {name} byte-order mark); JSON Lines is read as UTF-8: "
                "save it as UTF-8 (Notepad: Save As, Encoding UTF-8; Python: encoding='utf-8')"
            )
    kind = binary_kind(data)
    if kind is not None:
        return f"is {kind}, not a JSON Lines file (one JSON object a line)"
    try:
        first = data.decode("utf-8-sig").strip()
        json.loads(first)
    except UnicodeDecodeError:
        return None
    except (ValueError, RecursionError):
        pass
    else:
        return None  # JSON, just not an object ("[1, 2]"): that line's own error says so
    if "," in first and "{" not in first:
        shown = first if len(first) <= 60 else first[:57] + "..."
        return (
            f"looks like CSV (its first line is {shown!r}), not JSON Lines (one JSON object a line); "
            "convert the rows to JSON objects (pandas: df.to_json(PATH, orient='records', lines=True, "
            "force_ascii=False))"
        )
    return None


class BadLine(ValueError):
    """Why one line is not a record (the reason alone, without file and line)."""


@dataclass(frozen=True)
class Line:
    """One non-blank line of a JSON Lines file.

    Attributes
    ----------
    number : int
        1-based line number.
    value : object
        The parsed JSON value (None when the line is bad).
    error : str or None
        Why the line is not a record.
    complete : bool
        False for a last line without its line break (an interrupted writer).
    """

    number: int
    value: object = None
    error: str | None = None
    complete: bool = True

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_line(raw: bytes | str, *, objects: bool = False, bom: bool = False) -> object:
    """Parse one JSON Lines line (bytes are decoded as UTF-8).

    Raises
    ------
    BadLine
        With the reason: not UTF-8, not JSON, nested too deeply, a lone surrogate, or
        (``objects=True``) not an object.

    Examples
    --------
    >>> parse_line(b'{"id": 1}')
    {'id': 1}
    >>> parse_line("[" * 100_000)
    Traceback (most recent call last):
    ...
    themes.jsonlines.BadLine: nested too deeply to read (more than the parser's recursion limit)
    >>> parse_line(b'{"t": "\\xff"}')
    Traceback (most recent call last):
    ...
    themes.jsonlines.BadLine: not UTF-8 (byte 0xff at column 8); save the file as UTF-8
    """
    if isinstance(raw, bytes):
        data = raw
        try:
            text = raw.decode("utf-8-sig" if bom else "utf-8")
        except UnicodeDecodeError as exc:
            raise BadLine(
                f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); save the file as UTF-8"
            ) from None
    else:
        text = raw.removeprefix("\ufeff") if bom else raw
        data = None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        # Column within the line as given (a line read with its "\n" must not report
        # "column 1" of a second line); Python's "Invalid control character at" ends in "at".
        place = "at the end of the line" if exc.pos >= len(text.rstrip("\r\n")) else f"at column {exc.pos + 1}"
        raise BadLine(f"invalid JSON ({exc.msg.removesuffix(' at')} {place})") from None
    except RecursionError:
        raise BadLine("nested too deeply to read (more than the parser's recursion limit)") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise BadLine(f"invalid JSON ({exc})") from None
    escapes = _SURROGATE_ESCAPE.search(data) if data is not None else _SURROGATE_ESCAPE.search(text.encode("utf-8", "surrogatepass"))
    if escapes:
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise BadLine(_surrogate_reason(exc)) from None
    if objects and not isinstance(value, dict):
        raise BadLine(f"expected a JSON object, got {_json_type(value)}")
    return value


def _json_type(value) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def read_jsonl(
    source: str | os.PathLike,
    *,
    errors: str = "raise",
    objects: bool = False,
    text: str | None = None,
    error: type[Exception] = InvalidInputError,
    start: int = 1,
    blank_lines: bool = False,
    max_bytes: int | None = None,
    too_long: str = "longer than {max_bytes:,} bytes; not read",
) -> Iterator[Line]:
    """The non-blank lines of a JSON Lines file, parsed, with their numbers.

    Parameters
    ----------
    source : path-like
        The file; with ``text``, only its name (for messages).
    errors : {"raise", "yield"}, default="raise"
        On a bad line, raise ``error("file:line: why")``, or yield a :class:`Line` with
        its ``error`` set and go on.
    objects : bool, default=False
        A line must hold a JSON object.
    text : str, optional
        The content, already read (a member of a zip file, say).
    error : exception type, default=InvalidInputError
        Raised for a file that cannot be opened and, with ``errors="raise"``, a bad line.
    start : int, default=1
        Number of the first line to yield (the earlier ones are read past, unparsed).
    blank_lines : bool, default=False
        A blank line is a bad line ("blank line") instead of being passed over.
    max_bytes : int, optional
        A line of the file longer than this (its line break aside) is a bad line, skipped
        in blocks without being held in memory, so that one huge record cannot exhaust it.
    too_long : str, default="longer than {max_bytes:,} bytes; not read"
        The reason given for such a line (formatted with ``max_bytes``).

    Yields
    ------
    Line
        ``complete`` is False for a last line without its line break; such a line that
        does not parse is yielded (or raised) like any other, for the caller to decide
        (an interrupted writer leaves one).
    """
    if errors not in ("raise", "yield"):
        raise ValueError(f"The 'errors' parameter of read_jsonl must be 'raise' or 'yield'. Got {errors!r} instead.")
    path = Path(source)
    first = start == 1  # the file's first line, to tell a file that is no JSON Lines at all
    for number, raw in _raw_lines(path, text, error, max_bytes):
        if number < start:
            continue
        if raw is None:
            reason = too_long.format(max_bytes=max_bytes)
            if errors == "raise":
                raise error(f"{path}:{number}: {reason}")
            yield Line(number, None, reason)
            continue
        if not raw.strip():
            if blank_lines:
                if errors == "raise":
                    raise error(f"{path}:{number}: blank line")
                yield Line(number, None, "blank line")
            continue
        complete = raw.endswith(b"\n") if isinstance(raw, bytes) else raw.endswith("\n")
        is_first, first = first, False
        try:
            value = parse_line(raw, objects=objects, bom=number == 1)
        except BadLine as exc:
            whole = _whole_file_problem(raw) if is_first else None
            if whole is not None:
                raise error(f"{path}: {whole}") from None
            if errors == "raise":
                raise error(f"{path}:{number}: {exc}") from None
            yield Line(number, None, str(exc), complete)
            continue
        yield Line(number, value, None, complete)


#: How many bad lines an error lists, before "and N more".
SHOWN_PROBLEMS = 20


def bad_lines_error(path, problems: list[str], hint: str = "", error=InvalidInputError, what: str = "bad lines") -> Exception:
    """One error for every bad line of ``path`` (``problems``: ``file:line: what``).

    One problem is the message itself (with ``hint`` after it). Several are listed one a
    line below a first line that counts them: the first :data:`SHOWN_PROBLEMS`, then
    "and N more" (as ``_first_few`` of :mod:`themes.archive.records` ends a list), then
    ``hint``; the command line prints them in its one ``themes: error:`` line. ``error``
    is the class of the error (:class:`~themes.errors.InvalidInputError`, or
    :class:`~themes.errors.DocumentError` for a scores file); ``path`` may name several
    files (a folder), the problems each naming their own. ``what`` names them in the first
    line (``"bad records"`` for records given as dicts, which have no lines).

    This is the one way readers of labelled and scores files report bad lines:
    :func:`themes.evaluate.read_labelled` (``themes evaluate``, ``themes compare --data``),
    :func:`themes.compare.read_reference` (``--archive``), :func:`themes.suggest.suggest`
    and :func:`themes.trends.trends` (JSON Lines).

    Examples
    --------
    >>> from themes.errors import DocumentError
    >>> error = bad_lines_error("lab.jsonl", [f"lab.jsonl:{n}: invalid JSON." for n in range(1, 24)])
    >>> lines = str(error).splitlines()
    >>> lines[0], lines[1], lines[-2:]
    ('lab.jsonl: 23 bad lines:', 'lab.jsonl:1: invalid JSON.', ['lab.jsonl:20: invalid JSON.', 'and 3 more.'])
    >>> bad_lines_error("s.jsonl", ["s.jsonl:4: invalid JSON."], error=DocumentError)
    DocumentError('s.jsonl:4: invalid JSON.')
    """
    if len(problems) == 1:
        return error(problems[0] + hint)
    shown = problems[:SHOWN_PROBLEMS]
    if len(problems) > len(shown):
        shown.append(f"and {len(problems) - len(shown)} more.")
    return error("\n".join([f"{path}: {len(problems)} {what}:", *shown] + ([hint.strip()] if hint else [])))


def _raw_lines(path: Path, text: str | None, error, max_bytes: int | None = None) -> Iterator[tuple[int, bytes | str | None]]:
    """``(number, line)`` of the file (or of ``text``, already read); None for a line of the
    file longer than ``max_bytes``."""
    if text is not None:
        yield from enumerate(text.splitlines(keepends=True), 1)
        return
    try:
        handle = open(path, "rb")
    except IsADirectoryError:
        raise error(f"{path}: is a folder; give the file.") from None
    except FileNotFoundError:
        raise error(f"{path}: cannot be read: {missing_reason(path)}.") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    with handle:
        yield from enumerate(handle if max_bytes is None else _bounded_lines(handle, max_bytes), 1)


def _bounded_lines(handle, limit: int) -> Iterator[bytes | None]:
    """The lines of a binary file; None for a line longer than ``limit``, skipped unread."""
    while True:
        raw = handle.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line in blocks
                raw = handle.readline(1 << 20)
            yield None
            continue
        yield raw


def dumps_line(value) -> bytes:
    """One JSON Lines line (UTF-8, with its line break).

    Raises
    ------
    BadLine
        A string of ``value`` holds a lone surrogate, which UTF-8 cannot write.

    Examples
    --------
    >>> dumps_line({"text": "Миnsk"})
    b'{"text": "\\xd0\\x9c\\xd0\\xb8nsk"}\\n'
    """
    try:
        return (json.dumps(value, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadLine(_surrogate_reason(exc)) from None


def _surrogate_reason(exc: UnicodeEncodeError) -> str:
    return f"a string holds a lone surrogate (\\u{ord(exc.object[exc.start]):04x}), which is not Unicode text"
