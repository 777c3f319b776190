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


# -- spiral, blobs with K classes, sine -------------------------------------------------


@pytest.mark.parametrize(("name", "k"), [("spiral", 2), ("spiral", 3), ("spiral", 5), ("blobs", 3)])
def test_k_class_shapes_labels_and_seeds(name: str, k: int) -> None:
    data = load_dataset(name, 30, noise=0.1, seed=3, classes=k)
    assert len(data) == 30 and data.n_features == 2 and data.n_classes == k
    # two classes: +1/-1, as every one-output loss takes them; more: the class index
    expected = {-1.0, 1.0} if k == 2 else {float(c) for c in range(k)}
    assert set(data.ys) == expected
    assert sorted(set(data.labels)) == list(range(k))
    assert load_dataset(name, 30, noise=0.1, seed=3, classes=k) == data
    assert load_dataset(name, 30, noise=0.1, seed=4, classes=k).xs != data.xs


def test_spiral_arms_wind_out_from_the_centre() -> None:
    import math

    data = load_dataset("spiral", 40, noise=0.0, classes=2)
    radii = [math.hypot(*x) for x in data.xs]
    arm0 = [r for r, y in zip(radii, data.ys) if y < 0]
    assert arm0 == sorted(arm0) and arm0[0] == 0.0 and max(radii) < 1.0
    # without noise the two arms are the same curve turned half a circle: x -> -x
    for (a, b), (c, d) in zip(data.xs[0::2], data.xs[1::2]):
        assert (c, d) == pytest.approx((-a, -b), abs=1e-12)


def test_sine_is_sin_x_plus_noise_in_one_feature() -> None:
    import math

    clean = load_dataset("sine", 25, noise=0.0, seed=2)
    assert clean.n_features == 1 and clean.regression and clean.n_classes == 0
    assert all(-3.0 <= x <= 3.0 and y == math.sin(x) for (x,), y in zip(clean.xs, clean.ys))
    noisy = load_dataset("sine", 400, noise=0.2, seed=2)
    residuals = [y - math.sin(x) for (x,), y in zip(noisy.xs, noisy.ys)]
    spread = (sum(r * r for r in residuals) / len(residuals)) ** 0.5
    assert 0.17 < spread < 0.23  # the noise's deviation, from 400 draws


@pytest.mark.parametrize(
    ("name", "classes", "says"),
    [
        ("spiral", 6, "spiral takes 2 to 5 classes, got 6"),
        ("blobs", 1, "blobs takes 2 to 5 classes, got 1"),
        ("moons", 3, "moons has 2 classes; --classes applies to blobs and spiral"),
        ("sine", 2, "sine is regression: it has no classes"),
    ],
)
def test_classes_only_where_they_apply(name: str, classes: int, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        load_dataset(name, 20, classes=classes)


# -- the test split and the scaler --------------------------------------------------------


def test_the_split_is_seeded_disjoint_and_covers_every_sample() -> None:
    from mg_tui.nn.split import split, split_indices

    train, test = split_indices(50, 0.3, seed=7)
    assert len(test) == 15 and len(train) == 35
    assert sorted(train + test) == list(range(50))
    assert split_indices(50, 0.3, seed=7) == (train, test)
    assert split_indices(50, 0.3, seed=8) != (train, test)
    data = load_dataset("xor", 50, seed=1)
    a, b = split(data, 0.3, seed=7)
    assert a.xs == tuple(data.xs[i] for i in train) and b.ys == tuple(data.ys[i] for i in test)
    assert split(data, 0.0, seed=7) == (data, None)


def test_the_scaler_centres_and_scales_each_feature() -> None:
    from mg_tui.nn.split import Scaler

    xs = [(1.0, 1000.0), (3.0, 3000.0), (5.0, 2000.0), (7.0, 2000.0)]
    scaler = Scaler.fit(xs)
    assert scaler.means == (4.0, 2000.0)
    # population deviations: sqrt((9+1+1+9)/4) and sqrt((1e6+1e6+0+0)/4)
    assert scaler.stds == pytest.approx((5.0**0.5, 500_000**0.5))
    scaled = [scaler.apply(x) for x in xs]
    for column in zip(*scaled):
        assert sum(column) == pytest.approx(0.0, abs=1e-12)
        assert sum(v * v for v in column) / 4 == pytest.approx(1.0)
    constant = Scaler.fit([(2.0,), (2.0,)])
    assert constant.apply((2.0,)) == (0.0,) and constant.stds == (1.0,)
    assert Scaler.from_dict(scaler.to_dict()) == scaler
