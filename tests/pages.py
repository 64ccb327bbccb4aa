"""Vendor pages for the tests, written like real subprocessor lists."""

from __future__ import annotations

BASE_ROWS = [
    ("Amazon Web Services, Inc.", "Cloud hosting", "United States"),
    ("Cloudflare, Inc.", "Content delivery network", "United States"),
    ("Zendesk, Inc.", "Customer support ticketing", "United States"),
    ("Stripe, Inc.", "Payment processing", "United States"),
    ("Intercom R&D Unlimited Company", "In-app messaging", "Ireland"),
    ("Hetzner Online GmbH", "Backup storage", "Germany"),
]
GOOGLE = ("Google LLC", "Cloud infrastructure", "United States")


def list_page(rows=BASE_ROWS, *, updated: str = "1 March 2026", banner: str = "") -> str:
    body = "\n".join(
        f"<tr><td>{name}</td><td>{purpose}</td><td>{location}</td></tr>"
        for name, purpose, location in rows
    )
    return f"""<!doctype html>
<html><head><title>Subprocessors | Cortexa AI</title></head>
<body>
<nav><a href="/">Home</a> <a href="/pricing">Pricing</a></nav>
{banner}
<h1>Cortexa AI Subprocessors</h1>
<p>Last updated: {updated}</p>
<table>
<thead><tr><th>Subprocessor</th><th>Purpose</th><th>Location</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
<footer>&copy; 2026 Cortexa AI</footer>
</body></html>"""


BOT_CHECK_PAGE = """<!doctype html><html><head><title>Just a moment...</title></head>
<body><h1>Checking your browser before accessing cortexa.example</h1>
<p>Please enable JavaScript and cookies to continue.</p>
<div id="cf-challenge-running">Verifying you are human. This may take a few seconds.</div>
</body></html>"""
