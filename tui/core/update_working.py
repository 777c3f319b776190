"""One parameter's update written out, as the panel writes the chain rule out.

After an update (`u`, or the end of `s`) the panel shows how the optimizer moved the
selected parameter: plain SGD's `p - lr × grad`, momentum's velocity, or Adam's two
moments, their bias corrections and the step they give. The numbers are recomputed
here from the state the optimizer had before that update, with the same operations in
the same order as nn/optim.py, so the last line equals the parameter's data to the bit
(and `exact` says so; a test checks it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mg_tui.nn.optim import SGD, Adam
from mg_tui.tui.core.numbers import num


@dataclass(frozen=True)
class UpdateWorking:
    """The lines of arithmetic, and the data they end with."""

    title: str
    lines: tuple[str, ...]
    after: float


def last_update(trainer, param) -> UpdateWorking | None:
    """How the last update moved `param`; None before any update or off a parameter."""
    if trainer.phase != "update" or param not in trainer.data_before_update:
        return None
    optimizer = trainer.optimizer
    i = next((k for k, p in enumerate(optimizer.params) if p is param), None)
    if i is None:
        return None
    state = trainer.optimizer_before_update
    return working(
        optimizer, state, i, param.grad, trainer.last_lr, trainer.data_before_update[param]
    )


def shown_update(snapshot, param) -> UpdateWorking | None:
    """The last update of `param` as the snapshot on screen has it (the panel's call)."""
    before = snapshot.before_update.get(param)
    optimizer = snapshot.optimizer
    if before is None or optimizer is None or snapshot.last_lr is None:
        return None
    i = next((k for k, p in enumerate(optimizer.params) if p is param), None)
    if i is None or not snapshot.optimizer_before:
        return None
    return working(optimizer, snapshot.optimizer_before, i, param.grad, snapshot.last_lr, before)


def working(optimizer, state, i: int, g: float, lr: float, before: float) -> UpdateWorking:
    """Parameter i's update from optimizer `state` (a state_dict) with grad g and rate lr."""
    if isinstance(optimizer, Adam):
        return _adam(optimizer, state, i, g, lr, before)
    if isinstance(optimizer, SGD) and optimizer.momentum:
        mu = optimizer.momentum
        v0 = state["velocity"][i]
        v = mu * v0 + g
        after = before - lr * v
        return UpdateWorking(
            "update: momentum",
            (
                f"v = {num(mu)} × v + grad = {num(mu)} × {num(v0)} + {num(g)} = {num(v)}",
                f"data = data - lr × v = {num(before)} - {num(lr)} × {num(v)} = {num(after)}",
            ),
            after,
        )
    after = before - lr * g
    return UpdateWorking(
        "update: sgd",
        (f"data = data - lr × grad = {num(before)} - {num(lr)} × {num(g)} = {num(after)}",),
        after,
    )


def _adam(optimizer: Adam, state, i: int, g: float, lr: float, before: float) -> UpdateWorking:
    b1, b2, eps = optimizer.beta1, optimizer.beta2, optimizer.eps
    t = state["steps"] + 1
    m0, v0 = state["m"][i], state["v"][i]
    correction1, correction2 = 1.0 - b1**t, 1.0 - b2**t
    m = b1 * m0 + (1.0 - b1) * g
    v = b2 * v0 + (1.0 - b2) * g * g
    m_hat, v_hat = m / correction1, v / correction2
    step = lr * m_hat / (math.sqrt(v_hat) + eps)
    after = before - step
    return UpdateWorking(
        f"update: adam, step {t}",
        (
            f"m = {b1:g} × m + {1 - b1:g} × grad = {b1:g} × {num(m0)} + {1 - b1:g} × {num(g)}"
            f" = {num(m)}",
            f"v = {b2:g} × v + {1 - b2:g} × grad² = {b2:g} × {num(v0)} + {1 - b2:g} × "
            f"{num(g)}² = {num(v)}",
            f"m̂ = m / (1 - {b1:g}^{t}) = {num(m_hat)}   v̂ = v / (1 - {b2:g}^{t}) = {num(v_hat)}",
            f"step = lr × m̂ / (√v̂ + ε) = {num(lr)} × {num(m_hat)} / "
            f"({num(math.sqrt(v_hat))} + {eps:g}) = {num(step)}",
            f"data = {num(before)} - {num(step)} = {num(after)}",
        ),
        after,
    )
