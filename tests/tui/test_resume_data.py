"""The recovery file (`--resume`) and a loaded model carry their data: a CSV's path, its hash,
the split and the scaler; a CSV changed since is said on load, in the app."""

from __future__ import annotations

from mg_tui.nn import RunConfig, build_trainer, load_trainer
from mg_tui.tui.app import MgApp
from mg_tui.tui.core.session import Command, Session
from mg_tui.tui.recovery import resumable, save_trainer_privately

from tests.tui.conftest import idle, press


def csv_file(path, shift: float = 0.0):
    rows = [f"{i + shift},{(i * 7) % 5},{'ab'[i % 2]}" for i in range(20)]
    path.write_text("\n".join(["x1,x2,kind", *rows]) + "\n")
    return path


def test_the_recovery_file_resumes_the_split_and_the_scaler(tmp_path, monkeypatch):
    monkeypatch.setenv("MG_TUI_STATE_DIR", str(tmp_path / "state"))
    data = csv_file(tmp_path / "d.csv")
    trainer = build_trainer(RunConfig(dataset="csv", data=str(data), test_fraction=0.25))
    trainer.step(), trainer.step()
    save_trainer_privately(trainer)
    resumed = load_trainer(resumable())
    assert resumed.config == trainer.config and resumed.scaler == trainer.scaler
    assert resumed.test.xs == trainer.test.xs and resumed.dataset.xs == trainer.dataset.xs
    assert resumed.history == trainer.history and resumed.history[-1].test_loss is not None
    assert resumed.data_sha256 == trainer.data_sha256 and resumed.data_warning == ""


def test_the_session_keeps_what_a_load_found_changed(tmp_path):
    data = csv_file(tmp_path / "d.csv")
    trainer = build_trainer(RunConfig(dataset="csv", data=str(data)))
    trainer.step()
    from mg_tui.nn import save_trainer

    model = save_trainer(tmp_path / "m.json", trainer)
    csv_file(data, shift=0.5)  # the same columns, other numbers
    session = Session(RunConfig())
    session.run(Command("load", str(model)))
    assert session.load_warning.startswith(f"{data} has changed since this model was saved")


async def test_the_app_says_a_loaded_models_csv_changed(tmp_path):
    data = csv_file(tmp_path / "d.csv")
    trainer = build_trainer(RunConfig(dataset="csv", data=str(data)))
    trainer.step()
    from mg_tui.nn import save_trainer

    model = save_trainer(tmp_path / "m.json", trainer)
    csv_file(data, shift=0.5)
    app = MgApp(RunConfig(), load=str(model))
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "s")
        said = " ".join(str(n.message) for n in app._notifications)
        assert f"{data} has changed since this model was saved" in said
        assert app.explorer.snapshot.data_name == "d.csv" and app.explorer.snapshot.step == 2
