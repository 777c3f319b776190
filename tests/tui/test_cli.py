"""`mg-tui [options]`: the app's command line, with one-line errors and exit status 2."""

from __future__ import annotations

import pytest

from tui import cli


def parse(*argv: str):
    parser = cli.build_parser()
    args = parser.parse_args(list(argv))
    return args, cli.app_config(args, parser)


def test_defaults_are_the_seeds_network():
    args, config = parse()
    assert args.command is None
    assert (config.dataset, config.arch, config.activation) == ("tiny", (4, 4), "tanh")
    assert (config.loss, config.optimizer, config.lr) == ("sse", "sgd", 0.1)


def test_options_make_a_run_config():
    _, config = parse(
        "--dataset", "moons", "--arch", "16,16", "--activation", "relu", "--lr", "0.05",
        "--seed", "1", "--samples", "50", "--loss", "svm", "--output-activation", "linear",
    )  # fmt: skip
    assert config.dataset == "moons"
    assert config.arch == (16, 16)
    assert config.activation == "relu"
    assert config.output_activation == "linear"
    assert config.lr == 0.05
    assert config.seed == 1
    assert config.samples == 50


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--lr", "-1"], "learning rate"),
        (["--lr", "abc"], "learning rate"),
        (["--arch", "4,x"], "architecture"),
        (["--dataset", "mnist"], "invalid choice"),
        (["--activation", "gelu"], "invalid choice"),
        (["--seed", "-3"], "seed"),
        (["--loss", "bce"], "sigmoid"),
        (["--dataset", "tiny", "--samples", "9"], "tiny"),
        (["--batch-size", "0"], "batch size"),
        (["--bogus"], "unrecognized"),
    ],
)
def test_bad_options_give_one_line_and_exit_2(argv, needle, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("mg-tui: error: ")
    assert needle in err


def test_no_command_runs_the_app(monkeypatch):
    seen = {}

    def fake_run_app(config, load=None):
        seen["config"], seen["load"] = config, load
        return 0

    monkeypatch.setattr(cli, "run_app", fake_run_app)
    assert cli.main(["--dataset", "xor", "--load", "m.json"]) == 0
    assert seen["config"].dataset == "xor"
    assert seen["load"] == "m.json"
