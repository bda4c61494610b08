"""Writes about subscribers: the people of a customer organisation, each holding exactly one package.

One set of rules behind every front door (the Wholesale Subscribers API, the Control Hub Users page, its CSV
import, the Partner Hub set-up wizard):

- ``subscriber_precheck`` checks an order and writes nothing (the API's ``/validate``, a form row, a CSV row);
- ``subscriber_add`` adds a person with one package;
- ``subscriber_change_package`` moves them to another package (asking a number or an extension when the new
  package has calling and they have neither);
- ``subscriber_remove`` takes the package and the person away;
- ``subscriber_consent_send`` / ``subscriber_consent_accept``: someone who already had a free account is
  added ``pending_user_migration`` and holds the package only once they accept the consent e-mail's
  signed link.

Every refusal is a ``ValidationError`` keyed by field (``email``, ``package``, ``first_name``, ``last_name``,
``phone_number``, ``extension``, ``location``, ``customer``, ``subscriber``), each message carrying a stable
``ErrorCode`` as its code, all problems of an order at once. Adding, changing packages and removing are
``USERS_PROVISION`` (restricted-by-partner mode takes it from customer admins).

The rules (the guide's Packages, Add Users Manually, Change User Package and Provision Wholesale Subscribers):
one package per subscriber, a package the customer holds (provisioned) and within its limit, an add-on only
beside one of its bases on the customer, a calling package with a number of the customer's inventory and/or
an extension, an e-mail nobody else has (10022), and a full administrator never below the customer's package.
What subscribers share with workspaces (readiness, package limits, calling details and assigning them) lives
in ``services.holders``; a package change keeps the held number and extension unless new ones are given.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import NoReturn

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.language import org_language, portal_language
from apps.accounts.models import User, UserRole
from apps.accounts.permissions import Action, require
from apps.accounts.roles import Role
from apps.accounts.services import people_create_batch, people_unsaved
from apps.core.compiled import BoundQuery, CompiledQuery
from apps.core.errors import ERROR_DESCRIPTIONS, ErrorCode, Errors, refuse, text
from apps.core.inserts import InsertRefused, Inserts
from apps.core.locks import named_lock
from apps.core.models import AuditEvent
from apps.core.services import audit_entry, audit_record, audit_record_batch, outbox_enqueue
from apps.core.validators import UNSAFE_CHARACTERS_MESSAGE, has_unsafe_characters
from apps.customers.models import Customer
from apps.customers.selectors import customer_known_to_org, package_held_expression
from apps.locations.models import Extension, Location
from apps.locations.services.numbers import e164_parse
from apps.packages import catalogue
from apps.packages.catalogue import Package
from apps.packages.constants import SUBSCRIBER_PACKAGES
from apps.subscribers.models import Subscriber, SubscriberStatus
from apps.subscribers.services import holders
from apps.subscribers.services.history import (
    assignment_change,
    assignment_close,
    assignment_first,
    assignment_open,
    assignments_first_batch,
)
from apps.subscribers.services.holders import DEFAULT_LOCATION_ORDER
from apps.subscribers.services.holders import READY as READY
from apps.subscribers.services.holders import location_find as location_find

NAME_MAX = 150
EMAIL_MAX = Subscriber._meta.get_field("email").max_length  # 254: validate_email alone allows 320
EMAIL_IN_USE_MESSAGE = ERROR_DESCRIPTIONS[ErrorCode.EMAIL_IN_USE]  # Webex's own wording of 10022
CONSENT_SALT = "wholesalehub.subscriber-consent"
CONSENT_MAX_AGE = timedelta(days=30)


@dataclass
class _Plan(holders.Plan):
    """A checked order: what ``subscriber_add`` / ``subscriber_change_package`` will write."""

    email: str = ""
    first_name: str = ""
    last_name: str = ""
    person: User | None = None  # an existing person of the organisation (say, an administrator)
    free_account: User | None = None  # an existing free account: consent first


class SubscriberLookups(holders.Lookups):
    """``holders.Lookups`` plus what a subscriber's checks read about people."""

    def email_in_use(self, email: str) -> bool:
        return Subscriber.objects.filter(
            email=email
        ).exists()  # stored lower-case: the unique index serves it

    def person(self, email: str) -> User | None:
        return User.objects.filter(email=email).first()


def _order_rows(*, pk: int, email: str, extension: str, **codes: str) -> QuerySet[Customer]:
    """``OrderLookups``' one query: the customer ``pk`` with its organisation and partner, and the answers
    about the order's ``email``, ``extension`` and package ``codes`` (``code_0``, ``code_1``, ...: each read
    as ``holds_0``, ``holds_1``, ...)."""
    same_org = {"org_id": OuterRef("org_id")}
    return (
        Customer.objects.filter(pk=pk)
        .select_related("org", "org__parent")
        .annotate(
            email_in_use=Exists(Subscriber.objects.filter(email=email)),
            person_id=Subquery(User.objects.filter(email=email).values("pk")[:1]),
            extension_taken=Exists(Extension.objects.filter(**same_org, extension=extension)),
            default_location_id=Subquery(
                Location.objects.filter(**same_org).order_by(*DEFAULT_LOCATION_ORDER).values("pk")[:1]
            ),
            **{f"holds_{name[5:]}": package_held_expression(code) for name, code in codes.items()},
        )
        .order_by()
    )


# Built and compiled by Django once per process (and number of package codes), not per add: ~3 ms of CPU.
_ORDER_ROWS = CompiledQuery(_order_rows, prepared=True)  # rows by their keys
_CUSTOMER = CompiledQuery(lambda *, pk: Customer.objects.filter(pk=pk), prepared=True)  # one the caller read


class OrderLookups(SubscriberLookups):
    """``SubscriberLookups`` for one new subscriber (``subscriber_add``): the customer's row locked, then,
    in one query, the customer with the answers the order's checks ask about its e-mail (a subscriber's? a
    person's?), its extension (taken in the organisation?), its package (and the bases an add-on needs) and
    the customer's default location — one query where the checks asked six. A question about anything else
    is asked as ``SubscriberLookups`` asks it. ``customers``: the customer as a compiled query of one row
    (the scoping selector's, ``customers.selectors.customer_scoped``, when the caller has not read
    it: empty is a 404). ``customer`` is the customer as read under the lock (with its organisation and
    partner).

    The lock is shared (``core.locks.share_locked_sql``): the customer's own writes (its packages, limits,
    status; a workspace; a CSV import's chunk) lock its row for update, so they and this add take turns and
    each checks what the other wrote, while adds of subscribers to one customer go side by side. What two
    adds could both take is refused by the database (the e-mail, the extension, the number: unique, and
    caught as the refusal the check would give). A package limit is counted by one add at a time
    (``holders_count``)."""

    def __init__(self, customers: BoundQuery, *, order: dict):
        self._email = text(order.get("email")).lower()
        self._extension = text(order.get("extension"))
        code = order.get("package")
        package = catalogue.package_get(code) if code in SUBSCRIBER_PACKAGES else None
        codes = {package.code, *package.requires_one_of} if package is not None else set()
        self._codes = dict(enumerate(sorted(codes)))
        locked = customers.share_locked_pks()
        if not locked:
            raise Http404
        codes_given = {f"code_{n}": code for n, code in self._codes.items()}
        rows = _ORDER_ROWS.rows(pk=locked[0], email=self._email, extension=self._extension, **codes_given)
        row = customer_known_to_org(rows[0])  # the permission check reads its access from this row
        super().__init__(row)
        self._email_in_use = row.email_in_use
        self._person_id = row.person_id
        self._extension_taken = row.extension_taken
        self._default_location_id = row.default_location_id
        self._held = {code for n, code in self._codes.items() if getattr(row, f"holds_{n}")}

    def default_location(self) -> Location | None:
        """The headquarters (or the first location by name), as read with the customer: an instance of its id
        and organisation (its other fields, read on first use, as ``only()`` leaves them)."""
        if self._default_location_id is None:
            return None
        return Location.from_db(
            Location.objects.db, ["id", "org_id"], [self._default_location_id, self.customer.org_id]
        )

    def email_in_use(self, email: str) -> bool:
        return self._email_in_use if email == self._email else super().email_in_use(email)

    def holders_count(self, code: str, *, but: Subscriber | None) -> int:
        # The customer's row is only shared: adds that count a package against its limit take turns from
        # here to their commit, so each counts the holders the one before it added.
        named_lock(f"customer-package-limits:{self.customer.pk}")
        return super().holders_count(code, but=but)

    def person(self, email: str) -> User | None:
        if email != self._email:
            return super().person(email)
        # Someone with an account already (an administrator of the organisation, a free account): rare.
        return User.objects.filter(pk=self._person_id).first() if self._person_id is not None else None

    def held_among(self, codes: set[str]) -> set[str]:
        if codes <= set(self._codes.values()):
            return self._held & codes
        return super().held_among(codes)

    def extension_taken(self, extension: str, *, holder: Subscriber | None) -> bool:
        if holder is None and extension == self._extension:
            return self._extension_taken
        return super().extension_taken(extension, holder=holder)


class PrefetchedSubscriberLookups(SubscriberLookups, holders.PrefetchedLookups):
    """``SubscriberLookups`` for a batch of new subscribers of one customer (a CSV import's chunk): the
    e-mails the batch names read with one query per table; ``take`` marks a checked one's e-mail taken."""

    def __init__(self, customer: Customer, *, emails: set[str], numbers: set[str], extensions: set[str]):
        super().__init__(customer, numbers=numbers, extensions=extensions)
        self._emails_in_use = set(Subscriber.objects.filter(email__in=emails).values_list("email", flat=True))
        self._people = {user.email: user for user in User.objects.filter(email__in=emails)}

    def email_in_use(self, email: str) -> bool:
        return email in self._emails_in_use

    def person(self, email: str) -> User | None:
        return self._people.get(email)

    def take(self, plan: holders.Plan) -> None:
        super().take(plan)
        self._emails_in_use.add(plan.email)


# --- checks ------------------------------------------------------------------------------------------------


def _check_email(email, customer: Customer, errors: Errors, plan: _Plan, lookups: SubscriberLookups) -> None:
    email = text(email).lower()
    if not email:  # an empty CSV cell or field: say it is missing, not that it is malformed
        errors.add("email", ErrorCode.EMAIL_INVALID, _("An e-mail address is required."))
        return
    try:
        validate_email(email)
    except ValidationError:
        errors.add("email", ErrorCode.EMAIL_INVALID, _("Enter a valid e-mail address."))
        return
    if len(email) > EMAIL_MAX:
        errors.add(
            "email",
            ErrorCode.EMAIL_INVALID,
            _("An e-mail address has at most %(max)d characters.") % {"max": EMAIL_MAX},
        )
        return
    plan.email = email
    if lookups.email_in_use(email):
        errors.add("email", ErrorCode.EMAIL_IN_USE, EMAIL_IN_USE_MESSAGE)
        return
    user = lookups.person(email)
    if user is None:
        return
    if user.org_id == customer.org_id:
        plan.person = user
    elif user.org_id is None and not user.is_staff:
        plan.free_account = user
    else:
        errors.add("email", ErrorCode.EMAIL_IN_USE, EMAIL_IN_USE_MESSAGE)


def _check_names(first_name, last_name, errors: Errors, plan: _Plan) -> None:
    for key, value in (("first_name", first_name), ("last_name", last_name)):
        name = text(value)
        if len(name) > NAME_MAX:
            errors.add(
                key, ErrorCode.PERSON_NAME_INVALID, _("At most %(max)d characters.") % {"max": NAME_MAX}
            )
        elif has_unsafe_characters(name):
            errors.add(key, ErrorCode.PERSON_NAME_INVALID, UNSAFE_CHARACTERS_MESSAGE)
        setattr(plan, key, name)


def _check_package(
    code, customer: Customer, errors: Errors, *, holder: Subscriber | None = None, lookups: holders.Lookups
) -> Package | None:
    package = catalogue.package_get(code) if code in SUBSCRIBER_PACKAGES else None
    if package is None:
        shown = str(code)[:40] if code else ""
        errors.add(
            "package",
            ErrorCode.SUBSCRIBER_PACKAGE_INVALID,
            _("“%(package)s” is not a package a person can hold.") % {"package": shown}
            if shown
            else _("Choose a package."),
        )
        return None
    holders.check_package(package, customer, errors, holder=holder, noun="subscribers", lookups=lookups)
    return package


def _check_calling(
    order: dict, errors: Errors, plan: _Plan, *, holder: Subscriber | None = None, lookups: holders.Lookups
) -> None:
    """A package without calling takes no number (4030); one with calling needs a number or an extension,
    unless the subscriber already holds one (a package change keeps it)."""
    package = plan.package
    if not package.has_calling:
        for key in ("phone_number", "extension"):
            if text(order.get(key)):
                errors.add(
                    key,
                    ErrorCode.CALLING_NOT_IN_PACKAGE,
                    _("%(package)s has no calling: leave the phone number and extension empty.")
                    % {"package": package.name},
                )
        return
    given = text(order.get("phone_number")) or text(order.get("extension"))
    required = (
        None
        if given or holders.holds_calling(holder)
        else _("%(package)s includes calling: give a phone number, an extension or both.")
        % {"package": package.name}
    )
    holders.check_calling(
        order=order,
        errors=errors,
        plan=plan,
        holder=holder,
        required=required,
        keeps_held=True,
        lookups=lookups,
    )


def _check_admin_level(
    user_id, email: str, package: Package, errors: Errors, lookups: holders.Lookups
) -> None:
    """The guide: no downgrade below the organisation's package for a full administrator."""
    if user_id is None:
        return
    is_full_admin = UserRole.objects.filter(user_id=user_id, role=Role.FULL_ADMIN).exists()
    richest = catalogue.richest_user_package(sorted(lookups.held_packages()))
    if is_full_admin and richest is not None and package.rank < richest.rank:
        errors.add(
            "package",
            ErrorCode.ADMIN_DOWNGRADE,
            _(
                "%(email)s is a full administrator: they keep at least %(package)s, the organisation's "
                "package."
            )
            % {"email": email, "package": richest.name},
        )


def _plan_add(*, customer: Customer, order: dict, lookups: SubscriberLookups | None = None) -> _Plan:
    lookups = lookups or SubscriberLookups(customer)
    errors = Errors()
    holders.check_customer(customer, errors, noun="subscribers")
    package = _check_package(order.get("package"), customer, errors, lookups=lookups)
    plan = _Plan(customer=customer, package=package)
    _check_email(order.get("email"), customer, errors, plan, lookups)
    _check_names(order.get("first_name"), order.get("last_name"), errors, plan)
    if package is not None and plan.person is not None:
        _check_admin_level(plan.person.pk, plan.email, package, errors, lookups)
    if package is not None:
        _check_calling(order, errors, plan, lookups=lookups)
    errors.raise_if_any()
    return plan


def _plan_change(*, subscriber: Subscriber, order: dict) -> _Plan:
    customer = subscriber.customer
    lookups = holders.Lookups(customer)
    errors = Errors()
    holders.check_customer(customer, errors, noun="subscribers")
    package = _check_package(order.get("package"), customer, errors, holder=subscriber, lookups=lookups)
    plan = _Plan(customer=customer, package=package)
    if package is not None:
        _check_admin_level(subscriber.user_id, subscriber.email, package, errors, lookups)
        _check_calling(order, errors, plan, holder=subscriber, lookups=lookups)
    errors.raise_if_any()
    return plan


ORDER_KEYS = ("email", "package", "first_name", "last_name", "phone_number", "extension", "location")


def _order(**fields) -> dict:
    return {key: fields.get(key, "") for key in ORDER_KEYS}


def subscriber_precheck(
    *,
    actor: User,
    customer: Customer,
    email="",
    package="",
    first_name="",
    last_name="",
    phone_number="",
    extension="",
    location="",
) -> None:
    """Check an order to add a subscriber, writing nothing: raises every problem at once, or returns."""
    require(actor, Action.USERS_PROVISION, customer.org)
    _plan_add(customer=customer, order=_order(**locals()))


# --- writes ------------------------------------------------------------------------------------------------


def _created_entry(*, actor, customer: Customer, subscriber: Subscriber, plan: holders.Plan) -> AuditEvent:
    """The audit entry of a subscriber added (one by one or a CSV import's chunk), not written yet."""
    return audit_entry(
        actor=actor,
        acting_org=customer.org,
        action="subscriber.create",
        target=subscriber,
        after={"email": subscriber.email, "package": subscriber.package, "status": subscriber.status}
        | holders.calling_planned(subscriber, plan),
    )


@transaction.atomic
def subscriber_add(
    *,
    actor: User,
    customer: Customer | BoundQuery,
    email="",
    package="",
    first_name="",
    last_name="",
    phone_number="",
    extension="",
    location="",
) -> Subscriber:
    """Add a person with one package. Someone with a free account is added ``pending_user_migration`` and
    sent the consent e-mail; they hold the package (and its interval opens) when they accept.

    ``customer``: the customer, or — for a caller that names it by id and has not read it (the API) — the
    scoping selector's compiled query of it (``customers.selectors.customer_scoped``): read once,
    locked, here; empty is a 404, then the action is checked (403) before anything of the order."""
    order = _order(
        email=email,
        package=package,
        first_name=first_name,
        last_name=last_name,
        phone_number=phone_number,
        extension=extension,
        location=location,
    )
    customers = customer if isinstance(customer, BoundQuery) else _CUSTOMER.bind(pk=customer.pk)
    lookups = OrderLookups(customers, order=order)  # the customer locked (shared); 404
    customer = lookups.customer
    require(actor, Action.USERS_PROVISION, customer.org)
    plan = _plan_add(customer=customer, order=order, lookups=lookups)
    now = timezone.now()
    pending = plan.free_account is not None
    user = plan.free_account or plan.person
    # The subscriber's rows, written together (``core.inserts``: one statement on PostgreSQL).
    inserts = Inserts()
    if user is None:
        # The plan checked the e-mail (valid, nobody's) and the names as ``person_create`` would: the person
        # is written with the rest, without asking again (the unique index still refuses a duplicate).
        (user,) = people_unsaved(org=customer.org, people=[(plan.email, plan.first_name, plan.last_name)])
        inserts.add(user)
    subscriber = inserts.add(
        Subscriber(
            customer=customer,
            user=user,
            email=user.email,
            first_name=plan.first_name or user.first_name,
            last_name=plan.last_name or user.last_name,
            package=plan.package.code,
            status=SubscriberStatus.PENDING_USER_MIGRATION if pending else SubscriberStatus.PROVISIONED,
            status_changed=now,
            location=plan.location if plan.package.has_calling else None,
            consent_sent=now if pending else None,
            from_free_account=pending,
        )
    )
    holders.assign_calling(subscriber, plan, new=True, inserts=inserts)
    if pending:
        _queue_consent_email(subscriber)
    else:
        assignment_first(
            subscriber=subscriber,
            package=subscriber.package,
            location=subscriber.location,
            at=subscriber.created,
            inserts=inserts,
        )
    inserts.add(_created_entry(actor=actor, customer=customer, subscriber=subscriber, plan=plan))
    try:
        inserts.write()
    except InsertRefused as exc:
        # Taken by a concurrent request since the checks. Raising leaves this function's atomic block,
        # which rolls its writes back.
        if exc.model is Extension:
            holders.refuse_extension_taken(plan)
        if exc.model in (Subscriber, User):
            _refuse_email_in_use()
        raise
    return subscriber


def _refuse_email_in_use() -> NoReturn:
    """The same address added at this very moment by another request (the e-mail is unique on the
    platform; adds to one customer share its lock)."""
    refuse("email", ErrorCode.EMAIL_IN_USE, EMAIL_IN_USE_MESSAGE)


class BatchNotApplicable(Exception):
    """A batch order names someone who already has an account (a person of the organisation, a free
    account): the batch writes nothing and its orders go one by one through ``subscriber_add``."""


@transaction.atomic
def subscribers_add_batch(
    *, actor: User, customer: Customer, orders: list[dict]
) -> list[Subscriber | ValidationError]:
    """Add many new people of one customer at once (a CSV import's chunk) by the rules of ``subscriber_add``:
    the customer locked once, each order checked in turn as if the ones accepted before it were written (its
    e-mail, number and extension taken, the package limit counted), from a few set queries; then the accepted
    ones written with one insert per table and audited as ``subscriber_add`` audits them. Returns, order by
    order, the new subscriber or the ValidationError that refused it (nothing written for it).

    Raises ``BatchNotApplicable`` (nothing written) for an order naming an existing account, and
    IntegrityError when a concurrent write took an e-mail, number or extension since the check (this
    function's savepoint rolls the whole batch back): the caller then adds the orders one by one."""
    require(actor, Action.USERS_PROVISION, customer.org)
    customer = holders.locked_customer(customer)
    orders = [_order(**order) for order in orders]
    lookups = PrefetchedSubscriberLookups(
        customer,
        emails={text(order["email"]).lower() for order in orders},
        numbers=set(filter(None, (_e164_or_none(order["phone_number"]) for order in orders))),
        extensions={text(order["extension"]) for order in orders if text(order["extension"])},
    )
    outcomes: list[_Plan | ValidationError] = []
    for order in orders:
        try:
            plan = _plan_add(customer=customer, order=order, lookups=lookups)
        except ValidationError as exc:
            outcomes.append(exc)
            continue
        if plan.person is not None or plan.free_account is not None:
            raise BatchNotApplicable(plan.email)
        lookups.take(plan)
        outcomes.append(plan)
    plans = [outcome for outcome in outcomes if isinstance(outcome, _Plan)]
    if not plans:
        return outcomes
    people = people_create_batch(
        org=customer.org, people=[(plan.email, plan.first_name, plan.last_name) for plan in plans]
    )
    now = timezone.now()
    subscribers = [
        Subscriber(
            customer=customer,
            user=user,
            email=user.email,
            first_name=plan.first_name or user.first_name,
            last_name=plan.last_name or user.last_name,
            package=plan.package.code,
            status=SubscriberStatus.PROVISIONED,
            status_changed=now,
            location=plan.location if plan.package.has_calling else None,
        )
        for plan, user in zip(plans, people, strict=True)
    ]
    Subscriber.objects.bulk_create(subscribers)
    holders.assign_calling_batch(list(zip(subscribers, plans, strict=True)))
    assignments_first_batch(subscribers=subscribers)
    audit_record_batch(
        [
            _created_entry(actor=actor, customer=customer, subscriber=subscriber, plan=plan)
            for subscriber, plan in zip(subscribers, plans, strict=True)
        ]
    )
    added = iter(subscribers)
    return [outcome if isinstance(outcome, ValidationError) else next(added) for outcome in outcomes]


def _e164_or_none(value) -> str | None:
    if not text(value):  # most rows name no number: no refusal to build (and translate) for them
        return None
    try:
        return e164_parse(value)
    except ValidationError:
        return None


@transaction.atomic
def subscriber_change_package(
    *, actor: User, subscriber: Subscriber, package="", phone_number="", extension="", location=""
) -> Subscriber:
    """Move a subscriber to another package (or give a calling one a new number, extension or location).
    Leaving calling releases their numbers and extensions; the history interval changes at this instant."""
    require(actor, Action.USERS_PROVISION, subscriber.customer.org)
    holders.locked_customer(subscriber.customer)
    subscriber = holders.locked_holder(subscriber)
    order = _order(package=package, phone_number=phone_number, extension=extension, location=location)
    plan = _plan_change(subscriber=subscriber, order=order)
    before = {"package": subscriber.package} | holders.calling_of(subscriber)
    if plan.package.has_calling:
        holders.assign_calling(subscriber, plan)
        subscriber.location = plan.location
    else:
        holders.release_calling(subscriber)
        subscriber.location = None
    subscriber.package = plan.package.code
    subscriber.save(update_fields=["package", "location", "modified"])
    after = {"package": subscriber.package} | holders.calling_of(subscriber)
    if after == before:
        return subscriber
    if subscriber.status == SubscriberStatus.PROVISIONED:
        assignment_change(subscriber=subscriber, package=subscriber.package, location=subscriber.location)
    audit_record(
        actor=actor,
        acting_org=subscriber.customer.org,
        action="subscriber.package_change",
        target=subscriber,
        before=before,
        after=after,
    )
    return subscriber


def subscriber_remove_problem(*, subscriber: Subscriber) -> str | None:
    """Why the subscriber cannot be removed, or None: administrators keep their package while they are."""
    if subscriber.user_id and UserRole.objects.filter(user_id=subscriber.user_id).exists():
        return _("%(email)s is an administrator: remove their administrator roles first.") % {
            "email": subscriber.email
        }
    return None


@transaction.atomic
def subscriber_remove(*, actor: User, subscriber: Subscriber) -> None:
    """Take the package and the person away: the interval closes, numbers and extensions are freed. A
    person who came with a free account keeps it (back outside the organisation)."""
    require(actor, Action.USERS_REMOVE, subscriber.customer.org)
    subscriber = holders.locked_holder(subscriber)
    problem = subscriber_remove_problem(subscriber=subscriber)
    if problem:
        refuse("subscriber", ErrorCode.SUBSCRIBER_IS_ADMIN, problem)
    org = subscriber.customer.org
    before = {"email": subscriber.email, "package": subscriber.package, "status": subscriber.status}
    before |= holders.release_calling(subscriber)
    assignment_close(subscriber=subscriber)
    audit_record(actor=actor, acting_org=org, action="subscriber.remove", target=subscriber, before=before)
    user = subscriber.user
    from_free_account = subscriber.from_free_account
    subscriber.delete()
    if user is None or user.org_id not in (org.id, None):
        return
    if from_free_account:
        user.org = None
        user.save(update_fields=["org"])
    else:
        user.delete()


# --- consent (an existing free account joins the organisation) ---------------------------------------------


def consent_token(*, subscriber: Subscriber) -> str:
    return signing.dumps({"subscriber": str(subscriber.pk)}, salt=CONSENT_SALT)


def consent_url(*, subscriber: Subscriber) -> str:
    path = reverse("subscriber_consent", kwargs={"token": consent_token(subscriber=subscriber)})
    return settings.SITE_URL.rstrip("/") + path


def _queue_consent_email(subscriber: Subscriber) -> None:
    from apps.subscribers.tasks import subscriber_consent_email_task

    outbox_enqueue(task_name=subscriber_consent_email_task.name, args=[str(subscriber.pk)])


@transaction.atomic
def subscriber_consent_send(*, actor: User, subscriber: Subscriber) -> Subscriber:
    """Send the consent e-mail again (the API's ``consentMove``)."""
    require(actor, Action.USERS_PROVISION, subscriber.customer.org)
    subscriber = holders.locked_holder(subscriber)
    if subscriber.status != SubscriberStatus.PENDING_USER_MIGRATION:
        refuse(
            "subscriber",
            ErrorCode.CONSENT_NOT_PENDING,
            _("%(email)s is %(status)s: no consent is awaited.")
            % {"email": subscriber.email, "status": subscriber.get_status_display().lower()},
        )
    subscriber.consent_sent = timezone.now()
    subscriber.save(update_fields=["consent_sent", "modified"])
    _queue_consent_email(subscriber)
    audit_record(
        actor=actor,
        acting_org=subscriber.customer.org,
        action="subscriber.consent_send",
        target=subscriber,
        after={"email": subscriber.email},
    )
    return subscriber


def subscriber_consent_email_send(*, subscriber_id) -> bool:
    """Send the consent e-mail of a pending subscriber (the task's body); False when none is awaited."""
    subscriber = (
        Subscriber.objects.select_related("customer__org", "customer__org__parent")
        .filter(pk=subscriber_id, status=SubscriberStatus.PENDING_USER_MIGRATION)
        .first()
    )
    if subscriber is None:
        return False
    context = {
        "subscriber": subscriber,
        "org": subscriber.customer.org,
        "partner": subscriber.customer.org.parent,
        "url": consent_url(subscriber=subscriber),
        "days": CONSENT_MAX_AGE.days,
    }
    # In the person's own language when they chose one, else in the inviting organisation's.
    language = portal_language(getattr(subscriber.user, "language", "")) or org_language(
        subscriber.customer.org
    )
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = _("%(org)s invites you to move your Webex account") % {"org": subscriber.customer.org.name}
        message = render_to_string("subscribers/email/subscriber_consent.txt", context)
    send_mail(subject=subject, message=message, from_email=None, recipient_list=[subscriber.email])
    return True


def consent_subscriber(*, token: str) -> Subscriber | None:
    """The pending subscriber a consent link names, or None when the link is invalid, expired or used."""
    try:
        data = signing.loads(token, salt=CONSENT_SALT, max_age=CONSENT_MAX_AGE)
    except signing.BadSignature:
        return None
    subscriber_id = data.get("subscriber") if isinstance(data, dict) else None
    return (
        Subscriber.objects.select_related("customer__org")
        .filter(pk=subscriber_id, status=SubscriberStatus.PENDING_USER_MIGRATION)
        .first()
    )


@transaction.atomic
def subscriber_consent_accept(*, token: str) -> Subscriber:
    """The person accepts: their account moves into the organisation and the subscriber is provisioned."""
    found = consent_subscriber(token=token)
    if found is None:
        refuse(
            "subscriber", ErrorCode.CONSENT_NOT_PENDING, _("This link is invalid, expired or already used.")
        )
    customer = holders.locked_customer(found.customer)
    subscriber = holders.locked_holder(found)
    if subscriber.status != SubscriberStatus.PENDING_USER_MIGRATION:
        refuse("subscriber", ErrorCode.CONSENT_NOT_PENDING, _("This link was already used."))
    user = subscriber.user
    if user is None or user.org_id not in (None, customer.org_id):
        refuse(
            "subscriber",
            ErrorCode.CONSENT_NOT_PENDING,
            _("This account has since joined another organisation."),
        )
    if customer.status not in holders.READY:
        refuse(
            "customer",
            ErrorCode.CUSTOMER_BUSY,
            _("%(org)s is %(status)s: try again in a moment.")
            % {"org": customer.org.name, "status": customer.get_status_display().lower()},
        )
    now = timezone.now()
    if user.org_id is None:
        user.org = customer.org
        user.save(update_fields=["org"])
    subscriber.status = SubscriberStatus.PROVISIONED
    subscriber.status_changed = now
    subscriber.save(update_fields=["status", "status_changed", "modified"])
    assignment_open(subscriber=subscriber, package=subscriber.package, location=subscriber.location, at=now)
    audit_record(
        actor=user,
        acting_org=customer.org,
        action="subscriber.consent_accept",
        target=subscriber,
        after={"email": subscriber.email, "status": subscriber.status},
    )
    return subscriber
