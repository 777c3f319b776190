"""Names a person can read, in the app: per-sample nodes say their sample, consumers read as
what they compute, one number string for a grad in the tree and the panel, and a help screen
that explains every sign and names the mode."""

from __future__ import annotations

import io
import re

import pytest
from mg_tui.engine import topological_order
from mg_tui.tui.core.graphs import GraphSource
from rich.console import Console

from tests.tui.conftest import idle, press

# A grad as drawn: its sign as a glyph, then the signed number.
GRAD = r"[▲▼·](?:[-+]?\d[\d.]*(?:e[-+]\d+)?|0\.0|[-+]?nan|[-+]?inf)"


def tree_line(app, node) -> str:
    tree = app.explorer.tree
    return tree.render_label(node, tree.rich_style, tree.rich_style).plain


def line_name(line: str) -> str:
    """The name on a tree line, after its open/closed icon and its walk mark."""
    return next(word for word in line.split() if word not in ("▶", "▼", "✓", "◐", "○"))


def select(app, value) -> None:
    """Put the tree's cursor on `value` (opening the way there)."""
    path = app.explorer.snapshot.index.path_of(value)
    assert path is not None
    app.explorer.tree.expand_path(path)


def samples_copies(trainer, label: str) -> dict[int, object]:
    """Each sample's node labelled `label`, found below that sample's own prediction."""
    copies = {}
    for row, pred in zip(trainer.batch, trainer.predictions):
        (node,) = [v for v in topological_order(pred) if v.label == label]
        copies[row] = node
    return copies


def section(text: str, title: str) -> list[str]:
    """The rows of a panel section: the lines after `title` indented by two spaces exactly."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        if not line.startswith("    "):
            rows.append(line.strip())
    return rows


async def test_each_samples_neuron_has_its_own_name_in_the_tree_and_the_panel(make_app):
    app = make_app()  # 3-4-4-1 on the four rows of `tiny`
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "f", "b")
        copies = samples_copies(app.explorer.session.trainer, "L1.N3")
        assert sorted(copies) == [0, 1, 2, 3]
        in_tree, in_panel = {}, {}
        for row, node in copies.items():
            select(app, node)
            await pilot.pause()
            assert app.explorer.panel.value is node
            in_tree[row] = line_name(tree_line(app, app.explorer.tree.cursor_node))
            header = app.explorer.panel.text.splitlines()[0]
            in_panel[row] = header.split()[0]
            assert f"sample {row}" in header
        assert len(set(in_tree.values())) == 4
        for row in copies:
            assert in_tree[row] == in_panel[row]
            assert in_tree[row].startswith("L1.N3") and f"[{row}]" in in_tree[row]
        # A parameter is shared by the four samples: no sample in its name.
        app.explorer.jump_to("L1.N3.w0")
        await pilot.pause()
        assert app.explorer.panel.text.splitlines()[0].split()[0] == "L1.N3.w0"
        assert "sample" not in app.explorer.panel.text.splitlines()[0]


async def test_stepping_the_root_names_the_sample_of_each_line(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "f", "full_stop")
        assert app.explorer.panel.value is app.explorer.snapshot.root
        lines = [line for line in app.explorer.panel.text.splitlines() if ".grad" in line]
        assert len(lines) == 4  # the root passes its grad on to the four loss terms
        rows = [int(n) for line in lines for n in re.findall(r"\[(\d+)\]", line.split("+=")[0])]
        assert sorted(set(rows)) == [0, 1, 2, 3]
        for line in lines:  # each line names one sample, twice: pred[i] and y[i]
            assert len(set(re.findall(r"\[(\d+)\]", line))) == 1
        # One step on: the panel shows the first loss term's own lines, of its sample.
        await press(pilot, "full_stop")
        step = app.explorer.session.backward.last_interior
        row = app.explorer.snapshot.index.sample_of(step.node)
        lines = [line for line in app.explorer.panel.text.splitlines() if ".grad +=" in line]
        assert lines and all(f"[{row}]" in line for line in lines)


async def test_consumers_read_as_what_they_compute_on_an_expression():
    from mg_tui.tui.app import MgApp

    app = MgApp()
    app.explorer.start_with_graph(
        GraphSource.from_expression("tanh(a*b + c)", {"a": 2.0, "b": -3.0, "c": 10.0})
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        root = app.explorer.snapshot.root
        total = root.inputs[0]  # a*b + c
        select(app, total)
        await pilot.pause()
        used_by = section(app.explorer.panel.text, "used by")
        assert len(used_by) == 1
        assert used_by[0].startswith("tanh(")
        assert app.explorer.panel.text.splitlines()[0].startswith("a*b + c")
        # The root has a name too: not `d tanh / d tanh` nor `d * / d *`.
        select(app, root)
        await pilot.pause()
        assert "d root / d root" in app.explorer.panel.text
        # Every node's consumers: never operators alone (`(+ * f)`, `*`).
        for value in topological_order(root):
            if value is root:
                continue
            select(app, value)
            await pilot.pause()
            for row in section(app.explorer.panel.text, "used by"):
                name = row.split(":")[0]
                assert re.search(r"[A-Za-z0-9]", name), row


async def test_tree_and_panel_show_the_same_grad_string(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await press(pilot, "b")
        # Layers 2 and 3: lines shallow enough for the grad to fit at 80x24.
        params = [
            p for layer in app.explorer.session.trainer.model.layers[1:] for p in layer.parameters()
        ]
        negative = next(p for p in params if p.grad < 0)
        positive = next(p for p in params if p.grad > 0)
        for label in (negative.label, positive.label, "pred[2]", "loss"):
            app.explorer.jump_to(label)
            await pilot.pause()
            value = app.explorer.panel.value
            assert value.label == label
            in_tree = re.findall(GRAD, tree_line(app, app.explorer.tree.cursor_node))
            in_panel = re.search(rf"grad ({GRAD})", app.explorer.panel.text).group(1)
            assert in_tree == [in_panel], label
            glyph, number = in_panel[0], float(in_panel[1:])
            assert glyph == ("▲" if value.grad > 0 else "▼" if value.grad < 0 else "·")
            assert (number < 0) == (value.grad < 0)
            assert number == pytest.approx(value.grad, rel=5e-4)  # 4 significant digits


async def test_a_use_count_is_never_cut_by_a_narrow_tree(make_app):
    """102 samples: `×102` on every line of a shared parameter, however deep the line."""
    app = make_app(dataset="moons", samples=102, arch=(4,), activation="relu", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot, timeout=30)
        await press(pilot, "b")
        tree = app.explorer.tree
        for label in ("L1.N1.w0", "L2.N1.b", "pred[101]", "x[0][1]"):
            app.explorer.jump_to(label)
            await pilot.pause()
            assert tree.virtual_size.width <= tree.scrollable_content_region.width
            for y in range(tree.scrollable_content_region.height):
                node = tree.get_node_at_line(tree.scroll_offset.y + y)
                if node is None or node.data is None:
                    continue
                shown = "".join(s.text for s in tree.render_line(y))
                value = node.data.value
                uses = app.explorer.snapshot.index.use_count(value)
                counts = re.findall(r"×(\d+)", shown)
                assert counts in ([str(uses)], []), shown
                if uses > 1 and not counts:
                    assert shown.rstrip().endswith("…"), shown  # said to be cut short
                grads = re.findall(GRAD + r"(?=[ …]|$)", shown.rstrip())
                assert len(grads) <= 1
                if grads:
                    assert float(grads[0][1:]) == pytest.approx(value.grad, rel=5e-4, abs=1e-12)
        await pilot.resize_terminal(120, 40)  # room enough: the count is back, whole
        app.explorer.jump_to("L1.N1.w0")
        await pilot.pause()
        assert tree_line(app, tree.cursor_node).endswith(" ×102")


def rendered(renderable, width: int = 60) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.file.getvalue()


# What a sign means, in a word the help must put beside it.
SIGNS = [
    ("▲", "positive"),
    ("▼", "negative"),
    ("·", "zero"),
    ("✓", "final"),
    ("◐", "partial"),
    ("○", "yet"),
    ("×N", "used N times"),
    ("▶", "closed"),
    ("▼", "open"),
    ("[3] @3", "sample 3"),
]


async def help_screen(pilot):
    await pilot.press("question_mark")
    await pilot.pause()
    screen = pilot.app.screen
    title = screen.query_one("#help-box").border_title
    legend = rendered(screen.query_one("#help-legend").content)
    await pilot.press("escape")
    await pilot.pause()
    return title, legend


async def test_help_explains_every_sign_and_names_the_mode(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        title, legend = await help_screen(pilot)
        assert "network" in title
        for sign, meaning in SIGNS:
            # the sign, then its meaning within a few words, on one line
            pattern = rf"(^|\s){re.escape(sign)} +([^ \n]+ ){{0,3}}{meaning}"
            assert re.search(pattern, legend, re.MULTILINE), (sign, legend)
        await press(pilot, "e", "enter")
        assert app.explorer.mode_name == "expression"
        title, _ = await help_screen(pilot)
        assert "expression" in title and "network" not in title
        await press(pilot, "escape", "t")
        await idle(pilot)
        title, _ = await help_screen(pilot)
        assert "lesson 1/" in title


async def test_help_writes_every_key_of_a_binding_and_plain_descriptions(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await press(pilot, "f")
        rows = dict(app.explorer.key_help())
        assert rows["+, = or ]"] == "Raise the learning rate"
        assert rows["- or ["] == "Lower the learning rate"
        assert rows["? or F1"].startswith("This help")
        assert rows[", or backspace"].startswith("Step backprop back")
        assert rows["*"] == "Autoplay faster" and rows["/"] == "Autoplay slower"
        every_key = {key for keys in rows for key in re.split(r", | or ", keys)}
        for keys, description in rows.items():
            for group in re.findall(r"\(([^)]*)\)", description):
                words = set(group.replace(",", " ").split())
                assert not words <= every_key, (keys, description)  # not `(+ = ])`, `(*)`
