"""Demo data, created once through the services: a platform, partners, a sub-partner, customers, people."""

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.roles import Role
from apps.accounts.selectors import user_get_by_email
from apps.accounts.services import person_assign_customers, person_invite, person_set_password
from apps.core.context import Channel, request_context
from apps.customers.services import customer_create, subscriber_add
from apps.partners.services import partner_create, platform_bootstrap

DEMO_PASSWORD = "Wholesale-Demo-2026"
OPERATOR = "operator@wholesalehub.example"

# (partner, parent, first admin, customers: (name, external id, admin e-mail, subscribers))
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
                [("james.ward", "webex_calling"), ("lucy.ng", "webex_voice")],
            ),
            (
                "Summit Cycling Co",
                "ACME-1003",
                "admin@summitcycling.example",
                [("olga.berg", "webex_meetings")],
            ),
        ],
    ),
    (
        "Northwind Reseller",
        "Acme Telecom",
        "admin@northwind.example",
        [("Riverside Bakery", "NW-2001", "admin@riversidebakery.example", [("sam.baker", "webex_calling")])],
    ),
    (
        "Globex Communications",
        None,
        "admin@globex.example",
        [("Initech Ltd", "GX-3001", "admin@initech.example", [("peter.gibbons", "webex_suite")])],
    ),
]

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
            for customer_name, external_id, customer_admin, subscribers in customer_rows:
                customer = customer_create(
                    actor=admin,
                    partner=org,
                    name=customer_name,
                    admin_email=customer_admin,
                    admin_first_name="Casey",
                    admin_last_name=customer_name.split()[0],
                    external_id=external_id,
                    invite_admin=False,
                )
                customers[customer_name] = customer
                domain = customer_admin.split("@")[1]
                customer_admin_user = user_get_by_email(email=customer_admin)
                for local, package in subscribers:
                    first, last = (part.capitalize() for part in local.split("."))
                    subscriber_add(
                        actor=customer_admin_user,
                        customer=customer,
                        email=f"{local}@{domain}",
                        package=package,
                        first_name=first,
                        last_name=last,
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
        for email in self._logins():
            person_set_password(user=user_get_by_email(email=email), password=DEMO_PASSWORD)

    @staticmethod
    def _logins() -> list[str]:
        emails = [OPERATOR]
        for _, _, admin_email, customer_rows in PARTNERS:
            emails.append(admin_email)
            emails += [row[2] for row in customer_rows]
        emails += [row[0] for row in ACME_PEOPLE] + [row[0] for row in CUSTOMER_PEOPLE]
        return emails

    def _print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for email in self._logins():
            user = user_get_by_email(email=email)
            roles = ", ".join(sorted(r.role for r in user.role_rows.all())) if user else "?"
            org = user.org.name if user and user.org else "?"
            self.stdout.write(f"  {email:<34} {org:<24} {roles}")
