"""Which layout a terminal size gets, and which panes the compact layout cycles through.

The full layout puts the tree beside the node panel and the chart. Below FULL_WIDTH x
FULL_HEIGHT those would be squashed past reading, so the compact layout shows one pane
at a time, the whole screen wide, and names it with the others on a line of its own:
`p` goes to the next one. Nothing is hidden without that line saying so.
"""

from __future__ import annotations

FULL_WIDTH = 70  # the tree's 30 columns and the panel's ~36 (a chain-rule line) side by side
FULL_HEIGHT = 20  # the node panel's 5 lines and the chart's 6, with borders, status, footer

PANE_TITLES = {"tree": "graph", "lesson": "lesson", "node": "node", "views": "chart"}


def is_compact(width: int, height: int) -> bool:
    """One pane at a time: the side-by-side layout would not fit."""
    return width < FULL_WIDTH or height < FULL_HEIGHT


def panes(*, lesson: bool, chart: bool) -> tuple[str, ...]:
    """The compact layout's panes, in the order `p` visits them."""
    return ("tree", *(("lesson",) if lesson else ()), "node", *(("views",) if chart else ()))


def next_pane(current: str, available: tuple[str, ...]) -> str:
    """The pane after `current` (the first one if `current` is not there any more)."""
    if current not in available:
        return available[0]
    return available[(available.index(current) + 1) % len(available)]


def pane_line(current: str, available: tuple[str, ...], chart_title: str = "chart") -> str:
    """`[graph] node chart · p: next`: the pane shown in brackets, so no colour is needed."""
    titles = {**PANE_TITLES, "views": chart_title}
    names = " ".join(f"[{titles[pane]}]" if pane == current else titles[pane] for pane in available)
    return f"{names} · p: next pane"
