"""Language and country names follow the reader's language (pycountry's own translations): a French reader
sees « Anglais (Royaume-Uni) », sorted as French sorts, while English stays as it was."""

from django.utils import translation

from apps.packages.locales import country_choices, country_name, language_choices, locale_label


def test_names_in_english_stay_as_they_were():
    with translation.override("en"):
        assert locale_label("en_GB") == "English (United Kingdom)"
        assert country_name("BO") == "Bolivia" and country_name("XX") == "XX"
        assert ("fr_CA", "French (Canada)") in language_choices()


def test_a_french_reader_reads_french_names_sorted_as_french_sorts():
    with translation.override("fr"):
        assert locale_label("en_GB") == "Anglais (Royaume-Uni)"
        assert locale_label("fr_CA") == "Français (Canada)"
        assert country_name("GB") == "Royaume-Uni" and country_name("KR") == "Corée du Sud"
        codes = [code for code, _ in country_choices()]
        assert codes.index("EG") < codes.index("AE") < codes.index("US")  # Égypte, Émirats, États-Unis
        assert ("de_DE", "Allemand (Allemagne)") in language_choices()
    with translation.override("en"):  # each language keeps its own cached names
        assert locale_label("en_GB") == "English (United Kingdom)"
