"""Writes. Each function is named <entity>_<action> and owns its transaction."""
