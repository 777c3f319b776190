"""RunConfig: defaults are the seeds' run; every bad setting is one clear ValueError."""

from __future__ import annotations

from dataclasses import replace

import pytest
from mg_tui.nn import SGD, Adam, RunConfig, build_trainer, parse_arch


def test_defaults_are_the_seeds_run() -> None:
    config = RunConfig()
    trainer = build_trainer(config)
    assert trainer.config is config
    assert trainer.model.architecture == "3-4-4-1" and trainer.model.num_parameters() == 41
    assert trainer.dataset.name == "tiny" and trainer.loss_name == "sse"
    assert isinstance(trainer.optimizer, SGD) and trainer.optimizer.lr == 0.1


def test_micrograd_demo_config() -> None:
    config = RunConfig(
        dataset="moons",
        arch=(16, 16),
        activation="relu",
        output_activation="linear",
        loss="svm",
        l2=1e-4,
        lr=1.0,
        schedule="linear",
        decay_steps=100,
    )
    lr = config.learning_rate()
    assert [lr(k) for k in (0, 50, 100)] == pytest.approx([1.0, 0.55, 0.1])
    model = config.make_model(2)
    assert model.architecture == "2-16-16-1" and model.output_activation == "linear"


def test_adam_and_step_schedule() -> None:
    trainer = build_trainer(
        RunConfig(dataset="xor", samples=10, optimizer="adam", schedule="step", decay_steps=2)
    )
    assert isinstance(trainer.optimizer, Adam)
    assert [trainer.optimizer.schedule(k) for k in (0, 2, 4)] == pytest.approx([0.1, 0.05, 0.025])


def test_dict_round_trip() -> None:
    config = RunConfig(dataset="circles", samples=50, arch=(8, 3), batch_size=10, seed=4)
    data = config.to_dict()
    assert data["arch"] == [8, 3]
    assert RunConfig.from_dict(data) == config


def test_parse_arch() -> None:
    assert parse_arch("16,16") == (16, 16)
    assert parse_arch(" 4, 4 ") == (4, 4)
    assert parse_arch("8 2") == (8, 2)
    assert parse_arch("") == parse_arch("none") == ()
    for bad in ["4,x", "0", "4,-1", "2000", "1.5"]:
        with pytest.raises(ValueError, match=r"architecture|layer sizes"):
            parse_arch(bad)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"dataset": "swirl"}, "unknown data set 'swirl'"),
        ({"samples": 10}, "exactly 4 samples"),
        ({"dataset": "moons", "samples": 1}, "at least 2 samples"),
        ({"samples": 0}, "samples must be at least 1"),
        ({"noise": -1.0}, "noise must be >= 0"),
        ({"activation": "swish"}, "unknown activation"),
        ({"output_activation": "softmax"}, "unknown output activation"),
        ({"loss": "hinge"}, "unknown loss"),
        ({"loss": "bce"}, "bce loss needs probabilities"),
        ({"optimizer": "rmsprop"}, "unknown optimizer"),
        ({"lr": 0.0}, "learning rate must be > 0"),
        ({"lr": float("nan")}, "learning rate must be a finite number"),
        ({"schedule": "cosine"}, "unknown schedule"),
        ({"batch_size": 5}, "batch size 5 is more than the 4 samples"),
        ({"l2": -1e-4}, "l2 must be >= 0"),
        ({"seed": -1}, "seed must be between"),
        ({"seed": 1.5}, "seed must be a whole number"),
        ({"arch": (4, 0)}, "layer sizes must be between"),
    ],
)
def test_bad_settings(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match) as caught:
        RunConfig(**kwargs)
    assert "\n" not in str(caught.value)


def test_bce_with_sigmoid_output_is_fine() -> None:
    config = RunConfig(loss="bce", output_activation="sigmoid")
    trainer = build_trainer(config)
    assert trainer.threshold == 0.5
    trainer.step()


def test_relu_hidden_layers_get_a_linear_output_by_default() -> None:
    # A relu output can never be negative, so it could not predict the -1 labels.
    assert RunConfig(activation="relu").effective_output_activation == "linear"
    assert RunConfig(activation="relu", output_activation="tanh").effective_output_activation == (
        "tanh"
    )
    assert RunConfig(activation="sigmoid").effective_output_activation == "sigmoid"


def test_default_loss_is_the_sum_on_tiny_and_the_mean_elsewhere() -> None:
    assert RunConfig().loss == "sse"
    assert RunConfig(dataset="moons").loss == "mse"
    assert RunConfig(dataset="moons", loss="svm").loss == "svm"


def test_a_default_loss_follows_a_change_of_data_set_but_a_chosen_one_stays() -> None:
    assert RunConfig().changed(dataset="moons").loss == "mse"
    assert RunConfig(loss="mse").changed(dataset="xor").loss == "mse"
    assert RunConfig(loss="svm").changed(dataset="xor").loss == "svm"
    assert RunConfig(dataset="moons").changed(dataset="tiny").loss == "sse"
    assert RunConfig().changed(lr=0.5).loss == "sse"


def test_each_schedule_does_what_its_explanation_says() -> None:
    """The settings form's lines for the schedules, against RunConfig.learning_rate()."""
    from mg_tui.nn.config import RUN_OPTIONS, SCHEDULES, SCHEDULES_EXPLAINED

    assert set(SCHEDULES_EXPLAINED) == set(SCHEDULES)
    schedule = next(o for o in RUN_OPTIONS if o.name == "schedule")
    config = RunConfig(lr=0.4, decay_steps=10)
    assert schedule.explanation("constant", config) == "constant: lr at every step"
    assert RunConfig(lr=0.4).learning_rate() == 0.4
    assert schedule.explanation("linear", config) == (
        "linear: lr·(1 - 0.9·k/10) at step k; lr/10 from step 10 on"
    )
    linear = replace(config, schedule="linear").learning_rate()
    assert [linear(k) for k in (0, 5, 10, 30)] == pytest.approx([0.4, 0.22, 0.04, 0.04])
    assert schedule.explanation("step", config) == "step: lr·0.5^(k // 10): halved every 10 steps"
    step = replace(config, schedule="step").learning_rate()
    assert [step(k) for k in (0, 9, 10, 25)] == pytest.approx([0.4, 0.4, 0.2, 0.1])


def test_another_data_set_drops_what_only_the_old_one_took(tmp_path) -> None:
    spiral = RunConfig(dataset="spiral", classes=4, samples=20)
    assert spiral.changed(dataset="moons") == RunConfig(dataset="moons", samples=20)
    assert spiral.changed(dataset="blobs").classes == 4  # blobs takes classes too
    path = tmp_path / "d.csv"
    path.write_text("a,b,y\n1,2,x\n3,4,y\n5,6,x\n")
    csv = RunConfig(dataset="csv", data=str(path), target="y")
    assert csv.changed(dataset="xor") == RunConfig(dataset="xor")
    assert spiral.changed(dataset="csv", data=str(path)).samples is None


def test_per_data_set_defaults_follow_and_chosen_ones_stay() -> None:
    from mg_tui.nn.config import DATA_DEFAULTS

    spiral = RunConfig(dataset="spiral")
    assert (spiral.arch, spiral.lr) == (DATA_DEFAULTS["spiral"].arch, DATA_DEFAULTS["spiral"].lr)
    assert RunConfig().changed(dataset="sine").lr == DATA_DEFAULTS["sine"].lr
    assert RunConfig(arch=(7,)).changed(dataset="sine").arch == (7,)
    three = RunConfig(dataset="spiral", classes=3)
    assert (three.loss, three.nouts[-1], three.effective_output_activation) == (
        "cross-entropy",
        3,
        "linear",
    )
    assert three.changed(classes=2).loss == "mse"  # the default follows the classes
