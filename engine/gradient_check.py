"""Check analytic gradients against central finite differences (seed 000, sections 1-3).

    df/dx ~= (f(x + eps) - f(x - eps)) / (2 eps)

The numerical derivative needs nothing but the forward pass, so agreeing with it is
independent evidence that backprop is right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mg_tui.engine.value import Value


@dataclass(frozen=True)
class GradientCheck:
    """One value's analytic grad beside its numerical derivative."""

    value: Value
    analytic: float
    numerical: float

    @property
    def relative_error(self) -> float:
        """|analytic - numerical| / max(|analytic|, |numerical|), 0.0 when both are 0.

        Values below 1e-8 count as 1e-8, so two grads that are both essentially zero
        do not look wildly different.
        """
        scale = max(abs(self.analytic), abs(self.numerical), 1e-8)
        return abs(self.analytic - self.numerical) / scale


@dataclass(frozen=True)
class GradientReport:
    """Every checked value, and the worst of them."""

    checks: tuple[GradientCheck, ...]

    @property
    def worst(self) -> GradientCheck | None:
        return max(self.checks, key=lambda c: c.relative_error, default=None)

    @property
    def max_relative_error(self) -> float:
        worst = self.worst
        return worst.relative_error if worst else 0.0


def numerical_derivative(f: Callable[[], Value], x: Value, eps: float = 1e-6) -> float:
    """Central difference of f() with respect to x, nudging x.data in place.

    `f` must rebuild its graph from the current data each call; x.data is restored.
    """
    original = x.data
    try:
        x.data = original + eps
        f_plus = f().data
        x.data = original - eps
        f_minus = f().data
    finally:
        x.data = original
    return (f_plus - f_minus) / (2.0 * eps)


def check_gradients(
    f: Callable[[], Value], wrt: Sequence[Value], eps: float = 1e-6
) -> GradientReport:
    """Backprop f() once, then compare each value's grad with its numerical derivative.

    The grads of `wrt` are zeroed first so earlier passes do not leak in; afterwards
    they hold the analytic gradient of f.
    """
    for x in wrt:
        x.grad = 0.0
    f().backward()
    analytic = [x.grad for x in wrt]
    checks = tuple(
        GradientCheck(x, a, numerical_derivative(f, x, eps)) for x, a in zip(wrt, analytic)
    )
    for x, a in zip(wrt, analytic):
        x.grad = a  # the numerical passes built new graphs; keep the analytic result
    return GradientReport(checks)
