"""The semantic colours (tui/colours.py) read on every background they are drawn on, in
colour and as NO_COLOR's greys, and follow the theme when it changes while the app runs.

The ratio is coloraide's WCAG 2.1 contrast; the backgrounds come from Textual's own
themes: the screen, the panels ($surface; 5% foreground tint where focused, as Textual's
Tree draws it) and the status line ($panel).
"""

from __future__ import annotations

import pytest
from coloraide import Color as Measured
from mg_tui.tui import colours
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from tests.tui.conftest import idle, press

AA_NORMAL_TEXT = 4.5


def contrast(a: Color, b: Color) -> float:
    return Measured(a.hex6).contrast(Measured(b.hex6), method="wcag21")


def backgrounds(theme_name: str) -> dict[str, Color]:
    variables = BUILTIN_THEMES[theme_name].to_color_system().generate()
    surface = Color.parse(variables["surface"])
    foreground = Color.parse(variables["foreground"])
    return {
        "background": Color.parse(variables["background"]),
        "surface": surface,
        "focused surface": surface.tint(foreground.with_alpha(0.05)),
        "panel": Color.parse(variables["panel"]),
    }


@pytest.mark.parametrize("theme_name", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("meaning", sorted(colours.MEANINGS))
def test_each_meaning_reads_on_each_background(theme_name, meaning):
    dark = BUILTIN_THEMES[theme_name].dark
    colour = Color.parse(colours.MEANINGS[meaning][0 if dark else 1])
    for where, background in backgrounds(theme_name).items():
        ratio = contrast(colour, background)
        assert ratio >= AA_NORMAL_TEXT, f"{meaning} on the {where}: {ratio:.2f}:1"
        grey = contrast(colour.monochrome, background.monochrome)  # Textual's NO_COLOR
        assert grey >= AA_NORMAL_TEXT, f"{meaning} on the {where} under NO_COLOR: {grey:.2f}:1"


def test_the_rich_theme_gives_each_meaning_its_colour_for_the_brightness():
    for dark, column in ((True, 0), (False, 1)):
        styles = colours.rich_theme(dark).styles
        for meaning, pair in colours.MEANINGS.items():
            assert styles[meaning].color.triplet.hex == pair[column].lower()


def grad_colours(strip) -> list[tuple[Color, Color]]:
    """(foreground, background) of each grad (▲ or ▼ and its number) in a painted line."""
    return [
        (Color.from_rich_color(s.style.color), Color.from_rich_color(s.style.bgcolor))
        for s in strip
        if s.text[:1] in "▲▼" and s.text[1:2] in "+-0123456789"
    ]


async def test_a_theme_change_recolours_the_tree_and_the_panel(make_app):
    """Tree lines are painted anew; the panel's Static resolved its colours when it was
    updated, so the app updates it again: both read on the light theme after the switch."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "down")  # the panel shows line 1; line 2 is not the cursor's
        for theme_name in ("textual-dark", "textual-light", "textual-dark"):
            app.theme = theme_name
            await pilot.pause()
            await pilot.pause()
            tree_line = app.explorer.tree.render_line(2)
            panel_line = app.explorer.panel.body.render_line(1)  # `data 0.33   grad ▲+0.6`
            found = grad_colours(tree_line) + grad_colours(panel_line)
            assert len(found) == 2, (tree_line.text, panel_line.text)
            for fg, bg in found:
                assert contrast(fg, bg) >= AA_NORMAL_TEXT, (theme_name, fg.hex, bg.hex)
