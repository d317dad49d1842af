"""Training (scikit-learn): corpus statements -> a fitted pipeline -> the numpy-only model
folder that inference reads. Nothing in inference imports this package.

- :mod:`themes.train.config`       the validated, frozen training configuration
- :mod:`themes.train.features`     the scikit-learn transformer over the inference features
- :mod:`themes.train.calibration`  Platt calibration and per-theme thresholds
- :mod:`themes.train.fitting`      folds, fit, export, figures (real text, test, by style)
- :mod:`themes.train.card`         the manifest and MODEL_CARD.md

Examples
--------
>>> from themes.train import TrainingConfig, train
>>> TrainingConfig().classifier
'linear_svm'
"""

from themes.train.calibration import best_threshold, calibrate_and_threshold, platt_calibration
from themes.train.card import build_manifest, model_card, model_name
from themes.train.config import DEFAULT_CONFIG, TrainingConfig
from themes.train.features import ThemeFeatures
from themes.train.fitting import (
    TrainingRun,
    build_pipeline,
    cross_validate,
    export_model,
    fit,
    leave_one_style_out,
    multilabel_folds,
    realdev_metrics,
    train,
)

__all__ = [
    "DEFAULT_CONFIG",
    "ThemeFeatures",
    "TrainingConfig",
    "TrainingRun",
    "best_threshold",
    "build_manifest",
    "build_pipeline",
    "calibrate_and_threshold",
    "cross_validate",
    "export_model",
    "fit",
    "leave_one_style_out",
    "model_card",
    "model_name",
    "multilabel_folds",
    "platt_calibration",
    "realdev_metrics",
    "train",
]
