"""Tables: the layouts vendors publish, read with no per-vendor configuration."""

from scrapers.parse import parse_document


def names(result):
    return [r.name for r in result.rows]


def test_it_reads_a_table_with_thead_and_footnote_markers():
    html = """<html><body><h2>Our subprocessors</h2>
    <table><thead><tr><th>Subprocessor</th><th>Purpose</th><th>Location</th></tr></thead>
    <tbody>
      <tr><td>Amazon Web Services, Inc.*</td><td>Cloud hosting</td><td>United States</td></tr>
      <tr><td>Hetzner Online GmbH<sup>1</sup></td><td>Backups</td><td>Germany</td></tr>
      <tr><td>  Sentry  [2] </td><td>Error tracking</td><td>United States</td></tr>
    </tbody></table></body></html>"""
    result = parse_document(html)
    assert result.no_list_reason is None
    assert names(result) == ["Amazon Web Services, Inc.", "Hetzner Online GmbH", "Sentry"]
    aws, hetzner, _ = result.rows
    assert aws.purpose == "Cloud hosting"
    assert aws.location == "United States"
    assert aws.countries == ("US",)
    assert hetzner.countries == ("DE",)
    assert aws.section == "Our subprocessors"


def test_it_finds_the_header_in_a_first_row_of_bold_cells():
    html = """<table>
      <tr><td><b>Name</b></td><td><b>Service</b></td><td><b>Country</b></td></tr>
      <tr><td>Stripe</td><td>Payments</td><td>United States</td></tr>
      <tr><td>Mailgun</td><td>Email delivery</td><td>United States</td></tr>
    </table>"""
    result = parse_document(html, content_type="text/html")
    assert names(result) == ["Stripe", "Mailgun"]
    assert result.rows[0].purpose == "Payments"


def test_it_skips_an_empty_header_row_like_sage_bionetworks():
    md = """# Subprocessors

|  |  |  |
|---|---|---|
| Sub-Processor | Location | Description/Purpose |
| Atlassian | USA | Documentation |
| Zoom | USA | Virtual meetings |
"""
    result = parse_document(md, url="https://example.com/subprocessors.md")
    assert names(result) == ["Atlassian", "Zoom"]
    assert result.rows[1].purpose == "Virtual meetings"
    assert result.rows[1].location == "USA"


def test_it_reads_several_tables_and_keeps_each_section():
    html = """<h2>Affiliates</h2>
    <table><tr><th>Entity</th><th>Function</th><th>Region</th></tr>
      <tr><td>Acme GmbH</td><td>Support</td><td>Germany</td></tr></table>
    <h2>Third parties</h2>
    <table><tr><th>Entity</th><th>Function</th><th>Region</th></tr>
      <tr><td>Fastly</td><td>CDN</td><td>United States</td></tr></table>
    <h3>By region: Asia</h3>
    <table><tr><td>Line Corp</td><td>Messaging</td><td>Japan</td></tr></table>"""
    result = parse_document(html, fmt="html")
    assert [(r.name, r.section) for r in result.rows] == [
        ("Acme GmbH", "Affiliates"),
        ("Fastly", "Third parties"),
        ("Line Corp", "By region: Asia"),
    ]


def test_it_expands_rowspan_and_colspan():
    html = """<table>
      <tr><th>Company</th><th>Purpose</th><th>Location</th></tr>
      <tr><td rowspan="2">Microsoft</td><td>Hosting</td><td rowspan="2">United States</td></tr>
      <tr><td>Support tooling</td></tr>
      <tr><td colspan="3">Payments</td></tr>
      <tr><td>Stripe</td><td>Card processing</td><td>Ireland</td></tr>
    </table>"""
    result = parse_document(html, fmt="html")
    assert [(r.name, r.purpose, r.location) for r in result.rows] == [
        ("Microsoft", "Hosting", "United States"),
        ("Microsoft", "Support tooling", "United States"),
        ("Stripe", "Card processing", "Ireland"),
    ]
    assert result.rows[2].section == "Payments"


def test_it_reads_tables_inside_details_accordions():
    html = """<details><summary>Infrastructure providers</summary>
      <table><tr><th>Provider</th><th>Description</th><th>Data location</th></tr>
      <tr><td>OVHcloud</td><td>Servers</td><td>France</td></tr></table></details>
      <details><summary>Support tools</summary>
      <table><tr><th>Provider</th><th>Description</th><th>Data location</th></tr>
      <tr><td>Zendesk</td><td>Tickets</td><td>United States</td></tr></table></details>"""
    result = parse_document(html, fmt="html")
    assert [(r.name, r.section) for r in result.rows] == [
        ("OVHcloud", "Infrastructure providers"),
        ("Zendesk", "Support tools"),
    ]


def test_it_joins_multi_line_country_cells():
    html = """<table><tr><th>Name of Subprocessor</th><th>Description of Processing</th>
      <th>Location of Processing</th><th>Corporate Location</th></tr>
      <tr><td>Paddle</td><td>Merchant of record</td>
      <td>United Kingdom,<br>United States,<br>Ireland</td><td>United Kingdom</td></tr>
      <tr><td>Azure</td><td>Hosting</td><td>Germany<br>United States</td><td>US</td></tr>
    </table>"""
    result = parse_document(html, fmt="html")
    assert result.rows[0].location == "United Kingdom, United States, Ireland"
    assert result.rows[1].location == "Germany, United States"
    assert set(result.rows[1].countries) >= {"DE", "US"}


def test_it_ignores_cookie_pricing_and_navigation_tables():
    html = """<nav><table><tr><td>Home</td><td>Pricing</td></tr></table></nav>
    <h2>Subprocessors</h2>
    <table><tr><th>Name of Subprocessor</th><th>Description of Processing</th>
      <th>Location of Processing</th></tr>
      <tr><td>Zuora</td><td>Billing</td><td>United States</td></tr></table>
    <h2>Cookies</h2>
    <table><tr><th>Name of Cookie</th><th>Reason</th><th>Expiration</th></tr>
      <tr><td>_gh_sess</td><td>Session state</td><td>Session</td></tr></table>
    <table><tr><th>Plan</th><th>Price</th></tr><tr><td>Team</td><td>$4</td></tr></table>"""
    result = parse_document(html, fmt="html")
    assert names(result) == ["Zuora"]


def test_it_recognises_headers_in_other_languages():
    pages = {
        "de": ("Unterauftragsverarbeiter", "Zweck", "Standort"),
        "fr": ("Sous-traitant", "Finalité", "Pays"),
        "es": ("Subencargado", "Finalidad", "Ubicación"),
        "pt": ("Suboperador", "Finalidade", "Localização"),
        "it": ("Sub-responsabile", "Finalità", "Sede"),
        "nl": ("Subverwerker", "Doel", "Locatie"),
        "ja": ("委託先", "委託内容", "所在国"),
        "ar": ("المعالج الفرعي", "الغرض", "البلد"),
    }
    for lang, (name, purpose, location) in pages.items():
        html = f"""<table><tr><th>{name}</th><th>{purpose}</th><th>{location}</th></tr>
          <tr><td>Google Cloud</td><td>Hosting</td><td>Germany</td></tr></table>"""
        result = parse_document(html, fmt="html")
        assert names(result) == ["Google Cloud"], lang
        assert result.rows[0].purpose == "Hosting", lang
        assert result.rows[0].location == "Germany", lang


def test_it_drops_an_entity_named_as_not_a_subprocessor():
    md = """## Subprocessor list

| Subprocessor | Role | Location of processing |
|---|---|---|
| Cloudflare | CDN | EU edge locations |
| EU data center (Dublin) | Hosting | Dublin, Ireland |

### Not a subprocessor: Hetzner

We run internal tooling with **Hetzner** (Germany). Hetzner is not a subprocessor.
"""
    result = parse_document(md, fmt="markdown")
    assert names(result) == ["Cloudflare", "EU data center (Dublin)"]


def test_a_hint_selects_the_part_of_the_page_to_read():
    html = """<div id="other"><table><tr><th>Vendor</th><th>Purpose</th></tr>
      <tr><td>Decoy Inc.</td><td>Not ours</td></tr></table></div>
      <div id="list"><table><tr><th>Vendor</th><th>Purpose</th></tr>
      <tr><td>Real Vendor</td><td>Hosting</td></tr></table></div>"""
    assert names(parse_document(html, hint="#list")) == ["Real Vendor"]
    missing = parse_document(html, hint="#gone")
    assert missing.rows == [] and "matched nothing" in missing.no_list_reason


def test_ejs_templates_parse_as_html():
    ejs = """<% layout('main') %><h1><%= title %></h1>
    <table><thead><tr><th>Subprocessor</th><th>Country</th><th>Purpose</th></tr></thead>
    <tbody><tr><td>Clever Cloud SAS</td><td>France</td><td>Hosting</td></tr></tbody></table>"""
    result = parse_document(ejs, url="views/gdpr-subprocessors.ejs")
    assert names(result) == ["Clever Cloud SAS"]
    assert result.rows[0].location == "France"


def test_a_css_grid_of_divs_reads_like_a_table():
    html = """<h2>Sub-processors</h2>
    <div class="sp-header"><span>Company</span><span>Purpose</span><span>Location</span></div>
    <div class="sp-list">
      <div class="sp-row"><span>Twilio</span><span>SMS</span><span>United States</span></div>
      <div class="sp-row"><span>Mux</span><span>Video</span><span>United States</span></div>
      <div class="sp-row"><span>Bunny</span><span>CDN</span><span>Slovenia</span></div>
    </div>"""
    result = parse_document(html, fmt="html")
    assert names(result) == ["Twilio", "Mux", "Bunny"]
    assert result.rows[0].purpose == "SMS"


def test_an_aria_grid_reads_like_a_table():
    html = """<div role="table">
      <div role="row"><span role="columnheader">Vendor</span>
        <span role="columnheader">Service</span><span role="columnheader">Region</span></div>
      <div role="row"><span role="cell">Okta</span><span role="cell">SSO</span>
        <span role="cell">United States</span></div>
      <div role="row"><span role="cell">Brevo</span><span role="cell">Email</span>
        <span role="cell">France</span></div>
    </div>"""
    result = parse_document(html, fmt="html")
    assert names(result) == ["Okta", "Brevo"]
    assert result.rows[1].location == "France"
