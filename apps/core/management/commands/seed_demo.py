"""Demo data, created once through the services: a platform, partners, a sub-partner, onboarding templates,
customers (ordered through the provisioning request; their provisioning runs right away), people."""

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.roles import Role
from apps.accounts.selectors import user_get_by_email
from apps.accounts.services import person_assign_customers, person_invite, person_set_password
from apps.core.context import Channel, request_context
from apps.customers.orders import Address, CallingLocation, CustomerOrder
from apps.customers.services import customer_provision, customer_provision_request, subscriber_add
from apps.onboarding.services import template_create
from apps.packages.catalogue import package_get
from apps.partners.services import partner_create, platform_bootstrap

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
}

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
                ["webex_suite", "webex_calling", "webex_meetings"],
                [
                    ("maria.lopez", "webex_suite"),
                    ("tom.chen", "webex_calling"),
                    ("ana.silva", "webex_meetings"),
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
            # Cisco Calling Plan is not offered in France: provisioned with errors.
            (
                "Umbrella Logistics",
                "GX-3002",
                "admin@umbrella.example",
                "lyon",
                "fr",
                ["webex_calling", "cisco_calling_plan"],
                [],
            ),
        ],
    ),
]


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


class Command(BaseCommand):
    help = "Create the demo organisations and people once (idempotent) and print every login."

    def handle(self, *args, **options):
        if user_get_by_email(email=OPERATOR) is None:
            with request_context(channel=Channel.COMMAND), transaction.atomic():
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
                domain = customer_admin.split("@")[1]
                for index, (local, package) in enumerate(subscribers):
                    first, last = (part.capitalize() for part in local.split("."))
                    calling = package_get(package).has_calling
                    subscriber_add(  # the partner adds them: restricted-by-partner mode is on by default
                        actor=admin,
                        customer=customer,
                        email=f"{local}@{domain}",
                        package=package,
                        first_name=first,
                        last_name=last,
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
        self._seed_screening_and_existing_orgs(operator, acme, acme_admin)
        for email in self._logins():
            person_set_password(user=user_get_by_email(email=email), password=DEMO_PASSWORD)

    @staticmethod
    def _seed_screening_and_existing_orgs(operator, acme, acme_admin) -> None:
        """Denied-party list entries and a customer they hold; organisations that exist outside wholesale:
        Contoso (attachable automatically) and Fabrikam (attached by Acme, waiting for its admin)."""
        from apps.customers.orders import Address, CustomerOrder
        from apps.customers.services.attach import existing_org_create
        from apps.customers.services.provisioning import customer_provision_request
        from apps.customers.services.screening import screening_entry_add
        from apps.onboarding.selectors import templates_of
        from apps.onboarding.services import template_create

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
            self.stdout.write(f"  {email:<34} {org:<24} {roles}")
