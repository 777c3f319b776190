"""A tour lesson: its title, its short text and the numbers the engine computes for it."""

from __future__ import annotations

from mg_tui.tui.colours import styled
from mg_tui.tui.core.lessons import Fact, Lesson
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


def fact_value(x: float | str) -> str:
    """Up to 12 significant digits: enough to show -1.5000003851533106 as the seeds do.

    A text fact (a bug-lab run's error, a loss sequence) is shown as it is.
    """
    return x if isinstance(x, str) else f"{x:.12g}"


class LessonPane(VerticalScroll):
    """Shows one lesson; `show()` draws the text now and the facts once computed."""

    can_focus = True  # tab to it, then the arrows scroll the facts at 80x24

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.body = Static("", id="lesson-body")

    def compose(self):
        yield self.body

    def show(self, lesson: Lesson, number: int, total: int, facts: list[Fact] | None) -> None:
        self.border_title = f"tour {number} of {total}  < >  tab: scroll"
        out = Text(lesson.title, style="bold")
        out.append(f"\n{lesson.text}\n")
        if facts is None:
            out.append_text(styled("computing the numbers…", "muted", "italic"))
        else:
            figures = {f.name: f for f in lesson.seed_figures}
            for label, value in facts:
                out.append(f"{label}: ", "muted")
                out.append(fact_value(value), "bold")
                figure = figures.get(label)
                if figure is not None:
                    ok = (
                        not isinstance(value, str) and abs(value - figure.value) <= figure.tolerance
                    )
                    mark, meaning = ("✓", "check.ok") if ok else ("✗", "check.bad")
                    out.append(f"  {mark} {figure.source}", meaning)
                out.append("\n")
        out.rstrip()
        self.body.update(out)
        self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        content = self.body.content
        return content.plain if isinstance(content, Text) else str(content)
