"""Exceptions raised by themes.

Every error derives from :class:`ThemesError` and also from the builtin it resembles, so
callers can catch either::

    ThemesError
     ├── InvalidInputError        (ValueError)   bad text, parameter or record
     ├── CorpusError              (ValueError)   a release that does not validate
     ├── ModelError               (ValueError)   a model folder that cannot be used
     │    ├── ModelIntegrityError                a file altered or missing (hash mismatch)
     │    ├── IncompatibleModelError             made by an unsupported format or library version
     │    └── UnsafeModelError                   a pickle that names a type outside the allow-list
     ├── DocumentError            (ValueError)   a bulletin that cannot be read or parsed
     ├── OutputExistsError        (FileExistsError) an output that --force/--resume did not allow
     ├── OutputLockedError        (RuntimeError) another run is writing the same output
     └── MissingDependencyError   (ImportError)  an optional extra is not installed
"""

from __future__ import annotations

__all__ = [
    "CorpusError",
    "DocumentError",
    "IncompatibleModelError",
    "InvalidInputError",
    "MissingDependencyError",
    "ModelError",
    "ModelIntegrityError",
    "OutputExistsError",
    "OutputLockedError",
    "ThemesError",
    "UnsafeModelError",
]


class ThemesError(Exception):
    """Base class of every error raised by themes."""


class InvalidInputError(ThemesError, ValueError):
    """A text, parameter or record that themes cannot use."""


class CorpusError(ThemesError, ValueError):
    """A corpus release that does not validate; ``problems`` lists each as ``file:line: what``."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


class ModelError(ThemesError, ValueError):
    """A model folder that cannot be loaded or used."""


class ModelIntegrityError(ModelError):
    """A model file is missing or its sha256 differs from the manifest."""


class IncompatibleModelError(ModelError):
    """A model made by an unsupported format or library version."""


class UnsafeModelError(ModelError):
    """A pickled file names a type outside the allow-list; nothing from it was run."""


class DocumentError(ThemesError, ValueError):
    """A bulletin file that cannot be read or parsed."""


class OutputExistsError(ThemesError, FileExistsError):
    """An output path exists and neither ``force`` nor ``resume`` was given."""


class OutputLockedError(ThemesError, RuntimeError):
    """Another process holds the lock on the same output file."""


class MissingDependencyError(ThemesError, ImportError):
    """An optional extra is needed; the message gives the pip command that installs it."""


def missing_extra(package: str, extra: str, purpose: str) -> MissingDependencyError:
    """Build the error for a missing optional dependency.

    Examples
    --------
    >>> str(missing_extra("trafilatura", "html", "reading .html files"))
    "reading .html files needs the optional package 'trafilatura': pip install 'themes[html]'"
    """
    return MissingDependencyError(
        f"{purpose} needs the optional package {package!r}: pip install 'themes[{extra}]'"
    )
