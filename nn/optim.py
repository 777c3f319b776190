"""Optimizers (SGD with momentum, Adam) and learning-rate schedules."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from mg_tui.engine import Value

Schedule = Callable[[int], float]


def constant(lr: float) -> Schedule:
    """The same learning rate at every step."""
    return lambda step: lr


def linear_decay(start: float = 1.0, end_fraction: float = 0.1, steps: int = 100) -> Schedule:
    """micrograd demo's schedule: lr = 1.0 - 0.9 * k / 100 for the defaults.

    After `steps` steps the rate stays at `start * end_fraction`: going on past the
    planned end must not turn the rate negative (which would climb the loss).
    """
    if steps < 1:
        raise ValueError(f"linear decay needs at least 1 step, got {steps}")
    return lambda step: start * (1.0 - (1.0 - end_fraction) * min(step, steps) / steps)


def step_decay(lr: float, every: int, factor: float = 0.5) -> Schedule:
    """Multiply the learning rate by `factor` every `every` steps."""
    if every < 1:
        raise ValueError(f"step decay needs every >= 1, got {every}")
    return lambda step: lr * factor ** (step // every)


class Optimizer:
    """Moves parameters against their grads; `lr` is the current learning rate."""

    def __init__(self, params: Sequence[Value], lr: float | Schedule = 0.1) -> None:
        if not callable(lr) and (not math.isfinite(lr) or lr <= 0):
            raise ValueError(f"learning rate must be a positive number, got {lr}")
        self.params = list(params)
        self.schedule: Schedule = lr if callable(lr) else constant(float(lr))
        self.steps = 0

    # The buffers that make up the optimizer's state (besides `steps`), by name.
    _buffers: tuple[str, ...] = ()

    def state_dict(self) -> dict[str, int | list[float]]:
        """The step count and a copy of every per-parameter buffer (momentum, Adam's m, v).

        The Trainer snapshots this before an update so a refused (diverged) update
        leaves no trace, and saved models carry it so training resumes exactly.
        """
        state: dict[str, int | list[float]] = {"steps": self.steps}
        for name in self._buffers:
            state[name] = list(getattr(self, name))
        return state

    def load_state_dict(self, state: Mapping[str, object]) -> None:
        """Restore what `state_dict()` returned; checks everything before changing anything."""
        steps = state.get("steps")
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
            raise ValueError(f"optimizer state: steps must be a count, got {steps!r}")
        buffers = {}
        for name in self._buffers:
            values = state.get(name)
            if not isinstance(values, list) or len(values) != len(self.params):
                raise ValueError(
                    f"optimizer state: {name} must be a list of {len(self.params)} numbers"
                )
            if not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                for v in values
            ):
                raise ValueError(f"optimizer state: {name} holds a value that is not a number")
            buffers[name] = [float(v) for v in values]
        extra = set(state) - {"steps", *self._buffers}
        if extra:
            raise ValueError(f"optimizer state: unexpected {', '.join(sorted(extra))}")
        self.steps = steps
        for name, values in buffers.items():
            setattr(self, name, values)

    @property
    def lr(self) -> float:
        """The learning rate the next `step()` will use."""
        return self.schedule(self.steps)

    @lr.setter
    def lr(self, value: float) -> None:
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"learning rate must be a positive number, got {value}")
        self.schedule = constant(float(value))

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """p -= lr * grad, or with momentum: v = momentum * v + grad; p -= lr * v."""

    _buffers = ("velocity",)

    def __init__(
        self, params: Sequence[Value], lr: float | Schedule = 0.1, momentum: float = 0.0
    ) -> None:
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        lr = self.lr
        if self.momentum:
            for i, p in enumerate(self.params):
                self.velocity[i] = self.momentum * self.velocity[i] + p.grad
                p.data -= lr * self.velocity[i]
        else:
            for p in self.params:
                p.data -= lr * p.grad
        self.steps += 1


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015) with bias correction, as torch.optim.Adam."""

    _buffers = ("m", "v")

    def __init__(
        self,
        params: Sequence[Value],
        lr: float | Schedule = 0.01,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        lr = self.lr
        self.steps += 1
        b1, b2, t = self.beta1, self.beta2, self.steps
        correction1 = 1.0 - b1**t
        correction2 = 1.0 - b2**t
        for i, p in enumerate(self.params):
            g = p.grad
            self.m[i] = b1 * self.m[i] + (1.0 - b1) * g
            self.v[i] = b2 * self.v[i] + (1.0 - b2) * g * g
            m_hat = self.m[i] / correction1
            v_hat = self.v[i] / correction2
            p.data -= lr * m_hat / (math.sqrt(v_hat) + self.eps)


OPTIMIZERS = ("sgd", "momentum", "adam")

# What each optimizer's step does to a parameter p, in one line (the settings form shows it
# under the optimizer). Adam's m and v are its averages (betas 0.9, 0.999) bias-corrected:
# m / (1 - 0.9^t), v / (1 - 0.999^t). A test checks each line against a step.
EXPLAINED: dict[str, str] = {
    "sgd": "p -= lr·grad",
    "momentum": "v = 0.9·v + grad; p -= lr·v",
    "adam": "p -= lr·m/(√v + 1e-8); m, v: debiased averages of grad, grad²",
}


def make_optimizer(name: str, params: Sequence[Value], lr: float | Schedule) -> Optimizer:
    """Build an optimizer by name: "sgd", "momentum" (SGD, 0.9) or "adam"."""
    if name == "sgd":
        return SGD(params, lr)
    if name == "momentum":
        return SGD(params, lr, momentum=0.9)
    if name == "adam":
        return Adam(params, lr)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
