"""Archive review, session 14: an analyst's messy archive (every input written here, in tmp_path).

One test (or a few) per defect found by pointing ``themes score`` at such an archive.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from themes.readers import expand_paths, read_documents
from themes.readers.text import detect_encoding, detect_encoding_bytes


# ------------------------------------------- a folder reached through a symbolic link
@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this platform")
def test_a_symlinked_folder_in_the_archive_is_read_and_a_loop_ends(tmp_path):
    # An archive that links in a folder kept elsewhere ("2024 -> /mnt/share/2024"): its
    # bulletins were passed over without a word, since the walk did not follow links.
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.txt").write_text("Drones were discussed.", encoding="utf-8")
    archive = tmp_path / "archive"
    (archive / "sub").mkdir(parents=True)
    (archive / "a.txt").write_text("Financing was discussed.", encoding="utf-8")
    (archive / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (archive / "sub" / "loop").symlink_to(archive, target_is_directory=True)  # a loop ends, once each
    found = [Path(p).relative_to(archive).as_posix() for p in expand_paths([archive])]
    assert found == ["a.txt", "linked/b.txt"]
