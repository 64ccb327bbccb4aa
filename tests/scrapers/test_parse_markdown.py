"""Markdown / MDX policy files and JSON documents give the same rows as HTML pages."""

import json

from scrapers.parse import parse_document, sniff

GITHUB_STYLE = """---
title: Subprocessors and Cookies
redirect_from:
  - /subprocessors
---

Effective date: **May 25, 2018**

### Subprocessors

| Name of Subprocessor | Description of Processing | Location of Processing |
|---|---|---|
| Braintree (PayPal) | Subscription credit card payment processor | United States |
| Zendesk** | Customer support ticketing system | United States |

### Cookies

| Name of Cookie | Reason |
|---|---|
| `user_session` | This cookie is used to log you in. |
"""


def test_it_reads_a_markdown_table_and_ignores_front_matter_and_cookie_tables():
    result = parse_document(GITHUB_STYLE.encode(), url="Policies/github-subprocessors.md")
    assert [r.name for r in result.rows] == ["Braintree (PayPal)", "Zendesk"]
    assert result.rows[0].purpose == "Subscription credit card payment processor"
    assert result.rows[0].countries == ("US",)
    assert result.rows[0].section == "Subprocessors"


def test_it_reads_mdx_with_imports_and_exports():
    mdx = """import { MarkdownLayout } from "../../components/MarkdownLayout";

export const meta = {
  title: "Sub-processors",
};

## List of sub-processors

| Name | Purpose | Entity Country |
| ---- | ------- | -------------- |
| Airtable | CRM | US |
| OpenAI | AI assistance | US |

export default ({ children }) => (
  <MarkdownLayout meta={meta}>{children}</MarkdownLayout>
);
"""
    result = parse_document(mdx, url="pages/legal/subprocessors.mdx")
    assert [(r.name, r.location) for r in result.rows] == [("Airtable", "US"), ("OpenAI", "US")]


def test_markdown_inside_html_wrappers_still_parses():
    md = """<div class="prose">

## List of Sub-processors

| Processor entity name | Location | Description of processing |
| --- | --- | --- |
| Slack Technologies, LLC | United States of America | Instant messaging |

</div>
"""
    result = parse_document(md, fmt="markdown")
    assert [r.name for r in result.rows] == ["Slack Technologies, LLC"]
    assert result.rows[0].purpose == "Instant messaging"


def test_sniffing_tells_formats_apart():
    assert sniff(b"%PDF-1.4\n...") == "pdf"
    assert sniff(b'{"subprocessors": []}') == "json"
    assert sniff(b"<!DOCTYPE html><html><body></body></html>") == "html"
    assert sniff(GITHUB_STYLE.encode()) == "markdown"
    assert sniff(b"Title\n=====\n\nSection\n-------\n\ntext\n") == "rst"
    assert sniff(b"anything", url="https://example.com/list.md?plain=1") == "markdown"
    assert sniff(b"<p>x</p>", content_type="text/html; charset=utf-8") == "html"


def test_it_reads_json_when_a_page_offers_it():
    doc = {
        "updated": "2025-01-01",
        "subprocessors": [
            {
                "entity_name": "Snowflake Inc.",
                "purpose": "Data warehouse",
                "countries": ["United States", "Germany"],
            },
            {"entity_name": "Twilio Inc.", "purpose": "SMS", "countries": ["United States"]},
        ],
    }
    result = parse_document(json.dumps(doc), content_type="application/json")
    assert [r.name for r in result.rows] == ["Snowflake Inc.", "Twilio Inc."]
    assert result.rows[0].location == "United States, Germany"
    assert set(result.rows[0].countries) >= {"US", "DE"}


def test_json_grouped_by_category_keeps_the_category_as_section():
    doc = {
        "Infrastructure": [{"name": "Fastly", "service": "CDN", "location": "United States"}],
        "Support": [{"name": "Intercom", "service": "Chat", "location": "Ireland"}],
    }
    result = parse_document(json.dumps(doc), fmt="json")
    assert [(r.name, r.section) for r in result.rows] == [
        ("Fastly", "Infrastructure"),
        ("Intercom", "Support"),
    ]
