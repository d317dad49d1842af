"""themes: tag statements of counter-terrorism meeting bulletins with threat themes."""

from themes._version import __version__
from themes.api import Result, classify
from themes.artifact import load_model
from themes.errors import (
    CorpusError,
    DocumentError,
    IncompatibleModelError,
    InvalidInputError,
    MissingDependencyError,
    ModelError,
    ModelIntegrityError,
    OutputExistsError,
    OutputLockedError,
    ParameterError,
    ThemesError,
    UnsafeModelError,
)
from themes.model import Contribution, ThemeModel
from themes.segment import Segment, segment
from themes.taxonomy import THEME_IDS

__all__ = [
    "BulletinResult",
    "Contribution",
    "CorpusError",
    "DocumentError",
    "IncompatibleModelError",
    "InvalidInputError",
    "MissingDependencyError",
    "ModelError",
    "ModelIntegrityError",
    "OutputExistsError",
    "OutputLockedError",
    "ParameterError",
    "Result",
    "Segment",
    "THEME_IDS",
    "ThemeModel",
    "ThemesError",
    "UnsafeModelError",
    "__version__",
    "classify",
    "load_model",
    "score_archive",
    "segment",
]


def __getattr__(name: str):
    # Archive scoring is imported on first use: `from themes import classify` does not pay
    # for the archive's readers, lock and backends (about 40 ms of a cold start).
    if name in ("BulletinResult", "score_archive"):
        from themes import archive

        return getattr(archive, name)
    raise AttributeError(f"module 'themes' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
