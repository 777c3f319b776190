"""The node panel on a cross-entropy graph: the logsumexp node's local grads are the softmax.

Expected numbers are computed here from the node's operands with math.exp, not read from
the node's stored local derivatives.
"""

from __future__ import annotations

import math

import pytest
from mg_tui.engine import topological_order
from mg_tui.nn import RunConfig
from mg_tui.tui.components.node_panel import consumer_name, describe
from mg_tui.tui.core.session import Command, Session
from mg_tui.tui.format import num


def test_the_logsumexp_node_says_its_local_grads_are_the_softmax() -> None:
    session = Session(RunConfig(dataset="spiral", classes=3, samples=6, arch=(3,)))
    session.run(Command("build"))
    snapshot = session.run(Command("backward"))
    lse = next(n for n in topological_order(snapshot.root) if n.op == "logsumexp")
    zs = [z.data for z in lse.inputs]
    assert len(zs) == 3
    total = math.log(sum(math.exp(z) for z in zs))
    assert lse.data == pytest.approx(total, rel=1e-12)
    text = describe(lse, snapshot).plain
    assert "operands · local derivative = softmax: exp(operand - data), summing to 1" in text
    for z, operand in zip(zs, lse.inputs):
        share = math.exp(z - total)
        assert f"{operand.label} = {num(z)}: d = {num(share)}" in text
    # an output used by the logsumexp and by the "- z_y" of the right class
    z = lse.inputs[0]
    assert consumer_name(lse, z, snapshot.index).text.startswith("logsumexp(")
    panel = describe(z, snapshot).plain
    assert "logsumexp(" in panel and f"{num(math.exp(zs[0] - total))} × " in panel
