"""The inference model: feature rows times coefficients, calibrated, thresholded (numpy only).

A :class:`ThemeModel` holds plain arrays exported from the trained scikit-learn pipeline:
one coefficient column and intercept per theme, a Platt calibration ``(a, b)`` per theme and
a decision threshold per theme. Scores for a batch are one sparse-times-dense product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from themes.text import FeatureRows, FeatureSpace

__all__ = ["Contribution", "ThemeModel"]

_CHUNK = 4096


@dataclass(frozen=True)
class Contribution:
    """One feature's exact contribution to a theme's decision value."""

    feature: str
    kind: str
    weight: float

    def to_dict(self) -> dict:
        return {"feature": self.feature, "kind": self.kind, "weight": self.weight}


class ThemeModel:
    """A trained theme tagger that needs only numpy.

    Parameters
    ----------
    space : FeatureSpace
        Turns statements into feature rows.
    coef : ndarray of shape (n_features, n_themes)
        Linear weights, sparse columns first, then dense (embedding) columns.
    intercept : ndarray of shape (n_themes,)
    calibration : ndarray of shape (2, n_themes)
        Platt slope and offset: ``p = 1 / (1 + exp(-(a * z + b)))``.
    thresholds : ndarray of shape (n_themes,)
        Default decision threshold per theme, on the calibrated probability.
    themes : sequence of str
        Theme ids, in column order.
    manifest : dict, optional
        The model folder's manifest, when loaded from one.
    path : str, optional
        Where the model was loaded from.
    """

    def __init__(self, space, coef, intercept, calibration, thresholds, themes, manifest=None, path=None):
        self.space = space
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.calibration = np.asarray(calibration, dtype=np.float64)
        self.thresholds = np.asarray(thresholds, dtype=np.float64)
        self.themes = tuple(themes)
        self.manifest = manifest or {}
        self.path = path
        expected = space.n_sparse + space.n_dense
        if self.coef.shape != (expected, len(self.themes)):
            raise ValueError(
                f"coef has shape {self.coef.shape}; the feature space and themes need "
                f"({expected}, {len(self.themes)})"
            )

    @property
    def name(self) -> str:
        """The model's versioned name (from its manifest), or 'unsaved'."""
        return self.manifest.get("name", "unsaved")

    def __repr__(self) -> str:
        return f"ThemeModel(name={self.name!r}, themes={len(self.themes)}, path={self.path!r})"

    def _decision(self, rows: FeatureRows) -> np.ndarray:
        n_sparse = self.space.n_sparse
        scores = np.tile(self.intercept, (rows.n_rows, 1))
        if rows.dense.shape[1]:
            scores += rows.dense @ self.coef[n_sparse:]
        if len(rows.indices):
            contrib = rows.data[:, None] * self.coef[rows.indices]
            sizes = np.diff(rows.indptr)
            filled = np.flatnonzero(sizes)
            scores[filled] += np.add.reduceat(contrib, rows.indptr[:-1][filled], axis=0)
        return scores

    def decision_function(self, texts, contexts=None) -> np.ndarray:
        """Uncalibrated linear scores, shape (n_texts, n_themes)."""
        texts = list(texts)
        contexts = list(contexts) if contexts is not None else None
        out = np.empty((len(texts), len(self.themes)))
        for start in range(0, len(texts), _CHUNK):
            stop = start + _CHUNK
            ctx = contexts[start:stop] if contexts is not None else None
            out[start:stop] = self._decision(self.space.transform(texts[start:stop], ctx))
        return out

    def calibrate(self, decision: np.ndarray) -> np.ndarray:
        """Map decision values to calibrated probabilities."""
        a, b = self.calibration
        return 1.0 / (1.0 + np.exp(-(decision * a + b)))

    def predict_proba(self, texts, contexts=None) -> np.ndarray:
        """Calibrated probability of each theme, shape (n_texts, n_themes)."""
        return self.calibrate(self.decision_function(texts, contexts))

    def contributions(self, text: str, context: str | None = None) -> tuple[list[str], list[str], np.ndarray]:
        """Every active feature of ``text`` with its exact contribution to each theme.

        Returns ``(names, kinds, weights)`` where ``weights`` has shape
        (n_active_features, n_themes) and, with the intercept, sums to the decision values.
        """
        rows = self.space.transform([text], [context] if context is not None else None)
        cols, inverse = np.unique(rows.indices, return_inverse=True)
        values = np.bincount(inverse, weights=rows.data, minlength=len(cols)) if len(cols) else np.zeros(0)
        weights = values[:, None] * self.coef[cols]
        names, kinds = [], []
        n_words = len(self.space.words)
        n_chars = len(self.space.chars)
        for c in cols:
            if c < n_words:
                names.append(self.space.words[c])
                kinds.append("word")
            elif c < n_words + n_chars:
                names.append(self.space.chars[c - n_words])
                kinds.append("char")
            else:
                names.append(self.space.lexicon_themes[c - n_words - n_chars])
                kinds.append("lexicon")
        if rows.dense.shape[1]:
            dense_weight = rows.dense[0] @ self.coef[self.space.n_sparse :]
            names.append("mean word embedding")
            kinds.append("embedding")
            weights = np.vstack([weights, dense_weight[None, :]])
        return names, kinds, weights

    def explain(self, text: str, context: str | None = None, k: int = 5, themes=None) -> dict[str, list[Contribution]]:
        """The ``k`` features that pushed each theme's score up the most.

        Contributions are exact: feature value times coefficient in the linear model.
        Character n-grams are shown between ``<`` and ``>``; spaces mark word edges.
        """
        names, kinds, weights = self.contributions(text, context)
        out: dict[str, list[Contribution]] = {}
        for theme in themes if themes is not None else self.themes:
            j = self.themes.index(theme)
            order = np.argsort(-weights[:, j], kind="stable")
            top = [
                Contribution(names[i], kinds[i], float(weights[i, j]))
                for i in order[:k]
                if weights[i, j] > 0
            ]
            out[theme] = top
        return out

