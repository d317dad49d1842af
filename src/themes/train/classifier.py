"""One linear classifier per theme, each reading the lexicon counts it is allowed to see.

The lexicon block holds one count per theme of the codebook's terms for that theme. With
every theme's classifier reading every count, the corpus teaches cross-theme weights that
describe how our writers combined themes rather than what a theme is (in the 2026.3 model,
drug terms raised ``international_cooperation`` by 0.43 and lowered
``critical_infrastructure`` by 0.98). With ``lexicon_scope="own"`` each theme reads only
its own count, except ``international_cooperation``: cooperation is always cooperation *on*
something (rule 1: a joint operation against drug trafficking in a border area), and it
keeps every count. Words and character n-grams are shared as before. The exported model is
the same linear model with zero weights where a count was not read: inference does not
change. Measured on real statements (``training/REALDEV_ANALYSIS.md``, "Each theme reads
its own lexicon count"): letting ``threat_assessment`` read every count too lost the
Russian gain; reading only the own count everywhere lost English
``international_cooperation``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, clone

__all__ = ["CROSS_CUTTING_THEMES", "ThemeClassifiers"]

#: Themes whose classifiers read every theme's lexicon count under ``lexicon_scope="own"``.
CROSS_CUTTING_THEMES = ("international_cooperation",)


class _Constant:
    """The classifier of a theme that one training set has on every row or on none."""

    def __init__(self, value: float, n_features: int) -> None:
        self.coef_ = np.zeros((1, n_features))
        self.intercept_ = np.array([value])


class ThemeClassifiers(BaseEstimator, ClassifierMixin):
    """A clone of ``estimator`` per theme (column of ``Y``), each fitted on the columns it sees.

    Parameters
    ----------
    estimator : linear scikit-learn classifier
        Cloned per theme; must expose ``coef_`` and ``intercept_`` after ``fit``.
    themes : sequence of str
        The theme of each column of ``Y``.
    lexicon_themes : sequence of str
        The theme of each lexicon column, in order.
    trailing : int
        How many columns follow the lexicon block (the embedding's dimensions).
    cross_cutting : sequence of str
        Themes that read every lexicon column; every other theme reads only its own.

    Examples
    --------
    >>> from sklearn.svm import LinearSVC
    >>> X = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    >>> Y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    >>> clf = ThemeClassifiers(LinearSVC(), ["a", "b"], ["a", "b"], trailing=0, cross_cutting=()).fit(X, Y)
    >>> float(clf.estimators_[0].coef_[0, 2]), float(clf.estimators_[1].coef_[0, 1])  # the other theme's count
    (0.0, 0.0)
    >>> clf.decision_function(X).shape
    (4, 2)
    """

    def __init__(self, estimator, themes, lexicon_themes, trailing: int = 0, cross_cutting=CROSS_CUTTING_THEMES):
        self.estimator = estimator
        self.themes = themes
        self.lexicon_themes = lexicon_themes
        self.trailing = trailing
        self.cross_cutting = cross_cutting

    def _seen(self, theme: str, n_features: int) -> np.ndarray:
        """1.0 for every column ``theme``'s classifier reads, 0.0 for the others."""
        seen = np.ones(n_features)
        if theme in self.cross_cutting:
            return seen
        end = n_features - self.trailing
        start = end - len(self.lexicon_themes)
        for offset, lexicon_theme in enumerate(self.lexicon_themes):
            if lexicon_theme != theme:
                seen[start + offset] = 0.0
        return seen

    def fit(self, X, Y):
        """Fit one classifier per column of ``Y`` (a theme present everywhere or nowhere
        in ``Y`` gets a constant, as scikit-learn's one-vs-rest does)."""
        X = sp.csr_matrix(X)
        Y = np.asarray(Y)
        n_features = X.shape[1]
        if n_features < len(self.lexicon_themes) + self.trailing:
            raise ValueError(
                f"ThemeClassifiers expects {len(self.lexicon_themes)} lexicon columns and {self.trailing} "
                f"after them; X has {n_features} columns."
            )
        self.estimators_ = []
        for j, theme in enumerate(self.themes):
            y = Y[:, j]
            if y.min() == y.max():
                self.estimators_.append(_Constant(float(y[0]), n_features))
                continue
            seen = self._seen(theme, n_features)
            estimator = clone(self.estimator).fit(X @ sp.diags(seen), y)
            estimator.coef_ = estimator.coef_ * seen[None, :]  # exactly zero where unseen
            self.estimators_.append(estimator)
        return self

    def decision_function(self, X) -> np.ndarray:
        """Decision values, shape (n_rows, n_themes)."""
        X = sp.csr_matrix(X)
        coef = np.vstack([e.coef_.ravel() for e in self.estimators_]).T
        intercept = np.array([e.intercept_[0] for e in self.estimators_])
        return np.asarray(X @ coef) + intercept
