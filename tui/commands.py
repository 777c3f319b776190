"""Command palette entries: jump to a node by name, and switch data set / model settings."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from mg_tui.nn import ACTIVATIONS, DATASETS
from mg_tui.tui.keys import key_of
from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from mg_tui.tui.screens.explorer import ExplorerScreen


class NodeJumpProvider(Provider):
    """`L1.N2.w0`, `pred[3]`, `x[0][1]`…: every named node of the current graph."""

    screen: ExplorerScreen  # the screen the palette was opened on

    async def startup(self) -> None:
        snapshot = self.screen.snapshot  # the explorer's: ExplorerScreen.COMMANDS holds this
        index = snapshot.index if snapshot is not None else None
        # The shortest paths walk the whole graph once: off the UI thread.
        paths = await asyncio.to_thread(index.paths) if index is not None else {}
        params = {v.label for v, r in index.roles.items() if r.kind == "param"} if index else set()
        self.labels = sorted(paths, key=partial(_label_order, params))

    async def discover(self) -> Hits:
        for label in self.labels[:40]:
            yield DiscoveryHit(
                f"Go to {label}", partial(self.screen.jump_to, label), help="select it in the tree"
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label in self.labels:
            score = matcher.match(f"Go to {label}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(f"Go to {label}"),
                    partial(self.screen.jump_to, label),
                    help="select this node in the graph tree",
                )


def _label_order(params: set[str], label: str) -> tuple[int, str]:
    """Parameters first (what people look for), then the loss, then the other names."""
    if label in params:
        return (0, label)
    if label == "loss":
        return (1, label)
    return (2, label)


def app_commands(explorer: ExplorerScreen) -> Iterable[SystemCommand]:
    """Training and settings commands for `App.get_system_commands`."""
    yield SystemCommand(
        "Train one step", f"forward, backward and update ({key_of('step')})", explorer.action_step
    )
    yield SystemCommand(
        "Play / pause training",
        f"train continuously ({key_of('toggle_play')})",
        explorer.action_toggle_play,
    )
    yield SystemCommand(
        "Reset the model", f"new weights from the seed ({key_of('reset')})", explorer.action_reset
    )
    yield SystemCommand(
        "Settings…",
        f"data set, layers, activation, loss, lr, seed ({key_of('settings')})",
        explorer.action_settings,
    )
    yield SystemCommand(
        "Save the model", f"write nn's JSON file ({key_of('save')})", explorer.action_save
    )
    yield SystemCommand(
        "Load a model", f"read nn's JSON file ({key_of('load')})", explorer.action_load
    )
    for name in DATASETS:
        yield SystemCommand(
            f"Data set: {name}",
            f"train on {name}",
            partial(explorer.change, dataset=name),
            discover=False,
        )
    for name in ACTIVATIONS:
        yield SystemCommand(
            f"Activation: {name}",
            f"{name} in the hidden layers",
            partial(explorer.change, activation=name),
            discover=False,
        )
    for arch in ((4, 4), (8,), (16, 16), (8, 8, 8)):
        text = ",".join(map(str, arch))
        yield SystemCommand(
            f"Architecture: {text}",
            f"hidden layers {text}",
            partial(explorer.change, arch=arch),
            discover=False,
        )
