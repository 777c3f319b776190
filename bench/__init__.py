"""Benchmarks that time mg-tui against its peers in one process and print ratios.

python -m bench.engine        # the engine: training step, deep chain, bytes per node
python -m bench.model         # nn.MLP + nn.Trainer against micrograd.nn.MLP
python -m bench.user_loop     # micrograd's demo loop as users write it, against micrograd, PyTorch
python -m bench.node_layouts  # how a node stores its operands: the layouts measured for issue 16
python bench/app.py           # the app in a pty: first frame, playing, 1,000-sample scaling, moves
python -m bench.split         # a test split: the test evaluation's cost per step, beside the step
python -m bench.load          # loading saved sessions: linear in the parameters
"""
