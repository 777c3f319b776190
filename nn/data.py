"""Data sets for binary classification, all with labels +1 / -1 and a seed.

scikit-learn is imported inside the functions that need it: a warm
`import sklearn.datasets` costs about a second, which neither `import nn` nor the
app's first frame should pay.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

DATASETS = ("tiny", "xor", "moons", "circles", "blobs")

# The seeds' four samples for the 41-parameter 3-4-4-1 network.
TINY_XS = ((2.0, 3.0, -1.0), (3.0, -1.0, 0.5), (0.5, 1.0, 1.0), (1.0, 1.0, -1.0))
TINY_YS = (1.0, -1.0, -1.0, 1.0)

# A full-batch step builds about 380 nodes a sample for a 2-16-16-1 network: 10,000
# samples is a 3.8-million-node graph, about a gigabyte and several seconds a step.
MAX_SAMPLES = 10_000

DEFAULT_SIZES = {"tiny": 4, "xor": 100, "moons": 100, "circles": 100, "blobs": 100}


@dataclass(frozen=True)
class Dataset:
    """Inputs `xs` (one tuple of floats per sample) and labels `ys` (each +1.0 or -1.0).

    `noise` and `seed` record how it was made, so a saved session can make it again.
    """

    name: str
    xs: tuple[tuple[float, ...], ...]
    ys: tuple[float, ...]
    noise: float = 0.0
    seed: int = 0

    @property
    def n_features(self) -> int:
        return len(self.xs[0])

    def __len__(self) -> int:
        return len(self.xs)

    def bounds(self, margin: float = 0.5) -> tuple[float, float, float, float]:
        """(xmin, xmax, ymin, ymax) of the first two features, widened by `margin`."""
        x0 = [x[0] for x in self.xs]
        x1 = [x[1] for x in self.xs]
        return min(x0) - margin, max(x0) + margin, min(x1) - margin, max(x1) + margin


def load_dataset(
    name: str, n_samples: int | None = None, *, noise: float = 0.1, seed: int = 0
) -> Dataset:
    """Make the named data set ("tiny", "xor", "moons", "circles" or "blobs")."""
    if not isinstance(name, str) or name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}")
    if name == "tiny":
        if n_samples not in (None, 4):
            raise ValueError(f"the tiny data set has exactly 4 samples, not {n_samples}")
        return Dataset("tiny", TINY_XS, TINY_YS)
    n = DEFAULT_SIZES[name] if n_samples is None else n_samples
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"{name} needs at least 2 samples, got {n_samples!r}")
    if n > MAX_SAMPLES:
        raise ValueError(
            f"{name}: {n} samples is more than a scalar engine can train; use <= {MAX_SAMPLES}"
        )
    if not noise >= 0 or noise == float("inf"):  # also refuses NaN
        raise ValueError(f"noise must be a finite number >= 0, got {noise}")
    if name == "xor":
        return _xor(n, noise, seed)
    return _sklearn(name, n, noise, seed)


def _xor(n: int, noise: float, seed: int) -> Dataset:
    """Points in the four quadrants; +1 where the signs of the two coordinates agree."""
    rng = random.Random(seed)
    xs, ys = [], []
    for i in range(n):
        sx = 1.0 if i % 2 == 0 else -1.0
        sy = 1.0 if (i // 2) % 2 == 0 else -1.0
        x = (
            sx * (0.5 + rng.random() * 0.5) + rng.gauss(0, noise),
            sy * (0.5 + rng.random() * 0.5) + rng.gauss(0, noise),
        )
        xs.append(x)
        ys.append(1.0 if sx * sy > 0 else -1.0)
    return Dataset("xor", tuple(xs), tuple(ys), noise, seed)


def _sklearn(name: str, n: int, noise: float, seed: int) -> Dataset:
    from sklearn import datasets  # lazy: see the module docstring

    if name == "moons":
        X, y = datasets.make_moons(n_samples=n, noise=noise, random_state=seed)
    elif name == "circles":
        X, y = datasets.make_circles(n_samples=n, noise=noise, factor=0.5, random_state=seed)
    else:
        X, y = datasets.make_blobs(
            n_samples=n, centers=2, n_features=2, cluster_std=1.0 + 10 * noise, random_state=seed
        )
    xs = tuple((float(a), float(b)) for a, b in X)
    ys = tuple(1.0 if label == 1 else -1.0 for label in y)
    return Dataset(name, xs, ys, noise, seed)
