"""What a node of a training graph is: a parameter, an input, a target or a prediction.

The Trainer records a role for each such node when it builds the graph, so that nothing
above it (the tree, the panel, the gradient check) has to guess a node's role from its
label. `sample` is the data set row a per-sample node belongs to, `feature` an input's
column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RoleKind = Literal["param", "input", "target", "prediction"]


@dataclass(frozen=True, slots=True)
class Role:
    """One node's role in a training graph."""

    kind: RoleKind
    sample: int | None = None  # the data set row, for inputs, targets and predictions
    feature: int | None = None  # the input column, for inputs


PARAMETER = Role("param")
