"""The app's modal screens: help, settings, file prompt."""
