"""``classify`` and ``Result``: the everyday entry point, on the shipped model or another.

The default model is loaded once per process, lazily and under a lock, from the model
folder that ships inside the package (or the folder named by ``THEMES_MODEL``).
"""

from __future__ import annotations

import html
import itertools
import math
import numbers
import os
import re
import string
import threading
import weakref
from pathlib import Path

import numpy as np

from themes.artifact import from_environment, load_model
from themes.errors import ModelError, ParameterError
from themes.language import (
    LANGUAGES,
    detect_language,
    detect_languages,
    language_names,
    likely_cyrillic_languages,
    non_russian_cyrillic,
)
from themes.model import Contribution, ThemeModel
from themes.text import statement_words
from themes.packaged import default_model_folder

__all__ = [
    "BLANK", "MAX_STATEMENT_CHARS", "Read", "Result", "classify", "default_model_path", "get_model", "model_info",
    "not_scored_reason", "read_statements", "reading", "scored_text",
]

#: Statements longer than this many characters are scored on their first
#: ``MAX_STATEMENT_CHARS`` characters, and so is a longer context; the result says so
#: (``Result.truncated``).
MAX_STATEMENT_CHARS = 5_000

# A list item's number or letter before its text ("3. Calls upon", "(ii) Notes", "б) одобрить"):
# ``themes score`` takes it off when it splits a bulletin, and the corpus holds none, so a
# statement pasted with its number is scored as the archive scores it, not with a stray
# number token ("12" weighs as a figure would). A number that is the statement's own
# ("1.5 million", "2024 saw") is kept: a marker ends in "." or ")" and is followed by a space.
_LIST_NUMBER = re.compile(
    r"""[ \t]*(?:
        \d{1,3}(?:\.\d{1,3}){0,3}[.)]
      | [a-z\u0430-\u044f]\)
      | [a-z][.]
      | [ivx]{1,5}[.)]
      | \((?:\d{1,3}|[a-z\u0430-\u044f]|[ivx]{1,5})\)
    )[ \t\u00a0]+(?=\S)""",
    re.VERBOSE,
)
_MAY_OPEN_WITH_A_NUMBER = frozenset("0123456789( \t" + string.ascii_lowercase + "абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


# An HTML character reference left in a statement ("&nbsp;", "&amp;", "&#171;"), as text copied
# from a page's source or a scraper's export holds: read as the character it stands for, not
# as the words "nbsp" or "amp" (three "&nbsp;" moved a real statement's score by up to 0.85).
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def scored_text(text: str) -> str:
    """The part of a statement (or a context) that the model scores: HTML character references
    read as their characters, without a leading list number or letter, cut to its first
    ``MAX_STATEMENT_CHARS`` characters.

    Examples
    --------
    >>> scored_text("3. Calls upon all States to cooperate.")
    'Calls upon all States to cooperate.'
    >>> scored_text("(ii) notes the report;"), scored_text("б) одобрить план;")
    ('notes the report;', 'одобрить план;')
    >>> scored_text("1.5 million people were displaced."), scored_text("2024 saw fewer attacks.")
    ('1.5 million people were displaced.', '2024 saw fewer attacks.')
    >>> scored_text("AML&amp;CFT experts met&nbsp;in Paris."), scored_text("R&D; Q&A")
    ('AML&CFT experts met\xa0in Paris.', 'R&D; Q&A')
    """
    if "&" in text:
        text = _CHARACTER_REFERENCE.sub(lambda ref: html.unescape(ref[0]), text)
    if text[:1] in _MAY_OPEN_WITH_A_NUMBER:
        marker = _LIST_NUMBER.match(text)
        if marker is not None:
            text = text[marker.end() :]
    return text[:MAX_STATEMENT_CHARS]


def not_scored_reason(text: str, languages: tuple[str, ...] = LANGUAGES) -> str | None:
    """Why ``text`` is not scored by a model that reads ``languages``, or None when it is.

    A statement is read in the language of most of its letters (see
    :func:`themes.language.detect_language`); one mostly in another script, or in a
    language the model was not trained on, is reported, not scored as noise.

    Examples
    --------
    >>> not_scored_reason("Drones attacked the border post.") is None
    True
    >>> not_scored_reason("Беспилотники атаковали пограничный пост.") is None
    True
    >>> not_scored_reason("Беспилотники атаковали пограничный пост.", languages=("en",))
    'not scored: most of its letters are Cyrillic; the model reads English only'
    >>> not_scored_reason("هاجمت الطائرات المسيرة مركزا حدوديا")
    'not scored: most of its letters are neither Latin nor Cyrillic; the model reads English and Russian'
    >>> not_scored_reason("Ұлттық қауіпсіздік комитеті жиын өткізді.")
    'not scored: Cyrillic with letters Russian does not have (қ, і, ө, as in Kazakh); the model reads English and Russian'
    >>> not_scored_reason("Давлат хавфсизлик хизмати ўз қарорини қабул қилди.")
    'not scored: Cyrillic with letters Russian does not have (ў, қ, as in Uzbek); the model reads English and Russian'
    """
    if detect_language(text, languages) is not None:
        return None
    only = " only" if len(languages) == 1 else ""
    reads = f"the model reads {language_names(languages)}{only}"
    foreign = non_russian_cyrillic(text)
    if foreign and "ru" in languages:
        letters = ", ".join(foreign[:5])
        likely = likely_cyrillic_languages(foreign) or ["another language"]
        named = " or ".join([", ".join(likely[:-1]), likely[-1]] if len(likely) > 1 else likely)
        return f"not scored: Cyrillic with letters Russian does not have ({letters}, as in {named}); {reads}"
    script = {"en": "Latin", "ru": "Cyrillic"}.get(detect_language(text), "neither Latin nor Cyrillic")
    return f"not scored: most of its letters are {script}; {reads}"


# Function words of English that no other language of the region's Latin scripts spells the
# same ("in", "on", "a" are French, Italian, Spanish words too).
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to for with by from was were is are has have that this its their been will which".split()
)
# The same as one search, which settles nearly every English statement at C speed.
_ENGLISH_FUNCTION_WORD = re.compile(r"\b(?:" + "|".join(sorted(_ENGLISH_FUNCTION_WORDS)) + r")\b", re.IGNORECASE)
#: From this many words, a non-ASCII Latin statement with no English function word and mostly
#: words the model does not know is taken for another language (Uzbek, Azerbaijani, Turkish...).
_MIN_WORDS_TO_JUDGE = 6
_MAX_UNKNOWN_SHARE = 0.6


def _not_english_reason(text: str, model: ThemeModel) -> str | None:
    """Why a statement in Latin letters is not read as English, or None when it is.

    A statement of six words or more with no English function word, most of whose words the
    model does not know, is another language: Uzbek, Azerbaijani, Turkish with their own
    letters, and Indonesian, Malay or Uzbek written in plain ASCII.
    """
    # Judged on the characters that are scored, as the language is (a long statement's window).
    text = text[:MAX_STATEMENT_CHARS]
    if _ENGLISH_FUNCTION_WORD.search(text):
        return None
    words = [w for w in statement_words(text) if w.isalpha() and len(w) > 1]
    if len(words) < _MIN_WORDS_TO_JUDGE or not _ENGLISH_FUNCTION_WORDS.isdisjoint(words):
        return None
    unknown = sum(not model.space.is_known_word(w) for w in words)
    if unknown <= _MAX_UNKNOWN_SHARE * len(words):
        return None
    return (
        f"not scored: Latin letters, but no English function word and {unknown} of its {len(words)} "
        f"words unknown to the model (another language?); the model reads {language_names(model.languages)}"
    )


def _plainly_english(text: str) -> bool:
    """Whether an ASCII statement holds one of the English function words nearly every English
    statement holds: a few substring tests settle it before the regex and the vocabulary."""
    return " the " in text or " of " in text or " and " in text or " to " in text


def reading(texts: list[str], model: ThemeModel) -> tuple[dict[int, str], dict[int, str]]:
    """How ``model`` reads each statement of a batch: ``(languages, reasons)``.

    ``languages`` maps the position of each statement with non-ASCII letters that is scored
    to the language it is read as (a scored ASCII statement is English: the common case
    costs a few substring tests); ``reasons`` maps each statement that is not scored to why
    (see :func:`not_scored_reason`; a statement in Latin letters that is not English, with
    or without letters beyond ASCII, is caught too). :func:`read_statements`
    (``classify`` of a batch, ``themes compare``, ``themes evaluate``) decides through it.

    Examples
    --------
    >>> from themes import load_model
    >>> languages, reasons = reading(["Drones.", "Дроны.", "هاجمت الطائرات المسيرة"], load_model())
    >>> languages, sorted(reasons)
    ({1: 'ru'}, [2])
    """
    languages, reasons = {}, {}
    unicode_at = []
    reads_english = "en" in model.languages
    for i, text in enumerate(texts):
        if not text.isascii():
            unicode_at.append(i)
        elif not reads_english:  # a Russian-only model: English text is not its language
            if sum(map(str.isalpha, text[:MAX_STATEMENT_CHARS])) >= 3:
                reasons[i] = not_scored_reason(text, model.languages)
        # (reading takes about 4 ms per 10,000 English statements this way)
        elif not _plainly_english(text) and (reason := _not_english_reason(text, model)) is not None:
            reasons[i] = reason
    for i, read_as in zip(unicode_at, detect_languages([texts[i] for i in unicode_at], model.languages)):
        if read_as is None:
            reasons[i] = not_scored_reason(texts[i], model.languages)
        elif read_as == "en" and (reason := _not_english_reason(texts[i], model)) is not None:
            reasons[i] = reason
        else:
            languages[i] = read_as
    return languages, reasons


#: Why a blank statement (empty, or only white space) is given no theme, in the reports of
#: ``themes compare`` and ``themes evaluate``; its ``Result.not_scored`` stays None.
BLANK = "blank: nothing to read"


class Read:
    """What :func:`read_statements` finds in a batch: what is scored, and what is not.

    Attributes
    ----------
    texts : list of str
        Each statement as the model scores it: its first ``MAX_STATEMENT_CHARS`` characters.
    contexts : list of (str or None), or None
        Each context likewise cut (None when the batch has no contexts).
    languages : dict of int to str
        Position -> language, for the scored statements with non-ASCII letters (the others
        are read as English), as :func:`reading` gives it.
    reasons : dict of int to str
        Position -> why the statement is not scored (``Result.not_scored``).
    blank : list of int
        Positions of the blank statements: scored, but given no theme.
    """

    __slots__ = ("blank", "contexts", "languages", "reasons", "texts")

    def __init__(self, texts, contexts, languages, reasons, blank):
        self.texts = texts
        self.contexts = contexts
        self.languages = languages
        self.reasons = reasons
        self.blank = blank

    @property
    def unscored(self) -> dict[int, str]:
        """Position -> why, for every statement :func:`classify` gives no theme whatever its
        scores: those not scored (their reason) and the blank ones (:data:`BLANK`)."""
        out = dict.fromkeys(self.blank, BLANK)
        out.update(self.reasons)
        return dict(sorted(out.items()))

    def reason_counts(self) -> dict[str, int]:
        """How many statements are given no theme for each reason, most frequent first; a
        reason's details that differ from statement to statement (the letters found, the
        number of unknown words) are left out, so that alike statements count together.

        Examples
        --------
        >>> from themes import load_model
        >>> read = read_statements(["Drones.", "", "هاجمت الطائرات المسيرة", "无人机袭击了边境哨所"], None, load_model())
        >>> read.reason_counts()
        {'most of its letters are neither Latin nor Cyrillic; the model reads English and Russian': 2, 'blank: nothing to read': 1}
        """
        counts: dict[str, int] = {}
        for reason in self.unscored.values():
            short = _short_reason(reason)
            counts[short] = counts.get(short, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: -item[1]))


def _short_reason(reason: str) -> str:
    """A not-scored reason without the details of one statement (see :meth:`Read.reason_counts`)."""
    short = reason.removeprefix("not scored: ")
    short = re.sub(r" \([^()]*\)", "", short)  # "(қ, і: Kazakh...)", "(another language?)"
    return re.sub(r"\d+ of its \d+ words", "most of its words", short)


def read_statements(texts: list[str], contexts: list | None, model: ThemeModel) -> Read:
    """How :func:`classify` reads a batch of statements with ``model``: the rule, in one place.

    Each statement and context is cut to its first ``MAX_STATEMENT_CHARS`` characters (what
    the model scores); a statement in a script or a language the model does not read is
    not scored (:func:`reading`), and a blank one is given no theme. ``classify``, ``themes
    compare`` and ``themes evaluate`` read statements through it, so that their figures are
    on what ``classify`` and ``themes score`` give.

    Parameters
    ----------
    texts : list of str
    contexts : list of (str or None), or None
        One per statement, or None for no contexts.
    model : ThemeModel

    Returns
    -------
    Read

    Examples
    --------
    >>> from themes import load_model
    >>> read = read_statements(["a" * 6000, "  ", "هاجمت الطائرات المسيرة"], ["b" * 6000, None, None], load_model())
    >>> len(read.texts[0]), len(read.contexts[0]), read.contexts[1], read.blank, sorted(read.reasons)
    (5000, 5000, None, [1], [2])
    >>> sorted(read.unscored)
    [1, 2]
    """
    clipped = [scored_text(t) for t in texts]
    if contexts is not None:
        contexts = [scored_text(c) if c is not None else None for c in contexts]
    languages, reasons = reading(texts, model)
    blank = [i for i, t in enumerate(texts) if not t or t.isspace()]
    return Read(clipped, contexts, languages, reasons, blank)


_default_lock = threading.Lock()
_loaded: dict[str, tuple[tuple | None, ThemeModel]] = {}  # folder -> (stamp of its manifest, model)
_default_cache: dict[str | None, str] = {}  # THEMES_MODEL -> resolved default folder


def default_model_path() -> Path:
    """Folder of the model ``classify`` uses when given none.

    ``THEMES_MODEL`` wins when set; then the model inside the installed package; then,
    in a source checkout, ``models/default``.
    """
    return default_model_folder()


def get_model(
    model: ThemeModel | str | os.PathLike | None = None, *, caller: str = "classify", parameter: str = "model"
) -> ThemeModel:
    """Resolve ``model`` (None, a folder path or a loaded model) to a loaded model.

    Folders are loaded once per process and kept, and loaded again when their manifest
    changed on disk (a new save); the lock makes concurrent first calls load a folder once.
    ``caller`` and ``parameter`` name the function and parameter ``model`` was given to,
    for the TypeError of a value of another type.
    """
    if isinstance(model, ThemeModel):
        return model
    if model is None:
        # The default is looked up again only when THEMES_MODEL changes: resolving a path
        # costs file-system calls on every classify() otherwise.
        env = os.environ.get("THEMES_MODEL")
        key = _default_cache.get(env)
        if key is None:
            key = str(default_model_path().resolve())
            _default_cache.clear()
            _default_cache[env] = key
        try:
            return _cached_load(key)
        except ModelError as exc:
            if not env:
                raise
            raise from_environment(env, exc) from None  # say where the folder came from
    if isinstance(model, (str, os.PathLike)):
        path = Path(model)
    else:
        raise TypeError(
            f"The {parameter!r} parameter of {caller} must be None, a path to a model folder or a "
            f"ThemeModel. Got {type(model).__name__} instead."
        )
    return _cached_load(str(path.resolve()))


def _manifest_stamp(folder: str) -> tuple | None:
    """What changes when a model folder is saved again or edited: its manifest's identity,
    size and modification time (every other file's sha256 is in the manifest)."""
    try:
        st = os.stat(folder + os.sep + "manifest.json")  # folder is resolved: no join needed
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _cached_load(folder: str) -> ThemeModel:
    stamp = _manifest_stamp(folder)
    entry = _loaded.get(folder)
    if entry is None or entry[0] != stamp:
        with _default_lock:
            entry = _loaded.get(folder)
            if entry is None or entry[0] != stamp:
                entry = (stamp, load_model(folder))
                _loaded[folder] = entry
    return entry[1]


class ReadOnlyDict(dict):
    """A dict that refuses changes: a result's scores and thresholds are what the model
    gave (the thresholds are shared by every result of a batch). JSON and pickle read it
    as a dict; ``dict(result.scores)`` is a copy to change.

    Examples
    --------
    >>> scores = ReadOnlyDict({"uav": 0.9})
    >>> scores["uav"] = 1.0
    Traceback (most recent call last):
    ...
    TypeError: the scores and thresholds of a Result are read-only; change a copy, dict(result.scores)
    """

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise TypeError("the scores and thresholds of a Result are read-only; change a copy, dict(result.scores)")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __reduce__(self):
        return (dict, (dict(self),))


class _Scored:
    """What the results of one ``classify`` call share: the probabilities, by row (an array,
    or a tuple holding the list of floats of a statement classified alone)."""

    __slots__ = ("languages", "model", "model_name", "probabilities", "reasons", "themes", "thresholds")

    def __init__(self, probabilities, thresholds, model_name, model, reasons, languages=None):
        self.probabilities = probabilities
        self.themes = tuple(thresholds)  # the model's theme ids, in taxonomy order
        self.thresholds = ReadOnlyDict(thresholds)
        self.model_name = model_name
        self.model = model
        self.reasons = reasons
        self.languages = languages or {}  # row -> language, for the rows not read as English

    @classmethod
    def _shared(cls, probabilities, view, model, reasons, languages):
        """A ``_Scored`` whose themes and read-only thresholds are the model's ``view`` (see
        :func:`_model_view`), shared with the other calls: nothing to copy per call."""
        scored = _new_object(cls)
        scored.probabilities = probabilities
        scored.themes, scored.thresholds = view[1], view[2]
        scored.model_name = model.name
        scored.model = model
        scored.reasons = reasons
        scored.languages = languages
        return scored


_new_object = object.__new__
# model -> (its thresholds as bytes, theme ids, read-only thresholds, thresholds as floats).
_views: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _model_view(model: ThemeModel) -> tuple:
    """The model's theme ids and thresholds as every call without overrides hands them to its
    results, built once per model (again if its thresholds array is changed in place)."""
    key = model.thresholds.tobytes()
    view = _views.get(model)
    if view is None or view[0] != key:
        limits = model.thresholds.tolist()
        view = (key, model.themes, ReadOnlyDict(zip(model.themes, limits)), limits)
        _views[model] = view
    return view


class Result:
    """Themes of one statement, as returned by :func:`classify` (read-only).

    Parameters
    ----------
    text : str
        The statement as given.
    themes : tuple of str
        Theme ids whose score reaches their threshold, highest score first.
    scores : dict of str to float
        Calibrated probability of every theme id, in taxonomy order.
    thresholds : dict of str to float
        The threshold applied to each theme.
    context : str or None, optional
        The lead-in used with the statement, if any.
    model : str, optional
        Name of the model that scored it.
    truncated : bool, optional
        True when the statement or its context was longer than ``MAX_STATEMENT_CHARS`` and
        only its first ``MAX_STATEMENT_CHARS`` characters were scored.
    not_scored : str or None, optional
        Why the statement was not scored (then it has no themes and every score is 0.0),
        e.g. text mostly in a script or in a language the model does not read; None when it was scored.
    language : str or None, optional
        The language the statement was read as (``"en"`` or ``"ru"``, from the script of
        most of its letters); None when it was not scored, and for a blank statement (empty
        or only spaces), which holds nothing to read in any language. A statement of fewer
        than three letters ("2024") is read as English, the corpus's main language.

    Notes
    -----
    ``classify`` builds a result from its batch's probability matrix and fills ``scores``
    only when it is first read, so that tagging a large batch does not pay for thirteen
    floats per statement that nobody reads.

    Examples
    --------
    >>> from themes import classify
    >>> result = classify("Border guards shot down a drone near the checkpoint.")
    >>> result.themes
    ('uav', 'border_security')
    >>> round(result.scores["uav"], 2) > 0.5, result.not_scored
    (True, None)
    """

    __slots__ = ("_context", "_row", "_scored", "_scores", "_text", "_themes", "_truncated")

    def __init__(
        self, text, themes, scores, thresholds, context=None, model="", truncated=False, not_scored=None, language="en"
    ):
        self._text = text
        self._themes = tuple(themes)
        self._scores = ReadOnlyDict(scores)
        reasons = {0: not_scored} if not_scored is not None else {}
        self._scored = _Scored(None, dict(thresholds), model, None, reasons, {0: language})
        self._row = 0
        self._context = context
        self._truncated = bool(truncated)

    @classmethod
    def _of_batch(cls, text, themes, scored, row, context):
        # classify's constructor: slots only, the scores dict is built on first use.
        result = _new_object(cls)
        result._text = text
        result._themes = themes
        result._scored = scored
        result._row = row
        result._context = context
        result._scores = None
        return result

    @property
    def text(self) -> str:
        """The statement as given."""
        return self._text

    @property
    def themes(self) -> tuple[str, ...]:
        """Theme ids whose score reaches their threshold, highest score first."""
        return self._themes

    @property
    def scores(self) -> dict[str, float]:
        """Calibrated probability of every theme id, in taxonomy order."""
        if self._scores is None:
            scored = self._scored
            if self._row in scored.reasons:
                self._scores = ReadOnlyDict(dict.fromkeys(scored.themes, 0.0))
            else:
                row = scored.probabilities[self._row]  # an array's row, or the list of a statement alone
                self._scores = ReadOnlyDict(zip(scored.themes, row if type(row) is list else row.tolist()))
        return self._scores

    @property
    def thresholds(self) -> dict[str, float]:
        """The threshold applied to each theme."""
        return self._scored.thresholds

    @property
    def context(self) -> str | None:
        """The lead-in used with the statement, if any."""
        return self._context

    @property
    def model(self) -> str:
        """Name of the model that scored it."""
        return self._scored.model_name

    @property
    def truncated(self) -> bool:
        """True when only the first ``MAX_STATEMENT_CHARS`` characters of the statement, or
        of its context, were scored."""
        if self._scored.probabilities is None:
            return self._truncated
        context = self._context
        return len(self._text) > MAX_STATEMENT_CHARS or (context is not None and len(context) > MAX_STATEMENT_CHARS)

    @property
    def not_scored(self) -> str | None:
        """Why the statement was not scored, or None when it was."""
        return self._scored.reasons.get(self._row)

    @property
    def language(self) -> str | None:
        """The language the statement was read as ("en" or "ru"); None when not scored or blank.

        Examples
        --------
        >>> classify("Дроны атаковали пост.").language, classify("2024").language, classify("  ").language
        ('ru', 'en', None)
        """
        if self._row in self._scored.reasons:
            return None
        text = self._text
        if not text or text.isspace():  # as for its themes: a blank statement holds nothing to read
            return None
        return self._scored.languages.get(self._row, "en")

    def _fields(self) -> tuple:
        return (
            self.text,
            self.themes,
            self.scores,
            self.thresholds,
            self.context,
            self.model,
            self.truncated,
            self.not_scored,
            self.language,
        )

    def __eq__(self, other) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # like the frozen dataclass it replaces: scores and thresholds are dicts

    def __repr__(self) -> str:
        return (
            f"Result(text={self.text!r}, themes={self.themes!r}, scores={self.scores!r}, "
            f"thresholds={self.thresholds!r}, context={self.context!r}, model={self.model!r}, "
            f"truncated={self.truncated!r}, not_scored={self.not_scored!r}, language={self.language!r})"
        )

    def _repr_pretty_(self, p, cycle) -> None:
        # IPython and Jupyter display: one line per result, "<Result uav 1.00  | Drones ...>",
        # rather than the full repr's 13 scores and 13 thresholds (repr() itself is unchanged).
        p.text(f"<Result {self}>")

    def __str__(self) -> str:
        """The themes with their scores, then the statement: what ``print(result)`` shows.

        Examples
        --------
        >>> print(classify("Border guards detained members of a drug trafficking ring."))  # doctest: +ELLIPSIS
        drug_trafficking 1.00, border_security 0...  | Border guards detained members of a drug trafficking ring.
        >>> print(classify("The meeting closed."))
        (no theme)  | The meeting closed.
        """
        text = self.text if len(self.text) <= 100 else self.text[:97] + "..."
        return f"{self.tagged}  | {text}"

    @property
    def tagged(self) -> str:
        """The themes with their scores, "(no theme)", or why the statement was not scored:
        one line for a listing (``themes classify`` prints it before the text).

        Examples
        --------
        >>> classify("The meeting closed.").tagged, classify("  ").tagged
        ('(no theme)', '(blank: nothing to read)')

        A statement longer than the model reads says so (``truncated``), as the result does:

        >>> classify("Drones were discussed. " * 300).tagged.endswith("(truncated: the first 5,000 characters read)")
        True
        """
        if self.not_scored:
            return f"({self.not_scored})"
        if not self.text or self.text.isspace():  # `themes classify "$UNSET"` listed "(no theme)"
            return f"({BLANK})"
        tagged = ", ".join(f"{t} {self.scores[t]:.2f}" for t in self.themes) or "(no theme)"
        if self.truncated:  # the listing showed it as if the whole statement were read
            tagged += f" (truncated: the first {MAX_STATEMENT_CHARS:,} characters read)"
        return tagged

    def __reduce__(self):
        # Pickled by value (the scoring model is not pickled with it).
        return (Result, self._fields())

    def to_dict(self, flat: bool = False) -> dict:
        """A JSON-able dict of the result.

        Parameters
        ----------
        flat : bool, default=False
            One ``score.<theme>`` key per theme instead of the ``scores`` dict, as the CSV
            output of ``themes score`` names its columns: a table row, e.g. for
            ``pandas.DataFrame([r.to_dict(flat=True) for r in results])``.

        Examples
        --------
        >>> from themes import classify
        >>> sorted(classify("Drones were used in the attack.").to_dict())
        ['context', 'language', 'model', 'not_scored', 'scores', 'text', 'themes', 'truncated']
        >>> row = classify("Drones were used in the attack.").to_dict(flat=True)
        >>> "scores" in row, row["score.uav"] > 0.5
        (False, True)
        """
        record = {
            "text": self.text,
            "context": self.context,
            "themes": list(self.themes),
            "scores": dict(self.scores),
            "model": self.model,
            "truncated": self.truncated,
            "not_scored": self.not_scored,
            "language": self.language,
        }
        if flat:
            scores = record.pop("scores")
            record.update({f"score.{theme}": value for theme, value in scores.items()})
        return record

    def explain(self, k: int = 5, themes=None) -> dict[str, list[Contribution]]:
        """The ``k`` n-grams that pushed each assigned theme up, from the linear model.

        Parameters
        ----------
        k : int, default=5
            How many features per theme.
        themes : list of str, optional
            Themes to explain; default the assigned ones.

        Examples
        --------
        >>> from themes import classify
        >>> r = classify("Participants discussed countering terrorist use of drones.")
        >>> "uav" in r.explain(k=3)
        True
        """
        if isinstance(k, np.integer):
            k = int(k)
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise ParameterError(f"The 'k' parameter of Result.explain must be an int >= 1. Got {k!r} instead.")
        model = self._scored.model if self._scored.model is not None else get_model()
        if themes is None:
            themes = list(self.themes)
        elif isinstance(themes, str):  # one theme id, not its letters
            themes = [themes]
        else:
            themes = list(themes)
        unknown = [t for t in themes if t not in model.themes]
        if unknown:
            raise ParameterError(
                f"The 'themes' parameter of Result.explain names unknown themes {unknown}; known: {list(model.themes)}."
            )
        if self.not_scored:  # the model never read it: nothing pushed any theme
            return {t: [] for t in themes}
        text = scored_text(self.text)
        context = scored_text(self.context) if self.context is not None else None
        return model.explain(text, context, k=k, themes=themes)


def _check_threshold(threshold, themes) -> dict[str, float] | None:
    if threshold is None:
        return None
    if isinstance(threshold, dict):
        unknown = [t for t in threshold if t not in themes]
        if unknown:
            raise ParameterError(
                f"The 'threshold' parameter of classify names unknown themes {unknown}; known: {list(themes)}."
            )
        for theme, value in threshold.items():
            _check_unit(value, f"threshold[{theme!r}]")
        return {t: float(v) for t, v in threshold.items()}
    _check_unit(threshold, "threshold")
    return {t: float(threshold) for t in themes}


def _check_unit(value, name: str) -> None:
    # numbers.Real admits numpy floats and ints (a threshold taken from an array), not bools.
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not ok or math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ParameterError(
            f"The '{name}' parameter of classify must be a float in [0, 1]. Got {value!r} instead."
        )


def _as_batch(text) -> tuple[list[str], bool]:
    """``(texts, single)``: the texts as a list of plain str (a numpy array's ``np.str_``
    items, and any other str subclass, become str: ``Result.text`` is a str)."""
    if isinstance(text, str):
        return [text if type(text) is str else str(text)], True
    if isinstance(text, (bytes, bytearray)):
        raise TypeError(
            f"classify expects a str or a list of str; got {type(text).__name__}. Decode bytes first, "
            "e.g. text.decode('utf-8')."
        )
    ndim = getattr(text, "ndim", None)
    if ndim == 0:  # a numpy array of one str: iterating it fails
        raise TypeError(
            f"classify expects a str or a list of str; got a 0-d {type(text).__name__}. Take its str with .item()."
        )
    if hasattr(text, "columns") and hasattr(text, "iloc"):  # a pandas DataFrame: not its column names
        raise TypeError(
            f"classify expects a str or a list of str; got {type(text).__name__}, whose iteration gives its "
            "column names: pass the column of texts, e.g. df['text']."
        )
    if isinstance(ndim, int) and ndim > 1:
        raise TypeError(
            f"classify expects a str or a list of str; got a {ndim}-d {type(text).__name__} of shape "
            f"{tuple(text.shape)}: pass a flat array, e.g. arr.ravel()."
        )
    if isinstance(text, (set, frozenset)):  # results in order need texts in an order
        raise TypeError(
            f"classify expects a str or a list of str; got {type(text).__name__}, which has no order: "
            "give a list, e.g. sorted(texts)."
        )
    if isinstance(text, (list, tuple)) or (hasattr(text, "__iter__") and not isinstance(text, dict)):
        # A numpy array's tolist() gives plain str for its np.str_ items, at C speed.
        batch = text.tolist() if isinstance(ndim, int) and hasattr(text, "tolist") else list(text)
        for i, item in enumerate(batch):
            if type(item) is not str:
                if not isinstance(item, str):
                    raise TypeError(f"classify expects a list of str; item {i} is {_kind_of(item)}.")
                batch[i] = str(item)  # np.str_ (a list made from an array) and other str subclasses
        return batch, False
    raise TypeError(f"classify expects a str or a list of str; got {type(text).__name__}.")


def _is_missing(value) -> bool:
    """None, or a missing value as pandas and numpy write one in a column of text (NaN, ``pd.NA``)."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType"


def _kind_of(item) -> str:
    """The type of a non-string item, saying so when it is a missing value (pandas NaN, NA, NaT)."""
    name = type(item).__name__
    if _is_missing(item) or name == "NaTType":
        return f"{name} ({item!r}), a missing value: fill it first, e.g. with pandas .fillna('')"
    if isinstance(item, (bytes, bytearray)):
        return f"{name}; decode it first, e.g. item.decode('utf-8')"
    return name


def _as_contexts(context, batch: list[str], single: bool) -> list | None:
    """``context`` as a list of str/None as long as ``batch``: a str for one statement, or
    any sequence (list, tuple, pandas Series, numpy array) for a batch; missing values
    (None, NaN) read as no context."""
    if context is None:
        return None
    if single and isinstance(context, str):
        return [context if type(context) is str else str(context)]
    sequence = not single and not isinstance(context, (str, bytes, dict, set)) and hasattr(context, "__iter__")
    if sequence:
        contexts = list(context)
        if len(contexts) == len(batch):
            for i, c in enumerate(contexts):
                if type(c) is str:
                    continue
                if isinstance(c, str):
                    contexts[i] = str(c)  # np.str_ of a numpy array: Result.context is a str
                    continue
                if _is_missing(c):
                    contexts[i] = None  # a row without a lead-in, as pandas reads it
                    continue
                raise TypeError(f"classify expects each context to be a str or None; item {i} is {type(c).__name__}.")
            return contexts
    got = type(context).__name__
    if sequence:
        got = f"a {got} of length {len(contexts)}"  # the length is what is wrong, not the type
    raise ParameterError(
        "The 'context' parameter of classify must be a str for one statement, or a list of "
        f"str/None as long as the batch ({len(batch)}). Got {got} instead."
    )


# Theme ids of a model -> {row code: tuple of theme ids} (see _assigned_themes).
_THEME_SETS: dict[tuple[str, ...], dict[int, tuple[str, ...]]] = {}


def _assigned_themes(probs: np.ndarray, thresholds: np.ndarray, themes: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Per row, the themes at or over their threshold, highest score first.

    Equal scores keep taxonomy order. Each row's themes, in order, are coded as one
    integer (base 16, digit = column + 1), so the tuples are made once per distinct code.
    """
    n, k = probs.shape
    # A few rows: plain Python is faster than the array passes below. Over 15 themes the
    # codes would not fit in base 16 / int64 (the taxonomy has 13).
    if n <= 4 or k > 15:
        limits = thresholds.tolist()
        out = []
        for row in probs.tolist():
            cols = sorted((c for c in range(k) if row[c] >= limits[c]), key=lambda c: -row[c])
            out.append(tuple(themes[c] for c in cols))
        return out
    over = probs >= thresholds
    # Non-assigned columns sort last; a stable sort keeps taxonomy order among equal scores.
    order = np.argsort(np.where(over, -probs, 1.0), axis=1, kind="stable")
    ranked_over = np.take_along_axis(over, order, axis=1)
    digits = np.where(ranked_over, order + 1, 0).astype(np.int64)
    codes = (digits * (16 ** np.arange(k, dtype=np.int64))).sum(axis=1)
    known = _THEME_SETS.setdefault(themes, {})
    codes = codes.tolist()
    for code in set(codes).difference(known):
        cols, rest = [], code
        while rest:
            cols.append(rest % 16 - 1)
            rest //= 16
        known[code] = tuple(themes[c] for c in cols)
    return list(map(known.__getitem__, codes))


def classify(text, *, model=None, threshold=None, context=None):
    """Tag one statement, or a batch of statements, with themes and calibrated scores.

    Parameters
    ----------
    text : str or list of str
        One statement, or a batch. A batch gives a list of results in the same order,
        each identical to classifying that statement alone.
    model : None, str, path-like or ThemeModel, optional
        None for the shipped default (or ``THEMES_MODEL``), a model folder, or a model from
        :func:`themes.load_model`.
    threshold : float or dict of str to float, optional
        Override the model's per-theme thresholds: one value for every theme, or a value
        per theme id (others keep the model's).
    context : str or list of (str or None), optional
        The lead-in a statement continues ("During the session on border security the
        participants:"); for a batch, one per statement.

    Returns
    -------
    Result or list of Result

    Raises
    ------
    TypeError
        ``text`` is not a str or a list of str (the message names the type).
    themes.ParameterError
        A threshold outside [0, 1], an unknown theme, or contexts that do not match (a
        subclass of ``InvalidInputError`` and ``ValueError``).

    Examples
    --------
    >>> from themes import classify
    >>> result = classify("The parties agreed to counter the financing of terrorism through crypto-assets.")
    >>> "financing" in result.themes
    True
    >>> classify("   ").themes
    ()
    >>> [r.text for r in classify(["first statement", "second statement"])]
    ['first statement', 'second statement']
    """
    if type(text) is str and threshold is None and (context is None or type(context) is str):
        return _classify_one(text, get_model(model), context)  # the common call: no batch to build
    batch, single = _as_batch(text)
    loaded = get_model(model)
    overrides = _check_threshold(threshold, loaded.themes)
    contexts = _as_contexts(context, batch, single)
    thresholds = dict(zip(loaded.themes, loaded.thresholds.tolist()))
    limits = loaded.thresholds
    if overrides:
        thresholds.update(overrides)
        limits = np.array([thresholds[t] for t in loaded.themes])
    read = read_statements(batch, contexts, loaded)
    probs = loaded.predict_proba(read.texts, read.contexts)
    scored = _Scored(probs, thresholds, loaded.name, loaded, read.reasons, read.languages)
    assigned = _assigned_themes(probs, limits, loaded.themes)
    for i in itertools.chain(read.reasons, read.blank):  # no themes, whatever the intercepts say
        assigned[i] = ()
    make = Result._of_batch
    results = [
        make(original, themes, scored, i, context)
        for i, (original, themes, context) in enumerate(zip(batch, assigned, contexts or itertools.repeat(None)))
    ]
    return results[0] if single else results


def _classify_one(text: str, loaded: ThemeModel, context: str | None) -> Result:
    """:func:`classify` of one str with the model's thresholds: the same result, through the
    model's one-statement path (no batch arrays, no per-call copies of the thresholds)."""
    view = _model_view(loaded)
    row = loaded._proba_one(scored_text(text), scored_text(context) if context is not None else None)
    if text.isascii() and _plainly_english(text) and "en" in loaded.languages:
        languages, reasons = {}, {}  # what reading() finds for it: English, scored
    else:
        languages, reasons = reading([text], loaded)
    limits = view[3]
    if reasons:
        themes = ()
    else:
        cols = [c for c in range(len(limits)) if row[c] >= limits[c]]
        if len(cols) > 1:
            cols.sort(key=lambda c: -row[c])  # stable: equal scores keep taxonomy order
        # A blank statement has no themes, whatever the intercepts say.
        themes = tuple([view[1][c] for c in cols]) if cols and text and not text.isspace() else ()
    scored = _Scored._shared((row,), view, loaded, reasons, languages)
    return Result._of_batch(text, themes, scored, 0, context)


def model_info(model=None) -> dict:
    """What a model is: path, name, corpus releases, themes, thresholds, headline metrics.

    Examples
    --------
    >>> info = model_info()
    >>> info["taxonomy_version"], len(info["themes"])
    ('1.1', 13)
    """
    loaded = get_model(model, caller="model_info")
    manifest = loaded.manifest
    metrics = {
        key: {"micro_f1": value["micro"]["f1"], "macro_f1": value["macro"]["f1"]}
        for key, value in manifest.get("metrics", {}).items()
        if isinstance(value, dict) and "micro" in value
    }
    return {
        "name": loaded.name,
        "path": loaded.path,
        "created": manifest.get("created"),
        "taxonomy_version": manifest.get("taxonomy_version"),
        "themes": list(loaded.themes),
        "thresholds": {t: float(v) for t, v in zip(loaded.themes, loaded.thresholds)},
        "corpus_releases": manifest.get("corpus", {}).get("releases", []),
        "metrics": metrics,
        "versions": manifest.get("versions", {}),
    }
