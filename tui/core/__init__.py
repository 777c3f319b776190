"""The explorer without Textual: what the app shows and the commands that change it.

Nothing here imports textual or rich (a test checks it), so all of it is tested without an
app. The Textual layer in tui/ draws what this computes. Imports point down only:
tui (Textual) -> tui.core -> nn -> engine.
"""
