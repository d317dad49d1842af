"""``themes train`` killed with SIGKILL mid-write: the output folder is absent or intact.

Two kinds of test: one polls for the staging folder of a real ``python -m themes train``
and kills it the moment it appears; the other makes the process kill itself at exact points
of the save (while staging, before the swap, after the swap), so every moment is hit on
every run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from themes import load_model
from themes.artifact import read_manifest, sha256_file, verify_files
from themes.errors import ModelError

from conftest import write_tiny_release

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")]


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_complete(folder: Path) -> None:
    """A whole model: manifest valid, every listed file present with its hash, loadable."""
    manifest = read_manifest(folder)
    verify_files(folder, manifest)
    load_model(folder)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    return write_tiny_release(tmp_path_factory.mktemp("crash") / "release")


@pytest.fixture
def previous(tmp_path, tiny_model_dir):
    """A model folder already at the output path, and its hashes."""
    out = Path(shutil.copytree(tiny_model_dir, tmp_path / "out" / "model"))
    return out, hashes(out)


def train_argv(release: Path, out: Path, force: bool) -> list[str]:
    argv = ["train", "--no-shipped", "--no-loso", "--release", str(release), "--out", str(out), "--name", "new-model"]
    return argv + (["--force"] if force else [])


def staging_folders(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.*.partial"))


# ------------------------------------------------------------------- poll, then kill
def run_and_kill_when_staging_appears(argv: list[str], out: Path, extra_delay: float) -> bool:
    """Start ``python -m themes`` and SIGKILL it once its staging folder exists; True if killed mid-run."""
    out.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen([sys.executable, "-m", "themes", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if staging_folders(out):
                if extra_delay:
                    time.sleep(extra_delay)
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.0005)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode not in (0, -signal.SIGKILL):
        raise AssertionError(process.stderr.read().decode())
    process.stderr.close()
    return process.returncode == -signal.SIGKILL


def test_kill_while_writing_a_new_model(tmp_path, release):
    out = tmp_path / "out" / "model"
    killed = run_and_kill_when_staging_appears(train_argv(release, out, force=False), out, 0.0)
    if out.exists():  # the save finished before the kill landed: it must be whole
        assert_complete(out)
    else:
        assert killed
        with pytest.raises(ModelError, match="does not exist"):
            load_model(out)


def test_kill_while_replacing_a_model(previous, release):
    out, before = previous
    run_and_kill_when_staging_appears(train_argv(release, out, force=True), out, 0.002)
    assert_complete(out)
    if hashes(out) != before:  # only a finished swap may change it, and then to a whole new model
        assert load_model(out).name == "new-model"


def test_kill_while_training_leaves_the_previous_model(previous, release):
    out, before = previous
    process = subprocess.Popen(
        [sys.executable, "-m", "themes", *train_argv(release, out, force=True)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    assert_complete(out)
    assert hashes(out) == before or load_model(out).name == "new-model"


# --------------------------------------------------------- the process kills itself
# The wrapper patches themes.artifact (the model's files) and themes.atomic (the staging and
# the swap, shared with the corpus's write_release) so that the process SIGKILLs itself at
# one point of the save, then runs the real command line.
WRAPPER = """
import os, signal, sys
import themes.artifact as artifact
import themes.atomic as atomic

point = sys.argv[1]
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "staging":
    real_write_json = artifact._write_json
    def write_json(path, obj):
        if path.name == "manifest.json":
            die()
        return real_write_json(path, obj)
    artifact._write_json = write_json
elif point == "before-swap":
    atomic._replace_folder = die
    real_rename = os.rename
    atomic.os.rename = lambda a, b: die() if str(a).endswith(".partial") else real_rename(a, b)
elif point == "after-swap":
    # Only the removal of the staging folder (which holds the previous model after the swap)
    # dies: other libraries call shutil.rmtree too (filelock does at import on Python 3.10).
    real_rmtree = atomic.shutil.rmtree
    def rmtree(path, *args, **kwargs):
        if str(path).endswith(atomic.STAGING_SUFFIX):
            die()
        return real_rmtree(path, *args, **kwargs)
    atomic.shutil.rmtree = rmtree
    atomic._fsync_folder = die
elif point == "between-renames":
    # The fallback where an atomic exchange is not available (not Linux, some filesystems).
    atomic._exchange = lambda a, b: False
    real_rename = os.rename
    def rename(a, b):
        real_rename(a, b)
        if str(b).endswith(".old"):
            die()
    atomic.os.rename = rename

from themes.cli import main
sys.exit(main(sys.argv[2:]))
"""


def run_killing_itself(point: str, argv: list[str]) -> int:
    done = subprocess.run([sys.executable, "-c", WRAPPER, point, *argv], capture_output=True, text=True, timeout=180)
    assert done.returncode == -signal.SIGKILL, done.stderr
    return done.returncode


def test_killed_while_staging_leaves_no_new_folder(tmp_path, release):
    out = tmp_path / "out" / "model"
    run_killing_itself("staging", train_argv(release, out, force=False))
    assert not out.exists()
    with pytest.raises(ModelError, match="does not exist"):
        load_model(out)


def test_killed_before_the_swap_leaves_the_previous_model_intact(previous, release):
    out, before = previous
    run_killing_itself("before-swap", train_argv(release, out, force=True))
    assert hashes(out) == before
    assert_complete(out)
    assert load_model(out).name == "tiny-model"


def test_killed_after_the_swap_leaves_the_new_model_whole(previous, release):
    out, before = previous
    run_killing_itself("after-swap", train_argv(release, out, force=True))
    assert hashes(out) != before
    assert_complete(out)
    assert load_model(out).name == "new-model"


def test_killed_between_fallback_renames_says_where_the_previous_model_is(previous, release):
    out, before = previous
    run_killing_itself("between-renames", train_argv(release, out, force=True))
    retired = out.with_name(f".{out.name}.old")
    assert not out.exists()
    assert hashes(retired) == before  # nothing lost: the previous model is whole, beside it
    with pytest.raises(ModelError, match=r"interrupted save left the previous model in .*\.model\.old.*rename it back"):
        load_model(out)
    os.rename(retired, out)
    assert_complete(out)


def test_a_killed_run_does_not_block_the_next(previous, release):
    out, before = previous
    run_killing_itself("staging", train_argv(release, out, force=True))
    assert hashes(out) == before
    assert staging_folders(out)  # SIGKILL leaves the staging folder behind ...
    done = subprocess.run(
        [sys.executable, "-m", "themes", *train_argv(release, out, force=True)], capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr  # ... and a new run still saves
    assert load_model(out).name == "new-model"
