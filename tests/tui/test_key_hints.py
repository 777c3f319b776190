"""A view's caption keeps its way out when the other key hints no longer fit."""

from __future__ import annotations

from mg_tui.tui.components.key_hints import append_hints
from rich.text import Text

HINTS = ("arrows: neuron", "[ ]: weight", "enter: in graph", "m: back")


def test_with_room_every_hint_is_shown_in_order() -> None:
    text = append_hints(Text("L1.N1"), HINTS, 200, way_out="m: back")
    assert text.plain == "L1.N1  arrows: neuron  [ ]: weight  enter: in graph  m: back"


def test_short_of_room_the_way_out_stays_and_the_rest_fill_what_is_left() -> None:
    # "L1.N1" 5 + "  m: back" 9 + "  arrows: neuron" 16 = 30; "  [ ]: weight" needs 13 more
    text = append_hints(Text("L1.N1"), HINTS, 35, way_out="m: back")
    assert text.plain == "L1.N1  arrows: neuron  m: back"
    assert append_hints(Text("L1.N1"), HINTS, 14, way_out="m: back").plain == "L1.N1  m: back"
    assert append_hints(Text("L1.N1"), HINTS, 13, way_out="m: back").plain == "L1.N1"


def test_with_no_room_on_the_line_the_hints_take_a_second_one() -> None:
    from mg_tui.tui.components.key_hints import with_hints

    weights = Text("L1.N1.w0 = 0.6706  grad ▲+0.1137")  # 32 cells
    one_line = with_hints(weights, HINTS, 60, way_out="m: back")
    assert one_line.plain == "L1.N1.w0 = 0.6706  grad ▲+0.1137  arrows: neuron  m: back"
    two = with_hints(weights, HINTS, 38, way_out="m: back")
    assert two.plain.split("\n") == [weights.plain, "arrows: neuron  [ ]: weight  m: back"]
    assert all(len(line) <= 38 for line in two.plain.split("\n"))
