"""Module: the base of every model, with PyTorch's names for the common chores."""

from __future__ import annotations

import math
from collections.abc import Mapping

from mg_tui.engine import Value


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
        expected = [p.label for p in params]
        known = set(expected)  # built once: a set per key made loading quadratic
        missing = [k for k in expected if k not in state]
        extra = [k for k in state if k not in known]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing {_few(missing)}")
            if extra:
                parts.append(f"unexpected {_few(extra)}")
            raise ValueError("state does not match the model: " + "; ".join(parts))
        values = {}
        for key in expected:
            value = state[key]
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
            ):
                raise ValueError(f"state value for {key} is not a finite number: {value!r}")
            values[key] = float(value)
        for p in params:
            p.data = values[p.label]

    def num_parameters(self) -> int:
        return len(self.parameters())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.num_parameters()} parameters)"


def _few(names: list[str]) -> str:
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
