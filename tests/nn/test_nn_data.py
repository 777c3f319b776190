"""Data sets: shapes, +/-1 labels, seeds, errors, and no scikit-learn at import."""

from __future__ import annotations

import subprocess
import sys

import pytest
from mg_tui.nn import DATASETS, load_dataset


def test_tiny_is_the_seeds_four_samples() -> None:
    data = load_dataset("tiny")
    assert data.xs == ((2.0, 3.0, -1.0), (3.0, -1.0, 0.5), (0.5, 1.0, 1.0), (1.0, 1.0, -1.0))
    assert data.ys == (1.0, -1.0, -1.0, 1.0)
    assert len(data) == 4 and data.n_features == 3


@pytest.mark.parametrize("name", ["xor", "moons", "circles", "blobs"])
def test_shapes_labels_and_seeds(name: str) -> None:
    data = load_dataset(name, 40, noise=0.1, seed=3)
    assert len(data) == 40 and len(data.ys) == 40
    assert all(len(x) == 2 and all(isinstance(v, float) for v in x) for x in data.xs)
    assert set(data.ys) == {1.0, -1.0}
    assert (data.name, data.noise, data.seed) == (name, 0.1, 3)
    assert load_dataset(name, 40, noise=0.1, seed=3) == data
    assert load_dataset(name, 40, noise=0.1, seed=4).xs != data.xs


def test_default_sizes() -> None:
    assert len(load_dataset("xor")) == 100
    assert len(load_dataset("moons")) == 100


def test_bounds_cover_the_data() -> None:
    data = load_dataset("xor", 20, seed=1)
    x0, x1, y0, y1 = data.bounds(margin=0.0)
    assert all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in data.xs)


def test_unknown_name() -> None:
    with pytest.raises(ValueError, match=r"unknown data set 'swirl'; choose one of tiny"):
        load_dataset("swirl")
    assert "swirl" not in DATASETS


@pytest.mark.parametrize("n", [0, 1, -5, 2.5, True, 200_000])
def test_bad_sizes(n) -> None:
    with pytest.raises(ValueError, match="samples"):
        load_dataset("moons", n)


def test_tiny_has_exactly_four_samples() -> None:
    with pytest.raises(ValueError, match="exactly 4 samples"):
        load_dataset("tiny", 10)


@pytest.mark.parametrize("noise", [-0.1, float("nan"), float("inf")])
def test_bad_noise(noise: float) -> None:
    with pytest.raises(ValueError, match="noise"):
        load_dataset("xor", 10, noise=noise)


def test_import_nn_does_not_import_sklearn() -> None:
    code = (
        "import sys\nfrom mg_tui import nn\nimport mg_tui.tui.options\n"
        "t = nn.build_trainer(nn.RunConfig())\n"
        "t.step()\n"
        "nn.load_dataset('xor', 10)\n"
        "assert 'sklearn' not in sys.modules, 'sklearn was imported'\n"
        "nn.load_dataset('moons', 10)\n"
        "assert 'sklearn' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
