"""Denied-party screening (the guide's "Restricted and Denied Persons Checks").

Provisioning calls ``screening_gate`` before it does anything else: the customer's name and billing address
are screened against the operator's list. A hit puts the customer on hold (``pending_rpl_review``); the beat
task ``screening_recheck_task`` re-screens open holds (released when the hit is gone, escalated to the
operator's review queue with status ``error`` after 72 hours); the operator clears a hold (provisioning
resumes) or rejects it. The operator also maintains the list: one entry at a time or a CSV file.

Matching is not a string comparison: both sides are reduced to words (case, accents and punctuation
ignored, "&" read as "and", company suffixes such as Ltd, LLC or GmbH dropped), compared in any order,
with one typo allowed in longer words, and an entry of two words or more also hits a longer name that
contains all of its words. Every hit carries the reasons in plain words, shown on the review page.
"""

import csv
import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.core.models import Organization
from apps.core.services import audit_record
from apps.customers.models import Customer, CustomerPackage, CustomerStatus, PackageStatus
from apps.packages.locales import is_country
from apps.screening.models import OPEN_HOLD_STATES, HoldState, ScreeningEntry, ScreeningHold

logger = logging.getLogger(__name__)

# How long provisioning waits for a hit to clear by itself before onboarding stops (the guide: 72 hours).
HOLD_WINDOW = timedelta(hours=72)

# Stable error codes in ``customer.errors`` (documented with the API's other codes).
ERROR_SCREENING_ESCALATED = 4201
ERROR_SCREENING_REJECTED = 4202

CSV_COLUMNS = ("name", "address", "country", "note")
CSV_MAX_ROWS = 5000
CSV_MAX_BYTES = 2 * 1024 * 1024

# Legal-form words that say nothing about who the party is. Multi-letter abbreviations are matched after
# the dots are removed ("L.L.C." → "llc", "S.A." → "sa").
COMPANY_SUFFIXES = frozenset(
    {
        "ltd",
        "limited",
        "llc",
        "llp",
        "lp",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "gmbh",
        "ag",
        "kg",
        "ug",
        "mbh",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "bv",
        "nv",
        "oy",
        "ab",
        "as",
        "aps",
        "pty",
        "pvt",
        "pte",
        "kk",
        "ooo",
        "zao",
        "oao",
        "pjsc",
        "jsc",
        "sl",
        "sro",
        "doo",
        "group",
        "holding",
        "holdings",
    }
)
NOISE_WORDS = frozenset({"the", "and", "of", "und", "et"})
# Address words written in more than one way.
ADDRESS_ABBREVIATIONS = {
    "street": "st",
    "str": "st",
    "strasse": "st",
    "road": "rd",
    "avenue": "ave",
    "av": "ave",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "suite": "ste",
    "floor": "fl",
    "building": "bldg",
    "square": "sq",
    "place": "pl",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
}

_SEPARATORS = re.compile(r"[^\w]+")


def _fold(text: str) -> str:
    """Lower case without accents; "&" is "and"; dots inside abbreviations vanish (L.L.C. → llc)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("ß", "ss").replace("&", " and ")
    text = re.sub(r"(?<=\w)[.'’](?=\w)", "", text)  # L.L.C. → llc., O'Brien → obrien
    return text


# Cached: the beat task screens every held customer against the same entries.
@lru_cache(maxsize=50_000)
def name_words(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words that identify a party, and the suffix words that were dropped (for the explanation)."""
    words = [w for w in _SEPARATORS.split(_fold(name).replace("_", " ")) if w]
    kept = tuple(w for w in words if w not in COMPANY_SUFFIXES and w not in NOISE_WORDS)
    dropped = tuple(w for w in words if w in COMPANY_SUFFIXES)
    if not kept:  # a name made only of suffix words ("Holding AG") is still a name
        kept, dropped = tuple(w for w in words if w not in NOISE_WORDS), ()
    return kept, dropped


@lru_cache(maxsize=50_000)
def address_words(address: str) -> tuple[str, ...]:
    words = [w for w in _SEPARATORS.split(_fold(address).replace("_", " ")) if w]
    return tuple(ADDRESS_ABBREVIATIONS.get(w, w) for w in words if w not in NOISE_WORDS)


def _one_edit_apart(a: str, b: str) -> bool:
    """True when one letter was changed, added, removed or two neighbours swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _words_alike(a: str, b: str) -> bool:
    # One typo only in words long enough for it not to turn one name into another ("Acme" ≠ "Acne").
    return a == b or (min(len(a), len(b)) >= 5 and _one_edit_apart(a, b))


def _pair_words(wanted: tuple[str, ...], available: tuple[str, ...]) -> list[tuple[str, str]] | None:
    """Each wanted word paired with a distinct available word (exact pairs first), in the wanted order."""
    left = list(available)
    paired: dict[int, str] = {}
    for i, word in enumerate(wanted):
        if word in left:
            left.remove(word)
            paired[i] = word
    for i, word in enumerate(wanted):
        if i in paired:
            continue
        match = next((w for w in left if _words_alike(word, w)), None)
        if match is None:
            return None
        left.remove(match)
        paired[i] = match
    return [(word, paired[i]) for i, word in enumerate(wanted)]


Reason = tuple[str, dict[str, str]]  # an English text with named placeholders, and their values


def _reason(text: str, **values: str) -> Reason:
    return (text, values)


def reasons_shown(match: dict) -> list[str]:
    """A recorded match's reasons in the reader's language: a hold keeps each reason as its English text and
    values (``why``), translated when shown; a hold recorded before that keeps its English ``reasons``."""
    if "why" not in match:
        return list(match.get("reasons", []))
    return [_(text) % values for text, values in match["why"]]


@dataclass
class Hit:
    entry: ScreeningEntry
    on: str  # "name" | "address"
    why: list[Reason] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        """The reasons in English, as the record keeps them."""
        return [text % values for text, values in self.why]

    def snapshot(self) -> dict:
        return {
            "entry_id": str(self.entry.id),
            "name": self.entry.name,
            "address": self.entry.address,
            "country": self.entry.country,
            "on": self.on,
            "reasons": self.reasons,
            "why": [[text, values] for text, values in self.why],
        }


def _name_hit(entry: ScreeningEntry, name: str, country: str) -> Hit | None:
    entry_words, entry_dropped = name_words(entry.name)
    words, dropped = name_words(name)
    if not entry_words or not words:
        return None
    same_country = not entry.country or not country or entry.country.upper() == country.upper()
    pairs = _pair_words(entry_words, words)
    if pairs is None:
        return None
    whole = len(entry_words) == len(words)
    if not whole and len(entry_words) < 2:
        return None  # a one-word entry inside a longer name ("Acme" in "Acme Pizza") is too weak
    reasons: list[Reason] = []
    typos = [(a, b) for a, b in pairs if a != b]
    if whole and not typos:
        if _fold(entry.name).split() == _fold(name).split():
            reasons.append(_reason(gettext_noop("The names are the same.")))
        else:
            reasons.append(
                _reason(
                    gettext_noop(
                        "The names are the same once case, accents, punctuation and suffixes are ignored."
                    )
                )
            )
    elif whole:
        reasons.append(
            _reason(gettext_noop("The names have the same words, allowing one typo per long word."))
        )
    else:
        extra = [w for w in words if w not in {b for _, b in pairs}]
        reasons.append(
            _reason(
                gettext_noop(
                    "Every word of the listed name appears in the customer's name (extra: %(extra)s)."
                ),
                extra=", ".join(f"“{w}”" for w in extra),
            )
        )
    positions = [words.index(b) for _, b in pairs]
    if positions != sorted(positions):
        reasons.append(_reason(gettext_noop("The words are in a different order.")))
    for a, b in typos:
        reasons.append(
            _reason(gettext_noop("“%(typo)s” is one letter away from “%(word)s”."), typo=b, word=a)
        )
    suffixes = sorted(set(entry_dropped) | set(dropped))
    if suffixes:
        reasons.append(
            _reason(gettext_noop("Company suffixes ignored: %(suffixes)s."), suffixes=", ".join(suffixes))
        )
    exact = whole and not typos
    if not exact and not same_country:
        return None  # a near match in another country is noise, not a hit
    if entry.country:
        if same_country:
            reasons.append(
                _reason(gettext_noop("Same country (%(country)s)."), country=entry.country.upper())
            )
        else:  # a customer without a country is "same country" above
            reasons.append(
                _reason(
                    gettext_noop("Listed for %(listed)s; the customer is in %(country)s."),
                    listed=entry.country,
                    country=country,
                )
            )
    return Hit(entry=entry, on="name", why=reasons)


def _address_hit(entry: ScreeningEntry, address: str, country: str) -> Hit | None:
    if not entry.address:
        return None
    if entry.country and country and entry.country.upper() != country.upper():
        return None
    wanted = address_words(entry.address)
    available = address_words(address)
    if len(wanted) < 2 or _pair_words(wanted, available) is None:
        return None
    reasons = [
        _reason(
            gettext_noop("The billing address contains the listed address “%(address)s”."),
            address=entry.address,
        )
    ]
    if entry.country:
        reasons.append(_reason(gettext_noop("Same country (%(country)s)."), country=entry.country.upper()))
    return Hit(entry=entry, on="address", why=reasons)


def screen(*, name: str, address: str = "", country: str = "", entries=None) -> list[Hit]:
    """Every list entry the party hits, by name or by address, with the reasons."""
    if entries is None:
        entries = ScreeningEntry.objects.all()
    hits: list[Hit] = []
    for entry in entries:
        hit = _name_hit(entry, name, country) or _address_hit(entry, address, country)
        if hit is not None:
            hits.append(hit)
    return hits


def _customer_address(customer: Customer) -> str:
    parts = [
        customer.address_line1,
        customer.address_line2,
        customer.city,
        customer.state_or_province,
        customer.zip_or_postal_code,
    ]
    return " ".join(p for p in parts if p)


def screen_customer(customer: Customer) -> list[Hit]:
    return screen(name=customer.org.name, address=_customer_address(customer), country=customer.country)


# --- the gate provisioning calls, and the hold's life -------------------------------------------------


def _set_status(customer: Customer, status: str, now: datetime, errors: list | None = None) -> None:
    if status == CustomerStatus.ERROR:  # onboarding stopped: no package is on its way any more
        CustomerPackage.objects.filter(customer=customer, status=PackageStatus.PROVISIONING).update(
            status=PackageStatus.ERROR, modified=now
        )
    customer.status = status
    customer.status_changed = now
    fields = ["status", "status_changed", "modified"]
    if errors is not None:
        customer.errors = errors
        fields.append("errors")
    customer.save(update_fields=fields)


# Sent, inside the clearing transaction, when a held customer may go on (the operator found the hit false, or
# it cleared by itself): provisioning, above this app, hands the customer back to its task.
screening_cleared = Signal()  # kwargs: customer


def _resume(customer: Customer) -> None:
    screening_cleared.send(sender=ScreeningHold, customer=customer)


@transaction.atomic
def screening_gate(*, customer: Customer, now: datetime | None = None) -> bool:
    """May provisioning go on? False: the customer is held (``pending_rpl_review``) or was rejected."""
    now = now or timezone.now()
    customer = Customer.objects.select_for_update(of=("self",)).select_related("org").get(pk=customer.pk)
    hold = ScreeningHold.objects.filter(customer=customer).first()
    if hold is not None and hold.state == HoldState.CLEARED:
        return True
    if hold is not None and hold.state == HoldState.REJECTED:
        return False
    if hold is not None and hold.state == HoldState.ESCALATED:
        return False  # the operator decides now
    hits = screen_customer(customer)
    if hold is not None:  # pending: provisioning ran again (a retry); screen afresh
        if not hits:
            _hold_release(hold, now=now, note="No longer matches the screening list.")
            return True
        hold.matches = [h.snapshot() for h in hits]
        hold.last_checked = now
        hold.save(update_fields=["matches", "last_checked", "modified"])
        if customer.status != CustomerStatus.PENDING_RPL_REVIEW:
            _set_status(customer, CustomerStatus.PENDING_RPL_REVIEW, now)
        return False
    if not hits:
        return True
    hold = ScreeningHold.objects.create(
        customer=customer,
        state=HoldState.PENDING,
        matches=[h.snapshot() for h in hits],
        first_hit=now,
        last_checked=now,
    )
    before = {"status": customer.status}
    _set_status(customer, CustomerStatus.PENDING_RPL_REVIEW, now)
    audit_record(
        actor=None,
        acting_org=customer.org,
        action="customer.screening_hold",
        target=hold,
        before=before,
        after={"status": customer.status, "matches": [m["name"] for m in hold.matches]},
    )
    return False


def _hold_release(hold: ScreeningHold, *, now: datetime, note: str, actor: User | None = None) -> None:
    hold.state = HoldState.CLEARED
    hold.last_checked = now
    hold.decided_by = actor
    hold.decided_at = now
    hold.note = note
    hold.save(update_fields=["state", "last_checked", "decided_by", "decided_at", "note", "modified"])
    customer = hold.customer
    customer.errors = [e for e in customer.errors if e.get("errorCode") not in _SCREENING_CODES]
    customer.save(update_fields=["errors", "modified"])
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="customer.screening_clear",
        target=hold,
        before={"state": "open"},
        after={"state": hold.state, "note": note},
    )
    _resume(customer)


_SCREENING_CODES = {ERROR_SCREENING_ESCALATED, ERROR_SCREENING_REJECTED}


def _error_entry(code: int, description: str) -> dict:
    return {"errorCode": code, "description": description}


@transaction.atomic
def screening_recheck(*, hold_id, now: datetime | None = None) -> str:
    """Re-screen one open hold: released, still pending, or escalated after the hold window. Idempotent."""
    now = now or timezone.now()
    hold = _lock_hold(hold_id)
    if hold is None or hold.state != HoldState.PENDING:
        return "skipped"
    hits = screen_customer(hold.customer)
    if not hits:
        _hold_release(hold, now=now, note="No longer matches the screening list.")
        return "released"
    hold.matches = [h.snapshot() for h in hits]
    hold.last_checked = now
    if now - hold.first_hit < HOLD_WINDOW:
        hold.save(update_fields=["matches", "last_checked", "modified"])
        return "pending"
    hold.state = HoldState.ESCALATED
    hold.escalated_at = now
    hold.save(update_fields=["matches", "last_checked", "state", "escalated_at", "modified"])
    customer = hold.customer
    errors = [e for e in customer.errors if e.get("errorCode") not in _SCREENING_CODES]
    errors.append(
        _error_entry(
            ERROR_SCREENING_ESCALATED,
            "Onboarding stopped: the customer matched the restricted and denied parties list for more "
            "than 72 hours. The operator's compliance team is reviewing it.",
        )
    )
    before = {"status": customer.status}
    _set_status(customer, CustomerStatus.ERROR, now, errors=errors)
    audit_record(
        actor=None,
        acting_org=customer.org,
        action="customer.screening_escalate",
        target=hold,
        before=before,
        after={"status": customer.status, "state": hold.state},
    )
    return "escalated"


def screening_holds_to_recheck() -> list:
    """Ids of the holds the beat task re-screens."""
    return list(ScreeningHold.objects.filter(state=HoldState.PENDING).values_list("id", flat=True))


def screening_recheck_all(*, now: datetime | None = None) -> dict[str, int]:
    """The beat task's body: every pending hold, each in its own transaction."""
    counts: dict[str, int] = {}
    for hold_id in screening_holds_to_recheck():
        try:
            outcome = screening_recheck(hold_id=hold_id, now=now)
        except DatabaseError:  # one busy or deadlocked hold must not stop the sweep: next run retries it
            logger.warning("Re-checking screening hold %s failed", hold_id, exc_info=True)
            outcome = "failed"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


# --- the operator's decisions -------------------------------------------------------------------------


def _lock_hold(hold_id) -> ScreeningHold | None:
    """The hold, locked after its customer: provisioning locks the customer first too, so the two paths
    always take the locks in the same order and cannot deadlock."""
    list(Customer.objects.select_for_update().filter(screening_hold__id=hold_id).values_list("id", flat=True))
    return (
        ScreeningHold.objects.select_for_update(of=("self",))
        .select_related("customer", "customer__org")
        .filter(id=hold_id)
        .first()
    )


def _open_hold_for_update(hold: ScreeningHold) -> ScreeningHold:
    locked = _lock_hold(hold.pk)
    if locked is None:
        raise ValidationError(_("This hold no longer exists."))
    if locked.state not in OPEN_HOLD_STATES:
        raise ValidationError(
            _("This hold was already cleared.")
            if locked.state == HoldState.CLEARED
            else _("This hold was already rejected.")
        )
    return locked


@transaction.atomic
def screening_hold_clear(*, actor: User, hold: ScreeningHold, note: str = "") -> ScreeningHold:
    """The operator finds the hit false: provisioning resumes."""
    require(actor, Action.SCREENING_REVIEW, actor.org)
    hold = _open_hold_for_update(hold)
    note = (note or "").strip()[:1000] or "Cleared by compliance review."
    _hold_release(hold, now=timezone.now(), note=note, actor=actor)
    return hold


@transaction.atomic
def screening_hold_reject(*, actor: User, hold: ScreeningHold, note: str = "") -> ScreeningHold:
    """The operator confirms the hit: onboarding stays stopped with status ``error``."""
    require(actor, Action.SCREENING_REVIEW, actor.org)
    hold = _open_hold_for_update(hold)
    note = (note or "").strip()[:1000]
    if not note:
        raise ValidationError({"note": _("Say why the customer is rejected; the partner sees this reason.")})
    now = timezone.now()
    before = {"state": hold.state}
    hold.state = HoldState.REJECTED
    hold.decided_by = actor
    hold.decided_at = now
    hold.note = note
    hold.save(update_fields=["state", "decided_by", "decided_at", "note", "modified"])
    customer = hold.customer
    errors = [e for e in customer.errors if e.get("errorCode") not in _SCREENING_CODES]
    errors.append(
        _error_entry(
            ERROR_SCREENING_REJECTED,
            "Onboarding refused: the customer is on the restricted and denied parties list.",
        )
    )
    _set_status(customer, CustomerStatus.ERROR, now, errors=errors)
    audit_record(
        actor=actor,
        acting_org=customer.org,
        action="customer.screening_reject",
        target=hold,
        before=before,
        after={"state": hold.state, "note": note, "status": customer.status},
    )
    return hold


# --- the list -----------------------------------------------------------------------------------------


def _clean_entry(*, name: str, address: str, country: str, note: str) -> dict:
    name = (name or "").strip()
    address = (address or "").strip()
    country = (country or "").strip().upper()
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the party's name.")
    elif len(name) > 255:
        errors["name"] = _("The name is longer than 255 characters.")
    elif not name_words(name)[0]:
        errors["name"] = _("The name has no letters or digits to match on.")
    if len(address) > 255:
        errors["address"] = _("The address is longer than 255 characters.")
    if country and not is_country(country):
        errors["country"] = _("“%(code)s” is not an ISO 3166 country code.") % {"code": country}
    if len(note) > 500:
        errors["note"] = _("The note is longer than 500 characters.")
    if errors:
        raise ValidationError(errors)
    return {"name": name, "address": address, "country": country, "note": note}


def _platform(actor: User) -> Organization:
    require(actor, Action.SCREENING_REVIEW, actor.org)
    return actor.org


@transaction.atomic
def screening_entry_add(
    *, actor: User, name: str, address: str = "", country: str = "", note: str = ""
) -> ScreeningEntry:
    platform = _platform(actor)
    data = _clean_entry(name=name, address=address, country=country, note=note)
    if _party_key(data) in _listed_keys():
        raise ValidationError({"name": _("This party is already on the list.")})
    entry = ScreeningEntry.objects.create(added_by=actor, **data)
    audit_record(actor=actor, acting_org=platform, action="screening.entry_add", target=entry, after=data)
    return entry


def _party_key(values: dict) -> tuple[str, str, str]:
    """Two rows name the same party when their words, address and country are the same."""
    return (
        " ".join(name_words(values["name"])[0]),
        " ".join(address_words(values["address"])),
        values["country"],
    )


def _listed_keys() -> set[tuple[str, str, str]]:
    return {_party_key(e) for e in ScreeningEntry.objects.values("name", "address", "country")}


@transaction.atomic
def screening_entry_remove(*, actor: User, entry: ScreeningEntry) -> None:
    platform = _platform(actor)
    before = {"name": entry.name, "address": entry.address, "country": entry.country, "note": entry.note}
    audit_record(
        actor=actor, acting_org=platform, action="screening.entry_remove", target=entry, before=before
    )
    entry.delete()


def file_too_large() -> str:
    return _("The file is larger than %(size)s MB.") % {"size": CSV_MAX_BYTES // (1024 * 1024)}


def _decode_csv(data: bytes) -> str:
    if len(data) > CSV_MAX_BYTES:
        raise ValidationError({"file": file_too_large()})
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": _("The file is not UTF-8 text.")})


def screening_csv_template() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerow(["Example Trading LLC", "1 Harbour Road, Port Town", "AE", "Why this party is listed"])
    return buffer.getvalue()


def screening_csv_parse(data: bytes) -> list[dict]:
    """The rows of an uploaded list, every bad row reported with its line number; nothing is written."""
    text = _decode_csv(data)
    if not text.strip():
        raise ValidationError({"file": _("The file is empty.")})
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise ValidationError(
            {"file": _("The file is not valid CSV: %(problem)s.") % {"problem": exc}}
        ) from None
    if "name" not in header:
        raise ValidationError(
            {
                "file": _("The first line must name the columns: %(columns)s.")
                % {"columns": ", ".join(CSV_COLUMNS)}
            }
        )
    unknown = [h for h in header if h and h not in CSV_COLUMNS]
    if unknown:
        raise ValidationError({"file": _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}})
    reader.fieldnames = header
    rows: list[dict] = []
    problems: list[str] = []
    seen: set[tuple[str, str, str]] = set()
    try:
        for record in reader:
            line = reader.line_num
            if None in record:
                problems.append(_("Line %(line)s: more values than columns.") % {"line": line})
                continue
            values = {c: (record.get(c) or "") for c in CSV_COLUMNS}
            if not any(v.strip() for v in values.values()):
                continue  # blank line
            try:
                cleaned = _clean_entry(**values)
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    problems += [
                        _("Line %(line)s, %(column)s: %(problem)s")
                        % {"line": line, "column": column, "problem": m}
                        for m in messages
                    ]
                continue
            key = _party_key(cleaned)
            if key in seen:
                problems.append(
                    _("Line %(line)s: the same party appears twice in the file.") % {"line": line}
                )
                continue
            seen.add(key)
            rows.append(cleaned)
            if len(rows) > CSV_MAX_ROWS:
                raise ValidationError(
                    {"file": _("The file has more than %(max)s rows.") % {"max": CSV_MAX_ROWS}}
                )
    except csv.Error as exc:
        problems.append(
            _("Line %(line)s: not valid CSV (%(problem)s).") % {"line": reader.line_num, "problem": exc}
        )
    if problems:
        raise ValidationError({"file": problems})
    if not rows:
        raise ValidationError({"file": _("The file has no parties.")})
    return rows


@transaction.atomic
def screening_csv_import(*, actor: User, data: bytes) -> int:
    """Add every party of the file, or none when one row is bad. Parties already listed are skipped."""
    platform = _platform(actor)
    rows = screening_csv_parse(data)
    existing = _listed_keys()
    new = [r for r in rows if _party_key(r) not in existing]
    ScreeningEntry.objects.bulk_create([ScreeningEntry(added_by=actor, **r) for r in new])
    audit_record(
        actor=actor,
        acting_org=platform,
        action="screening.csv_import",
        target=platform,
        after={"rows": len(rows), "added": len(new), "already_listed": len(rows) - len(new)},
    )
    return len(new)


def screening_blocks_removal(*, customer: Customer) -> bool:
    """A hold still waiting, escalated or rejected keeps the customer (and so the compliance record)."""
    return ScreeningHold.objects.filter(
        customer=customer, state__in=(HoldState.PENDING, HoldState.ESCALATED, HoldState.REJECTED)
    ).exists()
