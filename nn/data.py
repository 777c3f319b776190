"""The built-in data sets, each seeded: classification (two or K classes) and regression.

Labels: with two classes the targets are +1 / -1 (class 1 / class 0), as the losses that
score one output (sse, mse, svm, bce) want them; with K > 2 classes a target is the
class index 0 .. K-1, for cross-entropy over K outputs. A regression target is any number.

scikit-learn is imported inside the functions that need it: a warm
`import sklearn.datasets` costs about a second, which neither `import nn` nor the
app's first frame should pay.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace

DATASETS = ("tiny", "xor", "moons", "circles", "blobs", "spiral", "sine")
# The data sets that take --classes (2 to MAX_BUILTIN_CLASSES); the others have two
# classes (sine: none, it is regression).
MULTICLASS = ("blobs", "spiral")
MAX_BUILTIN_CLASSES = 5
# The app imports scikit-learn from two worker threads at once (a lesson's graph and its
# facts); one import at a time, or the second can see a half-initialised sklearn.
_SKLEARN_IMPORT = threading.Lock()
BINARY = ("-1", "+1")  # the class names of a two-class built-in set: target -1 is class 0
SPIRAL_TURNS = 1.0  # each arm winds once round the centre
SINE_RANGE = 3.0  # sine's x is uniform in [-3, 3]: about one period

# The seeds' four samples for the 41-parameter 3-4-4-1 network.
TINY_XS = ((2.0, 3.0, -1.0), (3.0, -1.0, 0.5), (0.5, 1.0, 1.0), (1.0, 1.0, -1.0))
TINY_YS = (1.0, -1.0, -1.0, 1.0)

# A full-batch step builds about 380 nodes a sample for a 2-16-16-1 network: 10,000
# samples is a 3.8-million-node graph, about a gigabyte and several seconds a step.
MAX_SAMPLES = 10_000

DEFAULT_SIZES = {name: 100 for name in DATASETS} | {"tiny": 4}
N_FEATURES = {name: 2 for name in DATASETS} | {"tiny": 3, "sine": 1}


@dataclass(frozen=True)
class Dataset:
    """Inputs `xs` (one tuple of floats per sample) and targets `ys` (see the module doc).

    `classes` names the classes in label order (() for regression); `noise` and `seed`
    record how it was made, so a saved session can make it again.
    """

    name: str
    xs: tuple[tuple[float, ...], ...]
    ys: tuple[float, ...]
    noise: float = 0.0
    seed: int = 0
    classes: tuple[str, ...] = BINARY
    features: tuple[str, ...] = ()  # the columns' names, for a CSV file

    @property
    def n_features(self) -> int:
        return len(self.xs[0])

    @property
    def n_classes(self) -> int:
        """How many classes (0 for regression)."""
        return len(self.classes)

    @property
    def regression(self) -> bool:
        return not self.classes

    def label(self, y: float) -> int:
        """The class index of target `y`: with two classes +1 is class 1, -1 class 0."""
        return int(y > 0) if self.n_classes == 2 else int(y)

    @property
    def labels(self) -> tuple[int, ...]:
        """Every sample's class index (classification only)."""
        return tuple(self.label(y) for y in self.ys)

    def subset(self, indices: Sequence[int]) -> Dataset:
        """The samples at `indices`, in that order (a training or a test split)."""
        return replace(
            self, xs=tuple(self.xs[i] for i in indices), ys=tuple(self.ys[i] for i in indices)
        )

    def __len__(self) -> int:
        return len(self.xs)

    def bounds(self, margin: float = 0.5) -> tuple[float, float, float, float]:
        """(xmin, xmax, ymin, ymax) of the first two features, widened by `margin`."""
        x0 = [x[0] for x in self.xs]
        x1 = [x[1] for x in self.xs]
        return min(x0) - margin, max(x0) + margin, min(x1) - margin, max(x1) + margin


def load_dataset(
    name: str,
    n_samples: int | None = None,
    *,
    noise: float = 0.1,
    seed: int = 0,
    classes: int | None = None,
) -> Dataset:
    """Make the named built-in data set (one of DATASETS); `classes` for blobs and spiral."""
    if not isinstance(name, str) or name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}")
    k = check_classes(name, classes)
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
    if n < k:
        raise ValueError(f"{name} with {k} classes needs at least {k} samples, got {n}")
    if name == "xor":
        return _xor(n, noise, seed)
    if name == "spiral":
        return _spiral(n, noise, seed, k)
    if name == "sine":
        return _sine(n, noise, seed)
    return _sklearn(name, n, noise, seed, k)


def check_classes(name: str, classes: int | None) -> int:
    """The number of classes of built-in `name` (0 for sine); `classes` None is its default."""
    if name == "sine":
        if classes is not None:
            raise ValueError("sine is regression: it has no classes (leave --classes out)")
        return 0
    if classes is None:
        return 2
    if isinstance(classes, bool) or not isinstance(classes, int):
        raise ValueError(f"classes must be a whole number, got {classes!r}")
    if name not in MULTICLASS:
        if classes != 2:
            raise ValueError(
                f"{name} has 2 classes; --classes applies to {' and '.join(MULTICLASS)}"
            )
        return 2
    if not 2 <= classes <= MAX_BUILTIN_CLASSES:
        raise ValueError(f"{name} takes 2 to {MAX_BUILTIN_CLASSES} classes, got {classes}")
    return classes


def class_names(k: int) -> tuple[str, ...]:
    """A built-in set's class names: -1 and +1 for two classes, else 0 .. k-1."""
    return BINARY if k == 2 else tuple(str(c) for c in range(k))


def target_of(label: int, k: int) -> float:
    """The target of class `label` among `k` (see the module doc): ±1, or the index."""
    if k == 2:
        return 1.0 if label == 1 else -1.0
    return float(label)


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


def _spiral(n: int, noise: float, seed: int, k: int) -> Dataset:
    """k arms winding out from the centre, sample i on arm i % k (Playground's spiral, k arms).

    Along an arm the radius grows from 0 to 1 while the angle turns SPIRAL_TURNS times;
    arm c starts turned by c/k of a circle. Gaussian noise of deviation `noise` is added
    to each coordinate.
    """
    rng = random.Random(seed)
    per_arm = -(-n // k)  # the longest arm's samples
    xs, ys = [], []
    for i in range(n):
        arm, step = i % k, i // k
        t = step / per_arm
        angle = 2.0 * math.pi * (SPIRAL_TURNS * t + arm / k)
        xs.append(
            (t * math.sin(angle) + rng.gauss(0, noise), t * math.cos(angle) + rng.gauss(0, noise))
        )
        ys.append(target_of(arm, k))
    return Dataset("spiral", tuple(xs), tuple(ys), noise, seed, class_names(k))


def _sine(n: int, noise: float, seed: int) -> Dataset:
    """Regression: x uniform in [-SINE_RANGE, SINE_RANGE], y = sin(x) + gaussian noise."""
    rng = random.Random(seed)
    xs, ys = [], []
    for _ in range(n):
        x = rng.uniform(-SINE_RANGE, SINE_RANGE)
        xs.append((x,))
        ys.append(math.sin(x) + rng.gauss(0, noise))
    return Dataset("sine", tuple(xs), tuple(ys), noise, seed, classes=())


def _sklearn(name: str, n: int, noise: float, seed: int, k: int = 2) -> Dataset:
    with _SKLEARN_IMPORT:
        from sklearn import datasets  # lazy: see the module docstring

    if name == "moons":
        X, y = datasets.make_moons(n_samples=n, noise=noise, random_state=seed)
    elif name == "circles":
        X, y = datasets.make_circles(n_samples=n, noise=noise, factor=0.5, random_state=seed)
    else:
        X, y = datasets.make_blobs(
            n_samples=n, centers=k, n_features=2, cluster_std=1.0 + 10 * noise, random_state=seed
        )
    xs = tuple((float(a), float(b)) for a, b in X)
    ys = tuple(target_of(int(label), k) for label in y)
    return Dataset(name, xs, ys, noise, seed, class_names(k))
