"""``python -m scrapers`` as alice, debugging a vendor's page from her shell, would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import Page

REPO = Path(__file__).resolve().parents[2]


def page(*rows: tuple[str, str, str]) -> str:
    cells = "".join(f"<tr><td>{n}</td><td>{p}</td><td>{loc}</td></tr>" for n, p, loc in rows)
    return (
        "<html><body><h1>Subprocessors</h1><table>"
        "<tr><th>Name</th><th>Purpose</th><th>Location</th></tr>"
        f"{cells}</table></body></html>"
    )


BEFORE = page(
    ("Azure (Microsoft)", "Cloud hosting", "United States"),
    ("Azure (Microsoft)", "Ticket analysis", "United States"),
    ("Twilio Inc.", "SMS notifications", "USA"),
)


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "scrapers", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def assert_one_line_error(result: subprocess.CompletedProcess, code: int = 2) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_parse_prints_the_rows_as_json(tmp_path):
    result = run("parse", write(tmp_path, "list.html", BEFORE))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 3
    assert {"name", "entity", "purpose", "location", "countries", "section"} <= set(rows[0])
    assert rows[0]["name"] == "Azure (Microsoft)"
    assert rows[0]["entity"] == "Microsoft"
    assert rows[0]["countries"] == ["US"]


def test_parse_as_a_table_for_people(tmp_path):
    result = run("parse", write(tmp_path, "list.html", BEFORE), "--format", "table")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["NAME", "ENTITY"]
    assert any("Twilio" in line and "US" in line for line in lines[1:])


def test_parse_of_a_page_without_a_list_exits_3_with_the_reason(tmp_path):
    path = write(tmp_path, "moved.html", "<html><body><p>Nothing to see here.</p></body></html>")
    result = run("parse", path)
    assert_one_line_error(result, code=3)
    assert json.loads(result.stdout) == []


def test_diff_reports_a_new_row_and_a_country_change(tmp_path):
    after = page(
        ("Twilio (SendGrid)", "SMS notifications", "USA, Ireland"),
        ("Microsoft (Azure)", "Ticket analysis", "United States"),
        ("Microsoft (Azure)", "Cloud hosting", "United States"),
        ("OpenAI", "AI inference", "United States"),
    )
    result = run("diff", write(tmp_path, "a.html", BEFORE), write(tmp_path, "b.html", after))
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)
    assert set(diff) >= {"added", "removed", "changed"}
    assert [r["entity"] for r in diff["added"]] == ["OpenAI"]
    assert diff["removed"] == []
    assert diff["changed"] == [
        {
            "name": "Twilio (SendGrid)",
            "entity": "Twilio",
            "field": "countries",
            "before": ["US"],
            "after": ["IE", "US"],
        }
    ]


def test_diff_of_a_reordered_page_is_empty(tmp_path):
    reordered = page(
        ("Twilio Inc.", "SMS notifications", "USA"),
        ("Microsoft (Azure)", "Ticket analysis", "United States"),
        ("Azure (Microsoft)", "Cloud hosting", "United States"),
    )
    result = run(
        "diff",
        write(tmp_path, "a.html", BEFORE),
        write(tmp_path, "b.html", reordered),
        "--format",
        "table",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0 added, 0 removed, 0 changed"


def test_diff_against_a_page_that_lost_its_list_reports_no_removals(tmp_path):
    gone = write(tmp_path, "b.html", "<html><body><p>Available on request.</p></body></html>")
    result = run("diff", write(tmp_path, "a.html", BEFORE), gone)
    assert_one_line_error(result, code=3)
    assert json.loads(result.stdout)["removed"] == []


def test_a_url_is_fetched(page_server, tmp_path):
    page_server.pages["/subprocessors"] = Page(BEFORE)
    result = run("parse", page_server.url("/subprocessors"), "--allow-private")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3


def test_a_url_that_fails_is_one_line(page_server):
    assert_one_line_error(run("parse", page_server.url("/missing"), "--allow-private"))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("junk.bin", bytes(range(256)) * 64),
        ("broken.pdf", b"%PDF-1.7\n" + os.urandom(2048)),
        ("empty.html", b""),
    ],
)
def test_unusable_files_are_one_line_errors(tmp_path, name, content):
    assert_one_line_error(run("parse", write(tmp_path, name, content)))


def test_a_missing_file_is_a_one_line_error(tmp_path):
    result = run("parse", str(tmp_path / "nope.html"))
    assert_one_line_error(result)
    assert "nope.html" in result.stderr


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = run("diff", write(tmp_path, "a.html", BEFORE), str(path))
    assert_one_line_error(result)
    assert "MB" in result.stderr
