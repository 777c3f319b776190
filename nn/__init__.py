"""A small neural-network library on the engine: models, losses, optimizers, data.

>>> from nn import MLP
>>> MLP(3, [4, 4, 1]).num_parameters()
41
"""

from mg_tui.nn.config import SCHEDULES, RunConfig, build_trainer, parse_arch
from mg_tui.nn.data import DATASETS, Dataset, load_dataset
from mg_tui.nn.layers import ACTIVATIONS, MLP, Layer, Neuron
from mg_tui.nn.losses import (
    LOSSES,
    accuracy,
    binary_cross_entropy,
    l2_regularization,
    mean_squared_error,
    sum_squared_error,
    svm_max_margin,
)
from mg_tui.nn.module import Module
from mg_tui.nn.optim import (
    OPTIMIZERS,
    SGD,
    Adam,
    Optimizer,
    constant,
    linear_decay,
    make_optimizer,
    step_decay,
)
from mg_tui.nn.roles import Role
from mg_tui.nn.serialize import (
    ModelFileError,
    ModelFileExists,
    SavedModel,
    load_model,
    load_parameters,
    load_trainer,
    save_model,
    save_trainer,
)
from mg_tui.nn.trainer import (
    PHASES,
    DecisionGrid,
    PhaseError,
    StepRecord,
    Trainer,
    TrainingDiverged,
)

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "LOSSES",
    "MLP",
    "OPTIMIZERS",
    "PHASES",
    "SCHEDULES",
    "SGD",
    "Adam",
    "Dataset",
    "DecisionGrid",
    "Layer",
    "ModelFileError",
    "ModelFileExists",
    "Module",
    "Neuron",
    "Optimizer",
    "PhaseError",
    "Role",
    "RunConfig",
    "SavedModel",
    "StepRecord",
    "Trainer",
    "TrainingDiverged",
    "accuracy",
    "binary_cross_entropy",
    "build_trainer",
    "constant",
    "l2_regularization",
    "linear_decay",
    "load_dataset",
    "load_model",
    "load_parameters",
    "load_trainer",
    "make_optimizer",
    "mean_squared_error",
    "parse_arch",
    "save_model",
    "save_trainer",
    "step_decay",
    "sum_squared_error",
    "svm_max_margin",
]
