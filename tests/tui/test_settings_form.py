"""The settings form (`o`): every run option, what it shows is what it applies, bad values.

Options are typed as a user types them (focus, keys) and chosen with the keyboard
(enter, arrows, enter); the expected RunConfigs are written out here, not read back
from the form.
"""

from __future__ import annotations

import pytest
from mg_tui.nn import SGD, Adam
from mg_tui.nn.config import RUN_OPTIONS, RunConfig
from mg_tui.tui.screens.settings import SettingsScreen
from textual.widgets import Input, Label, Select
from textual.widgets._select import SelectCurrent

from tests.tui.conftest import idle, press

# One value per option, none of them its default, as a user would type or choose it: a
# built-in data set's run, and the options only a CSV file takes (a run of their own).
BUILT_IN = {
    "dataset": "spiral",
    "classes": "3",
    "samples": "30",
    "noise": "0.2",
    "test_fraction": "0.2",
    "batch_size": "10",
    "arch": "8,8",
    "activation": "relu",
    "output_activation": "tanh",
    "loss": "cross-entropy",
    "l1": "0.002",
    "l2": "0.001",
    "optimizer": "adam",
    "lr": "0.05",
    "schedule": "step",
    "seed": "7",
}
CSV_ONLY = {"data": "iris.csv", "target": "kind", "task": "classification", "standardize": False}
EVERY_OPTION = BUILT_IN | CSV_ONLY


async def open_form(pilot) -> SettingsScreen:
    await idle(pilot)
    await pilot.press("o")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, SettingsScreen)
    return form


async def type_into(pilot, name: str, text: str) -> None:
    """Focus the input, clear it, type `text` key by key."""
    field = pilot.app.screen.query_one(f"#field-{name}", Input)
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*text)
    assert field.value == text


async def choose(pilot, name: str, value: str) -> None:
    """Open the select with enter, move to `value` with the arrows, take it with enter."""
    field = pilot.app.screen.query_one(f"#field-{name}", Select)
    field.focus()
    await pilot.press("enter")
    values = [v for _, v in field._options]
    moves = values.index(value) - values.index(field.value)
    await pilot.press(*(["down"] * moves if moves > 0 else ["up"] * -moves), "enter")
    await pilot.pause()
    assert field.value == value


async def set_option(pilot, name: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#field-{name}")
    if isinstance(widget, Select):
        await choose(pilot, name, text)
    else:
        await type_into(pilot, name, text)


def shown(form: SettingsScreen, name: str) -> str:
    """The words a select shows for its value, as on screen."""
    select = form.query_one(f"#field-{name}", Select)
    return str(select.query_one(SelectCurrent).query_one("#label").render())


def explanation(form: SettingsScreen, name: str) -> str:
    return str(form.query_one(f"#explain-{name}", Label).render())


def error_line(form: SettingsScreen) -> str:
    return str(form.query_one("#settings-error", Label).render())


async def apply(pilot) -> None:
    await pilot.press("ctrl+s")
    await idle(pilot, timeout=30)


def test_the_form_sets_every_option_of_the_one_declaration():
    """A new option in RUN_OPTIONS must get a value here (and so a test in the form)."""
    assert set(EVERY_OPTION) == {option.name for option in RUN_OPTIONS}
    assert not set(BUILT_IN) & set(CSV_ONLY)
    defaults = RunConfig()
    for option in RUN_OPTIONS:
        if option.widget == "select":
            assert EVERY_OPTION[option.name] != getattr(defaults, option.name)
        else:
            assert option.parse(EVERY_OPTION[option.name]) != getattr(defaults, option.name)


async def test_every_option_set_through_the_form_makes_that_run(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot)
        for option in RUN_OPTIONS:
            if option.name in BUILT_IN:
                await set_option(pilot, option.name, BUILT_IN[option.name])
        await apply(pilot)
        expected = RunConfig(
            dataset="spiral", classes=3, samples=30, noise=0.2, test_fraction=0.2,
            batch_size=10, arch=(8, 8), activation="relu", output_activation="tanh",
            loss="cross-entropy", l1=0.002, l2=0.001, optimizer="adam", lr=0.05,
            schedule="step", seed=7,
        )  # fmt: skip
        assert app.explorer.session.config == expected
        trainer = app.explorer.session.trainer
        assert trainer.config == expected
        assert trainer.model.architecture == "2-8-8-3"  # an output per class
        assert trainer.model.output_activation == "tanh"
        assert (trainer.loss_name, trainer.batch_size) == ("cross-entropy", 10)
        assert (trainer.l1, trainer.l2) == (0.002, 0.001)
        assert len(trainer.dataset) == 24 and len(trainer.test) == 6  # 30, a fifth held out
        assert trainer.dataset.noise == 0.2 and trainer.dataset.n_classes == 3
        assert isinstance(trainer.optimizer, Adam)
        # step: 0.05 halved every 100 steps (RunConfig's decay_steps)
        assert [trainer.optimizer.schedule(k) for k in (0, 99, 100)] == [0.05, 0.05, 0.025]
        assert app.explorer.snapshot.step == 0 and app.explorer.snapshot.config == expected


async def test_the_csv_options_set_through_the_form_make_that_run(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = [f"{i},{i % 4},{i % 2}" for i in range(12)]
    (tmp_path / "iris.csv").write_text("\n".join(["size,kind,odd", *rows]) + "\n")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await set_option(pilot, "data", CSV_ONLY["data"])
        assert form.query_one("#field-dataset", Select).value == "csv"  # a file means csv
        assert shown(form, "loss") == "default (mse)"  # odd, the last column: two classes
        await set_option(pilot, "target", CSV_ONLY["target"])
        assert shown(form, "loss") == "default (cross-entropy)"  # kind: 0..3, four classes
        await set_option(pilot, "task", CSV_ONLY["task"])
        await set_option(pilot, "standardize", CSV_ONLY["standardize"])
        await apply(pilot)
        expected = RunConfig(
            dataset="csv", data=str(tmp_path / "iris.csv"), target="kind", task="classification",
            standardize=False,
        )  # fmt: skip
        assert app.explorer.session.config == expected
        trainer = app.explorer.session.trainer
        assert trainer.model.architecture == "2-16-16-4" and trainer.scaler is None
        assert trainer.dataset.classes == ("0", "1", "2", "3")
        assert app.explorer.status.text.split()[3] == "iris.csv"


async def test_the_loss_shown_after_choosing_moons_is_the_loss_applied(make_app):
    app = make_app()  # tiny: its default loss is sse
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        assert shown(form, "loss") == "default (sse)"
        await choose(pilot, "dataset", "moons")
        words = shown(form, "loss")
        assert words == "default (mse)"  # the mean on every data set but tiny
        loss = words.removeprefix("default (").removesuffix(")")
        assert explanation(form, "loss") == "mse: mean of (pred - y)² over the batch"
        await apply(pilot)
        assert app.explorer.session.config.loss == loss
        assert app.explorer.session.trainer.loss_name == loss
        assert app.explorer.snapshot.config.dataset == "moons"


async def test_a_loss_chosen_by_name_stays_through_a_change_of_data_set(make_app):
    app = make_app(dataset="moons", samples=12, loss="svm")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        assert shown(form, "loss") == "svm"
        await choose(pilot, "dataset", "xor")
        assert shown(form, "loss") == "svm"
        assert explanation(form, "loss") == "svm: max-margin hinge: mean of relu(1 - y·pred)"
        await apply(pilot)
        assert (app.explorer.session.config.dataset, app.explorer.session.trainer.loss_name) == (
            "xor",
            "svm",
        )


async def test_the_output_activation_shown_after_relu_is_the_one_applied(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        assert shown(form, "output_activation") == "default (tanh)"
        await choose(pilot, "activation", "relu")
        assert shown(form, "output_activation") == "default (linear)"  # relu could not be < 0
        await apply(pilot)
        assert app.explorer.session.config.output_activation is None
        assert app.explorer.session.trainer.model.output_activation == "linear"


async def test_samples_say_the_data_sets_default_and_tiny_takes_no_other(make_app):
    app = make_app(dataset="moons", samples=12)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        samples = form.query_one("#field-samples", Input)
        assert samples.value == "12"
        await choose(pilot, "dataset", "tiny")
        assert (samples.value, samples.placeholder) == ("", "default (4)")
        await choose(pilot, "dataset", "circles")
        assert samples.placeholder == "default (100)"
        await apply(pilot)
        assert (
            app.explorer.session.config.samples is None
            and len(app.explorer.session.trainer.dataset) == 100
        )


async def test_each_optimizer_and_schedule_is_explained_as_chosen(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        assert explanation(form, "optimizer") == "sgd: p -= lr·grad"
        await choose(pilot, "optimizer", "momentum")
        assert explanation(form, "optimizer") == "momentum: v = 0.9·v + grad; p -= lr·v"
        await choose(pilot, "schedule", "linear")
        assert explanation(form, "schedule") == (
            "linear: lr·(1 - 0.9·k/100) at step k; lr/10 from step 100 on"
        )
        await apply(pilot)
        optimizer = app.explorer.session.trainer.optimizer
        assert isinstance(optimizer, SGD) and optimizer.momentum == 0.9
        # 0.1 * (1 - 0.9 * 50/100) = 0.055, and 0.01 from step 100 on
        assert optimizer.schedule(50) == pytest.approx(0.055)
        assert optimizer.schedule(100) == optimizer.schedule(500) == pytest.approx(0.01)


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("arch", "4,x", "architecture '4,x': 'x' is not a whole number (expected e.g. 16,16)"),
        ("arch", "0", "architecture: layer sizes must be between 1 and 64, got 0"),
        (
            "arch",
            "4,4,4,4,4,4,4,4,4",
            "architecture: at most 8 hidden layers, got 9 "
            "(a scalar engine's graph grows with every layer)",
        ),
        ("classes", "3", "tiny has 2 classes; --classes applies to blobs and spiral"),
        ("test_fraction", "1", "test fraction must be at least 0 and below 1, got 1.0"),
        (
            "test_fraction",
            "0.1",
            "a test fraction of 0.1 holds out none of the 4 samples of tiny; use at least 0.25",
        ),
        ("lr", "-1", "learning rate must be > 0, got -1.0"),
        ("lr", "fast", "learning rate must be a number, got 'fast'"),
        ("samples", "0", "samples must be at least 1, got 0"),
        ("noise", "-0.5", "noise must be >= 0, got -0.5"),
        ("batch_size", "2.5", "batch size must be a whole number, got '2.5'"),
        ("l2", "lots", "L2 penalty must be a number, got 'lots'"),
        ("seed", "-1", "seed must be between 0 and 4294967295, got -1"),
        ("seed", "", "seed must be a whole number, got ''"),
        # values fine alone, wrong together: RunConfig's own words, naming the fields
        ("samples", "9", "the tiny data set has exactly 4 samples, not 9"),
        ("batch_size", "5", "batch size 5 is more than the 4 samples of tiny"),
    ],
)
async def test_a_bad_value_is_one_line_naming_the_field_and_changes_nothing(
    make_app, name, text, says
):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s")
        before = app.explorer.session.config
        trainer = app.explorer.session.trainer
        form = await open_form(pilot)
        await choose(pilot, "optimizer", "adam")  # a good change, made with the bad one
        await type_into(pilot, name, text)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, to correct the value
        assert error_line(form) == f"✗ {says}"
        await pilot.press("escape")
        await idle(pilot)
        assert app.explorer.session.config == before
        assert app.explorer.session.trainer is trainer and app.explorer.snapshot.step == 2


async def test_a_bad_csv_file_is_one_line_naming_the_cell_and_changes_nothing(make_app, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,y\n1,2,x\n3,oops,y\n")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        before, trainer = app.explorer.session.config, app.explorer.session.trainer
        form = await open_form(pilot)
        await type_into(pilot, "data", str(bad))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert error_line(form) == (
            f"✗ {bad}: row 3, column 'b': 'oops' is not a number "
            "(every column but the target must be numeric)"
        )
        await pilot.press("escape")
        await idle(pilot)
        assert app.explorer.session.config == before and app.explorer.session.trainer is trainer


async def test_a_bad_value_gets_the_focus(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await type_into(pilot, "lr", "-1")
        await pilot.press("shift+tab", "ctrl+s")
        await pilot.pause()
        assert form.focused is form.query_one("#field-lr")


async def test_a_new_learning_rate_alone_keeps_the_model_and_its_history(make_app):
    """What changed decides: the lr (constant schedule) is the running model's; the rest
    rebuild it (nn.config.what_changed)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s", "s")
        trainer = app.explorer.session.trainer
        await open_form(pilot)
        await type_into(pilot, "lr", "0.05")
        await apply(pilot)
        assert app.explorer.session.trainer is trainer and app.explorer.snapshot.step == 3
        assert trainer.optimizer.lr == 0.05 and app.explorer.session.config == RunConfig(lr=0.05)

        await open_form(pilot)
        await apply(pilot)  # nothing changed: nothing happens
        assert app.explorer.session.trainer is trainer and app.explorer.snapshot.step == 3

        await open_form(pilot)
        await type_into(pilot, "seed", "3")
        await apply(pilot)
        assert app.explorer.session.trainer is not trainer and app.explorer.snapshot.step == 0
        assert app.explorer.session.config == RunConfig(lr=0.05, seed=3)


def test_what_changed_lr_alone_only_with_a_constant_rate(tmp_path):
    from mg_tui.nn.config import what_changed

    base = RunConfig()
    assert what_changed(base, RunConfig()) == "nothing"
    assert what_changed(base, RunConfig(lr=0.5)) == "lr"
    assert what_changed(base, RunConfig(lr=0.5, schedule="linear")) == "rebuild"
    linear = RunConfig(schedule="linear")
    assert what_changed(linear, RunConfig(schedule="linear", lr=0.5)) == "rebuild"
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    one.write_text("a,b,k\n1,2,0\n3,4,1\n5,6,2\n")
    two.write_text("a,b,k\n1,2,0\n3,4,1\n5,6,1\n")
    csv = RunConfig(dataset="csv", data=str(one))
    for option in RUN_OPTIONS:
        if option.name == "lr":
            continue
        other = {"dataset": "xor", "samples": 20, "noise": 0.3, "batch_size": 2, "arch": (3,),
                 "activation": "relu", "output_activation": "linear", "loss": "mse",
                 "l1": 0.1, "l2": 0.5, "optimizer": "adam", "schedule": "step", "seed": 9,
                 "test_fraction": 0.5, "classes": 3}  # fmt: skip
        by_file = {"data": str(two), "target": "b", "task": "regression", "standardize": False}
        if option.name in by_file:
            changed = csv.changed(**{option.name: by_file[option.name]})
            assert what_changed(csv, changed) == "rebuild", option.name
            continue
        values = {option.name: other[option.name]}
        if option.name in ("samples", "test_fraction"):
            values["dataset"] = "xor"
        if option.name == "classes":
            values |= {"dataset": "spiral", "loss": "cross-entropy"}
        assert what_changed(base, RunConfig(**values)) == "rebuild", option.name


async def test_another_data_set_drops_what_only_the_old_one_took(make_app):
    app = make_app(dataset="spiral", classes=3, samples=12)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        assert form.query_one("#field-classes", Input).value == "3"
        await choose(pilot, "dataset", "moons")
        assert form.query_one("#field-classes", Input).value == ""  # moons has its 2
        assert shown(form, "loss") == "default (mse)"
        await apply(pilot)
        assert app.explorer.session.config == RunConfig(dataset="moons", samples=12)


async def test_served_the_form_reads_csv_files_only_inside_its_folder(
    make_app, tmp_path, monkeypatch
):
    from mg_tui.tui.app import MgApp

    outside = tmp_path / "elsewhere.csv"
    outside.write_text("a,b\n1,x\n2,y\n")
    inside = tmp_path / "here"
    inside.mkdir()
    (inside / "ok.csv").write_text("a,b\n1,x\n2,y\n")
    monkeypatch.chdir(inside)
    monkeypatch.setattr(MgApp, "is_web", property(lambda self: True))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        before = app.explorer.session.config
        form = await open_form(pilot)
        await type_into(pilot, "data", str(outside))
        assert shown(form, "loss") == "default"  # the file is not even read to say more
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_line(form) == (
            f"✗ CSV file: served, this app reads files only inside its folder {inside}"
        )
        await type_into(pilot, "data", "ok.csv")
        await apply(pilot)
        assert (
            app.explorer.session.config.data == str(inside / "ok.csv") and before.dataset == "tiny"
        )
