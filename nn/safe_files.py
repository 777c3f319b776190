"""Writing a file without harming what is already at its path.

The app saves models (ctrl+s, `--save`, the recovery file), pictures (F2) and graphs (F3)
to paths a person typed or a folder an environment variable names. A typo must never cost
them a file, so a save:

- writes only regular files: a directory, FIFO, socket or device is refused, and so is a
  symlink, unless it points at a regular file this app wrote (then the save goes through
  to that file);
- never replaces a file the app did not write (one whose first bytes lack the app's
  marker for that kind of file), nor a read-only one;
- replaces a file the app did write only when the caller says so (`overwrite=True`),
  after asking the user, so `TargetExists` is the question, not an error;
- writes a temporary file in the same folder, flushes it and renames it over the target,
  so a crash leaves the old file or the new one, never half of one; temporary files that
  an earlier crash left behind are removed by the next save to that folder;
- creates the file with mode 0666 less the umask, or 0600 when `private` (the recovery
  file holds someone's work and is nobody else's business).
"""

from __future__ import annotations

import os
import secrets
import stat
import time
from contextlib import suppress
from pathlib import Path

TEMP_SUFFIX = ".mg-tui.tmp"  # `.NAME.RANDOM.mg-tui.tmp`, beside the target
STALE_AFTER = 60.0  # seconds: an older temporary file is left over from a crash
HEAD_BYTES = 4096  # how much of an existing file is read to find the app's marker


class TargetRefused(ValueError):
    """The path cannot be written safely; the message is one line saying why."""


class TargetExists(TargetRefused):
    """The path holds a file this app wrote: replace it only if the user agrees."""


def check_target(path: str | os.PathLike[str], marker: bytes, *, overwrite: bool) -> Path:
    """The path to write for `path`: a symlink to an app file resolves to that file.

    Raises TargetRefused (one line) for anything that must not be written, and
    TargetExists when `path` is an app file and `overwrite` is false.
    """
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        _check_folder(path)
        return path
    except OSError as error:
        raise TargetRefused(f"{path}: cannot check ({error.strerror or error})") from None
    if stat.S_ISLNK(info.st_mode):
        target = Path(os.path.realpath(path))
        if not target.is_file() or not _is_ours(target, marker):
            raise TargetRefused(
                f"{path}: is a symlink, and not to a file mg-tui wrote; choose another path"
            )
        return check_target(target, marker, overwrite=overwrite)
    if not stat.S_ISREG(info.st_mode):
        raise TargetRefused(
            f"{path}: is {file_kind(info.st_mode)}, not a file; choose another path"
        )
    if not _is_ours(path, marker):
        raise TargetRefused(
            f"{path}: exists and is not a file mg-tui wrote; not replaced, choose another path"
        )
    if not os.access(path, os.W_OK) or not info.st_mode & 0o222:  # root may, but must not
        raise TargetRefused(f"{path}: is read-only; not replaced")
    if not overwrite:
        raise TargetExists(f"{path} exists (saved by mg-tui)")
    return path


def write_atomically(
    path: str | os.PathLike[str],
    data: str | bytes,
    marker: bytes,
    *,
    overwrite: bool,
    private: bool = False,
) -> Path:
    """Check the target, then write `data` there atomically; return the path written.

    `marker` must occur in `data`'s first HEAD_BYTES: it is how a later save knows the
    file is the app's. Raises TargetRefused / TargetExists as `check_target`, and
    OSError if the disk refuses; the file at `path` is then as it was.
    """
    blob = data.encode("utf-8") if isinstance(data, str) else data
    if marker not in blob[:HEAD_BYTES]:
        raise ValueError("the data lacks its marker: a later save could not recognise it")
    target = check_target(path, marker, overwrite=overwrite)
    folder = target.parent
    remove_stale_temporaries(folder)
    mode = 0o600 if private else 0o666  # the kernel applies the umask to this
    with suppress(OSError):
        mode = stat.S_IMODE(os.stat(target).st_mode)  # a replaced file keeps its mode
    temp = folder / f".{target.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(folder)
    return target


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete this app's temporary files in `folder` older than STALE_AFTER; return them.

    Only files named like ours, regular, and owned by this user: never anyone else's.
    """
    removed = []
    cutoff = time.time() - STALE_AFTER
    with suppress(OSError):
        for entry in os.scandir(folder):
            if not (entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)):
                continue
            with suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if (
                    stat.S_ISREG(info.st_mode)
                    and info.st_uid == os.getuid()
                    and info.st_mtime < cutoff
                ):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def make_private_folder(folder: Path) -> Path:
    """Create `folder` as 0700, or tighten ours to 0700; refuse one another user owns."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.stat(folder)
    if info.st_uid != os.getuid():
        raise TargetRefused(f"{folder}: belongs to another user; not used")
    if stat.S_IMODE(info.st_mode) != 0o700:
        os.chmod(folder, 0o700)
    return folder


def _check_folder(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise TargetRefused(f"{path}: no such folder {folder}; nothing was saved")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise TargetRefused(f"{path}: folder {folder} is not writable; nothing was saved")


def _is_ours(path: Path, marker: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return marker in handle.read(HEAD_BYTES)
    except OSError:
        return False


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for a one-line message."""
    kinds = [
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a directory."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
