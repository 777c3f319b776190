"""Every letter and digit the app draws stands out from its own background (WCAG AA).

The installed `mg-tui` runs in a pty with truecolor, once per colour setting (NO_COLOR,
the default dark theme, the light theme), and walks through its screens: the start,
the loss chart, the decision boundary, a backward walk, help, settings, the expression
form and an expression with grads of both signs. On each, pyte gives every cell's
colours; the contrast of each letter, digit and grad-sign glyph against its own
background must be at least 4.5:1 (WCAG 2.x AA for normal text).

The ratio is coloraide's WCAG 2.1 implementation, not ours. Colours the app leaves to
the terminal ('default', the 16 named ones) are resolved to a plain dark terminal:
xterm's palette, light grey on black.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pytest
from coloraide import Color
from mg_tui.tui.core.lessons import LESSONS
from pyte import graphics

AA_NORMAL_TEXT = 4.5
TERMINAL_FG = "e5e5e5"  # the pty's own colours, where the app leaves them to the terminal
TERMINAL_BG = "000000"
SIGN_GLYPHS = "▲▼"  # before a number they carry a grad's sign (tui/format.py)
SIGN_FOLLOWERS = "0123456789+-ni"  # a number, or nan / inf

# pyte names the 16 ANSI colours (SGR 30-37, 90-97 and their backgrounds); its 256-colour
# table starts with the same 16, in that order.
_NAMES = [graphics.FG_ANSI[n] for n in range(30, 38)]
PALETTE = {name: graphics.FG_BG_256[i] for i, name in enumerate(_NAMES)}
PALETTE |= {f"bright{name}": graphics.FG_BG_256[8 + i] for i, name in enumerate(_NAMES)}
PALETTE["bfightmagenta"] = PALETTE["brightmagenta"]  # pyte 0.8's name for SGR 105

SETTINGS = [
    pytest.param([], {"NO_COLOR": "1"}, id="no-color"),
    pytest.param([], {}, id="textual-dark"),
    pytest.param(["--theme", "textual-light"], {}, id="textual-light"),
]


def hex_colour(name: str, default: str) -> str:
    if name == "default":
        return default
    return PALETTE.get(name, name)


@functools.cache
def contrast(fg: str, bg: str) -> float:
    return Color(f"#{fg}").contrast(Color(f"#{bg}"), method="wcag21")


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    char: str
    fg: str
    bg: str
    ratio: float

    def __str__(self) -> str:
        return f"({self.x},{self.y}) {self.char!r} #{self.fg} on #{self.bg}: {self.ratio:.2f}:1"


def text_cells(screen) -> list[Cell]:
    """Every letter, digit and grad sign on the screen, with the colours a person sees
    (a ▼ before a number is a sign; elsewhere, as in a Select, it is an arrow)."""
    cells = []
    for y in range(screen.lines):
        row = screen.buffer[y]
        for x in range(screen.columns):
            char = row[x]
            sign = char.data in SIGN_GLYPHS and row[x + 1].data[:1] in SIGN_FOLLOWERS
            if not (char.data.isalnum() or sign):
                continue
            fg = hex_colour(char.fg, TERMINAL_FG)
            bg = hex_colour(char.bg, TERMINAL_BG)
            if char.reverse:
                fg, bg = bg, fg
            cells.append(Cell(x, y, char.data, fg, bg, contrast(fg, bg)))
    return cells


def sgr_dim_sent(raw: bytes) -> bool:
    """Whether the app asked the terminal for `dim` (SGR 2), whose colour pyte cannot know."""
    for match in re.finditer(rb"\x1b\[([0-9;]*)m", raw):
        params = [int(p or 0) for p in match.group(1).split(b";")]
        i = 0
        while i < len(params):
            if params[i] in (38, 48, 58):  # a colour: 38;5;n or 38;2;r;g;b
                i += 5 if params[i + 1 : i + 2] == [2] else 3
                continue
            if params[i] == 2:
                return True
            i += 1
    return False


def modal_box(display: list[str], title: str) -> tuple[int, int, int, int]:
    """The rectangle (x0, y0, x1, y1) of the bordered box whose top border holds `title`."""
    y0 = next(y for y, row in enumerate(display) if title in row and "╭" in row)
    at = display[y0].index(title)
    x0, x1 = display[y0].rindex("╭", 0, at), display[y0].index("╮", at)
    y1 = next(y for y in range(y0 + 1, len(display)) if display[y][x0] == "╰")
    return x0, y0, x1, y1


class Survey:
    """The low-contrast cells of each screen visited."""

    def __init__(self, term) -> None:
        self.term = term
        self.failures: dict[str, tuple[list[Cell], list[str]]] = {}
        self.measured: dict[str, int] = {}

    def check(self, name: str, modal: str | None = None) -> None:
        """Measure the screen; over a modal (titled `modal`), only the modal's box: the
        screen behind it is faded on purpose and inactive (WCAG exempts inactive parts)."""
        self.term.pump(0.15)  # the frame settles
        display = list(self.term.screen.display)
        cells = text_cells(self.term.screen)
        if modal is not None:
            x0, y0, x1, y1 = modal_box(display, modal)
            cells = [c for c in cells if x0 <= c.x <= x1 and y0 <= c.y <= y1]
        self.measured[name] = len(cells)
        low = sorted((c for c in cells if c.ratio < AA_NORMAL_TEXT), key=lambda c: c.ratio)
        if low:
            self.failures[name] = (low, display)

    def report(self) -> str:
        lines = []
        for name, (low, display) in self.failures.items():
            pairs = sorted({(c.fg, c.bg, c.ratio) for c in low}, key=lambda p: p[2])
            lines.append(f"{name}: {len(low)} cells below {AA_NORMAL_TEXT}:1")
            for fg, bg, ratio in pairs:
                first = next(c for c in low if (c.fg, c.bg) == (fg, bg))
                row = display[first.y]
                lines.append(f"  #{fg} on #{bg}: {ratio:.2f}:1  e.g. {first}  in {row!r}")
        return "\n".join(lines)


def test_the_contrast_helper_matches_wcag():
    """Known ratios: black on white is 21:1, a colour on itself 1:1; #767676 on white is
    the classic lightest grey that passes AA (4.54:1)."""
    assert contrast("000000", "ffffff") == pytest.approx(21.0)
    assert contrast("123456", "123456") == pytest.approx(1.0)
    assert contrast("767676", "ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("ffffff", "767676") == contrast("767676", "ffffff")
    assert hex_colour("brightred", "x") == "ff0000"
    assert hex_colour("default", "abcdef") == "abcdef"


@pytest.mark.parametrize(("args", "env"), SETTINGS)
def test_every_letter_and_digit_has_aa_contrast(spawn, args, env):
    term = spawn(["--dataset", "moons", *args], COLORTERM="truecolor", **env)
    survey = Survey(term)
    term.wait_ready(30)
    survey.check("start")

    term.press("sss")
    term.wait_for(lambda _: term.status().get("step") == "3", 30, "step 3")
    term.wait_text(r"loss \S+ [▼▲=]  acc")
    survey.check("loss chart")

    term.press("v")
    term.wait_text(r"[●○]")
    survey.check("decision boundary")

    term.press("f")
    term.wait_text(r"forward")
    term.press("....")
    term.wait_text(r"backward 4/")
    survey.check("backward walk")

    term.press("?")
    term.wait_text(r"╭─ Help: network")
    term.wait_text(r"trains a small")  # drawn, not only its border
    survey.check("help", modal="Help: network")
    term.press("\x1b")
    term.wait_for(lambda t: "esc to close" not in t, what="help closed")

    term.press("o")
    term.wait_text(r"╭─ Settings")
    survey.check("settings", modal="Settings")
    term.press("\x1b")
    term.wait_for(lambda t: "Settings" not in t, what="settings closed")

    term.press("e")
    term.wait_text(r"╭─ Explore an expression")
    survey.check("expression form", modal="Explore an expression")
    term.press("a*\r")  # replaces the example (selected): the form says what is missing
    term.wait_text(r"\^")
    survey.check("expression error", modal="Explore an expression")
    for keys in ("\x7f", "\x7f", "tanh(a*b+c)", "\r"):  # one at a time, as a person types
        term.press(keys)
        term.pump(0.2)
    term.wait_text(r"expression")
    term.wait_for(lambda t: "Explore an expression" not in t, what="the expression's graph")
    term.press("b")
    term.wait_for(lambda t: "▲" in t and "▼" in t, what="grads of both signs")
    survey.check("expression")

    term.press("c")  # on the root: a notification says what to select
    term.wait_text(r"select a parameter")
    survey.check("notification")
    for _ in range(3):  # down to the variable a
        term.press("\x1b[B")
        term.pump(0.1)
    term.wait_text(r"a  variable")
    term.press("c")
    term.wait_text(r"╭─ Gradient check")
    survey.check("gradient check", modal="Gradient check")
    term.press("\x1b")
    term.wait_for(lambda t: "╭─ Gradient check" not in t, what="gradient check closed")

    term.press("f")
    term.wait_for(lambda t: "forward" in t and "▲" not in t, what="the forward pass")
    term.press(".")
    term.wait_text(r"backward 1/")
    survey.check("expression walk")

    term.press("t")
    term.wait_text(rf"lesson 1/{len(LESSONS)}")
    term.press("b")
    term.wait_text(r"x 3\.0 ▲\+6\.0")
    term.press("\t")  # the lesson pane, scrolled to its figures
    term.pump(0.2)
    term.press("\x1b[F")
    term.wait_text(r"✓ seed")
    survey.check("tour")

    assert not sgr_dim_sent(bytes(term.raw)), "SGR 2 (dim): its colour is the terminal's choice"
    assert all(survey.measured.values()), survey.measured
    assert not survey.failures, survey.report()
