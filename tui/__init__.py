"""mg-tui: the Textual app and the `mg-tui` command."""
