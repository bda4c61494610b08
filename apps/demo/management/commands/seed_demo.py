"""Demo data, created once through the services: a platform, partners, a sub-partner, onboarding templates,
customers (ordered through the provisioning request; their provisioning runs right away), people; numbers
and second locations of the calling customers, subscribers with numbers and extensions, and on the showcase
customer (Blue Harbor Dental) two pages of users, a free account waiting for consent, workspaces and a
finished CSV import with refused rows."""

from collections import deque

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info

from apps.accounts.language import language_for
from apps.accounts.roles import Role
from apps.accounts.selectors import user_get_by_email
from apps.accounts.services import (
    free_account_create,
    person_assign_customers,
    person_invite,
    person_set_password,
)
from apps.billing.clock import shifted_clock
from apps.branding.models import BrandLayer  # issue 13
from apps.branding.services import brand_update  # issue 13
from apps.core.context import Channel, request_context
from apps.customers.selectors import customer_of_org, customers_visible_to
from apps.demo.billing import history_start, seed_billing_history, seed_billing_usage
from apps.locations.services.locations import location_create
from apps.locations.services.numbers import numbers_add_range
from apps.onboarding.services import template_create
from apps.packages.catalogue import package_get
from apps.partners.services import partner_create, platform_bootstrap
from apps.provisioning.orders import Address, CallingLocation, CustomerOrder
from apps.provisioning.services.provisioning import customer_provision, customer_provision_request
from apps.subpartners.services import subpartner_billing_start_update, subpartner_set_status
from apps.subscribers.models import SubscriberStatus
from apps.subscribers.selectors.imports import subscriber_imports_visible_to
from apps.subscribers.selectors.subscribers import subscribers_of_org
from apps.subscribers.selectors.workspaces import workspace_list_shown, workspaces_of_org
from apps.subscribers.services.holders import location_find
from apps.subscribers.services.imports import subscriber_import_create, subscriber_import_run
from apps.subscribers.services.subscribers import consent_url, subscriber_add, subscriber_change_package
from apps.subscribers.services.workspaces import workspace_create
from apps.support.services import support_contacts_update  # issue 13

DEMO_PASSWORD = "Wholesale-Demo-2026"
OPERATOR = "operator@wholesalehub.example"

# Onboarding templates per partner: (name, country, language, e-mail the first administrator). The demo's
# customers use the first one, which sends no e-mails; the second is what a partner would normally use.
TEMPLATES = {
    "Acme Telecom": [
        ("Acme Demo (no e-mails)", "US", "en_US", False),
        ("Acme Standard", "US", "en_US", True),
    ],
    "Northwind Reseller": [("Northwind Demo (no e-mails)", "GB", "en_GB", False)],
    "Southwind Reseller": [("Southwind Demo (no e-mails)", "GB", "en_GB", False)],
    "Globex Communications": [("Globex Demo (no e-mails)", "DE", "de_DE", False)],
}
# Billing (and headquarters) addresses: (line 1, city, state, postal code, country, time zone, locale).
ADDRESSES = {
    "boston": ("200 Harbor Way", "Boston", "MA", "02110", "US", "America/New_York", "en_US"),
    "portland": ("45 Pine Street", "Portland", "OR", "97204", "US", "America/Los_Angeles", "en_US"),
    "montreal": ("1200 Rue Peel", "Montréal", "QC", "H3B 2T6", "CA", "America/Toronto", "fr_CA"),
    "london": ("18 Bakers Row", "London", "", "EC1R 3DA", "GB", "Europe/London", "en_GB"),
    "berlin": ("Friedrichstraße 68", "Berlin", "", "10117", "DE", "Europe/Berlin", "de_DE"),
    "lyon": ("12 Quai Saint-Antoine", "Lyon", "", "69002", "FR", "Europe/Paris", "fr_FR"),
    "cambridge": ("1 Kendall Square", "Cambridge", "MA", "02139", "US", "America/New_York", "en_US"),
    "manchester": ("7 Oldham Street", "Manchester", "", "M1 1JQ", "GB", "Europe/London", "en_GB"),
}

# Blue Harbor Dental's staff (first.last pairs, all different) and their packages, in turn.
FIRST_NAMES = (
    "aisha", "ben", "carla", "diego", "elena", "farid", "grace", "hiro", "ines", "jonas",
    "keisha", "liam", "mei", "nadia", "oscar", "priya", "quinn", "rosa", "stefan", "tara",
)  # fmt: skip
LAST_NAMES = (
    "adams", "brennan", "costa", "dubois", "evans", "fischer", "garcia", "hughes", "ito", "jensen",
    "kowalski", "larsen", "murphy", "novak", "olsen", "patel", "quinlan", "reyes", "schmidt", "tanaka",
)  # fmt: skip
STAFF_PACKAGES = ("webex_calling", "webex_suite", "webex_meetings", "webex_calling", "webex_meetings")
STAFF = [
    (f"{FIRST_NAMES[i % 20]}.{LAST_NAMES[(i + 3 * (i // 20)) % 20]}", STAFF_PACKAGES[i % 5])
    for i in range(40)
]

# (partner, parent, first admin, customers: (name, external id, admin e-mail, address, language, packages,
# subscribers))
PARTNERS = [
    (
        "Acme Telecom",
        None,
        "admin@acme.example",
        [
            (
                "Blue Harbor Dental",
                "ACME-1001",
                "admin@blueharbor.example",
                "boston",
                "en",
                ["webex_suite", "webex_calling", "webex_meetings", "common_area_calling"],
                [
                    ("maria.lopez", "webex_suite"),
                    ("tom.chen", "webex_calling"),
                    ("ana.silva", "webex_meetings"),
                    *STAFF,  # the larger customer: the Users page has two pages of 25
                ],
            ),
            (
                "Cedar & Pine Legal",
                "ACME-1002",
                "admin@cedarpine.example",
                "portland",
                "",
                ["webex_calling", "webex_voice", "cisco_calling_plan"],
                [("james.ward", "webex_calling"), ("lucy.ng", "webex_voice")],
            ),
            (
                "Summit Cycling Co",
                "ACME-1003",
                "admin@summitcycling.example",
                "montreal",
                "fr_CA",
                ["webex_meetings"],
                [("olga.berg", "webex_meetings")],
            ),
        ],
    ),
    (
        "Northwind Reseller",
        "Acme Telecom",
        "admin@northwind.example",
        [
            (
                "Riverside Bakery",
                "NW-2001",
                "admin@riversidebakery.example",
                "london",
                "",
                ["webex_calling"],
                [("sam.baker", "webex_calling")],
            )
        ],
    ),
    # Sub-partners (issue 9): Northwind is active with a customer; Southwind is suspended (after the seed
    # made its customer), so it can only remove customers, users and workspaces.
    (
        "Southwind Reseller",
        "Acme Telecom",
        "admin@southwind.example",
        [
            (
                "Harbourside Florist",
                "SW-3001",
                "admin@harbourside.example",
                "london",
                "",
                ["webex_calling"],
                [("rose.petal", "webex_calling")],
            )
        ],
    ),
    (
        "Globex Communications",
        None,
        "admin@globex.example",
        [
            (
                "Initech Ltd",
                "GX-3001",
                "admin@initech.example",
                "berlin",
                "de",
                ["webex_suite"],
                [("peter.gibbons", "webex_suite")],
            ),
            # Cisco Calling Plan is not offered in France: provisioned with errors. French (org locale
            # fr_FR): its people read the portal in French unless they pick another language (issue 12).
            (
                "Umbrella Logistics",
                "GX-3002",
                "admin@umbrella.example",
                "lyon",
                "fr_FR",
                ["webex_calling", "cisco_calling_plan"],
                [],
            ),
        ],
    ),
]


# Calling: a second location of some customers (name, address) and number ranges per location (location,
# first number, how many). Every number is valid for `phonenumbers` in the location's country; the UK ones
# are Ofcom's drama ranges (020 7946 0xxx, 0161 496 0xxx), the North American ones 555-01xx.
SECOND_LOCATIONS = {
    "Blue Harbor Dental": ("Cambridge Clinic", "cambridge"),
    "Riverside Bakery": ("Manchester Kitchen", "manchester"),
}
NUMBER_RANGES = {
    "Blue Harbor Dental": [("Headquarters", "+16175550100", 50), ("Cambridge Clinic", "+16175550200", 10)],
    "Cedar & Pine Legal": [("Headquarters", "+15035550100", 20)],
    "Riverside Bakery": [("Headquarters", "+442079460100", 20), ("Manchester Kitchen", "+441614960100", 10)],
    "Initech Ltd": [("Headquarters", "+493012345600", 10)],
    "Umbrella Logistics": [("Headquarters", "+33472000100", 10)],
}
# The customer the demo's new capabilities are tried on (as admin@acme.example, or its own admin).
SHOWCASE = "Blue Harbor Dental"
# An existing free Webex account (no organisation): added to the showcase customer, it waits for consent.
FREE_ACCOUNT = ("kim.nguyen@freemail.example", "Kim", "Nguyen")
# Workspaces of the showcase customer (Common Area Calling): (name, location, with a number, extension).
WORKSPACES = [
    ("Front Desk", "Headquarters", True, "2901"),
    ("Waiting Room", "Cambridge Clinic", False, "2902"),
]
# A finished CSV import of the showcase customer: {number} is a free number of its headquarters. The last
# two rows are refused (a package the customer does not hold; a number outside its inventory).
IMPORT_FILE = "new-hires.csv"
IMPORT_CSV = """Action,First Name,Last Name,Email,Package,Location,Phone Number,Extension
add,Hannah,Okafor,hannah.okafor@blueharbor.example,Webex Calling,Headquarters,{number},2201
add,Igor,Petrov,igor.petrov@blueharbor.example,webex_meetings,,,
add,Julia,Santos,julia.santos@blueharbor.example,Webex Suite,Cambridge Clinic,,2202
add,Kofi,Mensah,kofi.mensah@blueharbor.example,webex_calling,,,2203
modify,,,ana.silva@blueharbor.example,webex_suite,,,2204
add,Lena,Fischer,lena.fischer@blueharbor.example,Customer Assist,,,2205
add,Marco,Rossi,marco.rossi@blueharbor.example,webex_calling,,+16175550999,2206
"""


def demo_order(*, template, name, external_id, admin_email, place, language, packages) -> CustomerOrder:
    line1, city, state, postal, country, tz, locale = ADDRESSES[place]
    address = Address(
        address_line1=line1, city=city, state_or_province=state, zip_or_postal_code=postal, country=country
    )
    return CustomerOrder(
        provisioning_id=template.provisioning_id,
        packages=tuple(packages),
        external_id=external_id,
        address=address,
        name=name,
        primary_email=admin_email,
        language=language,
        calling_location=CallingLocation(name="Headquarters", address=address, timezone=tz, language=locale),
    )


# Further Acme people, one per role of the guide.
ACME_PEOPLE = [
    ("readonly@acme.example", "Riley", "Reader", [Role.READ_ONLY_ADMIN, Role.PARTNER_READ_ONLY_ADMIN]),
    ("partneradmin@acme.example", "Pat", "Partner", [Role.PARTNER_ADMIN]),
    ("wholesale@acme.example", "Wes", "Wholesale", [Role.PARTNER_FULL_ADMIN, Role.WHOLESALE_ADMIN]),
]
CUSTOMER_PEOPLE = [
    ("readonly@blueharbor.example", [Role.READ_ONLY_ADMIN]),
    ("users@blueharbor.example", [Role.USER_DEVICE_ADMIN]),
    ("support@blueharbor.example", [Role.SUPPORT_ADMIN]),
]

# Denied-party screening list: (name, address, country, note).
SCREENING_ENTRIES = [
    ("Sanctioned Widgets Trading LLC", "", "IR", "Demo entry: export-controlled trading company"),
    ("Shadow Exports Ltd", "12 Harbour Road, Dubai", "AE", "Demo entry: front company, listed address"),
    ("Northern Star Shipping Co", "", "KP", "Demo entry"),
    ("Blackwater Metals GmbH", "", "RU", "Demo entry"),
]
# Organisations that exist outside wholesale: (full admin, name, further people, domains).
EXISTING_ORGS = [
    (
        "admin@contoso.example",
        "Contoso Ltd",
        [f"{n}@contoso.example" for n in ("dana.fox", "lee.park", "ravi.iyer", "sofia.reyes")],
        [],
    ),
    (
        "admin@fabrikam.example",
        "Fabrikam Inc",
        [f"{n}@fabrikam.example" for n in ("ivy.chen", "omar.haddad")],
        [("fabrikam.example", True, False)],
    ),
]


def _site_url(name: str, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


class Command(BaseCommand):
    help = "Create the demo organisations and people once (idempotent) and print every login."

    def handle(self, *args, **options):
        if user_get_by_email(email=OPERATOR) is None:
            # billing (issue 10): the world is built 95 days back, so usage has a history.
            with (
                request_context(channel=Channel.COMMAND),
                transaction.atomic(),
                shifted_clock(history_start()) as self._clock,
            ):
                self._seed()
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        else:
            self.stdout.write("Demo data already present.")
        self._print_logins()

    def _seed(self) -> None:
        operator = platform_bootstrap(name="Wholesale Hub Platform", operator_email=OPERATOR)
        operator.first_name, operator.last_name = "Olivia", "Operator"
        operator.save(update_fields=["first_name", "last_name"])
        partners = {}
        customers = {}
        pools: dict[str, dict[str, deque[str]]] = {}  # customer → location → its free numbers, in order
        for name, parent, admin_email, customer_rows in PARTNERS:
            org = partner_create(
                actor=operator,
                name=name,
                admin_email=admin_email,
                admin_first_name="Alex",
                admin_last_name=name.split()[0],
                parent=partners.get(parent),
            )
            partners[name] = org
            admin = user_get_by_email(email=admin_email)
            templates = [
                template_create(
                    actor=admin,
                    partner=org,
                    name=template_name,
                    country=country,
                    language=language,
                    send_admin_invite_email=invite,
                )
                for template_name, country, language, invite in TEMPLATES[name]
            ]
            for (
                customer_name,
                external_id,
                customer_admin,
                place,
                language,
                packages,
                subscribers,
            ) in customer_rows:
                order = demo_order(
                    template=templates[0],
                    name=customer_name,
                    external_id=external_id,
                    admin_email=customer_admin,
                    place=place,
                    language=language,
                    packages=packages,
                )
                customer = customer_provision_request(actor=admin, partner=org, order=order)
                # Provision now, so the demo is ready without a worker (the queued task then finds it done).
                customer = customer_provision(customer_id=customer.id)
                customers[customer_name] = customer
                pools[customer_name] = self._seed_calling(admin, customer, customer_name)
                # The first administrator (a subscriber since provisioning) gets their calling too.
                first_admin = subscribers_of_org(actor=admin, org=customer.org, search=customer_admin).first()
                if first_admin is not None and package_get(first_admin.package).has_calling:
                    subscriber_change_package(
                        actor=admin,
                        subscriber=first_admin,
                        package=first_admin.package,
                        phone_number=self._number_for(pools[customer_name], 0),
                        extension="2000",
                    )
                domain = customer_admin.split("@")[1]
                callers = 1
                for index, (local, package) in enumerate(subscribers):
                    first, last = (part.capitalize() for part in local.split("."))
                    calling = package_get(package).has_calling
                    number = self._number_for(pools[customer_name], callers) if calling else ""
                    callers += calling
                    subscriber_add(  # the partner adds them: restricted-by-partner mode is on by default
                        actor=admin,
                        customer=customer,
                        email=f"{local}@{domain}",
                        package=package,
                        first_name=first,
                        last_name=last,
                        phone_number=number,
                        extension=str(2001 + index) if calling else "",
                    )
        acme = partners["Acme Telecom"]
        acme_admin = user_get_by_email(email="admin@acme.example")
        for email, first, last, roles in ACME_PEOPLE:
            person_invite(
                actor=acme_admin, org=acme, email=email, first_name=first, last_name=last, roles=roles
            )
        person_assign_customers(
            actor=acme_admin,
            org=acme,
            person=user_get_by_email(email="partneradmin@acme.example"),
            customers=[customers["Blue Harbor Dental"].org],
        )
        blue_harbor = customers["Blue Harbor Dental"]
        blue_admin = user_get_by_email(email="admin@blueharbor.example")
        for email, roles in CUSTOMER_PEOPLE:
            person_invite(actor=blue_admin, org=blue_harbor.org, email=email, roles=roles)
        self._seed_showcase(acme_admin, blue_harbor, pools[SHOWCASE])
        # Sub-partners (issue 9): Northwind's billing started on the first of the month; Southwind suspended.
        subpartner_billing_start_update(
            actor=acme_admin,
            subpartner=partners["Northwind Reseller"],
            billing_start_date=timezone.localdate().replace(day=1),
        )
        # billing (issue 10): 95 days of changes, then back to the real time for everything after.
        admins = {name: user_get_by_email(email=row[2]) for name, row in zip(partners, PARTNERS, strict=True)}
        seed_billing_history(
            clock=self._clock, operator=operator, partners=partners, customers=customers, admins=admins
        )
        seed_billing_usage(admins=admins)
        # Suspended last: the history above provisions through the real services, which a suspension refuses.
        subpartner_set_status(
            actor=acme_admin,
            subpartner=partners["Southwind Reseller"],
            status="suspended",
            reason="Reseller agreement under review",
        )
        self._seed_screening_and_existing_orgs(operator, acme, acme_admin)
        self._seed_branding(acme, acme_admin)  # branding (issue 13)
        for email in self._logins():
            person_set_password(user=user_get_by_email(email=email), password=DEMO_PASSWORD)

    @staticmethod
    def _seed_calling(actor, customer, name: str) -> dict[str, deque[str]]:
        """The customer's second location and number ranges; returns each location's numbers."""
        if name in SECOND_LOCATIONS:
            location_name, place = SECOND_LOCATIONS[name]
            line1, city, state, postal, country, tz, locale = ADDRESSES[place]
            location_create(
                actor=actor,
                org=customer.org,
                values={
                    "name": location_name,
                    "address_line1": line1,
                    "city": city,
                    "state_or_province": state,
                    "zip_or_postal_code": postal,
                    "country": country,
                    "timezone": tz,
                    "language": locale,
                },
            )
        pools: dict[str, deque[str]] = {}
        for location_name, start, count in NUMBER_RANGES.get(name, []):
            location = location_find(customer=customer, reference=location_name)
            added = numbers_add_range(actor=actor, location=location, start=start, count=count)
            pools[location_name] = deque(number.e164 for number in added)
        return pools

    @staticmethod
    def _number_for(pools: dict[str, deque[str]], caller: int) -> str:
        """The n-th calling subscriber's number: every fourth has an extension only; every fifth is at the
        second location when there is one; the rest at the headquarters."""
        if caller % 4 == 3:
            return ""
        second = next((name for name in pools if name != "Headquarters"), None)
        pool = pools.get(second) if second and caller % 5 == 4 else pools.get("Headquarters")
        return pool.popleft() if pool else ""

    @staticmethod
    def _seed_showcase(actor, customer, pools: dict[str, deque[str]]) -> None:
        """On the showcase customer: a person with a free account waiting for consent, workspaces and a
        finished CSV import (run here, synchronously; its queued task then finds it done)."""
        email, first, last = FREE_ACCOUNT
        free_account_create(email=email, first_name=first, last_name=last)
        subscriber_add(actor=actor, customer=customer, email=email, package="webex_suite", extension="2099")
        for name, location, with_number, extension in WORKSPACES:
            workspace_create(
                actor=actor,
                customer=customer,
                name=name,
                package="common_area_calling",
                location=location,
                phone_number=pools[location].popleft() if with_number else "",
                extension=extension,
            )
        data = IMPORT_CSV.format(number=pools["Headquarters"].popleft()).encode()
        job = subscriber_import_create(actor=actor, customer=customer, data=data, file_name=IMPORT_FILE)
        subscriber_import_run(import_id=job.pk)

    @staticmethod
    def _seed_screening_and_existing_orgs(operator, acme, acme_admin) -> None:
        """Denied-party list entries and a customer they hold; organisations that exist outside wholesale:
        Contoso (attachable automatically) and Fabrikam (attached by Acme, waiting for its admin)."""
        from apps.onboarding.selectors import templates_of
        from apps.onboarding.services import template_create
        from apps.provisioning.orders import Address, CustomerOrder
        from apps.provisioning.services.attach import existing_org_create
        from apps.provisioning.services.provisioning import customer_provision_request
        from apps.screening.services import screening_entry_add

        for name, address, country, note in SCREENING_ENTRIES:
            screening_entry_add(actor=operator, name=name, address=address, country=country, note=note)
        for email, name, people, domains in EXISTING_ORGS:
            existing_org_create(actor=operator, name=name, admin_email=email, people=people, domains=domains)
        template = templates_of(actor=acme_admin, partner=acme).first() or template_create(
            actor=acme_admin, partner=acme, name="Acme Demo", country="US", language="en_US"
        )
        address = Address(address_line1="500 Market Street", city="Wilmington", country="US")
        fabrikam = user_get_by_email(email=EXISTING_ORGS[1][0]).org
        # One customer held by screening, one attach waiting for Fabrikam's admin.
        for name, org_id, external_id in (
            ("Sanctioned Widgets Trading", "", "ACME-1090"),
            ("", fabrikam.webex_id, "ACME-1091"),
        ):
            order = CustomerOrder(
                provisioning_id=template.provisioning_id,
                packages=("webex_meetings",),
                external_id=external_id,
                address=address,
                name=name,
                primary_email="" if org_id else f"admin@{external_id.lower()}.example",
                org_id=org_id,
            )
            customer_provision_request(actor=acme_admin, partner=acme, order=order)

    @staticmethod
    def _seed_branding(acme, acme_admin) -> None:
        """Acme's default brand for its customers, and its help desk (issue 13)."""
        brand_update(
            actor=acme_admin,
            org=acme,
            layer=BrandLayer.CUSTOMER_DEFAULT,
            values={
                "primary_light": "#5a189a",
                "accent_light": "#3c096c",
                "help_url": "https://help.acme.example/",
                "support_url": "https://support.acme.example/",
            },
        )
        support_contacts_update(
            actor=acme_admin, org=acme, phone="+1 800 555 0100", email="helpdesk@acme.example"
        )

    @staticmethod
    def _logins() -> list[str]:
        emails = [OPERATOR]
        for _, _, admin_email, customer_rows in PARTNERS:
            emails.append(admin_email)
            emails += [row[2] for row in customer_rows]
        emails += [row[0] for row in ACME_PEOPLE] + [row[0] for row in CUSTOMER_PEOPLE]
        emails += [row[0] for row in EXISTING_ORGS]
        return emails

    def _print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for email in self._logins():
            user = user_get_by_email(email=email)
            roles = ", ".join(sorted(r.role for r in user.role_rows.all())) if user else "?"
            org = user.org.name if user and user.org else "?"
            self.stdout.write(f"  {email:<34} {org:<24} {roles}{self._reads(user)}")
        self._print_showcase()

    @staticmethod
    def _reads(user) -> str:
        """How a login reads the portal when that is not English: its organisation's language (a customer's
        org locale) or its own choice."""
        language = language_for(user) if user else None
        if not language or language == settings.LANGUAGE_CODE:
            return ""
        customer = customer_of_org(org=user.org) if user.org else None
        locale = f" (org locale {customer.org_locale})" if customer and customer.org_locale else ""
        return f"  · reads {get_language_info(language)['name']}{locale}"

    def _print_showcase(self) -> None:
        """What to try: numbers, the showcase customer's users, pending consent, workspaces and import."""
        actor = user_get_by_email(email="admin@acme.example")
        customer = actor and customers_visible_to(actor=actor).filter(org__name=SHOWCASE).first()
        if customer is None:
            return
        self.stdout.write("\nNumbers (Partner Hub → customer → Locations)")
        for name, ranges in NUMBER_RANGES.items():
            shown = "; ".join(
                f"{location} {start}…+{int(start[1:]) + count - 1} ({count})"
                for location, start, count in ranges
            )
            self.stdout.write(f"  {name:<22} {shown}")
        org = customer.org
        users = subscribers_of_org(actor=actor, org=org)
        codes = set(users.values_list("package", flat=True))
        packages = ", ".join(sorted(package_get(code).name for code in codes))
        self.stdout.write(
            f"\n{SHOWCASE} (as admin@acme.example: Customers → {SHOWCASE} → Control Hub; or as "
            f"{customer.primary_email or 'its administrator'})"
        )
        self.stdout.write(f"  Users: {users.count()} (pages of 25) holding {packages}")
        self.stdout.write(f"    {_site_url('control:user_list', org_id=org.webex_id)}")
        pending_users = subscribers_of_org(
            actor=actor, org=org, status=SubscriberStatus.PENDING_USER_MIGRATION
        )
        for pending in pending_users:
            self.stdout.write(f"  Waiting for consent (an existing free account): {pending.email}")
            self.stdout.write(f"    consent link: {consent_url(subscriber=pending)}")
        for workspace in workspace_list_shown(list(workspaces_of_org(actor=actor, org=org))):
            calling = ", ".join(
                workspace.numbers_shown + [f"ext. {extension}" for extension in workspace.extensions_shown]
            )
            self.stdout.write(f"  Workspace: {workspace.name} at {workspace.location.name} ({calling})")
        for job in subscriber_imports_visible_to(actor=actor).filter(customer=customer):
            self.stdout.write(
                f"  CSV import {job.file_name}: {job.get_status_display().lower()}, {job.added_count} added, "
                f"{job.modified_count} modified, {job.failed_count} failed"
            )
            url = _site_url("control:user_import_detail", org_id=org.webex_id, import_id=job.webex_id)
            self.stdout.write(f"    {url}")
