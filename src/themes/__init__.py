"""themes: tag statements of counter-terrorism meeting bulletins with threat themes."""

from themes._version import __version__
from themes.api import Result, classify
from themes.archive import score_archive
from themes.artifact import load_model
from themes.errors import (
    CorpusError,
    DocumentError,
    InvalidInputError,
    MissingDependencyError,
    ModelError,
    ModelIntegrityError,
    ThemesError,
    UnsafeModelError,
)
from themes.segment import segment
from themes.taxonomy import THEME_IDS

__all__ = [
    "CorpusError",
    "DocumentError",
    "InvalidInputError",
    "MissingDependencyError",
    "ModelError",
    "ModelIntegrityError",
    "Result",
    "THEME_IDS",
    "ThemesError",
    "UnsafeModelError",
    "__version__",
    "classify",
    "load_model",
    "score_archive",
    "segment",
]
