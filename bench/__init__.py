"""Benchmarks that time mg-tui against its peers in one process and print ratios.

python -m bench.engine   # the engine: training step, deep chain, bytes per node
python -m bench.model    # nn.MLP + nn.Trainer against micrograd.nn.MLP
"""
