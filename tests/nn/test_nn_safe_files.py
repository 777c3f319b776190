"""Saving never harms what is at the path: every special target, made in a temporary folder."""

from __future__ import annotations

import os
import socket
import stat
import time
from pathlib import Path

import pytest
from mg_tui.nn.safe_files import (
    TEMP_SUFFIX,
    TargetExists,
    TargetRefused,
    check_target,
    make_private_folder,
    write_atomically,
)

MARK = b"<!-- written by the app -->"
DATA = MARK.decode() + "\nbody\n"


def ours(path: Path, text: str = DATA) -> Path:
    path.write_text(text)
    return path


def test_a_new_file_is_written(tmp_path):
    path = write_atomically(tmp_path / "new.svg", DATA, MARK, overwrite=False)
    assert path.read_text() == DATA
    assert os.listdir(tmp_path) == ["new.svg"]


def test_a_file_the_app_did_not_write_is_never_replaced(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    for overwrite in (False, True):
        with pytest.raises(TargetRefused, match="not a file mg-tui wrote"):
            write_atomically(notes, DATA, MARK, overwrite=overwrite)
    assert notes.read_text() == "my notes"
    assert os.listdir(tmp_path) == ["notes.txt"]


def test_an_app_file_is_replaced_only_when_the_caller_says_so(tmp_path):
    path = ours(tmp_path / "m.svg", DATA + "old\n")
    with pytest.raises(TargetExists, match="exists"):
        write_atomically(path, DATA, MARK, overwrite=False)
    assert path.read_text().endswith("old\n")
    write_atomically(path, DATA, MARK, overwrite=True)
    assert path.read_text() == DATA


def test_a_fifo_is_refused_and_never_opened(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(TargetRefused, match="is a FIFO"):
        write_atomically(fifo, DATA, MARK, overwrite=True)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_directory_is_refused(tmp_path):
    (tmp_path / "folder").mkdir()
    with pytest.raises(TargetRefused, match="is a directory"):
        write_atomically(tmp_path / "folder", DATA, MARK, overwrite=True)


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(TargetRefused, match="is a socket"):
            write_atomically(path, DATA, MARK, overwrite=True)
        assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_a_symlink_to_an_app_file_is_written_through(tmp_path):
    target = ours(tmp_path / "real.svg", DATA + "old\n")
    link = tmp_path / "link.svg"
    link.symlink_to(target)
    assert write_atomically(link, DATA, MARK, overwrite=True) == target
    assert link.is_symlink() and target.read_text() == DATA


@pytest.mark.parametrize("kind", ["user file", "fifo", "dangling", "loop"])
def test_a_symlink_to_anything_else_is_refused(tmp_path, kind):
    link = tmp_path / "link"
    if kind == "user file":
        (tmp_path / "notes.txt").write_text("mine")
        link.symlink_to(tmp_path / "notes.txt")
    elif kind == "fifo":
        os.mkfifo(tmp_path / "pipe")
        link.symlink_to(tmp_path / "pipe")
    elif kind == "dangling":
        link.symlink_to(tmp_path / "nowhere")
    else:
        link.symlink_to(link)
    with pytest.raises(TargetRefused, match="is a symlink"):
        write_atomically(link, DATA, MARK, overwrite=True)
    assert link.is_symlink()
    if kind == "user file":
        assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_read_only_app_file_is_not_replaced(tmp_path):
    path = ours(tmp_path / "m.svg", DATA + "old\n")
    path.chmod(0o444)
    with pytest.raises(TargetRefused, match="read-only"):
        write_atomically(path, DATA, MARK, overwrite=True)
    assert path.read_text().endswith("old\n")


def test_a_missing_folder_is_one_line_and_changes_nothing(tmp_path):
    with pytest.raises(TargetRefused, match="no such folder") as caught:
        write_atomically(tmp_path / "no" / "m.svg", DATA, MARK, overwrite=False)
    assert "\n" not in str(caught.value)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_honour_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        path = write_atomically(tmp_path / "m.svg", DATA, MARK, overwrite=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == mode


def test_private_files_are_0600_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        path = write_atomically(tmp_path / "r.json", DATA, MARK, overwrite=False, private=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_private_folders_are_0700(tmp_path):
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    for folder in (tmp_path / "new" / "state", loose):
        make_private_folder(folder)
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_stale_temporaries_from_an_interrupted_save_are_removed_by_the_next(tmp_path):
    stale = tmp_path / f".m.svg.dead{TEMP_SUFFIX}"
    fresh = tmp_path / f".m.svg.busy{TEMP_SUFFIX}"  # another save, still writing
    other = tmp_path / ".someone-elses.tmp"
    for path in (stale, fresh, other):
        path.write_text("partial")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    write_atomically(tmp_path / "x.svg", DATA, MARK, overwrite=False)
    assert not stale.exists()
    assert fresh.exists() and other.exists()


def test_a_failed_write_leaves_no_temporary(tmp_path, monkeypatch):
    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_atomically(tmp_path / "m.svg", DATA, MARK, overwrite=False)
    assert os.listdir(tmp_path) == []


def test_data_without_its_marker_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError, match="marker"):
        write_atomically(tmp_path / "m.svg", "no marker", MARK, overwrite=False)


def test_check_target_asks_nothing_of_a_new_path(tmp_path):
    assert check_target(tmp_path / "fresh.svg", MARK, overwrite=False) == tmp_path / "fresh.svg"
