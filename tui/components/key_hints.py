"""The key hints a view's caption ends with: as many as fit, the way out of the view first."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

SEPARATOR = "  "


def append_hints(text: Text, hints: Sequence[str], room: int, way_out: str) -> Text:
    """Append to `text` the `hints` that fit in `room` cells, in their order.

    `way_out` (how to leave the view: "m: back") is given room before the others, so a
    learner who lands here is never left without it; the rest fill what is left.
    """
    used = text.cell_len
    chosen: set[str] = set()
    for hint in sorted(hints, key=lambda h: h != way_out):  # stable: the rest keep their order
        if used + len(SEPARATOR) + len(hint) <= room:
            chosen.add(hint)
            used += len(SEPARATOR) + len(hint)
    for hint in hints:
        if hint in chosen:
            text.append(SEPARATOR + hint, style="muted")
    return text


def with_hints(text: Text, hints: Sequence[str], room: int, way_out: str) -> Text:
    """`text` (cut to `room`) and the hints: on the same line if the way out fits there,
    else on a second line of their own, so the way out is always shown."""
    text = text.copy()
    text.truncate(room)
    if text.cell_len + len(SEPARATOR) + len(way_out) <= room:
        return append_hints(text, hints, room, way_out)
    second = append_hints(Text(), hints, room + len(SEPARATOR), way_out)
    second = second[len(SEPARATOR) :]  # a line of its own starts with no separator
    return Text("\n").join([text, second])
