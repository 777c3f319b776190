"""A scalar reverse-mode autograd engine in the spirit of micrograd.

>>> from engine import Value
>>> x = Value(3.0, "x")
>>> f = x**2
>>> f.backward()
>>> f.data, x.grad
(9.0, 6.0)
"""

from mg_tui.engine.backprop import (
    BackwardStep,
    Contribution,
    apply_step,
    backward,
    backward_steps,
    prepare,
)
from mg_tui.engine.collector import collector_paused
from mg_tui.engine.functions import UNARY, Unary
from mg_tui.engine.gradient_check import (
    GradientCheck,
    GradientReport,
    check_gradients,
    numerical_derivative,
)
from mg_tui.engine.graph import (
    consumers,
    edges,
    node_count,
    op_counts,
    to_dot,
    topological_order,
    zero_grad,
)
from mg_tui.engine.value import LogSumExp, Sum, Value

__all__ = [
    "UNARY",
    "BackwardStep",
    "Contribution",
    "GradientCheck",
    "GradientReport",
    "LogSumExp",
    "Sum",
    "Unary",
    "Value",
    "apply_step",
    "backward",
    "backward_steps",
    "check_gradients",
    "collector_paused",
    "consumers",
    "edges",
    "node_count",
    "numerical_derivative",
    "op_counts",
    "prepare",
    "to_dot",
    "topological_order",
    "zero_grad",
]
