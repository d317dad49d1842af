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
