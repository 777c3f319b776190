"""Install the top-level folders engine/, nn/ and tui/ as mg_tui.engine, mg_tui.nn, mg_tui.tui.

The folders stay where the product's layout puts them; the wheel nests them under one namespace
because PyPI's `tui` and `nn` distributions install top-level packages of those names. Everything
else about the project is in pyproject.toml.
"""

from setuptools import find_packages, setup

FOLDERS = ("engine", "nn", "tui")

setup(
    packages=[f"mg_tui.{name}" for name in find_packages(include=[f"{f}*" for f in FOLDERS])],
    package_dir={f"mg_tui.{folder}": folder for folder in FOLDERS},
    package_data={"mg_tui.tui": ["*.tcss", "web/*.html"]},  # web/: serve's page
)
