"""Where the data shipped with themes lives: inside an installed wheel, or in a source checkout.

The wheel carries the default model as ``themes/_default_model`` and the corpus releases as
``themes/_corpus`` (``force-include`` in pyproject.toml); a source checkout (an editable
install) has them at ``models/default`` and ``training/corpus``. The static embedding ships
once, inside the default model (``embedding/``): training reads it from there too, and every
model it saves carries its own copy, so a model folder stays whole on its own.

This module imports nothing of themes, so that any other can ask it.

Examples
--------
>>> shipped_embedding_path().relative_to(shipped_model_path()).as_posix()
'embedding'
>>> (shipped_model_path() / "manifest.json").is_file()
True
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_model_folder", "packaged", "shipped_embedding_path", "shipped_model_path"]

_PACKAGE = Path(__file__).resolve().parent


def packaged(in_wheel: str, in_checkout: str) -> Path:
    """The folder ``themes/<in_wheel>`` of an installed wheel, else ``<checkout>/<in_checkout>``.

    Parameters
    ----------
    in_wheel : str
        Its name inside the package, as pyproject's ``force-include`` puts it.
    in_checkout : str
        Its path from the root of a source checkout, with ``/``.
    """
    inside = _PACKAGE / in_wheel
    if inside.is_dir():
        return inside
    return _PACKAGE.parents[1].joinpath(*in_checkout.split("/"))


def shipped_model_path() -> Path:
    """Folder of the default model shipped with themes (``THEMES_MODEL`` is not read here)."""
    return packaged("_default_model", "models/default")


def default_model_folder() -> Path:
    """Folder of the model used when none is named: ``THEMES_MODEL`` when set, else the shipped one."""
    env = os.environ.get("THEMES_MODEL")
    return Path(env) if env else shipped_model_path()


def shipped_embedding_path() -> Path:
    """Folder of the static embedding shipped with themes: the default model's ``embedding/``."""
    return shipped_model_path() / "embedding"
