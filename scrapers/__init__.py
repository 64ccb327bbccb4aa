"""Fetching, parsing, normalising and diffing subprocessor lists.

Plain Python: nothing in this package imports Django, so it can be used from
the command line (``python -m scrapers``) and tested on its own.
"""
