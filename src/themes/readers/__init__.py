"""Readers: a bulletin file -> its text, format, encoding and metadata date.

Each format has a small module; optional packages are imported only when a file of that
format is read, and a missing one fails with the ``pip install 'themes[...]'`` line:

============  ==========================  ===============================================
suffix        reader                      notes
============  ==========================  ===============================================
.txt .md      :mod:`themes.readers.text`  encoding detected (windows-1251, KOI8-R,
                                          cp866 and MacCyrillic by Russian words;
                                          charset-normalizer when installed),
                                          streamed in bounded memory
.html .htm    :mod:`themes.readers.html`  main text only, via trafilatura (``html``)
.pdf          :mod:`themes.readers.pdf`   text layer, page by page, via pypdf (``pdf``)
.docx         :mod:`themes.readers.docx`  via python-docx (``docx``); zip bombs refused
.jsonl        :mod:`themes.readers.jsonl` one ``{"id", "text", "date"?}`` per line
============  ==========================  ===============================================

A file whose content is of another format than its name says (a PDF saved as .txt, an
old Word file named .docx) is refused with what it is, from one table
(:mod:`themes.readers.formats`).

A :class:`Document` hands its text out as a lazy sequence of chunks, so a 50 MB text,
PDF or JSON Lines file is never held whole; HTML and DOCX are parsed whole and are
refused above :data:`MAX_HTML_BYTES` and :data:`MAX_PARSED_BYTES`, and a JSON Lines
record above :data:`MAX_RECORD_BYTES` is reported as failed, so that the memory one
document takes stays bounded.

Examples
--------
>>> from pathlib import Path
>>> import shutil, tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "note.txt").write_text("Minsk, 1 June 2024\\nDrones were discussed.", encoding="utf-8")
>>> doc = next(read_documents(folder / "note.txt"))
>>> doc.format, doc.encoding, doc.text()
('txt', 'utf-8', 'Minsk, 1 June 2024\\nDrones were discussed.')
>>> shutil.rmtree(folder)
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from themes.errors import DocumentError
from themes.jsonlines import missing_reason

__all__ = [
    "MAX_HTML_BYTES",
    "MAX_PARSED_BYTES",
    "MAX_RECORD_BYTES",
    "SUFFIXES",
    "TABLE_HINT",
    "TABLE_SUFFIXES",
    "Document",
    "expand_paths",
    "metadata_title",
    "read_documents",
    "read_text",
    "walk_folder",
]

#: File suffix -> format name.
SUFFIXES = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".jsonl": "jsonl",
}

#: Suffixes of tables, whose rows themes reads from JSON Lines instead.
TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xls", ".ods")
#: How a table of bulletins or statements (a CSV export, a spreadsheet) comes in: as JSON Lines.
TABLE_HINT = (
    "to score bulletins or statements from a table (a CSV export, a spreadsheet), write its rows to a "
    '.jsonl file, one JSON object a line: {"id": ..., "text": ..., "date": "2024-05-14"} (date optional)'
)

#: HTML and DOCX files are parsed whole; larger ones are refused (bytes on disk).
MAX_PARSED_BYTES = 64 * 1024 * 1024
#: HTML pages larger than this are refused (bytes on disk): parsing takes about 20 times
#: the page's size in memory, and growing time (16 MB: 0.36 GB and 28 s; 54 MB: 2.1 GB).
MAX_HTML_BYTES = 16 * 1024 * 1024
#: A JSON Lines record (one line) larger than this is reported as failed, unread.
MAX_RECORD_BYTES = 16 * 1024 * 1024


@dataclass
class Document:
    """One bulletin as read from a file.

    Attributes
    ----------
    bulletin : str
        The bulletin's id: its path, or the ``id`` of a JSON Lines record.
    format : str
        ``txt``, ``md``, ``html``, ``pdf``, ``docx`` or ``jsonl``.
    chunks : callable returning an iterable of str
        Produces the text in order, lazily; the text is their concatenation.
    encoding : str or None
        The character encoding the bytes were decoded with (text formats).
    date : str or None
        A date from the file's metadata, ``YYYY-MM-DD``.
    title : str or None
        A title from the metadata.
    error : str or None
        Why this document could not be read (one bad record of a JSON Lines file);
        the other records of the file are still read.
    wrapped : bool
        True when the line breaks inside the text's paragraphs are layout, not the end of
        a statement: a PDF's lines, a text file hard-wrapped at a fixed width
        (:func:`themes.segment.looks_hard_wrapped`), a DOCX with manual line breaks inside
        its paragraphs. Segment it with ``unwrap=True`` (see :func:`themes.segment.segment`).
    line : int or None
        The line of its file a JSON Lines record is on (from 1), to name it in messages.
    """

    bulletin: str
    format: str
    chunks: Callable[[], Iterable[str]] = field(repr=False, default=lambda: ())
    encoding: str | None = None
    date: str | None = None
    title: str | None = None
    error: str | None = None
    wrapped: bool = False
    line: int | None = None

    def iter_text(self) -> Iterator[str]:
        """The text as chunks, read lazily (for large files)."""
        for chunk in self.chunks():
            if chunk:
                yield chunk

    def text(self) -> str:
        """The whole text (reads the file again for streamed formats)."""
        return "".join(self.iter_text())


# Titles that tools write into a PDF's or a Word file's metadata by themselves: no title.
_PLACEHOLDER_TITLE = re.compile(
    r"\(?(?:anonymous|untitled(?: document)?|без (?:названия|имени)|безымянный|"
    r"document ?\d*|документ ?\d*|microsoft word document|title|заголовок|slide ?\d*|слайд ?\d*)\)?",
    re.IGNORECASE,
)
_WORD_PREFIX = re.compile(r"^Microsoft (?:Word|PowerPoint) - ", re.IGNORECASE)
_OFFICE_SUFFIX = re.compile(r"\.(?:docx?|rtf|odt|pptx?)$", re.IGNORECASE)


def metadata_title(title) -> str | None:
    """A title read from a file's metadata, or None when it is a tool's placeholder.

    ReportLab writes "(anonymous)" into every PDF it makes unless told otherwise, a document
    saved from Word keeps "Документ1" or "Document1", and a PDF printed from Word
    "Microsoft Word - <file name>"; such a title named the bulletin in its summary, before
    the title its text opens with.

    Examples
    --------
    >>> metadata_title("(anonymous)") is None, metadata_title("Документ1") is None
    (True, True)
    >>> metadata_title("Microsoft Word - Заседание Совета РАТС.docx")
    'Заседание Совета РАТС'
    >>> metadata_title("Microsoft Word - 2025-12-02.docx") is None
    True
    """
    if not isinstance(title, str):
        return None
    title = " ".join(title.split())
    title = _OFFICE_SUFFIX.sub("", _WORD_PREFIX.sub("", title)).strip()
    if not title or _PLACEHOLDER_TITLE.fullmatch(title) or not any(ch.isalpha() for ch in title):
        return None
    return title


def _format_of(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())


def read_documents(path: str | os.PathLike, data: bytes | None = None) -> Iterator[Document]:
    """The bulletins in one file: one for most formats, one per line for JSON Lines.

    Parameters
    ----------
    path : str or path-like
    data : bytes, optional
        The whole file's bytes, when the caller has read them already (a small file): a
        .txt or .md file is then decoded from them, not read again. Other formats read ``path``.

    Yields
    ------
    Document

    Raises
    ------
    DocumentError
        The file is missing, of an unknown format, or cannot be read or parsed
        (the message names the path and the reason). Parse errors of a streamed format
        may surface while the chunks are read.
    MissingDependencyError
        The optional package that reads this format is not installed.
    """
    path = Path(path)
    if not path.exists():
        magic = _has_magic(str(path)) and not path.is_symlink()
        reason = "no file matches this pattern" if magic else missing_reason(path)
        if str(path).startswith("~") and os.path.exists(os.path.expanduser(str(path))):
            # A quoted '~/archive' reaches themes as written: the shell expands ~ only unquoted.
            reason += f" (~ is not the home folder inside quotes: write {os.path.expanduser(str(path))}, or ~ unquoted)"
        raise DocumentError(f"{path}: {reason}")
    if not path.is_file():
        raise DocumentError(f"{path}: not a regular file")
    kind = _format_of(path)
    if kind is None:
        known = ", ".join(sorted(SUFFIXES))
        # A spreadsheet of statements is common; JSON Lines is how a table comes in.
        hint = f"; {TABLE_HINT}" if path.suffix.lower() in TABLE_SUFFIXES else ""
        raise DocumentError(f"{path}: unsupported file type {path.suffix or '(none)'!r}; known: {known}{hint}")
    if kind in ("txt", "md"):
        from themes.readers.text import read_text_document

        yield read_text_document(path, kind, data)
    elif kind == "html":
        from themes.readers.html import read_html

        yield read_html(path)
    elif kind == "pdf":
        from themes.readers.pdf import read_pdf

        yield read_pdf(path)
    elif kind == "docx":
        from themes.readers.docx import read_docx

        yield read_docx(path)
    else:
        from themes.readers.jsonl import read_jsonl

        yield from read_jsonl(path)


def read_text(path: str | os.PathLike) -> str:
    """The text of a single-bulletin file (any format but JSON Lines).

    Raises
    ------
    DocumentError
        As :func:`read_documents`, or the file is a JSON Lines file.
    """
    path = Path(path)
    if _format_of(path) == "jsonl":
        raise DocumentError(f"{path}: a JSON Lines file holds many bulletins; use read_documents")
    doc = next(read_documents(path))
    return doc.text()


def _has_magic(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def walk_folder(folder: str, onerror: Callable[[OSError], None] | None = None) -> Iterator[tuple[str, list, list]]:
    """:func:`os.walk` of ``folder``, hidden folders left out, folders reached through a
    symbolic link read too, and each folder once.

    An archive often links in a folder kept elsewhere ("2024 -> /mnt/share/2024"); a walk
    that does not follow links passed its bulletins over without a word. A link back up the
    tree (a loop) or to a folder read already is not entered again, so the walk ends.
    """
    visited = {os.path.realpath(folder)}
    for root, dirs, files in os.walk(folder, onerror=onerror, followlinks=True):
        kept = []
        for name in sorted(dirs):
            if name.startswith("."):
                continue
            real = os.path.realpath(os.path.join(root, name))
            if real not in visited:
                visited.add(real)
                kept.append(name)
        dirs[:] = kept
        yield root, dirs, files


def expand_paths(
    paths: Iterable[str | os.PathLike],
    exclude: Iterable[str | os.PathLike] = (),
    passed_over: list[str] | None = None,
) -> list[str]:
    """Files named by ``paths``: files as given, folders searched recursively, globs expanded.

    Folders and globs contribute only files of a known format (see :data:`SUFFIXES`),
    hidden files and folders left out, in sorted order (a folder reached through a
    symbolic link is searched too, each folder once: :func:`walk_folder`); a file named directly is kept
    whatever its type (reading it then says what is wrong). Duplicates and the paths in
    ``exclude`` (the run's own outputs) are dropped. The files of other types that folders
    and globs hold (``.doc``, ``.rtf``, images) are appended to ``passed_over`` when a list
    is given, so that a run can say what it did not read.

    Returns
    -------
    list of str
        The paths as found (not resolved), so that the same command gives the same ids.

    Examples
    --------
    >>> import shutil, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ["b.txt", "a.pdf", "skip.png", "sub/c.md", ".hidden.txt"]:
    ...     (folder / name).parent.mkdir(exist_ok=True)
    ...     _ = (folder / name).write_text("x")
    >>> other = []
    >>> [Path(p).relative_to(folder).as_posix() for p in expand_paths([folder], passed_over=other)]
    ['a.pdf', 'b.txt', 'sub/c.md']
    >>> [Path(p).name for p in other]
    ['skip.png']
    >>> shutil.rmtree(folder)
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    excluded = {os.path.realpath(p) for p in exclude}
    seen: set[str] = set()
    out: list[str] = []

    def keep(candidate: str) -> None:
        real = os.path.realpath(candidate)
        if real in seen or real in excluded:
            return
        seen.add(real)
        out.append(candidate)

    def walk(folder: str) -> None:
        found = []
        for root, _dirs, files in walk_folder(folder):
            for name in sorted(files):
                if name.startswith("."):
                    continue
                if _format_of(Path(name)):
                    found.append(os.path.join(root, name))
                elif passed_over is not None and os.path.realpath(os.path.join(root, name)) not in excluded:
                    passed_over.append(os.path.join(root, name))
        for candidate in sorted(found):
            keep(candidate)

    for raw in paths:
        text = os.fspath(raw)
        if os.path.isdir(text):
            walk(text)
        elif os.path.exists(text) or not _has_magic(text):
            keep(text)  # a missing file is kept: reading it reports "no such file"
        else:
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                keep(text)  # reported as "no such file" when read
            for match in matches:
                if os.path.isdir(match):
                    walk(match)
                elif not Path(match).name.startswith("."):
                    if _format_of(Path(match)):
                        keep(match)
                    elif passed_over is not None and os.path.realpath(match) not in excluded:
                        passed_over.append(match)
    return out
