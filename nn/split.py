"""A held-out test split, and the feature scaling learned from the training split only.

Why the test set is drawn with its own generator: the data sets draw their points from
`random.Random(seed)` too, and sharing that stream would tie which points are held out
to where they lie. Why the scaler is fitted on the training split: the model must never
see anything of the test points, their mean and deviation included.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from mg_tui.nn.data import Dataset


def held_out(n: int, fraction: float) -> int:
    """How many of `n` samples a test fraction holds out: round(n · fraction)."""
    return round(n * fraction)


def check_split(n: int, fraction: float, what: str) -> None:
    """ValueError (one line) unless both splits of `n` samples are usable."""
    held = held_out(n, fraction)
    if fraction > 0 and held == 0:
        raise ValueError(
            f"a test fraction of {fraction:g} holds out none of the {n} samples of {what}; "
            f"use at least {1 / n:.2g}"
        )
    if n - held < 2:
        raise ValueError(
            f"a test fraction of {fraction:g} leaves {n - held} of the {n} samples of {what} "
            "to train on; use a smaller one"
        )


def split_indices(n: int, fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """(training, test) sample indices, each in ascending order; seeded, so a saved run
    makes the same split again."""
    held = held_out(n, fraction)
    order = list(range(n))
    random.Random(f"mg-tui test split {seed}").shuffle(order)
    return sorted(order[held:]), sorted(order[:held])


def split(data: Dataset, fraction: float, seed: int) -> tuple[Dataset, Dataset | None]:
    """The training split and the test split (None when `fraction` is 0)."""
    if fraction == 0:
        return data, None
    train, test = split_indices(len(data), fraction, seed)
    return data.subset(train), data.subset(test)


@dataclass(frozen=True)
class Scaler:
    """Standardisation: (x - mean) / deviation, feature by feature.

    A constant feature (deviation 0) is only centred: dividing would make it infinite.
    """

    means: tuple[float, ...]
    stds: tuple[float, ...]

    @classmethod
    def fit(cls, xs: Sequence[Sequence[float]]) -> Scaler:
        """The mean and (population) deviation of each feature of `xs`."""
        n = len(xs)
        columns = list(zip(*xs))
        means = tuple(math.fsum(c) / n for c in columns)
        stds = []
        for column, mean in zip(columns, means):
            std = math.sqrt(math.fsum((v - mean) ** 2 for v in column) / n)
            stds.append(std if std > 0 else 1.0)
        return cls(means, tuple(stds))

    def apply(self, x: Sequence[float]) -> tuple[float, ...]:
        """One sample, scaled."""
        if len(x) != len(self.means):
            raise ValueError(f"the scaler takes {len(self.means)} features, got {len(x)}")
        return tuple((v - m) / s for v, m, s in zip(x, self.means, self.stds))

    def scale(self, data: Dataset) -> Dataset:
        """Every sample of `data`, scaled (its targets unchanged)."""
        return replace(data, xs=tuple(self.apply(x) for x in data.xs))

    def to_dict(self) -> dict[str, list[float]]:
        return {"means": list(self.means), "stds": list(self.stds)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scaler:
        """The inverse of `to_dict()`; ValueError for anything but finite numbers."""
        if not isinstance(data, Mapping):
            raise ValueError("the scaler must be an object with means and stds")
        means, stds = data.get("means"), data.get("stds")
        if not isinstance(means, list) or not isinstance(stds, list) or len(means) != len(stds):
            raise ValueError("the scaler needs two lists of the same length, means and stds")
        for value in (*means, *stds):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"the scaler holds {value!r}, not a number")
            if not math.isfinite(value):
                raise ValueError(f"the scaler holds {value!r}, not a finite number")
        if any(s <= 0 for s in stds):
            raise ValueError("the scaler's deviations must be > 0")
        return cls(tuple(map(float, means)), tuple(map(float, stds)))
