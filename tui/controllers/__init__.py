"""The explorer screen's controllers: each does one feature's work, handed what it needs.

The screen (tui/screens/explorer.py) owns the keys and their actions; an action calls
one of these. Each takes its collaborators in its constructor (a `Protocol` names what it
uses of the screen), so none reads an attribute it was not given.
"""
