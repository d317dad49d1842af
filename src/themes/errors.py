"""Exceptions raised by themes.

Every error derives from :class:`ThemesError` and also from the builtin it resembles, so
callers can catch either (the command line picks its exit code by these types: 2 for
:class:`ParameterError` and bad options, 1 for every other error)::

    ThemesError
     ├── InvalidInputError        (ValueError)   bad text, parameter or record
     │    └── ParameterError                     a bad parameter value (the CLI exits 2)
     ├── CorpusError              (ValueError)   a release that does not validate
     ├── ModelError               (ValueError)   a model folder that cannot be used
     │    ├── ModelIntegrityError                a file altered or missing (hash mismatch)
     │    ├── IncompatibleModelError             made by an unsupported format or library version
     │    └── UnsafeModelError                   a pickle that names a type outside the allow-list
     ├── DocumentError            (ValueError)   a bulletin that cannot be read or parsed
     ├── OutputExistsError        (FileExistsError) an output that --force/--resume did not allow
     ├── OutputLockedError        (RuntimeError) another run is writing the same output
     ├── SchedulerUnreachableError (ConnectionError) no Dask scheduler answered at --scheduler
     └── MissingDependencyError   (ImportError)  an optional extra is not installed
"""

from __future__ import annotations

import os
from pathlib import Path

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
    "ParameterError",
    "SchedulerUnreachableError",
    "ThemesError",
    "UnsafeModelError",
    "check_output",
    "parameter_error",
]


class ThemesError(Exception):
    """Base class of every error raised by themes."""


class InvalidInputError(ThemesError, ValueError):
    """A text, parameter or record that themes cannot use."""


class ParameterError(InvalidInputError):
    """A parameter of a function (or an option of a command) has a value it cannot take.

    The message reads "The 'x' parameter of f must be ... Got ... instead." (see
    :func:`parameter_error`); the command line exits 2 (bad usage) on it.
    """


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


class SchedulerUnreachableError(ThemesError, ConnectionError):
    """The Dask scheduler of ``--backend dask`` could not be reached (the command line exits 1)."""


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


def parameter_error(name: str, caller: str, expected: str, got) -> ParameterError:
    """The error for a bad parameter value, in the one wording used throughout.

    Examples
    --------
    >>> str(parameter_error("jobs", "score_archive", "an int >= 1", 0))
    "The 'jobs' parameter of score_archive must be an int >= 1. Got 0 instead."
    >>> isinstance(parameter_error("x", "f", "a str", None), ValueError)
    True
    """
    return ParameterError(f"The {name!r} parameter of {caller} must be {expected}. Got {got!r} instead.")


def check_output(path: str | os.PathLike, *, force: bool = False, folder: bool = False, resume: bool = False) -> Path:
    """Check that ``path`` may be written: the one output-exists rule of themes.

    A missing path is fine. An existing one is refused unless ``force`` is set; the
    message names the path and the option that allows it (``--force``, and ``--resume``
    where a run can be continued). A path of the wrong kind is refused even with
    ``force``, with a message that does not suggest ``--force``: a folder where a file is
    to be written (``folder=False``), or a file where a folder is (``folder=True``).

    Parameters
    ----------
    path : path-like
        The output file (or folder, with ``folder=True``).
    force : bool, default=False
        Replace an existing output.
    folder : bool, default=False
        The output is a folder (a model, a release).
    resume : bool, default=False
        The writer can also continue the output; the message says so.

    Returns
    -------
    Path

    Raises
    ------
    OutputExistsError
        ``path`` exists and ``force`` is not set, or it is of the wrong kind.

    Examples
    --------
    >>> import shutil, tempfile
    >>> target = Path(tempfile.mkdtemp())
    >>> check_output(target / "new.jsonl").name
    'new.jsonl'
    >>> try:
    ...     check_output(target)
    ... except OutputExistsError as exc:
    ...     print(str(exc).replace(str(target), "DIR"))
    DIR: is a folder; give a file name to write
    >>> _ = (target / "s.jsonl").write_text("")
    >>> try:
    ...     check_output(target / "s.jsonl", resume=True)
    ... except OutputExistsError as exc:
    ...     print(str(exc).replace(str(target), "DIR"))
    DIR/s.jsonl: already exists; pass --force to replace it or --resume to continue it
    >>> shutil.rmtree(target)
    """
    path = Path(path)
    if not path.exists():  # a symbolic link to nothing yet is written through
        return path
    if folder and not path.is_dir():
        raise OutputExistsError(f"{path}: is a file, not a folder; give a folder name to write")
    if not folder and path.is_dir():
        raise OutputExistsError(f"{path}: is a folder; give a file name to write")
    if force:
        return path
    also = " or --resume to continue it" if resume else ""
    raise OutputExistsError(f"{path}: already exists; pass --force to replace it{also}")
