"""Django admin for every model, built for tables with thousands of rows.

Each changelist joins what its columns show, foreign keys use autocomplete or raw id
widgets instead of a <select> holding every row, counts are correlated subqueries (so
the paginator's COUNT(*) stays a plain count), and snapshot bodies are never read in a
list. Evidence (snapshots, checks, notifications, the content of changes) is read-only.
"""

from compliance.admin import changes, sources  # noqa: F401  (registers the ModelAdmins)
