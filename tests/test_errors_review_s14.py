"""Review of session 14: error messages an analyst met that did not say what was wrong."""

from __future__ import annotations

import pytest

from themes.errors import InvalidInputError
from themes.jsonlines import read_jsonl


@pytest.mark.parametrize("encoding, name", [("utf-16", "UTF-16"), ("utf-32", "UTF-32")])
def test_a_jsonl_file_saved_as_utf16_says_so_not_binary(tmp_path, encoding, name):
    path = tmp_path / "lab.jsonl"
    path.write_text('{"text": "Drones.", "themes": ["uav"]}\n', encoding=encoding)  # with its byte-order mark
    with pytest.raises(InvalidInputError) as caught:
        list(read_jsonl(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: is {name} text")
    assert "save it as UTF-8" in message
    assert "binary" not in message


PDF_WITH_NUL = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 4 >>\nstream\nx\x9c\x00\x01\nendstream\nendobj\n"


@pytest.mark.parametrize("small", [True, False], ids=["bytes-read", "streamed"])
def test_a_pdf_with_nul_bytes_saved_as_txt_is_named_a_pdf_not_binary(tmp_path, monkeypatch, small):
    from themes.errors import DocumentError
    from themes.readers.text import read_text_document

    path = tmp_path / "bulletin.txt"
    path.write_bytes(PDF_WITH_NUL)
    with pytest.raises(DocumentError) as caught:
        read_text_document(path, "txt", PDF_WITH_NUL if small else None)
    assert str(caught.value) == f"{path}: not plain text but a PDF file; rename it .pdf to read its text layer"


def test_load_model_names_themes_model_when_the_folder_came_from_it(tmp_path, monkeypatch):
    from themes import classify, load_model
    from themes.errors import ModelError

    gone = tmp_path / "gone"
    monkeypatch.setenv("THEMES_MODEL", str(gone))
    with pytest.raises(ModelError) as loading:
        load_model()
    with pytest.raises(ModelError) as classifying:
        classify("Drones attacked the border post.")
    assert str(loading.value).startswith(f"THEMES_MODEL={gone} (environment variable): Model folder")
    assert str(loading.value) == str(classifying.value)


def _labelled(tmp_path):
    path = tmp_path / "lab.jsonl"
    path.write_text('{"text": "Drones attacked the border post.", "themes": ["uav"]}\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "call, named",
    [
        (lambda tmp_path: __import__("themes.api").api.model_info(5), "'model' parameter of model_info"),
        (lambda tmp_path: __import__("themes.compare").compare.compare_models(5, None), "'old' parameter of compare_models"),
        (lambda tmp_path: __import__("themes.compare").compare.compare_models(None, 5), "'new' parameter of compare_models"),
        (lambda tmp_path: __import__("themes.evaluate").evaluate.evaluate_file(5, _labelled(tmp_path)), "'model' parameter of evaluate_file"),
        (lambda tmp_path: __import__("themes.suggest").suggest.suggest(tmp_path, 5, model=5), "'model' parameter of suggest"),
        (lambda tmp_path: __import__("themes.audit").audit.audit(model=5), "'model' parameter of audit"),
        (lambda tmp_path: __import__("themes").classify("x", model=5), "'model' parameter of classify"),
    ],
    ids=["model_info", "compare-old", "compare-new", "evaluate_file", "suggest", "audit", "classify"],
)
def test_a_model_of_the_wrong_type_is_named_with_the_function_it_was_given_to(tmp_path, call, named):
    with pytest.raises(TypeError, match=rf"^The {named} must be None, a path to a model folder or a ThemeModel\. Got int instead\.$"):
        call(tmp_path)


def test_results_of_a_numpy_array_of_texts_hold_plain_str():
    np = pytest.importorskip("numpy")
    from themes import classify

    texts = np.array(["Drones attacked the border post.", "Border guards detained smugglers."])
    for results in (classify(texts), classify(list(texts)), [classify(texts[0])]):
        assert [type(r.text) for r in results] == [str] * len(results)
        assert [r.text for r in results] == [str(t) for t in texts[: len(results)]]
    contexts = classify(texts, context=np.array(["The participants:", "The council:"]))
    assert [type(r.context) for r in contexts] == [str, str]


def test_unknown_theme_ids_in_labelled_data_list_the_known_ones_and_the_map_option(tmp_path, capsys):
    from themes.cli import main
    from themes.evaluate import read_labelled
    from themes.taxonomy import THEME_IDS

    path = tmp_path / "lab.jsonl"
    path.write_text(
        '{"text": "Border guards detained smugglers.", "themes": ["border_security"]}\n'
        '{"text": "Attacks by unmanned aircraft rose.", "themes": ["threat_assessment"]}\n'
        '{"text": "Drones attacked the border post.", "themes": ["drones", "misc"]}\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInputError) as caught:
        read_labelled(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3: unknown theme ids ['drones', 'misc'].")
    assert ", ".join(THEME_IDS) in message
    assert "themes evaluate --map drones=THEME_ID" in message
    # The option the message names exists, maps a label to a theme id, and drops one mapped to nothing.
    texts, _, labels, _ = read_labelled(path, mapping={"drones": "uav", "misc": ""})
    assert labels[2] == ["uav"]
    assert main(["evaluate", str(path), "--map", "drones=uav", "--map", "misc=", "--json"]) == 0
    assert '"n": 3' in capsys.readouterr().out
