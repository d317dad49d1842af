"""A contender: a way to tag statements, written as code a fresh process can run; and themes' own two.

A contender fits on the bench's train split, saves what it learned to a folder, and is
measured from that folder exactly as a user would load it (``bench/quality.py`` for its F1,
``bench/speed.py`` for its speed). The competitors a user would pick instead of themes are in
``bench/baselines.py``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from themes.corpus import Statement

from common import SEED, SHIPPED_MODEL, Bench, as_matrix

class Contender:
    """A way to tag statements. Subclasses fill in the code and how to fit and save.

    ``imports`` + ``load`` + ``predict`` is a complete program fragment (given ``FOLDER``):
    the cold-start and peak-memory children run exactly that, and the in-process speed
    figures call the ``predict`` it defines after loading the saved folder the same way.
    ``predict(texts, contexts)`` returns the contender's native output;
    ``predict_one(text, context)``, when defined, is the single-statement call.
    """

    key = ""
    label = ""
    short = ""  # column name in the per-theme table
    modules: tuple[str, ...] = ()  # importable modules it needs
    extra_hint = "pip install -e '.[bench]'"
    heavy = False  # sentence-embedding contenders: reduced sizes in --quick
    trains = True
    imports = ""
    load = ""
    predict = ""
    notes = ""

    def unavailable(self) -> str | None:
        missing = [m for m in self.modules if importlib.util.find_spec(m) is None]
        if missing:
            return f"{', '.join(missing)} not importable ({self.extra_hint})"
        return None

    # Training side -----------------------------------------------------------------
    def fit(self, bench: Bench, train: list[Statement]) -> dict:
        """Train; return the names ``predict`` uses (as ``load`` would define them)."""
        raise NotImplementedError

    def save(self, names: dict, folder: Path) -> None:
        raise NotImplementedError

    def predict_matrix(self, bench: Bench, names: dict, statements: list[Statement]) -> np.ndarray:
        predictor = self.predictor(names)
        return as_matrix(predictor["predict"]([s.text for s in statements], [s.context for s in statements]))

    # Inference side ----------------------------------------------------------------
    def predictor(self, names: dict) -> dict:
        namespace = dict(names)
        exec(self.imports + "\n" + self.predict, namespace)  # noqa: S102 - our own code
        return namespace

    def loaded_predictor(self, folder: Path) -> dict:
        namespace = {"FOLDER": str(folder)}
        exec(self.imports + "\n" + self.load + "\n" + self.predict, namespace)  # noqa: S102
        return namespace

    def program(self, folder: Path, first_text: str, first_context: str | None, n_batch: int, data_file: Path) -> str:
        return "\n".join([
            "import time, json, resource",
            f"FOLDER = {str(folder)!r}",
            self.imports,
            self.load,
            self.predict,
            f"_first = predict([{first_text!r}], [{first_context!r}])",
            "print('FIRST', repr(time.time()), flush=True)",
            f"if {n_batch}:",
            f"    _data = json.load(open({str(data_file)!r}))",
            f"    _out = predict(_data['texts'][:{n_batch}], _data['contexts'][:{n_batch}])",
            # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent across exec.
            "try:",
            "    _kb = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]",
            "except OSError:",
            "    _kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss",
            "print('RSS_KB', _kb, flush=True)",
        ])


class ThemesContender(Contender):
    key = "themes"
    label = "themes (shipped configuration)"
    short = "themes"
    imports = "import themes"
    load = "model = themes.load_model(FOLDER)"
    predict = (
        "def predict(texts, contexts):\n"
        "    return model.predict_proba(texts, contexts) >= model.thresholds\n"
    )
    notes = ("`themes.train.fit(train, DEFAULT_CONFIG, loso=False)`; uses each statement's lead-in context "
             "(the other contenders see the statement only); per-theme thresholds tuned on out-of-fold "
             "predictions of the training statements; scored with `ThemeModel.predict_proba >= thresholds`.")

    def fit(self, bench, train):
        from themes.train import DEFAULT_CONFIG, fit

        run = fit(train, DEFAULT_CONFIG, seed=SEED, loso=False)
        return {"model": run.model, "_run": run}

    def save(self, names, folder):
        from themes.artifact import save_model
        from themes.train import build_manifest

        save_model(names["model"], folder, build_manifest(names["_run"], name="bench"))


class ShippedThemesContender(ThemesContender):
    key = "themes_shipped"
    label = "themes, models/default via classify()"
    short = "models/default"
    trains = False
    load = "model = themes.load_model(FOLDER)"
    predict = (
        "def predict(texts, contexts):\n"
        "    return themes.classify(texts, model=model, context=contexts)\n"
        "def predict_one(text, context):\n"
        "    return themes.classify(text, model=model, context=context)\n"
    )
    proba_predict = ThemesContender.predict
    notes = ("The shipped model folder as it is now (trained by the lead on the train split). Speed via the "
             "public `themes.classify(list, model=..., context=...)`, which builds a `Result` per statement; "
             "`predict_proba` figures for the same model are given below the table. Size counts every file of "
             "the folder (JSON, arrays and the embedding; no pickle).")

    def fit(self, bench, train):
        from themes import load_model

        return {"model": load_model(SHIPPED_MODEL)}
