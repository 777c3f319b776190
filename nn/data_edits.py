"""Edits to a training set made by hand: points added, original points removed.

Why a record of edits rather than an edited copy: the data set itself is rebuilt from its
settings on load (a seed, or a CSV), so a saved model keeps only what the user changed,
small and readable, and the edited set comes back exactly from the same base.

Targets follow the data set's convention (nn/data.py): +1 / -1 for two classes, the class
index for K classes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from mg_tui.nn.data import Dataset, target_of

MAX_ADDED = 10_000  # a file may add no more points than a data set may hold


class DataEditError(ValueError):
    """An edit that cannot be made, or a bad "edits" block in a file; one line."""


@dataclass(frozen=True)
class DataEdits:
    """Points `added` (inputs, target), in the order they were added, and the indices of
    the base training set's points `removed` (sorted)."""

    added: tuple[tuple[tuple[float, ...], float], ...] = ()
    removed: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed

    def apply(self, base: Dataset) -> Dataset:
        """The edited set: the base's points not removed, in order, then the added ones."""
        gone = set(self.removed)
        kept = [i for i in range(len(base)) if i not in gone]
        xs = tuple(base.xs[i] for i in kept) + tuple(x for x, _ in self.added)
        ys = tuple(base.ys[i] for i in kept) + tuple(y for _, y in self.added)
        return replace(base, xs=xs, ys=ys)

    def add(self, point: Sequence[float], target: float) -> DataEdits:
        """These edits and one more point; refused past MAX_ADDED, which a file may not hold."""
        if len(self.added) >= MAX_ADDED:
            raise DataEditError(f"cannot add a point: {MAX_ADDED} have been added already")
        entry = (tuple(float(v) for v in point), float(target))
        return replace(self, added=(*self.added, entry))

    def remove_nearest(self, base: Dataset, point: Sequence[float]) -> tuple[DataEdits, int]:
        """These edits less the current point nearest `point` (Euclidean; the first of
        equals), and the index it had in the edited set. An added point leaves `added`; an
        original one's index joins `removed`. Refuses to remove the last point."""
        current = self.apply(base)
        if len(current) <= 1:
            raise DataEditError("cannot remove the last training point: a step needs one")
        nearest = min(range(len(current)), key=lambda i: math.dist(current.xs[i], point))
        gone = set(self.removed)
        kept = [i for i in range(len(base)) if i not in gone]
        if nearest < len(kept):
            removed = tuple(sorted((*self.removed, kept[nearest])))
            return replace(self, removed=removed), nearest
        j = nearest - len(kept)
        return replace(self, added=self.added[:j] + self.added[j + 1 :]), nearest

    def to_dict(self) -> dict[str, Any]:
        return {"added": [[list(x), y] for x, y in self.added], "removed": list(self.removed)}

    @classmethod
    def from_dict(cls, data: Any, base: Dataset) -> DataEdits:
        """Edits read from a file, checked against the base set they apply to."""
        if not isinstance(data, Mapping):
            raise DataEditError("bad edits: not an object")
        added_items, removed_items = data.get("added", []), data.get("removed", [])
        if not isinstance(added_items, list) or not isinstance(removed_items, list):
            raise DataEditError("bad edits: added and removed must be lists")
        if len(added_items) > MAX_ADDED:
            raise DataEditError(f"bad edits: {len(added_items)} added points (at most {MAX_ADDED})")
        added = tuple(_added_point(item, base) for item in added_items)
        for i in removed_items:
            if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(base):
                raise DataEditError(
                    f"bad edits: removed index {i!r} is not a point of the {len(base)}-point set"
                )
        removed = tuple(sorted(removed_items))
        if len(set(removed)) != len(removed):
            raise DataEditError("bad edits: a point is removed twice")
        edits = cls(added, removed)
        if len(base) - len(removed) + len(added) < 1:
            raise DataEditError("bad edits: they leave no training point")
        return edits


def _added_point(item: Any, base: Dataset) -> tuple[tuple[float, ...], float]:
    """[[x0, x1, …], target], with as many finite inputs as the set has features and a
    target that is one of its classes (any finite number for regression)."""
    if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], list)):
        raise DataEditError(f"bad edits: added point {item!r:.60} is not [[inputs], target]")
    inputs, target = item
    if len(inputs) != base.n_features:
        raise DataEditError(
            f"bad edits: an added point has {len(inputs)} inputs, the data {base.n_features}"
        )
    numbers = [*inputs, target]
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in numbers) or not all(
        math.isfinite(v) for v in numbers
    ):
        raise DataEditError(f"bad edits: added point {item!r:.60} holds a non-finite number")
    if not base.regression and target not in class_targets(base):
        raise DataEditError(f"bad edits: target {target!r} is not a class of {base.name}")
    return tuple(float(v) for v in inputs), float(target)


def class_targets(data: Dataset) -> tuple[float, ...]:
    """The targets a point of each class has, in class order (±1, or the index)."""
    return tuple(target_of(k, data.n_classes) for k in range(data.n_classes))
