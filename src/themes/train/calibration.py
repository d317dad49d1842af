"""Calibration and thresholds: out-of-fold decision values -> Platt-calibrated
probabilities and one F1-best threshold per theme. Used by training and by the audit."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

__all__ = ["best_threshold", "calibrate_and_threshold", "platt_calibration", "sigmoid"]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, elementwise.

    Examples
    --------
    >>> float(sigmoid(np.array([0.0]))[0])
    0.5
    """
    return 1.0 / (1.0 + np.exp(-z))


def platt_calibration(decision: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Fit p = sigmoid(a * z + b) on out-of-fold decision values."""
    if y.min() == y.max():
        return 1.0, 0.0
    lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    lr.fit(decision.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def best_threshold(proba: np.ndarray, y: np.ndarray) -> float:
    """Threshold maximising F1, smoothed over a +-0.05 window so it does not sit on a spike."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    f1 = []
    for t in grid:
        pred = proba >= t
        tp = float((pred & (y == 1)).sum())
        fp = float((pred & (y == 0)).sum())
        fn = float((~pred & (y == 1)).sum())
        f1.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    smooth = np.convolve(np.array(f1), np.ones(11) / 11, mode="same")
    return float(grid[int(np.argmax(smooth))])


def calibrate_and_threshold(decision: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Platt calibration and F1-best threshold per theme from out-of-fold decision values.

    Parameters
    ----------
    decision : ndarray of shape (n, T)
        Out-of-fold decision values.
    Y : ndarray of shape (n, T)
        0/1 labels.

    Returns
    -------
    calibration : ndarray of shape (2, T)
        Rows ``a`` and ``b`` of ``p = sigmoid(a * z + b)``.
    thresholds : ndarray of shape (T,)
    proba : ndarray of shape (n, T)
        The calibrated out-of-fold probabilities.

    Examples
    --------
    >>> z = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> calibration, thresholds, proba = calibrate_and_threshold(z, np.array([[0], [0], [1], [1]]))
    >>> bool((proba[2:] > proba[:2].max()).all())
    True
    """
    decision = np.asarray(decision, dtype=float)
    Y = np.asarray(Y).astype(int)
    n_themes = decision.shape[1]
    calibration = np.zeros((2, n_themes))
    thresholds = np.zeros(n_themes)
    proba = np.zeros_like(decision)
    for j in range(n_themes):
        a, b = platt_calibration(decision[:, j], Y[:, j])
        calibration[:, j] = (a, b)
        proba[:, j] = sigmoid(a * decision[:, j] + b)
        thresholds[j] = best_threshold(proba[:, j], Y[:, j])
    return calibration, thresholds, proba
