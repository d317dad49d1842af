"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
import json
import sys


def print_json(obj) -> None:
    """Print ``obj`` as indented JSON on stdout."""
    sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False) + "\n")


class ExamplesHelpFormatter(argparse.HelpFormatter):
    r"""Help that wraps the description to the terminal, as argparse does, but prints an
    epilog of examples ("example:" or "examples:" then indented commands) line by line, so
    that each command is copied whole.

    Examples
    --------
    >>> formatter = ExamplesHelpFormatter("themes", width=40)
    >>> formatter._fill_text("example:\n  themes classify --json 'a long enough statement'", 40, "")
    "example:\n  themes classify --json 'a long enough statement'"
    """

    def _fill_text(self, text, width, indent):
        if text.startswith("example"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def add_model_option(parser) -> None:
    parser.add_argument(
        "--model",
        metavar="DIR",
        default=None,
        help="model folder (default: $THEMES_MODEL, else the shipped model)",
    )


def check_model_option(args) -> None:
    """Refuse a ``--model DIR`` that is no model folder, naming the option and what to give.

    The library's message (``load_model(path)``) speaks of a path and of ``None``; on the
    command line, the path came from ``--model``, and leaving the option out is the way to
    the shipped model.

    Raises
    ------
    ModelError
        ``args.model`` is set and is not a folder, or a folder without ``manifest.json``.
    """
    import os
    from pathlib import Path

    from themes.atomic import retired_folder
    from themes.errors import ModelError

    value = getattr(args, "model", None)
    if not isinstance(value, (str, os.PathLike)):
        return
    folder = Path(value)
    todo = (
        "give a model folder written by `themes train`, or leave --model out for the shipped model "
        "(`themes info` shows the model in use)"
    )
    if not folder.is_dir():
        what = "is a file, not a model folder" if folder.exists() else "the folder does not exist"
        retired = retired_folder(folder)
        hint = f"; an interrupted save left the previous model in {retired}: rename it back" if retired.is_dir() else ""
        raise ModelError(f"--model {value}: {what}; {todo}{hint}")
    if not (folder / "manifest.json").is_file():
        raise ModelError(f"--model {value}: not a model folder (it holds no manifest.json); {todo}")


def int_at_least(minimum: int):
    """An argparse type: an integer >= ``minimum``, with a one-line message otherwise.

    Examples
    --------
    >>> int_at_least(1)("3")
    3
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {value}")
        return value

    return parse


def unit_float(name: str):
    """An argparse type: a float in [0, 1] (a threshold), with a one-line message otherwise.

    Examples
    --------
    >>> unit_float("threshold")("0.4")
    0.4
    >>> unit_float("threshold")("1.5")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: The 'threshold' parameter must be a float in [0, 1]. Got '1.5' instead.
    """

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is None or not 0.0 <= value <= 1.0:  # also refuses nan
            raise argparse.ArgumentTypeError(f"The {name!r} parameter must be a float in [0, 1]. Got {text!r} instead.")
        return value

    return parse


def not_scored_line(n: int, reason: str, by: str = "") -> str:
    """The report line of ``themes evaluate`` and ``themes compare`` for ``n`` statements a
    model gave no theme for ``reason`` (``by``: which model, after the reason).

    Examples
    --------
    >>> not_scored_line(1, "blank: nothing to read")
    '1 statement not scored (blank: nothing to read): counted as predicted with no theme'
    >>> not_scored_line(2, "blank: nothing to read", ", by either model")
    '2 statements not scored (blank: nothing to read), by either model: counted as predicted with no theme'
    """
    return f"{n} statement{'s' if n != 1 else ''} not scored ({reason}){by}: counted as predicted with no theme"
