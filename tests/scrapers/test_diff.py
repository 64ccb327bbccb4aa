"""Diffing two published lists: only real changes are reported."""

from __future__ import annotations

from scrapers.countries import countries_in
from scrapers.diff import diff_rows, merge_by_entity, rows_fingerprint
from scrapers.entities import canonical_entity
from scrapers.rows import Row


def row(name: str, purpose: str = "Hosting", location: str = "United States", section: str = ""):
    """A row as the parser builds it from a published cell triple."""
    return Row(name, canonical_entity(name), purpose, location, countries_in(location), section)


GITHUB_BEFORE = [
    row("Amazon Web Services (AWS)", "Cloud Hosted Infrastructure and Data Hosting"),
    row(
        "Azure (Microsoft)",
        "Cloud Hosted Infrastructure and Data Hosting",
        "United States, France, Switzerland, and Japan",
    ),
    row("Azure Cognitive Services", "Customer support ticketing analysis"),
    row("Microsoft", "Technical Services"),
    row("NexMo (aka Vonage)", "SMS notification provider for 2 Factor Authentication"),
    row("Npm, Inc.", "GitHub Subsidiary"),
    row("SendGrid", "SMS notification provider for 2 Factor Authentication"),
    row("Twilio", "SMS notification provider for 2 Factor Authentication"),
]
# GitHub's 2025-05 rewording: same vendors, new spellings, rows split and joined differently.
GITHUB_REWORDED = [
    row("Microsoft (Azure)", "Cloud Hosted Infrastructure and Data Hosting", "United States"),
    row("Microsoft (Azure)", "Customer support ticketing analysis"),
    row("Microsoft", "Technical Services", "Japan, Switzerland, France, United States"),
    row("Amazon Web Services Inc (AWS)", "Cloud hosted infrastructure, data hosting"),
    row("NexMo Inc (aka Vonage)", "SMS notification provider for 2 Factor Authentication"),
    row("npm Inc", "GitHub Subsidiary"),
    row("Twilio     (SendGrid)", "SMS notification provider for 2 Factor Authentication"),
]


def test_reordering_rows_is_not_a_change():
    diff = diff_rows(GITHUB_BEFORE, list(reversed(GITHUB_BEFORE)))
    assert diff.empty
    assert rows_fingerprint(GITHUB_BEFORE) == rows_fingerprint(list(reversed(GITHUB_BEFORE)))


def test_githubs_rewording_of_every_row_reports_nothing():
    diff = diff_rows(GITHUB_BEFORE, GITHUB_REWORDED)
    assert diff.added == [] and diff.removed == []
    assert diff.changed == []


def test_one_entity_on_two_rows_with_different_purposes_gives_no_add_or_remove():
    old = [row("Microsoft (Azure)", "Cloud hosting"), row("Microsoft (Azure)", "Ticket analysis")]
    new = [row("Microsoft (Azure)", "Ticket analysis"), row("Microsoft (Azure)", "Cloud hosting")]
    assert diff_rows(old, new).empty


def test_a_new_row_is_one_addition():
    new = [*GITHUB_BEFORE, row("OpenAI", "AI Inference and AI Services")]
    diff = diff_rows(GITHUB_BEFORE, new)
    assert [r.entity for r in diff.added] == ["OpenAI"]
    assert diff.removed == [] and diff.changed == []
    assert rows_fingerprint(GITHUB_BEFORE) != rows_fingerprint(new)


def test_a_dropped_row_is_one_removal():
    diff = diff_rows(GITHUB_BEFORE, GITHUB_BEFORE[1:])
    assert [r.entity for r in diff.removed] == ["Amazon Web Services"]
    assert diff.added == [] and diff.changed == []


def test_a_change_in_the_country_set_is_one_countries_change():
    old = [row("Google Cloud Platform (GCP)", "Cloud Hosted Infrastructure", "United States")]
    new = [
        row("Google Cloud Platform (GCP)", "Cloud Hosted Infrastructure", "United States, Belgium")
    ]
    diff = diff_rows(old, new)
    assert [(c.entity, c.field, c.before, c.after) for c in diff.changed] == [
        ("Google Cloud", "countries", ["US"], ["BE", "US"])
    ]


def test_a_reworded_location_naming_the_same_countries_is_not_a_change():
    old = [row("Acme", location="USA; Deutschland")]
    new = [row("Acme", location="Germany and the United States of America")]
    assert diff_rows(old, new).empty
    assert diff_rows([row("Acme", location="Global")], [row("Acme", location="Worldwide")]).empty


def test_a_purpose_with_the_same_words_is_not_a_change_but_a_new_word_is():
    old = [row("Acme", "Hosting, CDN and monitoring")]
    assert diff_rows(old, [row("Acme", "monitoring; CDN & hosting.")]).empty
    diff = diff_rows(old, [row("Acme", "Hosting, CDN, monitoring and AI inference")])
    assert [c.field for c in diff.changed] == ["purpose"]


def test_stripes_own_summary_of_changes_is_reproduced():
    old = [
        row("Twilio, Inc.", "SMS delivery", "United States"),
        row("WNS Global Services (UK) International Limited", "Support", "United Kingdom"),
        row("TDCX (MY) SDN. BHD.", "Support", "Malaysia, the Philippines"),
        row("Teleperformance España S.A.U.", "Support", "Spain"),
        row("Global Data Consortium, Inc.", "Identity verification", "United States"),
    ]
    new = [
        row("Twilio, Inc.", "SMS delivery and user support", "United States"),
        row("WNS Global Services (UK) International Limited", "Support", "United Kingdom, India"),
        row("TDCX (MY) SDN. BHD.", "Support", "Malaysia"),
        row("London Stock Exchange Group plc", "Identity verification", "United States"),
        row("Intuition Machines, Inc.", "Bot detection", "United States"),
        row("Adish Co., Ltd.", "Support", "Japan"),
    ]
    diff = diff_rows(old, new)
    assert sorted(r.entity for r in diff.added) == [
        "Adish",
        "Intuition Machines",
        "London Stock Exchange Group",
    ]
    # The acquisition rename cannot be seen from the names: it is a removal plus an addition.
    assert sorted(r.entity for r in diff.removed) == [
        "Global Data Consortium",
        "Teleperformance España",
    ]
    assert sorted((c.entity, c.field, str(c.after)) for c in diff.changed) == [
        ("TDCX", "countries", "['MY']"),
        ("Twilio", "purpose", "SMS delivery and user support"),
        ("WNS Global Services International", "countries", "['GB', 'IN']"),
    ]


def test_slacks_three_aws_rows_merge_into_one_listing():
    rows = [
        row("Amazon Web Services, Inc.", "Hosting", "United States, Germany", "Infrastructure"),
        row("Amazon Web Services, Inc.", "Edge servers", "Ireland, Japan", "Infrastructure"),
        row("Amazon Web Services, Inc.", "GovSlack hosting", "United States", "Infrastructure"),
    ]
    merged = merge_by_entity(rows)
    assert list(merged) == ["Amazon Web Services"]
    aws = merged["Amazon Web Services"]
    assert aws.purpose == "Hosting; Edge servers; GovSlack hosting"
    assert aws.countries == ("DE", "IE", "JP", "US")
    assert aws.section == "Infrastructure"


def test_stored_listings_compare_equal_to_the_raw_rows_they_came_from():
    stored = list(merge_by_entity(GITHUB_REWORDED).values())
    assert diff_rows(stored, GITHUB_REWORDED).empty
    assert diff_rows(GITHUB_REWORDED, stored).empty
    assert merge_by_entity(stored) == merge_by_entity(GITHUB_REWORDED)


def test_entities_stored_by_an_older_canonicaliser_are_paired_by_name():
    stored = [Row("Google LLC", "Google", "Hosting", "United States", ("US",))]
    assert diff_rows(stored, [row("Google LLC")]).empty


def test_punctuation_and_suffix_only_renames_are_not_changes():
    old = [row("Hewlett-Packard Limited"), row("Semmle Inc.")]
    new = [row("Hewlett Packard Ltd"), row("Semmle")]
    assert diff_rows(old, new).empty


def test_an_unknown_vendor_reworded_the_other_way_round_is_not_added_or_removed():
    old = [row("Foo Hosting (Bar Labs)")]
    new = [row("Bar Labs (Foo Hosting)")]
    assert diff_rows(old, new).empty


def test_a_corrected_spelling_of_the_same_vendor_is_a_name_change():
    diff = diff_rows([row("Sentinal Monitoring Ltd")], [row("Sentinel Monitoring Limited")])
    assert diff.added == [] and diff.removed == []
    assert [(c.field, c.before, c.after) for c in diff.changed] == [
        ("name", "Sentinal Monitoring Ltd", "Sentinel Monitoring Limited")
    ]


def test_equal_fingerprints_mean_an_empty_diff():
    variants = [GITHUB_BEFORE, GITHUB_REWORDED, list(reversed(GITHUB_REWORDED)), GITHUB_BEFORE[2:]]
    for old in variants:
        for new in variants:
            if rows_fingerprint(old) == rows_fingerprint(new):
                assert diff_rows(old, new).empty
