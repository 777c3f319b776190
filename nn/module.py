"""Module: the base of every model, with PyTorch's names for the common chores."""

from __future__ import annotations

import math
from collections.abc import Mapping

from mg_tui.engine import Value

_MISSING = object()  # a label `state` does not hold


class Module:
    """Anything with parameters: knows them, zeroes their grads, saves and loads them."""

    def parameters(self) -> list[Value]:
        return []

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """Parameter values by label (`L1.N2.w0`), in parameter order."""
        return {p.label: p.data for p in self.parameters()}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Set every parameter from `state`; the labels must match exactly.

        Checks everything before changing anything, so a mismatch leaves the model as it was.
        """
        params = self.parameters()
        labels = [p.label for p in params]
        # One pass over the parameters and one lookup per label: a set rebuilt per key
        # made this quadratic, and a second dict of values made it slow on big models.
        values = [state.get(k, _MISSING) for k in labels]
        missing = [k for k, v in zip(labels, values) if v is _MISSING]
        known = set(labels)
        extra = [k for k in state if k not in known] if missing or len(state) != len(known) else []
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing {_few(missing)}")
            if extra:
                parts.append(f"unexpected {_few(extra)}")
            raise ValueError("state does not match the model: " + "; ".join(parts))
        for key, value in zip(labels, values):
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
            ):
                raise ValueError(f"state value for {key} is not a finite number: {value!r}")
        for p, value in zip(params, values):
            p.data = float(value)

    def num_parameters(self) -> int:
        return len(self.parameters())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.num_parameters()} parameters)"


def _few(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
