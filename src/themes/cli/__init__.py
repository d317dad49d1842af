"""The ``themes`` command line: one small module per command over plain functions.

Exit codes: 0 ok; 1 bad data (a file, record, model or corpus that cannot be used, and
any unexpected error); 2 bad usage (unknown option, bad option or parameter value). The
code follows the type of the error (:func:`exit_code`), never its message. Errors print
one line; ``--debug`` prints the traceback too.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import re
import sys
import traceback

from themes._version import __version__
from themes.cli._common import check_model_option
from themes.errors import ParameterError, ThemesError

__all__ = ["UsageError", "error_line", "exit_code", "main"]

#: Command modules, in the order ``themes --help`` lists them.
COMMANDS = ["classify", "score", "trends", "info", "train", "evaluate", "compare", "audit", "suggest", "import_", "corpus"]

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

EPILOG = """examples:
  themes classify "The parties discussed countering the use of drones by terrorists."
  themes score examples/ --out scores.jsonl --summary bulletins.jsonl
  themes trends scores.jsonl --by year
  themes train --release my-labels/ --out models/mine
  themes info
"""


class UsageError(ThemesError):
    """Bad usage of a command (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors end in one ``themes: error:`` line, not usage + exit.

    An unknown option is named with the command it was given to and the nearest option of
    that command ("did you mean --format?"), also when a required option is missing because
    it was misspelt (``--ouy`` for ``--out``).
    """

    _last: _Parser | None = None  # the parser that parsed last: the command of an unknown option
    _given: list[str] = []

    def parse_known_args(self, args=None, namespace=None):
        # Remembered for error(): the deepest command parsed last is the one an unknown
        # option belongs to (argparse hands each subcommand its own arguments).
        self._given = list(sys.argv[1:] if args is None else args)
        _Parser._last = self
        return super().parse_known_args(args, namespace)

    def unknown_options(self, given) -> list[tuple[str, str | None]]:
        """``[("--ouy", "--out")]``: the options in ``given`` this parser does not know, each
        with its nearest known option (or None)."""
        known = [o for o in self._option_string_actions if o.startswith("--")]
        found = []
        for arg in given:
            if arg == "--":
                break
            if not arg.startswith("-") or arg == "-" or arg[1:2].isdigit():
                continue
            name = arg.split("=", 1)[0]
            if name in self._option_string_actions or (name.startswith("--") and any(o.startswith(name) for o in known)):
                continue  # known, or an abbreviation argparse accepts
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            found.append((name, close[0] if close else None))
        return found

    @staticmethod
    def _did_you_mean(unknown) -> str:
        close = [(name, near) for name, near in unknown if near]
        if not close:
            return ""
        if len(close) == 1:
            return f"did you mean {close[0][1]}?"
        return "did you mean " + ", ".join(f"{near} for {name}" for name, near in close) + "?"

    def _nearest_choice(self, message: str) -> str:
        """" (did you mean 'classify'?)" for argparse's "argument X: invalid choice: 'clasify'"
        message, from the choices of that argument; "" when none is close."""
        found = re.match(r"argument (\S+?): invalid choice: '?(.*?)'? \(choose from", message)
        if not found:
            return ""
        name, value = found.groups()
        for action in self._actions:
            if action.choices and argparse._get_action_name(action) == name:
                close = difflib.get_close_matches(value, [str(c) for c in action.choices], n=1, cutoff=0.6)
                return f" (did you mean {close[0]!r}?)" if close else ""
        return ""

    def error(self, message):
        if "invalid choice" in message:
            message = message.replace(" (choose from", f"{self._nearest_choice(message)} (choose from", 1)
        if message.startswith("the following arguments are required"):
            unknown = self.unknown_options(getattr(self, "_given", []))
            if unknown:
                names = ", ".join(name for name, _ in unknown)
                hint = self._did_you_mean(unknown)
                message = f"unrecognized arguments: {names}{f' ({hint})' if hint else ''}; {message}"
        command = self.prog.removeprefix("themes").strip()
        where = f"{command}: " if command else ""
        raise UsageError(f"{where}{message} (see '{self.prog} --help')")

    def unrecognized(self, extras: list[str]):
        """Refuse ``extras`` as argparse does, naming the command and the nearest options."""
        hint = self._did_you_mean(self.unknown_options(extras))
        self.error(f"unrecognized arguments: {' '.join(extras)}{f' ({hint})' if hint else ''}")


def exit_code(exc: BaseException) -> int:
    """The exit code of an error, by its type: 2 for bad usage, 1 for everything else.

    Examples
    --------
    >>> exit_code(ParameterError("The 'x' parameter of f must be ...")), exit_code(ValueError("x"))
    (2, 1)
    """
    return EXIT_USAGE if isinstance(exc, (UsageError, ParameterError)) else EXIT_DATA


def error_line(exc: BaseException) -> str:
    """The one line an error prints: its message (the first line of it), or for an error
    themes did not expect, its type and a pointer to ``--debug``."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    # "N problem(s) in the corpus:" then the problems: one line, "...corpus: problem; problem".
    # A line that ends a sentence is followed by the next as sentences are ("line. line").
    message = "; ".join(lines).replace(":; ", ": ").replace(".; ", ". ") or type(exc).__name__
    if isinstance(exc, ThemesError):
        return message
    if isinstance(exc, OSError):
        return f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")
    return f"unexpected {type(exc).__name__}: {message} (run with --debug for the traceback)"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="themes",
        description="Tag statements of counter-terrorism meeting bulletins with threat themes.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"themes {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"themes.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"themes.cli.{name}":
                continue
            raise
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        _Parser._last = parser
        args, extras = parser.parse_known_args(argv)
        if extras:  # named against the command they were given to, not `themes` itself
            _Parser._last.unrecognized(extras)
    except SystemExit as exc:  # argparse: --help or --version
        return int(exc.code or 0)
    except UsageError as exc:
        if "--debug" in argv:
            traceback.print_exc()
        print(f"themes: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        check_model_option(args)  # --model named as such, before the command reads anything
        return int(args.func(args) or 0)
    except KeyboardInterrupt as exc:  # a command may say how to go on ("... --resume")
        print(f"themes: interrupted{f'; {exc}' if str(exc) else ''}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # every error ends in one line; --debug adds the traceback
        if args.debug:
            traceback.print_exc()
        problems = getattr(exc, "problems", None)
        if problems and len(problems) > 1:
            # Each problem on a line of its own (file:line: problem), as `corpus check` prints them.
            for problem in problems:
                print(problem, file=sys.stderr)
            first = str(exc).splitlines()[0].rstrip(":")
            print(f"themes: error: {first}; each is listed above as file:line: problem", file=sys.stderr)
        else:
            print(f"themes: error: {error_line(exc)}", file=sys.stderr)
        return exit_code(exc)
