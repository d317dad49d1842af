"""The README's command-line synopsis says what ``--help`` says: the options of ``themes
classify`` and ``themes score``, and the default period of ``themes trends``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from themes.cli import build_parser

README = Path(__file__).resolve().parents[1] / "README.md"

#: Options the README gives elsewhere than in a command's synopsis line: --model for every
#: command in one sentence, the Dask options where scaling out is described.
ELSEWHERE = {"--help", "--model", "--backend", "--scheduler"}


def synopsis(command: str) -> str:
    """The synopsis of ``themes COMMAND`` under "The command line", with its continuation lines."""
    section = README.read_text(encoding="utf-8").split("## The command line", 1)[1].split("\n## ", 1)[0]
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"    themes {command} "))
    taken = [lines[start]]
    for line in lines[start + 1:]:
        if not line.startswith("      ") or line.lstrip().startswith("themes "):
            break
        taken.append(line)
    return " ".join(taken)


def options(command: str) -> dict[str, object]:
    """Long option -> default, from the parser ``themes COMMAND --help`` prints."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    return {s: a.default for a in sub._actions for s in a.option_strings if s.startswith("--")}


@pytest.mark.parametrize("command", ["classify", "score"])
def test_the_synopsis_names_every_option(command):
    written = set(re.findall(r"--[a-z][a-z-]*", synopsis(command)))
    missing = set(options(command)) - ELSEWHERE - written
    assert not missing, f"README synopsis of themes {command} leaves out {sorted(missing)}"
    assert written <= set(options(command)), "the README names an option --help does not have"


def test_the_trends_synopsis_states_the_default_period():
    assert options("trends")["--by"] == "month"
    assert "[--by month|quarter|year (default: month)]" in synopsis("trends")
