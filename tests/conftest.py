"""Shared fixtures: a tiny literal corpus, a model overfit on it, and that model saved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from themes.corpus import Statement, write_release

# Each theme gets a few unmistakable statements; the tiny model must learn them.
TINY = [
    ("financing", "Freezing terrorist assets and cutting financing channels through hawala."),
    ("financing", "The financial intelligence unit traced money laundering for terrorist financing."),
    ("financing", "Crypto-assets are used to move funds to terrorist groups."),
    ("uav", "Drones were used to attack the checkpoint."),
    ("uav", "Counter-UAV systems detect unmanned aerial vehicles."),
    ("uav", "Terrorists adapt commercial quadcopters to drop explosives from drones."),
    ("foreign_fighters", "Foreign terrorist fighters returning from Syria are prosecuted."),
    ("foreign_fighters", "Returnees from the camps and their children need screening."),
    ("foreign_fighters", "The flow of terrorist fighters to conflict zones continues."),
    ("deradicalization", "Deradicalization programmes in prisons help inmates leave extremist ideology."),
    ("deradicalization", "Religious leaders run prevention campaigns for vulnerable youth."),
    ("deradicalization", "Rehabilitation and reintegration of radicalized persons."),
    ("border_security", "Border guards stopped illegal migration across the state border."),
    ("border_security", "Customs officers checked travel documents at the crossing point."),
    ("border_security", "Smuggling routes across the border were closed by border troops."),
    ("online_propaganda", "Terrorist propaganda on social networks and messengers was blocked."),
    ("online_propaganda", "Extremist content was removed from websites after referral."),
    ("online_propaganda", "Recruitment videos spread online through channels in messengers."),
    ("cyber_threats", "Cyber-attacks on information systems threaten international information security."),
    ("cyber_threats", "Hackers used ransomware against computer networks."),
    ("cyber_threats", "ICT crime and cyber terrorism were discussed."),
    ("weapons_trafficking", "Illicit trafficking of firearms, ammunition and explosives was stopped."),
    ("weapons_trafficking", "Terrorist access to chemical and radioactive materials is a concern."),
    ("weapons_trafficking", "Weapons smuggled from armed conflict zones were seized."),
    ("drug_trafficking", "Heroin and synthetic drugs were seized on trafficking routes."),
    ("drug_trafficking", "The anti-drug operation stopped precursors and narcotics."),
    ("drug_trafficking", "Drug trafficking networks moved opium across the region."),
    ("critical_infrastructure", "Anti-terrorist protection of nuclear power plants and airports."),
    ("critical_infrastructure", "Security of transport and energy infrastructure and crowded places."),
    ("critical_infrastructure", "Critical facilities such as pipelines need protection from attack."),
    ("international_cooperation", "The states signed a memorandum on information exchange and extradition."),
    ("international_cooperation", "International cooperation under the convention was strengthened."),
    ("international_cooperation", "Regional organizations agreed to coordinate their joint work."),
    ("exercises_training", "A joint anti-terrorist exercise and drills were held."),
    ("exercises_training", "Training courses for personnel and capacity-building seminars."),
    ("exercises_training", "Instructors taught a retraining course to special units."),
    ("threat_assessment", "Assessment of the threat picture and forecasts of its trends."),
    ("threat_assessment", "The situation analysis showed the scale of the terrorist threat."),
    ("threat_assessment", "Figures describe the growth of the threat level this year."),
    (None, "The meeting was held in Minsk and the participants thanked the hosts."),
    (None, "The next meeting will take place in the autumn."),
    (None, "The chairman opened the session and welcomed the delegations."),
]

TINY_CONFIG = {"use_embedding": False, "min_df_word": 1, "min_df_char": 1, "n_folds": 3, "C": 20.0}


def tiny_statements() -> list[Statement]:
    return [
        Statement(id=f"tiny-{i:03d}", text=text, themes=(theme,) if theme else (), style=f"style{i % 3}")
        for i, (theme, text) in enumerate(TINY)
    ]


def assert_batch_equals_single(texts: list[str], model) -> list:
    """Classify ``texts`` as one batch and one at a time; each statement must get the same
    scores (bit for bit), themes, language and reason either way. Returns the batch's results."""
    from themes import classify

    batch = classify(texts, model=model)
    for text, result in zip(texts, batch):
        alone = classify(text, model=model)
        assert result.scores == alone.scores, text
        assert (result.themes, result.language, result.not_scored) == (alone.themes, alone.language, alone.not_scored), text
    return batch


def write_tiny_release(folder: Path, release: str = "tiny.1", builds_on: str | None = None) -> Path:
    """The tiny corpus as a release; ``builds_on`` names the release before it (None: the first)."""
    records = [s.to_record() for s in tiny_statements()]
    return write_release(records, folder, release, builds_on, "2025-01-01")


@pytest.fixture(scope="session")
def tiny_run():
    from themes.train import fit

    return fit(tiny_statements(), TINY_CONFIG, seed=0, loso=False, realdev=False)


@pytest.fixture(scope="session")
def tiny_model(tiny_run):
    return tiny_run.model


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory):
    """A tiny model folder saved by ``themes.train.train``."""
    from themes.train import train

    base = tmp_path_factory.mktemp("tiny")
    release = write_tiny_release(base / "release")
    out = base / "model"
    train([release], out=out, include_shipped=False, config=TINY_CONFIG, loso=False, name="tiny-model", realdev=False)
    return out


@pytest.fixture
def read_jsonl():
    def read(path):
        return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]

    return read


def write_pdf(path, pages):
    """A PDF with one page per list of (height, line) to draw."""
    pytest.importorskip("pypdf")
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    c = canvas.Canvas(str(path), invariant=True)
    for lines in pages:
        for height, line in lines:
            c.drawString(72, height, line)
        c.showPage()
    c.save()
    return path


# The release chain of the import tests (sessions 16 and 17): ls1 <- dc1, one statement each.
def one_statement_release(folder: Path, name: str, builds_on: str | None) -> Path:
    """A release ``name`` of one statement, written to ``folder / name``, building on ``builds_on``."""
    record = {"id": f"{name}-1", "text": f"Quadcopters were seen over depot {name}.", "themes": ["uav"],
              "context": None, "style": "unknown", "lang": "en"}
    return write_release([record], folder / name, name, builds_on, "2027-01-01")


def builds_on_of(release: Path):
    """The ``builds_on`` of a release folder's manifest."""
    return json.loads((release / "manifest.json").read_text(encoding="utf-8"))["builds_on"]


@pytest.fixture
def chain(tmp_path) -> Path:
    """A folder of releases, ls1 <- dc1."""
    releases = tmp_path / "releases"
    one_statement_release(releases, "ls1", None)
    one_statement_release(releases, "dc1", "ls1")
    return releases


@pytest.fixture
def sheet(tmp_path) -> Path:
    """A CSV export of one labelled statement."""
    path = tmp_path / "labels.csv"
    path.write_text("text,themes\nSaboteurs cut the gas main near the harbour.,critical_infrastructure\n", encoding="utf-8")
    return path


def scored_date(tmp_path, text, name="x.txt"):
    """The date and date source ``themes score`` gives a bulletin file holding ``text``, in a
    folder of the year 2025 (which completes a yearless dateline)."""
    from themes import score_archive

    folder = tmp_path / "archive" / "2025"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    bulletin = next(score_archive([path]))
    return bulletin.date, bulletin.summary["date_source"]

