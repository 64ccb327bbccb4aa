"""Canonical entities: the key that decides whether two published rows are one subprocessor."""

from __future__ import annotations

import json
import time

import pytest

from scrapers.entities import (
    DATA_FILE,
    canonical_entity,
    company_of,
    entities_match,
    entity_key,
    similar_entities,
    strip_legal_suffix,
)


@pytest.mark.parametrize(
    ("published", "canonical"),
    [
        ("Google LLC", "Google Cloud"),
        ("Google Cloud Platform (GCP)", "Google Cloud"),
        ("GCP", "Google Cloud"),
        ("Google Ireland Limited", "Google Cloud"),
        ("Amazon Web Services Inc (AWS)", "Amazon Web Services"),
        ("AWS", "Amazon Web Services"),
        ("Amazon Web Services EMEA SARL", "Amazon Web Services"),
        ("Amazon Web Services, Inc.", "Amazon Web Services"),
        ("Microsoft (Azure)", "Microsoft"),
        ("Azure (Microsoft)", "Microsoft"),
        ("Microsoft Corporation", "Microsoft"),
        ("Microsoft Ireland Operations Limited", "Microsoft"),
        ("Azure Cognitive Services", "Microsoft"),
        ("Oracle America, Inc.", "Oracle"),
        ("Slack Technologies, LLC", "Salesforce"),
        ("Heroku (Salesforce)", "Salesforce"),
        ("SendGrid (Twilio Inc.)", "Twilio"),
        ("Twilio     (SendGrid)", "Twilio"),
        ("Segment.io, Inc.", "Twilio"),
        ("NexMo Inc (aka Vonage)", "Vonage"),
        ("The Rocket Science Group LLC d/b/a Mailchimp", "Mailchimp"),
    ],
)
def test_large_providers_resolve_through_the_alias_table(published, canonical):
    assert canonical_entity(published) == canonical


@pytest.mark.parametrize(
    ("published", "canonical"),
    [
        ("Adish Co., Ltd.", "Adish"),
        ("Intuition Machines, Inc.", "Intuition Machines"),
        ("Teleperformance España S.A.U.", "Teleperformance España"),
        ("TDCX (MY) SDN. BHD.", "TDCX"),
        ("London Stock Exchange Group plc", "London Stock Exchange Group"),
        ("Acme GmbH", "Acme"),
        ("Acme B.V.", "Acme"),
        ("Acme N.V.", "Acme"),
        ("Acme SAS", "Acme"),
        ("Acme S.A.", "Acme"),
        ("Acme Pty Ltd", "Acme"),
        ("Acme K.K.", "Acme"),
        ("Acme GK", "Acme"),
        ("Acme GmbH & Co. KG", "Acme"),
        ("株式会社アディッシュ", "アディッシュ"),
        ("Sentry*", "Sentry"),
        ("**Zendesk**", "Zendesk"),
        ("Fastly [1]", "Fastly"),
    ],
)
def test_legal_suffixes_and_footnote_marks_are_not_part_of_the_entity(published, canonical):
    assert canonical_entity(published) == canonical


def test_a_name_that_is_only_a_suffix_is_kept():
    assert canonical_entity("SAS") == "SAS"


def test_a_bracket_naming_a_big_provider_does_not_swallow_an_unknown_name():
    # "hosted on AWS" is not "is AWS": the diff would otherwise merge unrelated vendors.
    assert canonical_entity("MongoDB Atlas (AWS)") == "MongoDB Atlas"


def test_regional_subsidiaries_of_an_unknown_vendor_stay_apart():
    names = ["GitHub Australia Pty Ltd", "GitHub Germany GmbH", "GitHub India Pty Ltd"]
    assert len({canonical_entity(n) for n in names}) == 3


def test_case_and_punctuation_do_not_change_the_key():
    assert entity_key(canonical_entity("Npm, Inc.")) == entity_key(canonical_entity("npm Inc"))
    assert entity_key("Hewlett-Packard") == entity_key("Hewlett Packard")


def test_watching_google_cloud_matches_a_change_for_google_llc():
    assert entities_match("Google Cloud", "Google LLC")
    assert entities_match("Google Cloud", "Google Analytics")  # same company
    assert company_of("Google Analytics") == "Google"


def test_watching_one_vendor_does_not_match_an_unrelated_one():
    assert not entities_match("Acme", "Acme Analytics")
    assert not entities_match("GitHub India", "GitHub Canada")
    assert not entities_match("Mailjet", "Mailgun")
    assert not entities_match("", "Google")


def test_fuzzy_matching_accepts_reorderings_and_near_identical_spellings():
    assert similar_entities("Foo Hosting (Bar Labs)", "Bar Labs (Foo Hosting)")
    assert similar_entities("Intercom", "Intercomm")
    assert not similar_entities("Sinch", "Zinch")  # too short to trust one letter
    assert not similar_entities("Region 1 Hosting", "Region 2 Hosting")


def test_alias_table_is_data_with_one_group_per_canonical_entity():
    groups = json.loads(DATA_FILE.read_text(encoding="utf-8"))["groups"]
    entities = [g["entity"] for g in groups]
    assert len(entities) == len(set(entities))
    owners: dict[str, set[str]] = {}
    for group in groups:
        for alias in group["aliases"]:
            owners.setdefault(entity_key(strip_legal_suffix(alias)), set()).add(group["entity"])
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}, "one alias, one group"


def test_canonicalising_a_large_page_is_fast():
    names = [f"Vendor {i} Holdings, Inc. (formerly Old Vendor {i})" for i in range(3000)]
    started = time.perf_counter()
    for _ in range(3):
        for name in names:
            canonical_entity(name)
    assert time.perf_counter() - started < 3.0
