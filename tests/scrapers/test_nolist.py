"""'No list here' is its own outcome, never an empty list that reads as 'all removed'."""

import pytest

from scrapers.parse import ParseError, nolist, parse_document

CLOUDFLARE = """<!DOCTYPE html><html><head><title>Just a moment...</title></head>
<body><div id="challenge-stage"><h1>example.com</h1>
<p>Checking if the site connection is secure</p>
<noscript>Enable JavaScript and cookies to continue</noscript></div></body></html>"""


def test_a_cloudflare_challenge_is_a_bot_check():
    result = parse_document(CLOUDFLARE.encode(), content_type="text/html")
    assert result.rows == []
    assert result.no_list_reason == nolist.BOT_CHECK


def test_a_captcha_page_is_a_bot_check():
    html = "<html><body><h1>Are you a robot?</h1><p>Please solve the CAPTCHA.</p></body></html>"
    assert parse_document(html, fmt="html").no_list_reason == nolist.BOT_CHECK


def test_an_error_page_is_an_error_page():
    html = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"
    assert parse_document(html, fmt="html").no_list_reason == nolist.ERROR_PAGE


def test_a_page_that_only_links_to_the_list_elsewhere():
    md = """## GitHub Subprocessors

When we bring on a new subprocessor we will update the list of subprocessors. You can view the
current list of subprocessors, and sign up to receive updates, at
[https://www.github.com/privacy/subprocessors](https://www.github.com/privacy/subprocessors).
"""
    result = parse_document(md, fmt="markdown")
    assert result.rows == []
    assert result.no_list_reason == nolist.LINKS_ELSEWHERE


def test_a_redirect_stub_links_elsewhere():
    mdx = """<head><meta httpEquiv="refresh" content="3; url=https://example.com/dpa/" /></head>

# Subprocessors

The authoritative list is published as **Annex 3 of our DPA**: [example.com/dpa](https://example.com/dpa/)
"""
    result = parse_document(mdx, fmt="markdown")
    assert result.no_list_reason == nolist.LINKS_ELSEWHERE


def test_a_list_available_on_request():
    html = """<h1>Sub-processors</h1><p>Provided to active Customers on request.</p>
    <h2>Related documents</h2><ul>
    <li><a href="/privacy">Privacy Policy</a> — public summary of data handling;</li>
    <li><a href="/dpa">Data Processing Agreement</a> — request via email.</li></ul>"""
    result = parse_document(html, fmt="html")
    assert result.rows == []
    assert result.no_list_reason == nolist.ON_REQUEST


def test_an_unfilled_template_is_not_a_list():
    md = """## Current subprocessors

| Service provider | Purpose | Region |
| --- | --- | --- |
| `[Add cloud hosting provider]` | Application hosting | `[Add region]` |
| `[Add email delivery provider]` | Email delivery | `[Add region]` |
"""
    result = parse_document(md, fmt="markdown")
    assert result.rows == []
    assert result.no_list_reason == nolist.TEMPLATE


def test_a_template_whose_rows_come_from_script_is_not_a_list():
    ejs = """<h2><%= t.infrastructure.title %></h2><table><thead><tr>
    <% t.table.headers.forEach(function (h) { %><th><%= h %></th><% }); %></tr></thead>
    <tbody><% t.table.rows.forEach(function (r) { %><tr><td><%= r.name %></td>
    <td><%= r.country %></td></tr><% }); %></tbody></table>"""
    result = parse_document(ejs, url="views/subprocessors.ejs")
    assert result.rows == []
    assert result.no_list_reason == nolist.SCRIPT_RENDERED


def test_a_page_saying_it_uses_no_subprocessors_is_an_empty_list():
    html = "<h1>Subprocessors</h1><p>We do not currently use any subprocessors.</p>"
    result = parse_document(html, fmt="html")
    assert result.rows == []
    assert result.no_list_reason is None


def test_an_unrelated_page_has_no_list():
    html = "<h1>Blog</h1><p>Today we shipped dark mode. Enjoy!</p>"
    assert parse_document(html, fmt="html").no_list_reason == nolist.NOT_FOUND


def test_broken_html_does_not_raise():
    for junk in [
        "<table><tr><td>unclosed",
        "<<<>>>",
        "",
        "   ",
        "<html><body></td></tr>",
        "<div " * 500,
    ]:
        result = parse_document(junk, fmt="html")
        assert result.rows == [] and result.no_list_reason


def test_binary_junk_is_not_a_readable_document():
    junk = bytes(range(256)) * 20
    result = parse_document(junk)
    assert result.rows == []
    assert result.no_list_reason == nolist.UNREADABLE


def test_invalid_json_is_not_a_readable_document():
    result = parse_document(b"{not json", content_type="application/json")
    assert result.no_list_reason == nolist.UNREADABLE


def test_legacy_encodings_are_decoded():
    html = (
        "<table><tr><th>Société</th><th>Finalité</th><th>Pays</th></tr>"
        "<tr><td>Société Générale</td><td>Paiements</td><td>France</td></tr></table>"
    )
    result = parse_document(html.encode("cp1252"), content_type="text/html; charset=windows-1252")
    assert [r.name for r in result.rows] == ["Société Générale"]


def test_a_wrong_call_raises_parse_error():
    with pytest.raises(ParseError):
        parse_document("<p>x</p>", fmt="docx")
    with pytest.raises(ParseError):
        parse_document("<p>x</p>", fmt="html", hint="div[[[")
