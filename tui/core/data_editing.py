"""One edit of the training set asked for from the boundary view, and its confirmation.

The view says where (input coordinates) and what (add a point of a class, or remove the
nearest); this turns that into the trainer's next DataEdits and the line the status shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from mg_tui.nn.data import target_of
from mg_tui.nn.data_edits import DataEditError, DataEdits
from mg_tui.nn.trainer import Trainer


@dataclass(frozen=True)
class EditRequest:
    """Add a point of class `label` (an index) at `point`, or, with `label` None, remove
    the training point nearest `point`."""

    point: tuple[float, float]
    label: int | None = None


def why_not_editable(n_features: int, classes: tuple[str, ...], name: str) -> str:
    """Why a training set cannot be edited on the boundary, or "" when it can."""
    if n_features != 2:
        what = f"{n_features} feature{'s' if n_features != 1 else ''}"
        return f"cannot edit {name} on the boundary: it has {what}, a boundary is drawn over 2"
    if not classes:
        return f"cannot edit {name} on the boundary: it is regression, it has no classes"
    return ""


def edited(trainer: Trainer, request: EditRequest) -> tuple[DataEdits, str]:
    """The edits after `request`, and what was done ("added +1 at (0.52, -0.31)");
    raises DataEditError."""
    base, edits = trainer.base_dataset, trainer.current_edits
    reason = why_not_editable(base.n_features, base.classes, base.name)
    if reason:
        raise DataEditError(reason)
    where = f"({request.point[0]:.2f}, {request.point[1]:.2f})"
    if request.label is None:
        current = edits.apply(base)
        edits, index = edits.remove_nearest(base, request.point)
        x = current.xs[index]
        name = base.classes[current.label(current.ys[index])]
        what = f"removed {name} at ({x[0]:.2f}, {x[1]:.2f})"
    else:
        k = base.n_classes
        if not 0 <= request.label < k:
            raise DataEditError(f"{base.name} has classes 0 to {k - 1}, not {request.label}")
        edits = edits.add(request.point, target_of(request.label, k))
        what = f"added {base.classes[request.label]} at {where}"
    return edits, what


class EditNote(NamedTuple):
    """What an edit did: a few words beside the picture, the whole of it on the status line."""

    brief: str
    detail: str


def confirmation(what: str, edits: DataEdits, trainer: Trainer, now: bool) -> EditNote:
    """What was done, from when it trains, and how many points there are now."""
    count = len(edits.apply(trainer.base_dataset))
    points = f"{count} training point{'s' if count != 1 else ''}"
    when = (
        "it trains from the next step"
        if now
        else "the step in progress keeps the old set, the next one trains on it"
    )
    brief = f"{what}; {count} points" if now else f"{what}: from the next step"
    return EditNote(brief, f"{what}: {when}; {points}")
