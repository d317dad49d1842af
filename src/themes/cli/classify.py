"""``themes classify TEXT... [--json]``: tag statements given as arguments or on stdin."""

from __future__ import annotations

import sys

from themes.api import classify
from themes.cli._common import ExamplesHelpFormatter, add_model_option, print_json, unit_float
from themes.errors import InvalidInputError


def add_parser(sub) -> None:
    p = sub.add_parser(
        "classify",
        help="tag statements given as arguments, or one per line on stdin",
        description="Tag each TEXT (or each non-empty line of stdin) with themes.",
        epilog='example:\n  themes classify "Participants discussed drone attacks on pipelines." --json',
        formatter_class=ExamplesHelpFormatter,
    )
    p.add_argument("texts", nargs="*", metavar="TEXT", help="statements; read from stdin when none, or when TEXT is -")
    p.add_argument(
        "--json", action="store_true",
        help="print a JSON list of records, one per statement in order, instead of lines (a list also for one statement)",
    )
    p.add_argument("--threshold", type=unit_float("threshold"), default=None, help="one threshold for every theme, in [0, 1]")
    p.add_argument("--context", default=None, help="a lead-in that every TEXT continues")
    p.add_argument("--explain", type=int, default=None, metavar="K", help="also show the K features behind each theme (K >= 1)")
    add_model_option(p)
    p.set_defaults(func=run)


def read_statements(stream) -> list[str]:
    """The non-blank lines of a text stream (stdin), refusing binary data.

    Raises
    ------
    InvalidInputError
        The bytes are not UTF-8 text, or hold a NUL byte (a binary file).
    """
    raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8", "surrogateescape")
    nul = raw.find(b"\0")
    if nul >= 0:
        raise InvalidInputError(
            f"standard input holds binary data (a NUL byte at offset {nul}); give text, one statement a line"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"standard input is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            f"give text, one statement a line{_convert_hint(raw)}"
        ) from None
    return [line.rstrip("\r") for line in text.split("\n") if line.strip()]


def _convert_hint(raw: bytes) -> str:
    """How to convert standard input that is not UTF-8: "; it reads as windows-1251: ..."
    when the file readers of ``themes score`` would read it in a Cyrillic or other code page.

    A list of statements saved from a spreadsheet on Russian Windows is windows-1251; the
    error said only that it was not UTF-8.

    Examples
    --------
    >>> _convert_hint("Совет обсудил финансирование терроризма.".encode("windows-1251"))
    '; it reads as windows-1251: convert it first, e.g. iconv -f windows-1251 -t utf-8 FILE | themes classify'
    >>> _convert_hint(b"Drones \\xff\\xfe")  # two stray bytes, not a code page's text
    ''
    """
    from themes.errors import DocumentError
    from themes.readers.text import detect_encoding_bytes

    try:
        encoding = detect_encoding_bytes(raw[: 1 << 20])
    except DocumentError:
        return ""
    if encoding.lower().replace("_", "-") in ("utf-8", "utf-8-sig"):
        return ""
    import codecs
    import re

    # A word of three letters or more beyond ASCII: text in that code page, not stray bytes
    # ("Drones \xff\xfe" reads as "Drones яю" too).
    if not re.search(r"[^\W\d_a-zA-Z]{3,}", raw[: 1 << 20].decode(codecs.lookup(encoding).name, "replace")):
        return ""
    return f"; it reads as {encoding}: convert it first, e.g. iconv -f {encoding} -t utf-8 FILE | themes classify"


def _note_paths(texts: list[str]) -> None:
    """Say on stderr when a TEXT names a file or folder: the name, not the file, is tagged.

    ``themes classify bulletin.txt`` tagged the 16 characters "bulletin.txt" (no theme) and
    exited 0, as if the bulletin were about nothing.
    """
    import os

    for text in texts:
        if "\n" in text or len(text) > 4096 or not os.path.exists(text):
            continue
        kind = "folder" if os.path.isdir(text) else "file"
        how = f"themes score {text} --out scores.jsonl scores its bulletins" if kind == "folder" else (
            f"themes score {text} --out scores.jsonl scores it as a bulletin, and themes classify < {text} "
            "tags its lines"
        )
        print(f"themes: note: {text!r} is the name of a {kind}; classify tags the TEXT given, not what the "
              f"{kind} holds: {how}", file=sys.stderr)


def run(args) -> int:
    if args.explain is not None and args.explain < 1:
        from themes.cli import UsageError

        # As Result.explain(k=0) refuses it: 0 features is no explanation (leave --explain out).
        raise UsageError(f"The '--explain' option of classify must be an int >= 1. Got {args.explain} instead.")
    texts = list(args.texts)
    if texts == ["-"]:  # the Unix habit: "-" names standard input (it was tagged as a statement)
        texts = []
    if not texts:
        if sys.stdin.isatty():  # not a silent wait: say what is read and how to end it
            print("themes: reading statements from standard input, one a line; end with Ctrl-D "
                  "(or give them as arguments: themes classify \"TEXT\")", file=sys.stderr)
        texts = read_statements(sys.stdin)
        if not texts:
            from themes.cli import UsageError

            raise UsageError(
                "classify: no statement given: pass TEXT arguments, or statements on standard input, one a line"
            )
    else:
        _note_paths(texts)
    contexts = [args.context] * len(texts) if args.context else None
    results = classify(texts, model=args.model, threshold=args.threshold, context=contexts)
    if args.json:
        records = []
        for r in results:
            record = r.to_dict()
            if args.explain:
                record["explain"] = {t: [c.to_dict() for c in cs] for t, cs in r.explain(k=args.explain).items()}
            records.append(record)
        # Always a list: a script reads one statement's output as it reads ten's.
        print_json(records)
        return 0
    for r in results:
        print(f"{r.tagged}\t{r.text}")
        if args.explain:
            for theme, contributions in r.explain(k=args.explain).items():
                shown = ", ".join(f"{c.feature!r} {c.weight:+.2f}" for c in contributions)
                print(f"    {theme}: {shown}")
    return 0
