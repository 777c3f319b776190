"""What every controller may use of the screen it works for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker


class ScreenHost(Protocol):
    """The app (screens, threads), notifications and workers: each controller's host
    protocol adds what else it uses."""

    @property
    def app(self) -> App: ...

    def notify(self, message: str, **kwargs: object) -> None: ...

    def run_worker(self, work: object, **kwargs: object) -> Worker: ...
