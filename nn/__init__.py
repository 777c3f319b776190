"""A small neural-network library on the engine: models, losses, optimizers, data.

>>> from nn import MLP
>>> MLP(3, [4, 4, 1]).num_parameters()
41
"""

from nn.data import DATASETS, Dataset, load_dataset
from nn.layers import ACTIVATIONS, MLP, Layer, Neuron
from nn.losses import (
    LOSSES,
    accuracy,
    binary_cross_entropy,
    l2_regularization,
    mean_squared_error,
    sum_squared_error,
    svm_max_margin,
)
from nn.module import Module
from nn.optim import OPTIMIZERS, SGD, Adam, Optimizer, constant, linear_decay, make_optimizer
from nn.trainer import PHASES, DecisionGrid, PhaseError, StepRecord, Trainer, TrainingDiverged

__all__ = [
    "ACTIVATIONS",
    "DATASETS",
    "LOSSES",
    "MLP",
    "OPTIMIZERS",
    "PHASES",
    "SGD",
    "Adam",
    "Dataset",
    "DecisionGrid",
    "Layer",
    "Module",
    "Neuron",
    "Optimizer",
    "PhaseError",
    "StepRecord",
    "Trainer",
    "TrainingDiverged",
    "accuracy",
    "binary_cross_entropy",
    "constant",
    "l2_regularization",
    "linear_decay",
    "load_dataset",
    "make_optimizer",
    "mean_squared_error",
    "sum_squared_error",
    "svm_max_margin",
]
