"""Make the README's pictures: SVG screenshots taken by the app itself (App.save_screenshot).

    python docs/make_screenshots.py            # writes docs/*.svg
    python docs/make_screenshots.py NAME...    # only those (e.g. train_test_curves_120x36)

Each picture drives the real app headless with Textual's pilot, waits until the training
worker has drawn its last snapshot, and saves the screen. Fixed seeds: the same pictures
every run (except the clock-free parts of Textual's rendering).
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from mg_tui.nn.config import RunConfig  # noqa: E402
from mg_tui.tui.app import MgApp  # noqa: E402
from mg_tui.tui.components.network_view import NetworkView  # noqa: E402
from mg_tui.tui.components.neuron_view import NeuronView  # noqa: E402
from mg_tui.tui.core.graphs import GraphSource  # noqa: E402
from mg_tui.tui.core.lessons import MOONS, OVERFIT, OVERFIT_STEPS  # noqa: E402
from mg_tui.tui.launch import make_app  # noqa: E402


async def settle(pilot, timeout: float = 30.0) -> None:
    app = pilot.app
    deadline = time.monotonic() + timeout
    while not (app.explorer.snapshot is not None and app.explorer.idle):
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not settle")
        await pilot.pause(0.02)
    await pilot.pause(0.1)


WANTED = set(sys.argv[1:])  # names to make; empty: all


async def shoot(app: MgApp, name: str, size: tuple[int, int], script) -> Path | None:
    if WANTED and name not in WANTED:
        return None
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await script(pilot)
        await settle(pilot)
        app.clear_notifications()
        await pilot.pause(0.2)
        path = app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    print(path)
    return Path(path)


async def steps(pilot, n: int) -> None:
    for _ in range(n):
        await pilot.press("s")
        await settle(pilot)


async def open_view(pilot, key: str, widget, drawn) -> None:
    """Press `key` and wait until its view has drawn its pictures (never "computing…")."""
    await pilot.press(key)
    view = pilot.app.query_one(widget)
    deadline = time.monotonic() + 30.0
    while not drawn(view):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the {key} view did not draw")
        await pilot.pause(0.02)
    await settle(pilot)


async def main() -> None:
    async def main_screen(pilot):
        await steps(pilot, 5)

    async def on_parameter(pilot):
        await steps(pilot, 3)
        pilot.app.explorer.jump_to("L1.N1.w0")
        await settle(pilot)

    async def boundary(pilot):
        await steps(pilot, 40)
        await pilot.press("v")
        await pilot.pause(0.3)
        await steps(pilot, 1)

    async def neurons(pilot):
        await steps(pilot, 40)
        await open_view(pilot, "h", NeuronView, lambda view: view.maps is not None)

    async def network(pilot):
        await steps(pilot, 40)
        await open_view(pilot, "m", NetworkView, lambda view: view.model is not None)

    async def help_screen(pilot):
        await pilot.press("question_mark")
        await pilot.pause(0.3)

    async def presenter(pilot):
        await steps(pilot, 4)

    async def stepper(pilot):
        for _ in range(6):
            await pilot.press("full_stop")
            await pilot.pause(0.05)

    async def expression(pilot):
        for _ in range(3):
            await pilot.press("full_stop")
            await pilot.pause(0.05)

    await shoot(MgApp(RunConfig()), "main_100x30", (100, 30), main_screen)
    await shoot(MgApp(RunConfig()), "node_panel_on_a_parameter_100x30", (100, 30), on_parameter)
    moons = replace(MOONS, seed=1)  # micrograd's demo, as the tour's moons lesson runs it
    await shoot(MgApp(moons), "moons_decision_boundary_120x36", (120, 36), boundary)
    await shoot(MgApp(moons), "moons_neurons_150x40", (150, 40), neurons)
    await shoot(MgApp(moons), "moons_network_120x40", (120, 40), network)
    await shoot(MgApp(RunConfig()), "help_100x40", (100, 40), help_screen)
    await shoot(make_app(RunConfig(), presenter=True), "presenter_80x24", (80, 24), presenter)
    await shoot(MgApp(RunConfig()), "stepper_mid_walk_100x30", (100, 30), stepper)
    fan_out = MgApp()
    fan_out.start_with_graph(
        GraphSource.from_expression("tanh(a*b + c)", {"a": 2, "b": -3, "c": 10})
    )
    await shoot(fan_out, "expression_100x30", (100, 30), expression)
    light = make_app(RunConfig(), theme="textual-light")
    await shoot(light, "light_theme_100x30", (100, 30), main_screen)

    async def overfitting(pilot):
        await steps(pilot, OVERFIT_STEPS)

    # the overfitting lesson's run: 12 sine points to train on, 48 held out
    await shoot(MgApp(OVERFIT), "train_test_curves_120x36", (120, 36), overfitting)


if __name__ == "__main__":
    asyncio.run(main())
