"""The settings form's Select survives a page key pressed as its list opens (the soak's
crash: Textual's option list has no line map until it is drawn)."""

from __future__ import annotations

import pytest
from mg_tui.tui.components.safe_select import SafeSelect
from textual.app import App
from textual.widgets import Select
from textual.widgets._select import SelectOverlay


class OneSelect(App):
    def __init__(self, kind: type[Select]) -> None:
        super().__init__()
        self.kind = kind

    def compose(self):
        yield self.kind([(f"option {k}", k) for k in range(30)], value=5, allow_blank=False)


async def page_up_before_the_list_is_drawn(kind: type[Select]) -> None:
    app = OneSelect(kind)
    async with app.run_test(size=(40, 12)) as pilot:
        overlay = app.query_one(SelectOverlay)
        overlay._index_to_line.clear()  # as it is between opening and the first draw
        overlay.action_page_up()
        await pilot.pause()
        select = app.query_one(Select)
        select.expanded = True
        await pilot.pause()
        overlay.action_page_down()  # drawn now: the page keys move
        assert overlay.highlighted is not None and overlay.highlighted > 5


async def test_textuals_select_raises_there() -> None:
    """The bug this guards against is real in the Textual installed (else drop SafeSelect)."""
    with pytest.raises(KeyError):
        await page_up_before_the_list_is_drawn(Select)


async def test_the_safe_select_ignores_the_key_until_drawn_then_pages() -> None:
    await page_up_before_the_list_is_drawn(SafeSelect)
