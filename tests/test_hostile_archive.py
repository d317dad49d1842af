"""Archive runs under hostile or careless input (issue 14, archive side): every hostile
file is made here, at test time, in tmp_path.

One test (or a few) per item: 1 one bad record never stops a run; 2 nothing skipped
silently; 3 resume and lock by file identity; 6 exit codes by type; 9 the smaller ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from themes import score_archive
from themes.archive import output_lock, write_scores
from themes.cli import main
from themes.errors import OutputExistsError, OutputLockedError, ParameterError

from test_archive import bulletin_text, make_archive, read_records

DATA, USAGE = 1, 2
NESTED = "[" * 100_000 + "]" * 100_000


def write_lines(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def summaries(path: Path) -> dict[str, dict]:
    return {s["bulletin"]: s for s in read_records(path)}


def score(capsys, *argv) -> tuple[int, str, str]:
    code = main(["score", *map(str, argv), "--quiet"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ------------------------------------------------------- 1. one bad record never stops a run
def test_a_lone_surrogate_in_a_jsonl_text_fails_that_record_alone_and_resume_copes(tmp_path, capsys):
    archive = write_lines(tmp_path / "in" / "bulletins.jsonl", [
        '{"id": "ok-1", "text": "Drones were discussed."}',
        '{"id": "bad", "text": "Financing \\ud800 x."}',
        '{"id": "ok-2", "text": "Terrorist financing was discussed."}',
    ])
    out, summary = tmp_path / "s.jsonl", tmp_path / "b.jsonl"
    code, stdout, err = score(capsys, archive, "--out", out, "--summary", summary)
    assert code == DATA
    assert "scored 2 bulletins, 1 failed, 2 statements" in stdout
    # Refused as it is read, naming the file and the line (as every JSON Lines reader of themes does).
    assert f"failed: {archive}:2: a string holds a lone surrogate (\\ud800), which is not Unicode text" in err
    assert [r["bulletin"] for r in read_records(out)] == ["ok-1", "ok-2"]
    assert summaries(summary)[f"{archive}:2"]["status"] == "failed"
    for _ in range(2):  # resume retries the failed record, and does not crash on it
        code, stdout, err = score(capsys, archive, "--out", out, "--summary", summary, "--resume")
        assert code == DATA and "1 failed" in stdout and "Traceback" not in err
        assert [r["bulletin"] for r in read_records(out)] == ["ok-1", "ok-2"]


def test_a_file_name_that_is_not_utf8_fails_that_file_alone(tmp_path, capsys):
    folder = make_archive(tmp_path / "in", 2)
    name = "Бюллетень-2024.txt".encode("cp1251")
    try:
        with open(os.fsencode(folder) + b"/" + name, "wb") as fh:
            fh.write(bulletin_text(7).encode("utf-8"))
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses file names that are not UTF-8")
    out, summary = tmp_path / "s.jsonl", tmp_path / "b.jsonl"
    code, stdout, err = score(capsys, folder, "--out", out, "--summary", summary)
    assert code == DATA
    assert "scored 2 bulletins, 1 failed, 18 statements" in stdout
    assert "the file name is not valid UTF-8; rename the file" in err and "\\xc1\\xfe" in err
    failed = [s for s in read_records(summary) if s["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["bulletin"].endswith("\\xc1\\xfe\\xeb\\xeb\\xe5\\xf2\\xe5\\xed\\xfc-2024.txt")
    code, stdout, _ = score(capsys, folder, "--out", out, "--summary", summary, "--resume")
    assert code == DATA and "1 failed" in stdout
    assert len(read_records(out)) == 18
    # The Python API fails it the same way.
    results = list(score_archive(folder))
    assert sorted(r.ok for r in results) == [False, True, True]
    assert "not valid UTF-8" in next(r.error for r in results if not r.ok)


def test_a_line_of_100000_nested_brackets_fails_alone_and_the_run_goes_on(tmp_path, capsys):
    folder = make_archive(tmp_path / "in", 2)
    write_lines(folder / "nested.jsonl", [NESTED])
    out, summary = tmp_path / "s.jsonl", tmp_path / "b.jsonl"
    code, stdout, err = score(capsys, folder, "--out", out, "--summary", summary)
    assert code == DATA
    assert "scored 2 bulletins, 1 failed, 18 statements" in stdout
    assert "nested.jsonl" in err and "nested too deeply" in err and "Traceback" not in err
    code, stdout, err = score(capsys, folder, "--out", out, "--summary", summary, "--resume")
    assert code == DATA and "unexpected" not in err
    assert len(read_records(out)) == 18


def test_records_after_a_too_deeply_nested_line_of_the_same_file_are_scored(tmp_path):
    archive = write_lines(tmp_path / "a.jsonl", [NESTED, '{"id": "after", "text": "Drones were discussed."}'])
    results = {r.bulletin: r for r in score_archive(archive)}
    assert results["after"].ok


def test_imports_keep_going_past_a_surrogate_and_a_nested_line(tmp_path):
    from themes.importers import import_export

    path = write_lines(tmp_path / "export.jsonl", [
        json.dumps({"id": "d-1", "text": "Hackers hit the ministry.", "labels": ["cyber_threats"]}),
        NESTED,
        '{"id": "d-2", "text": "Financing \\ud800 x.", "labels": ["financing"]}',
    ])
    report = import_export("doccano", path, tmp_path / "release")
    reasons = dict(report.skipped)
    assert "nested too deeply" in reasons[f"{path}:2"]
    assert "lone surrogate" in reasons[f"{path}:3"]
    assert [json.loads(line)["id"] for line in (tmp_path / "release" / "statements.jsonl").read_text().splitlines()] == ["d-1"]


# --------------------------------------------------------------- 2. nothing skipped silently
def test_an_unreadable_subfolder_is_reported_as_failed(tmp_path, capsys, monkeypatch):
    folder = make_archive(tmp_path / "in", 2)
    locked = make_archive(folder / "locked", 1)
    if os.geteuid() == 0:  # root reads any folder: make the system refuse this one
        real = os.scandir

        def scandir(path="."):
            if os.fspath(path) == str(locked):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real(path)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        locked.chmod(0)
    try:
        out, summary = tmp_path / "s.jsonl", tmp_path / "b.jsonl"
        code, stdout, err = score(capsys, folder, "--out", out, "--summary", summary)
    finally:
        locked.chmod(0o755)
    assert code == DATA
    assert "scored 2 bulletins, 1 failed" in stdout
    assert f"failed: {locked}: cannot be read (Permission denied); its bulletins were not scored" in err
    assert summaries(summary)[str(locked)]["status"] == "failed"


# --------------------------------------------------------- 3. resume and lock by file identity
def test_resume_with_an_absolute_path_after_a_relative_one_writes_nothing_twice(tmp_path, monkeypatch, capsys):
    make_archive(tmp_path / "in", 6)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "s.jsonl"
    assert main(["score", "in", "--out", str(out), "--quiet"]) == 0
    full = read_records(out)
    cut = out.read_bytes()[: len(out.read_bytes()) // 2]
    out.write_bytes(cut)  # a run killed half-way
    assert main(["score", str(tmp_path / "in"), "--out", str(out), "--resume", "--quiet"]) == 0
    assert "already in it were not scored again" in capsys.readouterr().out
    records = read_records(out)
    assert len(records) == len(full)
    identity = [(os.path.realpath(r["bulletin"]), r["index"]) for r in records]
    assert len(set(identity)) == len(identity) == len(full)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("", "a", "s.jsonl", "b.jsonl"), ("a", ".", "../s.jsonl", "../b.jsonl")),
        (("a", ".", "../s.jsonl", "../b.jsonl"), ("", "a", "s.jsonl", "b.jsonl")),
        (("", "a", "s.jsonl", None), ("a", "{root}/a", "../s.jsonl", None)),
        (("", "a", "s.jsonl", "b.jsonl"), ("a", "{root}/a", "{root}/s.jsonl", "{root}/b.jsonl")),
    ],
    ids=["relative-then-inside", "inside-then-relative", "relative-then-absolute-no-summary", "absolute-outputs"],
)
def test_resume_from_another_folder_writes_no_bulletin_twice(tmp_path, monkeypatch, capsys, first, second):
    make_archive(tmp_path / "a", 3)

    def run(where, path, out, summary, *extra):
        monkeypatch.chdir(tmp_path / where)
        fill = lambda p: p.format(root=tmp_path)  # noqa: E731
        argv = [fill(path), "--out", fill(out)] + (["--summary", fill(summary)] if summary else [])
        return score(capsys, *argv, *extra)

    assert run(*first)[0] == 0
    before = (tmp_path / "s.jsonl").read_bytes()
    code, stdout, err = run(*second, "--resume")
    if first[0]:
        # Ids relative to a folder below this one and the output's cannot be placed for
        # sure: refused rather than written twice (or another folder's same name skipped).
        assert code == DATA and "named relative to the folder its run was started in" in err
        assert (tmp_path / "s.jsonl").read_bytes() == before
        return
    assert code == 0
    placed = lambda data: sorted(  # noqa: E731  (the file and index of each record)
        (os.path.realpath(os.path.join(tmp_path, r["bulletin"])), r["index"]) for r in map(json.loads, data.splitlines())
    )
    assert placed((tmp_path / "s.jsonl").read_bytes()) == placed(before)  # nothing written twice, nothing lost
    # Without a summary file the last bulletin cannot be told complete: it alone is scored again.
    again = 1 if first[3] is None else 0
    assert f"scored {again} bulletin" in stdout
    assert f"{3 - again} bulletins already in it were not scored again" in stdout


def test_resume_with_fewer_paths_keeps_the_bulletins_of_the_others(tmp_path, monkeypatch, capsys):
    make_archive(tmp_path / "a", 2)
    make_archive(tmp_path / "b", 2)
    monkeypatch.chdir(tmp_path)
    assert score(capsys, "a", "b", "--out", "s.jsonl")[0] == 0
    before = (tmp_path / "s.jsonl").read_bytes()
    for _ in range(2):  # each resume used to take back one more of b's bulletins
        code, stdout, _ = score(capsys, "./a", "--out", "s.jsonl", "--resume")
        assert code == 0
        assert "scored 0 bulletins" in stdout and "2 bulletins already in it were not scored again" in stdout
        assert (tmp_path / "s.jsonl").read_bytes() == before
    # b's last bulletin, cut short by a crash and named again, is still taken back and scored whole
    cut = before.rstrip(b"\n").rsplit(b"\n", 1)[0] + b"\n"
    (tmp_path / "s.jsonl").write_bytes(cut)
    code, stdout, _ = score(capsys, "b", "--out", "s.jsonl", "--resume")
    assert code == 0 and "scored 1 bulletin," in stdout and "1 bulletin already in it was not scored again" in stdout
    assert (tmp_path / "s.jsonl").read_bytes() == before


@pytest.mark.parametrize(
    ("paths", "option", "extra"),
    [
        (["arch/bulletins.jsonl"], "--out", ["--force"]),
        (["arch"], "--out", ["--force"]),
        (["arch"], "--out", ["--resume"]),
        (["arch"], "--summary", ["--force"]),
        (["arch/2024-05-02.txt"], "--summary", []),
    ],
    ids=["named-input", "in-a-folder", "in-a-folder-resume", "summary-in-a-folder", "summary-a-text-input"],
)
def test_an_output_that_is_an_input_file_is_refused_and_kept(tmp_path, monkeypatch, capsys, paths, option, extra):
    monkeypatch.chdir(tmp_path)
    archive = tmp_path / "arch"
    write_lines(archive / "bulletins.jsonl", [json.dumps({"id": "b-1", "text": bulletin_text(1)})])
    (archive / "2024-05-02.txt").write_text(bulletin_text(2), encoding="utf-8")
    target = "arch/bulletins.jsonl" if paths == ["arch"] or option == "--out" else paths[0]
    before = (tmp_path / target).read_bytes()
    outputs = ["--out", target] if option == "--out" else ["--out", "s.jsonl", "--summary", target]
    code, _, err = score(capsys, *paths, *outputs, *extra)
    assert code == USAGE
    assert f"themes: error: {option} {target}: is also an input" in err and f"Name {option} outside the inputs" in err
    assert (tmp_path / target).read_bytes() == before
    assert not (tmp_path / "s.jsonl").exists()


def test_summary_naming_the_statements_file_is_a_usage_error(tmp_path, capsys):
    folder = make_archive(tmp_path / "in", 1)
    out = tmp_path / "s.jsonl"
    code, _, err = score(capsys, folder, "--out", out, "--summary", tmp_path / "." / "s.jsonl")
    assert code == USAGE
    assert "--summary and --out name the same file" in err and "give the summary a name of its own" in err
    assert not out.exists()


def test_a_second_writer_through_a_symbolic_link_is_refused(tmp_path, capsys):
    folder = make_archive(tmp_path / "in", 1)
    real = tmp_path / "real.jsonl"
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    with output_lock(real):
        with pytest.raises(OutputLockedError, match="another themes run"):
            write_scores(folder, link)
        code, _, err = score(capsys, folder, "--out", link, "--force")
        assert code == DATA and "is writing it" in err
        with pytest.raises(OutputLockedError):
            write_scores(folder, tmp_path / "sub" / ".." / "real.jsonl")
    assert write_scores(folder, link).scored == 1


def test_a_symlinked_writer_in_another_process_is_refused(tmp_path):
    real, link = tmp_path / "real.jsonl", tmp_path / "link.jsonl"
    link.symlink_to(real)
    code = (
        "import time\nfrom themes.archive import output_lock\n"
        f"with output_lock({str(real)!r}):\n    print('locked', flush=True)\n    time.sleep(30)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(OutputLockedError, match=rf"pid {holder.pid}"):
            with output_lock(link):
                pass
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


# ---------------------------------------------------------------------- 6. exit codes by type
def test_a_numeric_date_in_scores_is_bad_data_not_bad_usage(tmp_path, capsys):
    scores = write_lines(tmp_path / "s.jsonl", [
        json.dumps({"bulletin": "a", "date": 20240101, "themes": ["uav"], "model": "m"}),
        json.dumps({"bulletin": "b", "date": "2024-02-30", "themes": [], "model": "m"}),
        json.dumps({"bulletin": "c", "date": "9999-99-99", "themes": [], "model": "m"}),
        json.dumps({"bulletin": "d", "date": "2024-03-01", "themes": ["uav"], "model": "m"}),
    ])
    assert main(["trends", str(scores), "--by", "month", "--theme", "uav"]) == 0
    out = capsys.readouterr().out
    assert "2024-03" in out and "2024-02 " not in out and "9999" not in out
    assert "3 bulletins have a date that is no calendar date (first: 20240101" in out
    bad = write_lines(tmp_path / "bad.jsonl", [json.dumps({"bulletin": "a", "date": "2024-01-01", "themes": "uav"})])
    assert main(["trends", str(bad)]) == DATA
    assert f"{bad}:1: 'themes' must be a list" in capsys.readouterr().err


def test_exit_codes_follow_the_type_not_the_message(tmp_path, capsys, monkeypatch):
    import themes.cli.trends as command

    def raises(error):
        def run(*args, **kwargs):
            raise error

        return run

    scores = write_lines(tmp_path / "s.jsonl", [json.dumps({"bulletin": "a", "date": "2024-01-01", "themes": []})])
    cases = [
        (TypeError("The 'x' parameter of f must be an int"), DATA, "unexpected TypeError"),
        (ValueError("The 'x' parameter of f must be an int"), DATA, "unexpected ValueError"),
        (ParameterError("bad value"), USAGE, "bad value"),
        (OutputExistsError("x: already exists"), DATA, "x: already exists"),
    ]
    for error, expected, shown in cases:
        monkeypatch.setattr(command, "trends", raises(error))
        assert main(["trends", str(scores)]) == expected, error
        err = capsys.readouterr().err
        assert len(err.splitlines()) == 1 and shown in err


def test_a_message_of_several_lines_is_printed_as_one(tmp_path, capsys, monkeypatch):
    import themes.cli.trends as command
    from themes.errors import CorpusError

    def run(*args, **kwargs):
        raise CorpusError("3 problems:\n  a.jsonl:1: x\n  a.jsonl:2: y")

    monkeypatch.setattr(command, "trends", run)
    assert main(["trends", str(tmp_path / "s.jsonl")]) == DATA
    assert capsys.readouterr().err == "themes: error: 3 problems: a.jsonl:1: x; a.jsonl:2: y\n"


def test_plot_with_an_unknown_suffix_and_bad_config_values_are_clear(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    scores = write_lines(tmp_path / "s.jsonl", [json.dumps({"bulletin": "a", "date": "2024-01-01", "themes": []})])
    assert main(["trends", str(scores), "--plot", str(tmp_path / "t.xyz")]) == USAGE
    err = capsys.readouterr().err
    # The CLI names its option (the library's Trends.plot names its parameter instead).
    assert f"--plot {tmp_path / 't.xyz'}: not an image file name; end it in one of" in err and ".png" in err
    assert len(err.splitlines()) == 1 and "unexpected" not in err
    config = tmp_path / "config.json"
    config.write_text('{"C": "abc"}', encoding="utf-8")
    assert main(["audit", "--config", str(config)]) == USAGE  # a bad parameter value (README: exit 2)
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "'C' parameter" in err and "unexpected" not in err


# --------------------------------------------------------------------------- 9. smaller ones
def test_out_naming_a_folder_does_not_suggest_force(tmp_path, capsys):
    folder = make_archive(tmp_path / "in", 1)
    target = tmp_path / "outdir"
    target.mkdir()
    for extra in ([], ["--force"], ["--resume"]):
        code, _, err = score(capsys, folder, "--out", target, *extra)
        assert code == USAGE  # a bad option value, as the README's exit codes have it
        assert err.strip() == (
            f"themes: error: --out {target}: is a folder; give a file name to write, e.g. {target / 'scores.jsonl'}"
        )
    with pytest.raises(ParameterError, match="is a folder"):
        write_scores(folder, target, force=True)
    code, _, err = score(capsys, folder, "--out", tmp_path / "s.jsonl", "--summary", target)
    assert code == USAGE and f"--summary {target}: is a folder" in err
    assert not (tmp_path / "s.jsonl").exists()


def test_evaluate_on_the_model_s_own_training_release_warns(tmp_path, capsys, tiny_model_dir):
    release = tiny_model_dir.parent / "release" / "statements.jsonl"  # what tiny_model_dir was trained on
    assert main(["evaluate", str(release), "--model", str(tiny_model_dir)]) == 0
    err = capsys.readouterr().err
    assert f"{release} is release tiny.1 of the corpus tiny-model was trained on" in err
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(release.read_bytes() + b"\n")  # not byte for byte the release: no claim
    assert main(["evaluate", str(copy), "--model", str(tiny_model_dir)]) == 0
    assert "trained on" not in capsys.readouterr().err


def test_evaluate_on_a_scores_file_warns_that_it_compares_the_model_with_itself(tmp_path, capsys, tiny_model_dir):
    folder = make_archive(tmp_path / "in", 2)
    scores = tmp_path / "s.jsonl"
    write_scores(folder, scores, model=tiny_model_dir)
    assert main(["evaluate", str(scores), "--model", str(tiny_model_dir)]) == 0
    captured = capsys.readouterr()
    assert "themes: warning:" in captured.err and "compare the model with itself" in captured.err
    labelled = write_lines(tmp_path / "l.jsonl", [json.dumps({"text": "Drones attacked.", "themes": ["uav"]})])
    assert main(["evaluate", str(labelled), "--model", str(tiny_model_dir)]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "data, why",
    [(b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary data (a NUL byte at offset 7)"), (b"Drones \xff\xfe", "not UTF-8 text (byte 0xff")],
    ids=["nul-bytes", "not-utf8"],
)
def test_binary_stdin_to_classify_is_refused(tiny_model_dir, data, why):
    done = subprocess.run(
        [sys.executable, "-m", "themes", "classify", "--model", str(tiny_model_dir)],
        input=data, capture_output=True, timeout=120, check=False,
    )
    assert done.returncode == DATA
    assert done.stdout == b""
    (line,) = done.stderr.decode().splitlines()
    assert line.startswith("themes: error: standard input ") and why in line


def test_a_duplicate_bulletin_id_is_reported_with_its_line(tmp_path, capsys):
    archive = write_lines(tmp_path / "a.jsonl", [
        '{"id": "b-1", "text": "Drones were discussed."}',
        '{"id": "b-2", "text": "Border guards met."}',
        "",
        '{"id": "b-1", "text": "A second bulletin with the same id."}',
    ])
    code, _, err = score(capsys, archive, "--out", tmp_path / "s.jsonl")
    assert code == DATA
    assert f"failed: {archive}:4 (first at line 1): bulletin id 'b-1' is already in the output; ids must be unique" in err


def test_none_for_the_archive_names_the_parameter(tmp_path):
    with pytest.raises(ParameterError, match=r"The 'paths' parameter of score_archive must be a path or a list of paths.*Got None"):
        score_archive(None)
    with pytest.raises(ParameterError, match=r"The 'paths' parameter of write_scores"):
        write_scores(None, tmp_path / "s.jsonl")
    with pytest.raises(ParameterError, match=r"The 'out' parameter of write_scores"):
        write_scores(tmp_path, None)
    assert not list(tmp_path.iterdir())


def test_load_model_without_a_path_loads_the_default_and_reads_themes_model(monkeypatch, tiny_model_dir):
    from themes import load_model
    from themes.packaged import shipped_model_path

    monkeypatch.delenv("THEMES_MODEL", raising=False)
    assert load_model().path == str(shipped_model_path())
    monkeypatch.setenv("THEMES_MODEL", str(tiny_model_dir))
    assert load_model(None).path == str(tiny_model_dir)


def test_score_to_standard_output(tmp_path):
    folder = make_archive(tmp_path / "in", 2)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    done = subprocess.run(
        [sys.executable, "-m", "themes", "score", str(folder), "--out", "-", "--quiet"],
        capture_output=True, timeout=300, check=False,
    )
    assert done.returncode == DATA
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(records) == 18 and {Path(r["bulletin"]).name for r in records} == {"bulletin-00000.txt", "bulletin-00001.txt"}
    err = done.stderr.decode()
    assert "broken.pdf" in err and "scored 2 bulletins, 1 failed, 18 statements -> -" in err
    assert not Path("-").exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("a.txt", b""),
        ("b.txt", b"  \n\n\t \n"),
        ("c.md", b"\xef\xbb\xbf\n"),
        ("d.html", b""),
        ("e.pdf", b""),
        ("f.docx", b""),
        ("g.docx", None),  # a valid document of one empty paragraph
    ],
    ids=["txt-no-bytes", "txt-white-space", "md-bom-only", "html", "pdf", "docx-no-bytes", "docx-no-text"],
)
def test_an_empty_file_is_a_failed_bulletin_that_says_so(tmp_path, capsys, name, content):
    folder = make_archive(tmp_path / "in", 1)
    path = folder / name
    if content is None:
        docx = pytest.importorskip("docx")
        document = docx.Document()
        document.add_paragraph("")
        document.save(path)
    else:
        path.write_bytes(content)
    out, summary = tmp_path / "s.jsonl", tmp_path / "b.jsonl"
    code, stdout, err = score(capsys, folder, "--out", out, "--summary", summary)
    assert code == DATA
    assert "scored 1 bulletin, 1 failed" in stdout
    assert f"failed: {path}: the file is empty" in err
    failed = summaries(summary)[str(path)]
    assert failed["status"] == "failed" and "the file is empty" in failed["error"]
    assert str(path) not in {r["bulletin"] for r in read_records(out)}


def test_a_small_text_file_is_read_once(tmp_path, monkeypatch):
    """The empty-file check read a small file, then its reader read it again (to detect
    its encoding, to sample its lines, to decode it): the bytes read once now serve both."""
    import builtins

    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "2024-05-14-council.txt"
    path.write_text("Council meets\n\nThe participants discussed drones.\n", encoding="utf-8")
    opened = []
    real_open = builtins.open

    def counting_open(file, *args, **kwargs):
        if os.fspath(file) == str(path):
            opened.append(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    results = list(score_archive(tmp_path / "in"))
    assert [r.ok for r in results] == [True]
    assert [r["text"] for r in results[0].records] == ["Council meets", "The participants discussed drones."]
    assert len(opened) == 1


@pytest.mark.parametrize("option", ["--out", "--summary"])
def test_an_earlier_output_in_the_archive_is_one_line_not_a_failure_per_record(tmp_path, capsys, option):
    folder = make_archive(tmp_path / "in", 3)
    out, summary = tmp_path / "s.jsonl", tmp_path / "b.jsonl"
    assert score(capsys, folder, "--out", out, "--summary", summary)[0] == 0
    earlier = folder / "old.jsonl"
    earlier.write_bytes((out if option == "--out" else summary).read_bytes())
    code, stdout, err = score(capsys, folder, "--out", tmp_path / "again.jsonl")
    assert code == DATA and "scored 3 bulletins, 1 failed" in stdout
    assert err.count("failed:") == 1
    assert f"failed: {earlier}: holds the " in err and f"({option}) of an earlier `themes score` run, not bulletins" in err
