"""The `mg-tui` command line (placeholder until the app lands)."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    print("mg-tui: the explorer app is not built yet; see README.md")
    return 0
