"""Bullet lists, <br> lines, headings per provider, definition lists and bold names in prose."""

from scrapers.parse import parse_document


def names(result):
    return [r.name for r in result.rows]


def test_it_reads_name_purpose_location_bullets():
    html = """<h2>Sub-processors</h2><p>We use these subprocessors:</p><ul>
      <li>Amazon Web Services – Cloud hosting – United States</li>
      <li>Hetzner — Backups — Germany</li>
      <li>Postmark - Transactional email - United States</li></ul>"""
    result = parse_document(html, fmt="html")
    assert [(r.name, r.purpose, r.location) for r in result.rows] == [
        ("Amazon Web Services", "Cloud hosting", "United States"),
        ("Hetzner", "Backups", "Germany"),
        ("Postmark", "Transactional email", "United States"),
    ]
    assert result.rows[1].countries == ("DE",)


def test_it_reads_linked_names_followed_by_a_purpose_and_a_located_in_intro():
    md = """# HEY subprocessors

These subprocessors are all located in the United States:

* [Amazon Web Services](https://aws.amazon.com/). Cloud services provider.
* [Help Scout](https://www.helpscout.net/). Help desk software.

These subprocessors are located in Germany:

* [AppSignal](https://appsignal.com/). Application monitoring.
"""
    result = parse_document(md, fmt="markdown")
    assert [(r.name, r.purpose, r.location) for r in result.rows] == [
        ("Amazon Web Services", "Cloud services provider", "United States"),
        ("Help Scout", "Help desk software", "United States"),
        ("AppSignal", "Application monitoring", "Germany"),
    ]
    assert result.rows[0].countries == ("US",)


def test_it_reads_name_link_purpose_items_and_for_clauses():
    md = """# Subprocessors

Zulip may use the following Subprocessors:

* Stripe, Inc. (https://stripe.com/privacy). Payment processing.
* [Google LLC](https://privacy.google.com/) for
  cloud infrastructure and services.
"""
    result = parse_document(md, fmt="markdown")
    assert [(r.name, r.purpose) for r in result.rows] == [
        ("Stripe, Inc.", "Payment processing"),
        ("Google LLC", "cloud infrastructure and services"),
    ]


def test_it_reads_a_plain_list_of_names_under_a_subprocessor_heading():
    md = """# Subprocessors

## List of sub-processors used by Cryptlex:

* Amazon Web Services
* Intercom
* PostHog
"""
    assert names(parse_document(md, fmt="markdown")) == [
        "Amazon Web Services",
        "Intercom",
        "PostHog",
    ]


def test_it_ignores_lists_of_hostnames_and_navigation():
    md = """# Subprocessors

## Subprocessors located in the United States:
* [Stripe](https://stripe.com/privacy) - payment processing services

## Our Sites, Assets, and CDNs
* *.passtesting.com
* d2t2t4fz2xin7u.cloudfront.net
* pass-training-assets.s3.amazonaws.com
"""
    assert names(parse_document(md, fmt="markdown")) == ["Stripe"]


def test_it_reads_lines_separated_by_br():
    html = """<h2>Subprocessors</h2><p>Fastly – CDN – United States<br>
      Scaleway – Hosting – France<br>Sentry – Error tracking – United States</p>"""
    result = parse_document(html, fmt="html")
    assert names(result) == ["Fastly", "Scaleway", "Sentry"]
    assert result.rows[1].location == "France"


def test_it_reads_one_heading_per_provider():
    html = """<h1>Sub-processors</h1>
      <h3>Exoscale</h3><p>Exoscale runs the datacenters where the main data is processed.</p>
      <ul><li><a href="https://exoscale.com/dpa">Exoscale data processing agreement</a></li></ul>
      <h3>Stripe</h3><p>Stripe is our payment provider.</p>
      <h3>Lettermint</h3><p>Purpose: notification emails</p><p>Location: Netherlands</p>
      <h2>Version</h2><p>Version 1.1</p>"""
    result = parse_document(html, fmt="html")
    assert names(result) == ["Exoscale", "Stripe", "Lettermint"]
    assert result.rows[2].purpose == "notification emails"
    assert result.rows[2].location == "Netherlands"
    assert result.rows[0].section == "Sub-processors"


def test_it_reads_bold_names_with_labelled_location_lines():
    hard_break = "  "  # Markdown's trailing-spaces line break
    md = f"""## Entities

**Amazon Web Services, Inc.**{hard_break}
Entity Location: USA

**Humio Ltd.**{hard_break}
Entity Location: United Kingdom
"""
    result = parse_document(md, fmt="markdown")
    assert [(r.name, r.location) for r in result.rows] == [
        ("Amazon Web Services, Inc.", "USA"),
        ("Humio Ltd.", "United Kingdom"),
    ]


def test_it_reads_definition_lists():
    html = """<h1>Sub-processor list</h1><h2>Monitoring</h2><dl>
      <dt>New Relic</dt><dd>Application performance analytics.</dd>
      <dt>Sentry</dt><dd>Error analytics.</dd></dl>"""
    result = parse_document(html, fmt="html")
    assert [(r.name, r.purpose, r.section) for r in result.rows] == [
        ("New Relic", "Application performance analytics.", "Monitoring"),
        ("Sentry", "Error analytics.", "Monitoring"),
    ]


def test_it_reads_restructuredtext_definition_lists_under_section_titles():
    rst = """Sub-processor list
==================

:Effective: April 16, 2021

.. seealso::
    Previous versions are on GitHub.

Infrastructure
--------------

Amazon Web Services, Inc.
    Cloud infrastructure provider.

Analytics
---------

Plausible
    Website analytics for dashboard
    and documentation sites.
"""
    result = parse_document(rst, url="docs/legal/subprocessors.rst")
    assert [(r.name, r.purpose, r.section) for r in result.rows] == [
        ("Amazon Web Services, Inc.", "Cloud infrastructure provider.", "Infrastructure"),
        ("Plausible", "Website analytics for dashboard and documentation sites.", "Analytics"),
    ]


def test_it_finds_bold_only_names_in_prose():
    md = """## Sub-processors of fortrabbit

### Payment processing

Credit card information is stored with our payment processor **Stripe** directly, we only keep a
reference and an identifier.

### Support service

The little chat bubble on the bottom right is powered by **Intercom**, which collects some
meta-data when you get in touch with us.
"""
    result = parse_document(md, fmt="markdown")
    assert [(r.name, r.section) for r in result.rows] == [
        ("Stripe", "Payment processing"),
        ("Intercom", "Support service"),
    ]
