"""The Value: one scalar in a computation graph, with its gradient.

Like micrograd's Value, but each node stores its operands and the local derivative
with respect to each one (computed in the forward pass) instead of a closure:

    out = a * b   ->   out.inputs == (a, b), out.local_grads == (b.data, a.data)

so backprop is one generic rule (see engine.backprop), the app can print the
arithmetic of every edge, and graphs hold no reference cycles: they are freed by
reference counting alone, without the cyclic garbage collector.

Most nodes have one or two operands, so a node keeps them in four slots of its
own, `_a`, `_da`, `_b`, `_db` (operand, local derivative; `_b` is None for one
operand), not in tuples: a node is then one object where it was three, which is
what the cyclic collector walks, what allocation costs and what memory holds
(see "node layouts" in the README). A sum of many terms is a `Sum`: its operands
are one tuple, and each one's local derivative is 1; a `LogSumExp` keeps its operands
and their local derivatives (the softmax) as two tuples.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import repeat

from mg_tui.engine import backprop, functions

Number = int | float
Operand = "Value | int | float"


class Value:
    """A scalar that remembers how it was computed, so it can be differentiated."""

    __slots__ = ("_a", "_b", "_da", "_db", "_op", "data", "grad", "label")

    def __init__(
        self,
        data: Number,
        label: str = "",
        inputs: tuple[Value, ...] = (),
        local_grads: tuple[float, ...] = (),
        op: str = "",
    ) -> None:
        """A leaf (a parameter, an input, a constant), or a node of an op of your own:
        one or two `inputs`, d(self)/d(input) for each, and the op's name."""
        self.data = data if type(data) is float else float(data)
        self.grad = 0.0
        self.label = label
        self._op = op
        self._a = self._b = None
        self._da = self._db = 0.0
        if inputs or local_grads or op:
            _check_node(inputs, local_grads, op)
            self._a, self._da = inputs[0], float(local_grads[0])
            if len(inputs) == 2:
                self._b, self._db = inputs[1], float(local_grads[1])

    # The graph structure is fixed once a node exists: read-only for tools.
    @property
    def inputs(self) -> tuple[Value, ...]:
        """The operands this value was computed from, in order (empty for a leaf)."""
        if self._b is not None:
            return (self._a, self._b)
        return () if self._a is None else (self._a,)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """d(self)/d(input) for each input, computed in the forward pass."""
        if self._b is not None:
            return (self._da, self._db)
        return () if self._a is None else (self._da,)

    @property
    def op(self) -> str:
        """The operation that made this value ("+", "*", "tanh", ...; "" for a leaf)."""
        return self._op

    # -- arithmetic ------------------------------------------------------------

    # `isinstance` before `_as_value`: a call saved per op on the forward hot path.
    def __add__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other)
        return _node(self.data + other.data, "+", self, 1.0, other, 1.0)

    def __mul__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other)
        return _node(self.data * other.data, "*", self, other.data, other, self.data)

    def __sub__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other)
        return _node(self.data - other.data, "-", self, 1.0, other, -1.0)

    def __truediv__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _as_value(other)
        if other.data == 0.0:
            raise ZeroDivisionError(f"/: division of {self.data!r} by zero")
        x, y = self.data, other.data
        q = x / y
        return _node(q, "/", self, 1.0 / y, other, -q / y)

    def __neg__(self) -> Value:
        return _node(-self.data, "neg", self, -1.0)

    def __pow__(self, exponent: Operand) -> Value:
        if isinstance(exponent, Value):
            return _power_by_value(self, exponent)
        if isinstance(exponent, bool) or not isinstance(exponent, (int, float)):
            return NotImplemented  # Python then raises TypeError, naming both types
        x, n = self.data, float(exponent)
        return _node(_power(x, n), f"**{exponent:g}", self, _power_derivative(x, n))

    def __radd__(self, other: Number) -> Value:  # other + self
        return _as_value(other) + self

    def __rsub__(self, other: Number) -> Value:  # other - self
        return _as_value(other) - self

    def __rmul__(self, other: Number) -> Value:  # other * self
        return _as_value(other) * self

    def __rtruediv__(self, other: Number) -> Value:  # other / self
        return _as_value(other) / self

    def __rpow__(self, other: Number) -> Value:  # other ** self
        return _power_by_value(_as_value(other), self)

    # -- functions -------------------------------------------------------------

    # Each computes y = f(x) and dy/dx with engine.functions, the one place they are
    # declared, on floats (the float forward pass of nn.layers uses the same ones).

    def exp(self) -> Value:
        """e**x; d/dx = e**x. OverflowError past x = 709.78."""
        x = self.data
        y = functions.exp(x)
        return _node(y, "exp", self, functions.d_exp(x, y))

    def log(self) -> Value:
        """The natural logarithm; d/dx = 1/x. ValueError for x <= 0."""
        x = self.data
        y = functions.log(x)
        return _node(y, "log", self, functions.d_log(x, y))

    def tanh(self) -> Value:
        """tanh(x); d/dx = 1 - tanh(x)**2."""
        x = self.data
        y = functions.tanh(x)
        return _node(y, "tanh", self, functions.d_tanh(x, y))

    def relu(self) -> Value:
        """max(x, 0), NaN for NaN; d/dx = 1 for x > 0 (and NaN), else 0."""
        x = self.data
        y = functions.relu(x)
        return _node(y, "relu", self, functions.d_relu(x, y))

    def sigmoid(self) -> Value:
        """1 / (1 + e**-x), stable for any x; d/dx = s * (1 - s), s = sigmoid(x)."""
        x = self.data
        y = functions.sigmoid(x)
        return _node(y, "sigmoid", self, functions.d_sigmoid(x, y))

    @staticmethod
    def sum(terms: Iterable[Operand]) -> Value:
        """One node for a whole sum (op "sum"): shallow graphs, one tree line.

        Python's built-in `sum()` over Values also works, building a chain of "+".
        """
        inputs = tuple(terms)
        if not all(map(isinstance, inputs, repeat(Value))):  # C-speed check, no Python loop
            inputs = tuple(map(_as_value, inputs))
        if not inputs:
            return Value(0.0)
        return Sum(inputs)

    @staticmethod
    def logsumexp(terms: Iterable[Operand]) -> Value:
        """log(exp(z_1) + ... + exp(z_n)) as one node (op "logsumexp").

        Its local derivative with respect to z_i is exp(z_i) / sum_j exp(z_j): the
        softmax. So softmax(z)_i = exp(z_i - logsumexp(z)), and cross-entropy is
        logsumexp(z) - z_y. Computed as m + log(sum exp(z_i - m)) with m = max z_i,
        so that no exp overflows.
        """
        inputs = tuple(map(_as_value, terms))
        if not inputs:
            raise ValueError("logsumexp: needs at least one term")
        zs = [x.data for x in inputs]
        if any(map(math.isnan, zs)):
            return LogSumExp(inputs, math.nan, tuple(repeat(math.nan, len(inputs))))
        m = max(zs)
        if math.isinf(m):  # all -inf: log(0); some +inf: the largest wins
            tops = [1.0 if z == m else 0.0 for z in zs]
            return LogSumExp(inputs, m, tuple([t / sum(tops) for t in tops]))
        exps = [math.exp(z - m) for z in zs]
        total = sum(exps)
        return LogSumExp(inputs, m + math.log(total), tuple([e / total for e in exps]))

    # -- gradients ---------------------------------------------------------------

    def backward(self) -> None:
        """Compute d(self)/d(node) into `.grad` for every node of this graph.

        Leaves (parameters, inputs) accumulate: a second call without zeroing adds
        the same gradient again, as in PyTorch. Interior nodes hold this pass's grad.
        """
        backprop.backward(self)

    def backward_steps(self) -> Iterable[backprop.BackwardStep]:
        """Backprop one node per step (see engine.backprop.backward_steps)."""
        return backprop.backward_steps(self)

    def zero_grad(self) -> None:
        """Set the grad of every node of this graph to 0.0."""
        from mg_tui.engine.graph import zero_grad

        zero_grad(self)

    @property
    def is_leaf(self) -> bool:
        """True for values not computed from others (parameters, inputs, constants)."""
        return not self._op

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data}, grad={self.grad}{label})"


_new = object.__new__


def _node(
    data: float, op: str, a: Value, da: float, b: Value | None = None, db: float = 0.0
) -> Value:
    """The node `op` made: its value, and each operand with d(node)/d(operand).

    Filled in here rather than by `Value(...)`: calling a class costs a quarter more
    than calling a function, on a path that makes 40,000 nodes a training step.
    """
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._op = op
    out._a = a
    out._da = da
    out._b = b
    out._db = db
    return out


class Sum(Value):
    """One node for a sum of any number of terms (`Value.sum`): its operands are one
    tuple, and the local derivative of a sum with respect to each term is 1."""

    __slots__ = ("_terms",)

    def __init__(self, terms: tuple[Value, ...]) -> None:
        """`terms` must be Values: `Value.sum` converts numbers; a neuron, whose terms are
        Values by construction, makes its Sum directly, without that check."""
        self.data = sum([x.data for x in terms], 0.0)
        self.grad = 0.0
        self.label = ""
        self._op = "sum"
        self._a = self._b = None
        self._da = self._db = 0.0
        self._terms = terms

    @property
    def inputs(self) -> tuple[Value, ...]:
        return self._terms

    @property
    def local_grads(self) -> tuple[float, ...]:
        return _ones(len(self._terms))


class LogSumExp(Value):
    """One node for log(sum of exp(z_i)) (`Value.logsumexp`): its operands are one tuple,
    as a Sum's, and its local derivatives, the softmax of the operands, another."""

    __slots__ = ("_shares", "_terms")

    def __init__(self, terms: tuple[Value, ...], data: float, shares: tuple[float, ...]) -> None:
        self.data = data
        self.grad = 0.0
        self.label = ""
        self._op = "logsumexp"
        self._a = self._b = None
        self._da = self._db = 0.0
        self._terms = terms
        self._shares = shares

    @property
    def inputs(self) -> tuple[Value, ...]:
        return self._terms

    @property
    def local_grads(self) -> tuple[float, ...]:
        return self._shares


def _check_node(inputs: tuple[Value, ...], local_grads: tuple[float, ...], op: str) -> None:
    if not op:
        raise ValueError("a computed Value needs an op name, e.g. op='cube'")
    if not 1 <= len(inputs) <= 2 or len(local_grads) != len(inputs):
        raise ValueError(
            f"{op}: a Value has 1 or 2 inputs with one local grad each (Value.sum for more), "
            f"got {len(inputs)} inputs and {len(local_grads)} local grads"
        )
    if not all(isinstance(x, Value) for x in inputs):
        raise TypeError(f"{op}: inputs must be Values")


def _as_value(x: Operand) -> Value:
    if isinstance(x, Value):
        return x
    if isinstance(x, (int, float)):
        return Value(x)
    raise TypeError(f"cannot combine a Value with {type(x).__name__} {x!r}")


_ONES_CACHE: dict[int, tuple[float, ...]] = {}


def _ones(n: int) -> tuple[float, ...]:
    """A shared tuple of n ones: every sum node of the same width reuses it."""
    ones = _ONES_CACHE.get(n)
    if ones is None:
        ones = tuple(repeat(1.0, n))
        if n <= 4096:
            _ONES_CACHE[n] = ones
    return ones


def _power(x: float, n: float) -> float:
    """x ** n over the reals, with errors that name the op and the values."""
    if x == 0.0 and n < 0.0:
        raise ZeroDivisionError(f"**: {x!r} ** {n!r} is undefined (0 to a negative power)")
    if x < 0.0 and math.isfinite(n) and not n.is_integer():
        raise ValueError(
            f"**: {x!r} ** {n!r} has no real value (negative base, non-integer exponent)"
        )
    try:
        return x**n
    except OverflowError:
        raise OverflowError(f"**: {x!r} ** {n!r} overflows a float") from None


def _power_derivative(x: float, n: float) -> float:
    """d(x**n)/dx = n * x**(n-1); infinite where that power divides by zero (sqrt at 0)."""
    if n == 0.0:
        return 0.0
    if x == 0.0 and n < 1.0:
        return math.inf
    try:
        return n * x ** (n - 1.0)
    except OverflowError:
        return math.copysign(math.inf, n)


def _power_by_value(base: Value, exponent: Value) -> Value:
    """base ** exponent with both differentiable: d/dexponent = base**exponent * ln(base)."""
    x, n = base.data, exponent.data
    y = _power(x, n)
    d_base = _power_derivative(x, n)
    if x > 0.0:
        d_exponent = y * math.log(x)
    elif x == 0.0 and n >= 0.0:
        d_exponent = 0.0  # as PyTorch: the limit from the positive side
    else:
        d_exponent = math.nan  # negative base: no real derivative in the exponent
    return _node(y, "**", base, d_base, exponent, d_exponent)
