"""Country codes derived from a row's published location."""

from __future__ import annotations

import json

import pytest

from scrapers.countries import DATA_FILE, countries_in, country_name, region_members


@pytest.mark.parametrize(
    ("location", "codes"),
    [
        ("United States", ("US",)),
        ("USA", ("US",)),
        ("U.S.", ("US",)),
        ("UK", ("GB",)),
        ("Deutschland", ("DE",)),  # German
        ("États-Unis, Royaume-Uni", ("GB", "US")),  # French
        ("Estados Unidos y España", ("ES", "US")),  # Spanish
        ("EE.UU.", ("US",)),
        ("Brasil e Alemanha", ("BR", "DE")),  # Portuguese
        ("Stati Uniti d'America, Italia", ("IT", "US")),  # Italian
        ("Verenigd Koninkrijk en Nederland", ("GB", "NL")),  # Dutch
        ("米国、ドイツ、日本", ("DE", "JP", "US")),  # Japanese
        ("الولايات المتحدة وألمانيا", ("DE", "US")),  # Arabic
        ("United States, France,</br>Switzerland, and Japan", ("CH", "FR", "JP", "US")),
        ("Korea, Republic of", ("KR",)),
        ("Taiwan, Province of China", ("TW",)),
        ("Frankfurt am Main", ("DE",)),
        ("US-East (N. Virginia)", ("US",)),
    ],
)
def test_country_names_in_the_supported_languages_become_iso_codes(location, codes):
    assert countries_in(location) == codes


def test_eu_and_eea_are_kept_as_pseudo_codes_not_expanded():
    assert countries_in("EU") == ("EU",)
    assert countries_in("European Economic Area (EEA)") == ("EEA",)
    assert countries_in("Europäische Union") == ("EU",)
    assert countries_in("United States and the EU") == ("EU", "US")
    assert "IE" in region_members("EU") and "NO" not in region_members("EU")
    assert "NO" in region_members("EEA")


@pytest.mark.parametrize("location", ["Global", "Worldwide", "Europe", "APAC", "", "   "])
def test_regions_that_name_no_country_invent_none(location):
    assert countries_in(location) == ()


def test_names_match_as_whole_words_only():
    assert countries_in("New Jersey") == ("US",)  # a US state, not Jersey
    assert countries_in("Jersey") == ("JE",)
    assert countries_in("Nigeria") == ("NG",)  # not Niger
    assert countries_in("Papua New Guinea") == ("PG",)  # not Guinea
    assert countries_in("Northern Ireland") == ("GB",)
    assert countries_in("インドネシア") == ("ID",)  # not India inside it


def test_georgia_is_the_us_state_when_the_us_is_named_too():
    assert countries_in("Atlanta, Georgia, USA") == ("US",)
    assert countries_in("Georgia") == ("GE",)


def test_two_letter_codes_count_only_in_a_list_of_codes():
    assert countries_in("US, DE, IE") == ("DE", "IE", "US")
    assert countries_in("FR / EU") == ("EU", "FR")
    assert countries_in("IT services") == ()
    assert countries_in("Please contact us") == ()


def test_country_name_is_localised_with_an_english_fallback():
    assert country_name("DE") == "Germany"
    assert country_name("DE", lang="de") == "Deutschland"
    assert country_name("us", lang="fr") == "États-Unis"
    assert country_name("JE", lang="de") == "Jersey"
    assert country_name("EU") == "European Union"
    assert country_name("ZZ") == "ZZ"


def test_the_table_covers_every_iso_country_and_the_common_ones_in_every_language():
    names = json.loads(DATA_FILE.read_text(encoding="utf-8"))["names"]
    assert len(names) >= 249
    for code in ["US", "GB", "DE", "FR", "JP", "IN", "BR", "NL", "IE", "CN"]:
        for lang in ["de", "fr", "es", "pt", "it", "nl", "ja", "ar"]:
            spelled = names[code].get(lang, names[code]["en"])[0]
            assert countries_in(spelled) == (code,), (code, lang, spelled)
