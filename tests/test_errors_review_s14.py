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
