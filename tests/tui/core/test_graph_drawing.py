"""The graph drawn (tui/core/graph_drawing.py): read back from the picture itself.

The edge tests do not trust the layout's routes: they follow the box-drawing
characters cell by cell from every port, as a reader's eye does, and check that
each line ends at the right op node. Expected numbers are the lecture's, by hand.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mg_tui.engine import Value, topological_order
from mg_tui.engine.program import parse_program
from mg_tui.tui.core.graph_drawing import MAX_NODES, Drawing, TooLarge, draw, value_count

LECTURE = "e = a*b; d = e + c; f = -2.0; L = d*f"

# What each line character connects to: up, down, left, right.
CONNECTS = {
    "│": "UD", "─": "LR", "╭": "DR", "╮": "DL", "╰": "UR", "╯": "UL",
    "├": "UDR", "┤": "UDL", "┬": "DLR", "┴": "ULR", "┼": "UDLR",
}  # fmt: skip
STEP = {"U": (-1, 0), "D": (1, 0), "L": (0, -1), "R": (0, 1)}
BACK = {"U": "D", "D": "U", "L": "R", "R": "L"}
PORT_OUT = "┬┯╤"  # a line leaving a box's bottom border
PORT_IN = "┴┷╧"  # a line arriving on a box's top border


def lecture(backward: bool = True) -> Value:
    root = parse_program(LECTURE).build({"a": 2.0, "b": -3.0, "c": 10.0})
    if backward:
        root.backward()
    return root


def by_label(root: Value) -> dict[str, Value]:
    return {v.label: v for v in topological_order(root) if v.label}


def follow(drawing: Drawing, row: int, col: int) -> list[tuple[str, Value]]:
    """Follow the line that starts at (row, col) going down, through every branch.

    Returns where it ends: ("op", v) at v's op node, ("box", v) on v's top border,
    ("from", v) up into another port on v's bottom border (edges merging). A line
    met from the side on a `│` is a crossing: it goes straight on.
    """
    lines = drawing.lines
    ops = {(r, c + i): v for v, (r, c, w) in drawing.ops.items() for i in range(w)}
    tops = {(r, c + i): v for v, (r, c, w) in drawing.boxes.items() for i in range(w)}
    bottoms = {(r + 2, c + i): v for v, (r, c, w) in drawing.boxes.items() for i in range(w)}
    ends: list[tuple[str, Value]] = []
    todo, seen = [(row, col, "D")], set()
    while todo:
        r, c, going = todo.pop()
        if (r, c, going) in seen:
            continue
        seen.add((r, c, going))
        if going == "D" and (r, c) in ops:
            ends.append(("op", ops[(r, c)]))
            continue
        if going == "D" and (r, c) in tops:
            assert lines[r][c] in PORT_IN, f"line ends on {lines[r][c]!r} at {r},{c}"
            ends.append(("box", tops[(r, c)]))
            continue
        if going == "U" and (r, c) in bottoms:
            assert lines[r][c] in PORT_OUT, f"line ends on {lines[r][c]!r} at {r},{c}"
            ends.append(("from", bottoms[(r, c)]))
            continue
        char = lines[r][c]
        if char == "│" and going in "LR":  # a crossing
            dr, dc = STEP[going]
            todo.append((r + dr, c + dc, going))
            continue
        assert char in CONNECTS and BACK[going] in CONNECTS[char], (
            f"broken line at {r},{c}: {char!r} entered going {going}"
        )
        for way in CONNECTS[char]:
            if way != BACK[going]:
                dr, dc = STEP[way]
                todo.append((r + dr, c + dc, way))
    return ends


def out_ports(drawing: Drawing, v: Value) -> list[int]:
    row, col, width = drawing.boxes[v]
    bottom = drawing.lines[row + 2]
    return [c for c in range(col + 1, col + width - 1) if bottom[c] in PORT_OUT]


def check_every_edge(root: Value, drawing: Drawing) -> None:
    """Each use of a value is one line from its box to its consumer's op node, and each
    op node's line goes down into its own value's box."""
    uses: dict[Value, Counter] = {v: Counter() for v in drawing.boxes}
    for v in drawing.boxes:
        for x in v.inputs:
            uses[x][id(v)] += 1
    for v in drawing.boxes:
        row = drawing.boxes[v][0] + 3
        reached = Counter()
        for port in out_ports(drawing, v):
            ends = follow(drawing, row, port)
            ops = [end for kind, end in ends if kind == "op"]
            assert len(ops) == 1, (v.label or v.op, ends)
            assert all(kind != "box" for kind, _ in ends)
            merged = {id(end) for kind, end in ends if kind == "from"}
            assert merged <= {id(x) for x in ops[0].inputs}  # only its fellow operands
            reached[id(ops[0])] += 1
        assert reached == uses[v], v.label or v.op
        if v.inputs:
            row, col, width = drawing.ops[v]
            below = follow(drawing, row + 1, col + width // 2)
            assert below == [("box", v)]


def test_every_value_is_drawn_once_and_every_op_has_its_node():
    root = lecture()
    drawing = draw(root)
    values = topological_order(root)
    assert len(values) == 7
    assert set(drawing.boxes) == set(values)
    assert set(drawing.ops) == {v for v in values if v.inputs}
    text = drawing.text()
    for name in "abcedfL":
        assert text.count(f"│ {name} │") == 1, name
    assert text.count("(*)") == 2 and text.count("(+)") == 1


def test_the_lectures_boxes_say_label_data_and_grad():
    text = draw(lecture()).text()
    # by hand: L = d*f, d = e + c, e = a*b; dL/dd = f, dL/df = d, dL/de = dL/dc = f,
    # dL/da = f*b, dL/db = f*a
    for row in [
        "│ a │ data 2.0 │ grad 6.0 │",
        "│ b │ data -3.0 │ grad -4.0 │",
        "│ c │ data 10.0 │ grad -2.0 │",
        "│ e │ data -6.0 │ grad -2.0 │",
        "│ d │ data 4.0 │ grad -2.0 │",
        "│ f │ data -2.0 │ grad 4.0 │",
        "│ L │ data -8.0 │ grad 1.0 │",
    ]:
        assert row in text, row


def test_before_backward_every_grad_is_zero():
    drawing = draw(lecture(backward=False))
    assert drawing.text().count("grad 0.0 │") == 7


def test_the_lecture_reads_top_down_as_its_statements_do():
    drawing = draw(lecture())
    row = {v.label: drawing.boxes[v][0] for v in drawing.boxes}
    assert row["a"] == row["b"] < row["e"] == row["c"] < row["d"] == row["f"] < row["L"]
    check_every_edge(lecture(), drawing)


def test_a_shared_value_is_drawn_once_with_an_edge_per_use():
    root = parse_program("a*b + a").build({"a": 2.0, "b": 3.0})
    root.backward()
    drawing = draw(root)
    a = by_label(root)["a"]
    assert drawing.text().count("│ a │") == 1
    assert "│ a │ data 2.0 │ grad 4.0 │" in drawing.text()  # b + 1
    assert len(out_ports(drawing, a)) == 2
    check_every_edge(root, drawing)


def test_a_value_used_twice_by_one_op_leaves_its_box_twice():
    a = Value(3.0, "a")
    root = a + a
    root.label = "s"
    drawing = draw(root)
    assert len(out_ports(drawing, a)) == 2
    ends = follow(drawing, drawing.boxes[a][0] + 3, out_ports(drawing, a)[0])
    assert ("op", root) in ends and ("from", a) in ends  # the two lines merge into (+)
    check_every_edge(root, drawing)


def test_edges_are_right_on_a_neuron_with_fan_out():
    root = _network(inputs=2, hidden=3)
    drawing = draw(root)
    assert len(drawing.boxes) == value_count(root)
    check_every_edge(root, drawing)
    for name in ("x0", "x1"):  # each input feeds three neurons: three lines
        assert len(out_ports(drawing, by_label(root)[name])) == 3


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(3, 25))
def test_edges_are_right_on_random_graphs(seed, size):
    rnd = random.Random(seed)
    nodes = [Value(rnd.uniform(-2, 2), f"x{i}") for i in range(rnd.randint(1, 4))]
    for _ in range(size):
        op = rnd.choice(["+", "*", "tanh", "sum"])
        if op == "tanh":
            nodes.append(rnd.choice(nodes).tanh())
        elif op == "sum":
            nodes.append(Value.sum(rnd.choices(nodes, k=rnd.randint(2, 4))))
        else:
            x, y = rnd.choice(nodes), rnd.choice(nodes)
            nodes.append(x + y if op == "+" else x * y)
    root = nodes[-1]
    if value_count(root) > MAX_NODES:
        return
    drawing = draw(root)
    assert set(drawing.boxes) == set(topological_order(root))
    check_every_edge(root, drawing)


def test_the_same_graph_gives_the_same_picture():
    assert draw(lecture()).lines == draw(lecture()).lines


def test_the_walks_node_and_the_selected_node_are_marked_without_colour():
    root = lecture()
    named = by_label(root)
    drawing = draw(root, current=named["d"], selected=named["a"])
    row, col, width = drawing.boxes[named["d"]]
    assert drawing.lines[row][col] == "╔" and drawing.lines[row + 2][col + width - 1] == "╝"
    row, col, width = drawing.boxes[named["a"]]
    assert drawing.lines[row][col] == "┏" and drawing.lines[row + 2][col + width - 1] == "┛"
    plain = sum(line.count("╭") for line in drawing.lines)
    assert plain == 5  # the other boxes


def test_the_walks_node_has_the_current_style_on_its_frame_and_op():
    root = lecture()
    d = by_label(root)["d"]
    drawing = draw(root, current=d)
    row, col, _ = drawing.boxes[d]
    assert _style_at(drawing, row, col) == "current"
    op_row, op_col, _ = drawing.ops[d]
    assert _style_at(drawing, op_row, op_col) == "current"
    e = by_label(root)["e"]
    assert _style_at(drawing, drawing.boxes[e][0], drawing.boxes[e][1]) == "border"


def test_grads_are_styled_by_sign():
    root = lecture()
    drawing = draw(root)
    a, b = by_label(root)["a"], by_label(root)["b"]
    for v, style in ((a, "grad+"), (b, "grad-")):
        row, col, _ = drawing.boxes[v]
        text = drawing.lines[row + 1]
        at = text.index("grad ", col) + len("grad ")
        assert _style_at(drawing, row + 1, at) == style


def test_a_graph_over_sixty_values_is_refused_and_says_so():
    root = _network(inputs=3, hidden=5)  # 62 values
    assert value_count(root) == 62
    with pytest.raises(TooLarge) as refused:
        draw(root)
    assert refused.value.nodes == 62
    assert str(refused.value) == (
        "this graph has 62 nodes; the drawing shows up to 60: press D for the tree"
    )


def test_counting_stops_past_the_limit():
    chain = Value(1.0, "x")
    for _ in range(5000):
        chain = chain + 1.0
    assert value_count(chain, limit=60) == 61
    assert value_count(chain) == 10001


def _style_at(drawing: Drawing, row: int, col: int) -> str:
    at = 0
    for text, style in drawing.runs[row]:
        if at <= col < at + len(text):
            return style
        at += len(text)
    raise IndexError(col)


def _network(inputs: int, hidden: int) -> Value:
    """A tanh layer over shared inputs, a linear output and a squared error."""
    rnd = random.Random(1)
    xs = [Value(rnd.uniform(-1, 1), f"x{i}") for i in range(inputs)]
    outs = []
    for j in range(hidden):
        ws = [Value(rnd.uniform(-1, 1), f"w{j}{i}") for i in range(inputs)]
        outs.append(Value.sum([Value(0.1, f"b{j}"), *(w * x for w, x in zip(ws, xs))]).tanh())
    vs = [Value(rnd.uniform(-1, 1), f"v{j}") for j in range(hidden)]
    loss = (Value.sum([v * h for v, h in zip(vs, outs)]) - Value(1.0, "y")) ** 2
    loss.backward()
    return loss
