"""`mg-tui [options]`: the app's command line, with one-line errors and exit status 2."""

from __future__ import annotations

import pytest
from mg_tui.tui import cli
from mg_tui.tui.core.lessons import LESSONS


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


def test_micrograds_demo_runs_in_the_app_too():
    """--schedule: the demo's decaying rate (1.0 down to 0.1 over 100 steps)."""
    _, config = parse(
        "--dataset", "moons", "--arch", "16,16", "--activation", "relu",
        "--loss", "svm", "--l2", "1e-4", "--lr", "1.0", "--schedule", "linear",
    )  # fmt: skip
    assert (config.schedule, config.decay_steps, config.lr, config.l2) == ("linear", 100, 1.0, 1e-4)
    rate = config.learning_rate()
    assert rate(0) == 1.0 and abs(rate(99) - 0.109) < 1e-12
    assert parse()[1].schedule == "constant"


def test_help_shows_metavars_and_defaults(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "APP_" not in out
    for usage in ("--samples N", "--noise X", "--arch SIZES", "--lr LR", "--batch-size N"):
        assert usage in out
    for usage in ("--l2 X", "--seed SEED", "--schedule {constant,linear,step}"):
        assert usage in out
    words = " ".join(out.split())  # argparse wraps the help
    assert "learning rate (0.1; 0.3 for spiral; 0.05 for sine)" in words
    assert "random seed for weights, data, the test split and batches (0)" in words
    for usage in ("--test-fraction F", "--classes K", "--data FILE.csv", "--target NAME"):
        assert usage in out
    assert "--no-standardize" in out and "--l1 X" in out


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("mg-tui ") and out.count("\n") == 1


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
        (["--lr", "-1"], "learning rate must be > 0"),
        (["--arch", "0"], "layer sizes"),
        (["--arch", "a,b"], "architecture"),
        (["--seed", "-1"], "seed must be between 0"),
        (["--dataset", "nope"], "invalid choice"),
        (["--samples", "1"], "4 samples"),
        (["--dataset", "moons", "--samples", "1"], "at least 2 samples"),
        (["--schedule", "cosine"], "invalid choice"),
        (["--theme", "nope"], "unknown theme"),
        (["expr", "a +", "a=1"], "syntax"),
        (["expr", "a", "a=x"], "a="),
        # app options before a command would be dropped without a word: an error instead
        (["--dataset", "moons", "serve"], "--dataset goes after the command: mg-tui serve"),
        (["--arch", "8,8", "train"], "--arch goes after the command: mg-tui train"),
        (["--presenter", "serve"], "--presenter goes after the command"),
        (["--theme", "nord", "tour"], "--theme is an option of the app; mg-tui tour does not"),
        (["--load", "m.json", "expr", "a"], "--load is an option of the app"),
    ],
)
def test_bad_options_give_one_line_and_exit_2(argv, needle, capsys, monkeypatch):
    monkeypatch.setattr(cli, "run_app", lambda *a, **k: pytest.fail("the app ran"))
    monkeypatch.setattr(cli.serve, "run", lambda *a: pytest.fail("the server ran"))
    monkeypatch.setattr(cli.train_command, "run", lambda *a: pytest.fail("train ran"))
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("mg-tui: error: ")
    assert needle in err
    assert capsys.readouterr().out == ""


def test_options_after_the_command_are_the_commands(monkeypatch):
    seen = {}
    monkeypatch.setattr(cli.serve, "run", lambda args: seen.setdefault("serve", args) and 0)
    monkeypatch.setattr(cli.train_command, "run", lambda args: seen.setdefault("train", args) and 0)
    cli.main(["serve", "--dataset", "moons", "--schedule", "linear"])
    cli.main(["train", "--dataset", "moons", "--steps", "1"])
    assert (seen["serve"].app_dataset, seen["serve"].app_schedule) == ("moons", "linear")
    assert seen["train"].dataset == "moons"


def test_no_command_runs_the_app(monkeypatch):
    seen = {}

    def fake_run_app(config, load=None):
        seen["config"], seen["load"] = config, load
        return 0

    monkeypatch.setattr(cli, "run_app", fake_run_app)
    assert cli.main(["--dataset", "xor", "--load", "m.json"]) == 0
    assert seen["config"].dataset == "xor"
    assert seen["load"] == "m.json"


def test_run_options_are_declared_once_for_every_runconfig_field():
    """Both parsers are made from one table, which covers every field a user sets."""
    from dataclasses import fields

    from mg_tui.nn.config import NOT_OPTIONS, RUN_OPTIONS, RunConfig

    declared = [o.name for o in RUN_OPTIONS]
    assert len(declared) == len(set(declared))
    assert set(declared) == {f.name for f in fields(RunConfig)} - NOT_OPTIONS


@pytest.mark.parametrize("command", [[], ["train"]])
def test_both_parsers_take_every_run_option_the_same_way(command):
    """`mg-tui …` and `mg-tui train …` turn the same flags into the same RunConfig."""
    from mg_tui.tui.train_command import config_from_args

    given = [
        "--dataset", "moons", "--samples", "30", "--noise", "0.2", "--arch", "8,8",
        "--activation", "relu", "--output-activation", "tanh", "--loss", "svm",
        "--optimizer", "adam", "--lr", "0.05", "--schedule", "step", "--batch-size", "10",
        "--l2", "0.001", "--seed", "7",
    ]  # fmt: skip
    parser = cli.build_parser()
    args = parser.parse_args([*command, *given])
    config = config_from_args(args) if command else cli.app_config(args, parser)
    assert (config.dataset, config.samples, config.noise, config.arch) == ("moons", 30, 0.2, (8, 8))
    assert (config.activation, config.output_activation, config.loss) == ("relu", "tanh", "svm")
    assert (config.optimizer, config.lr, config.schedule) == ("adam", 0.05, "step")
    assert (config.batch_size, config.l2, config.seed) == (10, 0.001, 7)


def _subparser(parser, command: str):
    if not command:
        return parser
    subcommands = next(a for a in parser._actions if isinstance(a, cli.Subcommands))
    return subcommands.choices[command]


@pytest.mark.parametrize(("command", "prefix"), [("", "app_"), ("train", ""), ("serve", "app_")])
def test_each_parser_takes_exactly_the_declared_run_options(command, prefix):
    """Made from RUN_OPTIONS: every declared flag, parsed by its option, and no other flag
    sets a RunConfig field."""
    from dataclasses import fields

    from mg_tui.nn.config import RUN_OPTIONS, RunConfig

    parser = cli.build_parser()
    names = {f.name for f in fields(RunConfig)}
    setting_a_field = {
        flag
        for action in _subparser(parser, command)._actions
        if action.dest.removeprefix(prefix) in names
        for flag in action.option_strings
    }
    assert setting_a_field == {option.flag for option in RUN_OPTIONS}
    for option in RUN_OPTIONS:
        if option.switch:  # --no-standardize: no value, it turns the default off
            args = parser.parse_args([*filter(None, [command]), option.flag])
            assert getattr(args, prefix + option.name) is (not option.default), option.flag
            continue
        text = option.choices[-1] if option.choices else option.example
        args = parser.parse_args([*filter(None, [command]), option.flag, text])
        expected = text if option.choices else option.parse(text)
        assert getattr(args, prefix + option.name) == expected, option.flag
        assert expected != option.default, option.flag  # so the option did set it


# -- mg-tui tour ------------------------------------------------------------------------------


def test_tour_list_prints_every_lesson_one_a_line_and_exits_0(capsys, monkeypatch):
    from mg_tui.tui import explore
    from mg_tui.tui.core.lessons import LESSONS

    monkeypatch.setattr(explore, "_run", lambda prepare: pytest.fail("the app ran"))
    assert cli.main(["tour", "--list"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == len(LESSONS) >= 12
    assert lines[0] == "1  The derivative of x**2 at 3"
    assert lines[3] == "4  The lecture's graph: L = d*f, by hand"
    assert lines[8] == "9  Bug lab: = instead of +="
    for number, (line, lesson) in enumerate(zip(lines, LESSONS, strict=True), start=1):
        assert line == f"{number}  {lesson.title.split('. ', 1)[1]}"
    assert captured.err == ""


def test_tour_list_needs_no_terminal():
    """A pipe for every stream: the list is printed all the same, exit status 0."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import sys; from mg_tui.tui.cli import main; sys.exit(main())",
         "tour", "--list"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[12] == "13  Bug lab: recursion on a 5,000-deep chain"
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("argv", "opened"),
    [
        (["tour"], 0),
        (["tour", "9"], 8),
        (["tour", "13"], 12),
        (["tour", "--lesson", "4"], 3),
        (["tour", "--lesson=1"], 0),
        (["tour", "5", "--lesson", "5"], 4),
    ],
)
def test_tour_n_opens_lesson_n(argv, opened, monkeypatch):
    from mg_tui.tui import explore

    seen = []

    class FakeExplorer:
        def start_with_tour(self, number):
            seen.append(number)

    class FakeApp:
        explorer = FakeExplorer()

    monkeypatch.setattr(explore, "_run", lambda prepare: prepare(FakeApp()) or 0)
    assert cli.main(argv) == 0
    assert seen == [opened]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["tour", "0"], f"no lesson 0; the lessons are 1 to {len(LESSONS)}"),
        (["tour", str(len(LESSONS) + 1)], f"no lesson {len(LESSONS) + 1}; the lessons are 1 to"),
        (["tour", "-1"], "no lesson -1"),
        (["tour", "--lesson", "99"], "no lesson 99"),
        (["tour", "3", "--lesson", "4"], "lesson 3 or --lesson 4? give one"),
        (["tour", "x"], "invalid int value: 'x'"),
        (["tour", "3", "4"], "unrecognized arguments: 4"),
    ],
)
def test_a_bad_tour_lesson_is_one_line_and_exit_2(argv, needle, capsys, monkeypatch):
    from mg_tui.tui import explore

    monkeypatch.setattr(explore, "_run", lambda prepare: pytest.fail("the app ran"))
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("mg-tui")
    assert needle in err
