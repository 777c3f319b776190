"""Your own data: a CSV file read into a Dataset, or one line saying what is wrong and where.

The format: a header row, then one row per sample; every column but the target is a
numeric feature; the target is the last column unless `target` names another.
The target decides the task: text labels, or a few distinct whole numbers, mean
classes; other numbers mean regression; `task` overrides that choice where it can.

Why read the file whole and check it all before anything is built: a bad file must
change nothing, and a run must not die at step 300 on row 9,000. Why the limits: a
scalar engine trains 10,000 samples at most (nn.data.MAX_SAMPLES), and only a regular
file is read, so a FIFO or a device fails at once instead of hanging.

Every error is a CsvError (a ValueError) whose message is one line naming the file and,
for a bad cell, its row (the line number, the header being row 1) and column.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import math
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mg_tui.nn.data import MAX_SAMPLES, Dataset, target_of
from mg_tui.nn.safe_files import file_kind

TASKS = ("regression", "classification")
MAX_CLASSES = 10  # "few distinct whole numbers": at most this many make classes
MAX_FEATURES = 64  # as wide as a hidden layer may be (nn.config.MAX_LAYER_WIDTH)
MAX_CSV_BYTES = 32 * 2**20  # 10,000 rows of 64 long numbers fit well within it


class CsvError(ValueError):
    """A CSV file cannot be used; the message is one line naming the file (and the cell)."""


@dataclass(frozen=True)
class CsvTable:
    """A CSV file, read and checked: its features, targets and classes, and its hash."""

    path: str
    sha256: str
    features: tuple[str, ...]
    target: str
    xs: tuple[tuple[float, ...], ...]
    ys: tuple[float, ...]  # as nn.data's targets: ±1 for two classes, else the index
    classes: tuple[str, ...]  # in label order; () for regression

    @property
    def task(self) -> str:
        return "classification" if self.classes else "regression"

    def dataset(self) -> Dataset:
        return Dataset(
            Path(self.path).name, self.xs, self.ys, classes=self.classes, features=self.features
        )


_cache: dict[tuple, CsvTable] = {}


def read_csv(path: str, target: str | None = None, task: str | None = None) -> CsvTable:
    """The checked table of the CSV file at `path`; CsvError (one line) if it is unusable.

    The last table read is kept, keyed by the file's identity, size and modification
    time, so checking a configuration and then building it reads the file once.
    """
    if task is not None and task not in TASKS:
        raise CsvError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    data = _read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    key = (path, digest, target, task)
    table = _cache.get(key)
    if table is None:
        table = _parse(path, data, digest, target, task)
        _cache.clear()
        _cache[key] = table
    return table


def file_sha256(path: str) -> str:
    """The SHA-256 of the file's content (what a saved model remembers of its CSV)."""
    return hashlib.sha256(_read_bytes(path)).hexdigest()


def _read_bytes(path: str) -> bytes:
    """The bytes of a regular file of at most MAX_CSV_BYTES; anything else is refused."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise CsvError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CsvError(f"{path}: is a directory, not a CSV file") from None
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise CsvError(f"{path}: is a socket, not a CSV file") from None
        raise CsvError(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CsvError(f"{path}: is {file_kind(info.st_mode)}, not a CSV file")
        if info.st_size > MAX_CSV_BYTES:
            raise CsvError(f"{path}: {info.st_size} bytes is more than {MAX_CSV_BYTES} (32 MiB)")
        chunks, total = [], 0
        while total <= MAX_CSV_BYTES:
            chunk = os.read(fd, 2**20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_CSV_BYTES:
            raise CsvError(f"{path}: more than {MAX_CSV_BYTES} bytes (32 MiB)")
        return b"".join(chunks)
    except OSError as error:
        raise CsvError(f"{path}: cannot read ({error.strerror or error})") from None
    finally:
        os.close(fd)


def _text(path: str, data: bytes) -> str:
    if not data.strip():
        raise CsvError(f"{path}: empty file; a CSV file needs a header row and data rows")
    nul = data.find(b"\0")
    if nul >= 0:
        raise CsvError(f"{path}: not a text file (a NUL byte at byte {nul + 1}); expected CSV")
    try:
        return data.decode("utf-8-sig")  # a byte-order mark, as spreadsheets write, is fine
    except UnicodeDecodeError as error:
        raise CsvError(
            f"{path}: not UTF-8 text (byte {error.start + 1}); save the CSV as UTF-8"
        ) from None


def _parse(path: str, data: bytes, digest: str, target: str | None, task: str | None) -> CsvTable:
    reader = csv.reader(io.StringIO(_text(path, data), newline=""))
    try:
        header = [name.strip() for name in next(reader)]
        if len(header) < 2:
            raise CsvError(
                f"{path}: the header has one column; a CSV needs feature columns and a target"
            )
        seen: set[str] = set()
        for number, name in enumerate(header, start=1):
            if not name:
                raise CsvError(f"{path}: row 1, column {number}: the header names no column")
            if name in seen:
                raise CsvError(f"{path}: row 1: the column name {name!r} appears twice")
            seen.add(name)
        if target is None:
            t = len(header) - 1
        elif target in header:
            t = header.index(target)
        else:
            raise CsvError(
                f"{path}: no column named {target!r} to predict; the columns are "
                f"{', '.join(header)}"
            )
        features = [j for j in range(len(header)) if j != t]
        if len(features) > MAX_FEATURES:
            raise CsvError(f"{path}: {len(features)} feature columns is more than {MAX_FEATURES}")
        xs: list[tuple[float, ...]] = []
        labels: list[tuple[int, str]] = []  # (row, the target's text)
        for row in reader:
            if not row:
                continue  # a blank line
            line = reader.line_num
            if len(row) != len(header):
                raise CsvError(
                    f"{path}: row {line} has {len(row)} columns, the header has {len(header)}"
                )
            if len(xs) == MAX_SAMPLES:
                raise CsvError(
                    f"{path}: more than {MAX_SAMPLES} rows; a scalar engine trains at most "
                    f"{MAX_SAMPLES} samples"
                )
            xs.append(tuple(_number(path, line, header[j], row[j]) for j in features))
            text = row[t].strip()
            if not text:
                raise CsvError(f"{path}: row {line}, column {header[t]!r}: missing value")
            labels.append((line, text))
    except csv.Error as error:
        raise CsvError(f"{path}: row {reader.line_num}: not valid CSV ({error})") from None
    if not xs:
        raise CsvError(f"{path}: a header row but no data rows")
    ys, classes = _targets(path, header[t], labels, task)
    return CsvTable(
        path, digest, tuple(header[j] for j in features), header[t], tuple(xs), ys, classes
    )


def _number(path: str, line: int, column: str, text: str) -> float:
    cell = text.strip()
    if not cell:
        raise CsvError(f"{path}: row {line}, column {column!r}: missing value")
    try:
        value = float(cell)
    except ValueError:
        raise CsvError(
            f"{path}: row {line}, column {column!r}: {_brief(cell)} is not a number "
            "(every column but the target must be numeric)"
        ) from None
    if not math.isfinite(value):
        raise CsvError(f"{path}: row {line}, column {column!r}: {cell} is not a finite number")
    return value


def _targets(
    path: str, column: str, labels: Sequence[tuple[int, str]], task: str | None
) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """The targets and the class names: classes for text or a few whole numbers."""
    numbers: list[float] | None = []
    for line, text in labels:
        try:
            value = float(text)
        except ValueError:
            if task == "regression":
                raise CsvError(
                    f"{path}: row {line}, column {column!r}: {_brief(text)} is not a number, "
                    "and a regression target must be"
                ) from None
            numbers = None
            break
        if not math.isfinite(value):
            raise CsvError(f"{path}: row {line}, column {column!r}: {text} is not a finite number")
        numbers.append(value)
    distinct = {text for _, text in labels} if numbers is None else set(numbers)
    whole = numbers is not None and all(v.is_integer() for v in numbers)
    if task == "regression" or (task is None and numbers is not None and not (
        whole and len(distinct) <= MAX_CLASSES
    )):  # fmt: skip
        return tuple(numbers), ()
    if len(distinct) > MAX_CLASSES:
        raise CsvError(
            f"{path}: column {column!r} has {len(distinct)} distinct values, more than "
            f"{MAX_CLASSES} classes (for regression use --task regression)"
        )
    if len(distinct) < 2:
        (only,) = distinct
        shown = _brief(only) if isinstance(only, str) else f"{only:g}"
        raise CsvError(
            f"{path}: column {column!r} holds one class ({shown}) in every row; "
            "classification needs at least 2"
        )
    if numbers is None:
        names = sorted(distinct)
        index = {name: k for k, name in enumerate(names)}
        found = [index[text] for _, text in labels]
    else:
        values = sorted(distinct)
        names = [f"{v:g}" for v in values]
        index = {v: k for k, v in enumerate(values)}
        found = [index[v] for v in numbers]
    ys = tuple(target_of(c, len(names)) for c in found)
    return ys, tuple(names)


def _brief(text: str, limit: int = 30) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
