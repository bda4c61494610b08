"""Every control restricted-by-partner mode takes from customer admins, as data: the guide's "Restricted by
Partner Mode" section, one row per control, plus the controls customer admins never have whatever the mode.

Pages ask ``control_state(key)`` (apps.restrictions.templatetags); services and the page guard ask the one
permission function, ``accounts.permissions.may``, from which this app subtracts the actions (``actions``) of
the controls it restricts (registered in ``RestrictionsConfig.ready``). So the API and the services refuse
exactly what the page greys out or hides.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from apps.accounts.permissions import Action


class Area(StrEnum):
    USERS = "users"
    ACCOUNT = "account"
    ORGANIZATION = "organization"
    CALLING = "calling"
    SERVICES = "services"


AREA_LABELS = {
    Area.USERS: _("Users"),
    Area.ACCOUNT: _("Account"),
    Area.ORGANIZATION: _("Organisation settings"),
    Area.CALLING: _("Calling"),
    Area.SERVICES: _("Services"),
}


class Effect(StrEnum):
    """How a page shows a control the actor may not use."""

    GREYED = "greyed"  # shown read-only / disabled
    HIDDEN = "hidden"  # not shown at all


class When(StrEnum):
    MODE = "mode"  # while restricted-by-partner mode is on
    ALWAYS = "always"  # for customer admins whatever the mode


@dataclass(frozen=True)
class Control:
    key: str
    area: Area
    label: str
    guide: str  # the guide's own wording (translated like the label)
    effect: Effect
    when: When = When.MODE
    # The role grant a person needs for the control at all (restrictions come on top).
    requires: Action = Action.ORG_MANAGE
    # Actions a customer admin loses with the control: what may() (and so every service) refuses.
    actions: frozenset[Action] = field(default_factory=frozenset)
    # Listed in the guide's "Restrictions" list of the mode (an always-restricted control may be too).
    in_mode_list: bool = True
    # Where the control lives: a Control Hub URL name (taking only org_id), linked from the Restrictions page.
    page: str = ""


_PROVISION = frozenset({Action.USERS_PROVISION, Action.USERS_REMOVE})

CONTROLS: tuple[Control, ...] = (
    # --- Users view -----------------------------------------------------------------------------------
    Control(
        "users.manage_users",
        Area.USERS,
        _("Manage users button"),
        _("Manage Users button is greyed out."),
        Effect.GREYED,
        requires=Action.USERS_MANAGE,
        actions=_PROVISION,
        page="control:user_list",
    ),
    Control(
        "users.add_modify",
        Area.USERS,
        _("Manually add or modify users, CSV import"),
        _("No option to add or modify users, either manually or via CSV."),
        Effect.HIDDEN,
        requires=Action.USERS_MANAGE,
        actions=_PROVISION,
        page="control:user_add",
    ),
    Control(
        "users.claim",
        Area.USERS,
        _("Claim users"),
        _("Claim Users—not available"),
        Effect.HIDDEN,
        requires=Action.USERS_CLAIM,
        actions=frozenset({Action.USERS_CLAIM}),
        page="control:user_claim",
    ),
    Control(
        "users.auto_assign_licenses",
        Area.USERS,
        _("Auto-assign licences"),
        _("Auto-assign Licenses—not available"),
        Effect.HIDDEN,
        requires=Action.AUTO_ASSIGN_MANAGE,
        actions=frozenset({Action.AUTO_ASSIGN_MANAGE}),
        page="control:auto_assign",
    ),
    Control(
        "users.directory_sync",
        Area.USERS,
        _("Directory synchronisation"),
        _("Unable to edit directory sync settings (this setting is available to Partner-level admins only)."),
        Effect.GREYED,
        requires=Action.DIRECTORY_SYNC_MANAGE,
        actions=frozenset({Action.DIRECTORY_SYNC_MANAGE}),
        page="control:directory_sync",
    ),
    Control(
        "users.reset_package",
        Area.USERS,
        _("Reset package"),
        _("No option to reset the package type."),
        Effect.HIDDEN,
        requires=Action.USERS_MANAGE,
        actions=_PROVISION,
        page="control:user_list",
    ),
    Control(
        "users.edit_services",
        Area.USERS,
        _("Edit services"),
        _("No option to edit the services that are enabled for a user (e.g., Messages, Meetings, Calling)"),
        Effect.HIDDEN,
        requires=Action.USERS_MANAGE,
        actions=_PROVISION,
        page="control:user_list",
    ),
    Control(
        "users.services_status",
        Area.USERS,
        _("View services status"),
        _("Unable to see full status of Hybrid Services or Software Upgrade Channel"),
        Effect.HIDDEN,
        requires=Action.SERVICES_STATUS_VIEW,
        actions=frozenset({Action.SERVICES_STATUS_VIEW}),
        page="control:services_status",
    ),
    Control(
        "users.primary_work_number",
        Area.USERS,
        _("Primary work number"),
        _("This field is read-only."),
        Effect.GREYED,
        requires=Action.PRIMARY_NUMBER_MANAGE,
        actions=frozenset({Action.PRIMARY_NUMBER_MANAGE}),
        page="control:user_list",
    ),
    # --- Account view ---------------------------------------------------------------------------------
    Control(
        "account.company_name",
        Area.ACCOUNT,
        _("Company name"),
        _("Company Name is read-only."),
        Effect.GREYED,
        requires=Action.COMPANY_NAME_MANAGE,
        actions=frozenset({Action.COMPANY_NAME_MANAGE}),
        page="control:account",
    ),
    # --- Organisation settings ------------------------------------------------------------------------
    Control(
        "organization.domain",
        Area.ORGANIZATION,
        _("Domain"),
        _("Access is read-only."),
        Effect.GREYED,
        requires=Action.DOMAINS_MANAGE,
        actions=frozenset({Action.DOMAINS_MANAGE}),
        page="control:domain_list",
    ),
    Control(
        "organization.suppress_admin_invite_email",
        Area.ORGANIZATION,
        _("E-mail: suppress admin invite e-mail"),
        _("The Suppress Admin Invite Email and Email Locale Selection settings are read-only."),
        Effect.GREYED,
        requires=Action.EMAIL_SETTINGS_MANAGE,
        actions=frozenset({Action.EMAIL_SETTINGS_MANAGE}),
        page="control:org_settings",
    ),
    Control(
        "organization.email_locale",
        Area.ORGANIZATION,
        _("E-mail: e-mail locale"),
        _("The Suppress Admin Invite Email and Email Locale Selection settings are read-only."),
        Effect.GREYED,
        requires=Action.EMAIL_SETTINGS_MANAGE,
        actions=frozenset({Action.EMAIL_SETTINGS_MANAGE}),
        page="control:org_settings",
    ),
    Control(
        "organization.authentication",
        Area.ORGANIZATION,
        _("Authentication and SSO"),
        _("No option to edit Authentication and SSO settings."),
        Effect.HIDDEN,
        requires=Action.AUTH_SETTINGS_MANAGE,
        actions=frozenset({Action.AUTH_SETTINGS_MANAGE}),
        page="control:org_settings",
    ),
    # --- Calling --------------------------------------------------------------------------------------
    Control(
        "calling.call_settings",
        Area.CALLING,
        _("Call settings: app options call priority"),
        _("The App Options Call Priority settings are read-only."),
        Effect.GREYED,
        when=When.ALWAYS,  # the guide lists it under the mode and among the restrictions of every org
        requires=Action.CALL_PRIORITY_MANAGE,
        actions=frozenset({Action.CALL_PRIORITY_MANAGE}),
        page="control:calling",
    ),
    Control(
        "calling.calling_behavior",
        Area.CALLING,
        _("Calling behaviour"),
        _("Settings are read-only."),
        Effect.GREYED,
        requires=Action.CALLING_BEHAVIOR_MANAGE,
        actions=frozenset({Action.CALLING_BEHAVIOR_MANAGE}),
        page="control:calling",
    ),
    Control(
        "calling.location_pstn",
        Area.CALLING,
        _("Location PSTN: local gateway and Cisco PSTN"),
        _("The Local Gateway and Cisco PSTN options are hidden."),
        Effect.HIDDEN,
        requires=Action.PSTN_OPTIONS_MANAGE,
        actions=frozenset({Action.PSTN_OPTIONS_MANAGE}),
        page="control:calling",
    ),
    # --- Services -------------------------------------------------------------------------------------
    Control(
        "services.migrations",
        Area.SERVICES,
        _("Migrations"),
        _("Under SERVICES, the Migrations and Connected UC service options are suppressed."),
        Effect.HIDDEN,
        requires=Action.SERVICES_MANAGE,
        actions=frozenset({Action.SERVICES_MANAGE}),
        page="control:org_settings",
    ),
    Control(
        "services.connected_uc",
        Area.SERVICES,
        _("Connected UC"),
        _("Under SERVICES, the Migrations and Connected UC service options are suppressed."),
        Effect.HIDDEN,
        requires=Action.SERVICES_MANAGE,
        actions=frozenset({Action.SERVICES_MANAGE}),
        page="control:org_settings",
    ),
    # --- Always restricted for customer admins, whatever the mode -------------------------------------
    Control(
        "calling.location_setup_after_creation",
        Area.CALLING,
        _("Setting up calling after location creation"),
        _("Setting up calling after location creation will be hidden."),
        Effect.HIDDEN,
        when=When.ALWAYS,
        in_mode_list=False,
        requires=Action.LOCATION_CALLING_SETUP,
        actions=frozenset({Action.LOCATION_CALLING_SETUP}),
        page="control:calling",
    ),
    Control(
        "calling.location_pstn_management",
        Area.CALLING,
        _("Location PSTN management"),
        _("PSTN Management and Call Recording: These options will be greyed out for the location."),
        Effect.GREYED,
        when=When.ALWAYS,
        in_mode_list=False,
        requires=Action.PSTN_MANAGE,
        actions=frozenset({Action.PSTN_MANAGE}),
        page="control:calling",
    ),
    Control(
        "calling.call_recording",
        Area.CALLING,
        _("Call recording"),
        _("PSTN Management and Call Recording: These options will be greyed out for the location."),
        Effect.GREYED,
        when=When.ALWAYS,
        in_mode_list=False,
        requires=Action.CALL_RECORDING_MANAGE,
        actions=frozenset({Action.CALL_RECORDING_MANAGE}),
        page="control:calling",
    ),
    Control(
        "calling.phone_numbers",
        Area.CALLING,
        _("Phone number management"),
        _("In the Calling menu, phone number management is disabled"),
        Effect.GREYED,
        when=When.ALWAYS,
        requires=Action.NUMBERS_MANAGE,
        actions=frozenset({Action.NUMBERS_MANAGE}),
        in_mode_list=False,
        page="control:location_list",
    ),
)

CONTROLS_BY_KEY: dict[str, Control] = {c.key: c for c in CONTROLS}
ALWAYS_RESTRICTED: frozenset[str] = frozenset(c.key for c in CONTROLS if c.when is When.ALWAYS)
MODE_RESTRICTED: frozenset[str] = frozenset(c.key for c in CONTROLS if c.when is When.MODE)


def control_get(key: str) -> Control:
    """The control of a key; an unknown key is a programming error, loudly."""
    try:
        return CONTROLS_BY_KEY[key]
    except KeyError:
        raise KeyError(f"No restricted control {key!r}: add it to apps/restrictions/registry.py") from None


def actions_of(keys) -> set[Action]:
    return {action for key in keys for action in CONTROLS_BY_KEY[key].actions}
