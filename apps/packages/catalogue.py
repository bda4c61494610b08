"""The package catalogue, as data: every package of the Wholesale API with its entitlements and rules.

Nothing else in the code knows what a package includes; views, services and the API ask here.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from apps.packages.constants import PackageCode as P


class CallingLevel(StrEnum):
    NONE = "none"
    COMMON_AREA = "common_area"  # basic features for shared devices
    VOICE = "voice"  # calling-only, a subset of the professional features
    STANDARD = "standard"
    PROFESSIONAL = "professional"  # every Webex Calling feature

    @property
    def label(self) -> str:
        return CALLING_LEVEL_LABELS[self]


CALLING_LEVEL_LABELS: dict[CallingLevel, str] = {
    CallingLevel.NONE: _("No calling"),
    CallingLevel.COMMON_AREA: _("Common area (basic)"),
    CallingLevel.VOICE: _("Enhanced (calling only)"),
    CallingLevel.STANDARD: _("Standard"),
    CallingLevel.PROFESSIONAL: _("Professional (all features)"),
}


@dataclass(frozen=True)
class Package:
    code: P
    name: str
    sku: str
    description: str
    base: bool  # a base package (one per user) or an add-on
    calling: CallingLevel = CallingLevel.NONE
    messaging: bool = False
    meetings: bool = False
    meeting_participants: int = 0
    contact_centre: tuple[str, ...] = ()
    assignable_to_users: bool = True
    assignable_to_workspaces: bool = False
    requires_one_of: tuple[P, ...] = ()  # an add-on needs one of these base packages on the customer
    rank: int = 0  # higher is richer: the first administrator gets the customer's richest package

    @property
    def has_calling(self) -> bool:
        return self.calling is not CallingLevel.NONE

    @property
    def kind_label(self) -> str:
        return _("Base package") if self.base else _("Add-on")

    @property
    def requires_names(self) -> tuple[str, ...]:
        """The display names of the packages an add-on needs one of."""
        return tuple(PACKAGES[c].name for c in self.requires_one_of)

    @property
    def assignable_label(self) -> str:
        if self.assignable_to_users and self.assignable_to_workspaces:
            return _("Users and workspaces")
        if self.assignable_to_users:
            return _("Users")
        if self.assignable_to_workspaces:
            return _("Workspaces")
        return _("The customer (organisation-wide)")


CALLING_BASES = (
    P.COMMON_AREA_CALLING,
    P.WEBEX_CALLING,
    P.WEBEX_SUITE,
    P.WEBEX_VOICE,
    P.CX_ESSENTIALS,
    P.WEBEX_CALLING_STANDARD,
)
_CX_BASES = (P.WEBEX_CALLING, P.WEBEX_SUITE, P.CX_ESSENTIALS)

PACKAGES: dict[str, Package] = {
    p.code: p
    for p in [
        Package(
            P.COMMON_AREA_CALLING,
            "Webex Common Area Calling",
            "A-WHL-CMN-AREA",
            _("Basic calling for shared devices: hallway and door phones, simple retail stations."),
            base=True,
            calling=CallingLevel.COMMON_AREA,
            assignable_to_users=False,
            assignable_to_workspaces=True,
            rank=10,
        ),
        Package(
            P.WEBEX_VOICE,
            "Webex Voice",
            "A-WHL-VOICE",
            _("Calling only (Enhanced Calling): a subset of Webex Calling, with the Webex App or a device."),
            base=True,
            calling=CallingLevel.VOICE,
            rank=30,
        ),
        Package(
            P.WEBEX_CALLING_STANDARD,
            "Webex Calling Standard",
            "A-WHL-CALL-STD",
            _("Standard business calling with the Webex App and messaging."),
            base=True,
            calling=CallingLevel.STANDARD,
            messaging=True,
            rank=40,
        ),
        Package(
            P.WEBEX_CALLING,
            "Webex Calling",
            "A-WHL-CALLING",
            _("Every Webex Calling feature, the Webex App, messaging and basic meetings."),
            base=True,
            calling=CallingLevel.PROFESSIONAL,
            messaging=True,
            meetings=True,
            meeting_participants=100,
            rank=60,
        ),
        Package(
            P.WEBEX_MEETINGS,
            "Webex Meetings",
            "A-WHL-MEETINGS",
            _("Standalone meetings for up to 1000 participants, with messaging; no calling seat."),
            base=True,
            messaging=True,
            meetings=True,
            meeting_participants=1000,
            rank=20,
        ),
        Package(
            P.WEBEX_SUITE,
            "Webex Suite",
            "A-WHL-SUITE",
            _("Everything in Webex Calling plus full Webex Meetings for up to 1000 participants."),
            base=True,
            calling=CallingLevel.PROFESSIONAL,
            messaging=True,
            meetings=True,
            meeting_participants=1000,
            rank=90,
        ),
        Package(
            P.CX_ESSENTIALS,
            "Customer Assist",
            "A-WHL-CX-ESS",
            _(
                "Webex Calling professional plus Customer Experience Essentials: screen pop, supervisor "
                "views, real-time and historical agent and queue views."
            ),
            base=True,
            calling=CallingLevel.PROFESSIONAL,
            messaging=True,
            meetings=True,
            meeting_participants=100,
            contact_centre=(
                _("call queues"),
                _("screen pop"),
                _("supervisor experience"),
                _("agent and queue analytics"),
            ),
            rank=80,
        ),
        Package(
            P.CISCO_CALLING_PLAN,
            "Cisco Calling Plan",
            "A-WHL-CCP",
            _("Cisco as the PSTN provider for the customer's calling locations."),
            base=False,
            assignable_to_users=False,
            requires_one_of=CALLING_BASES,
        ),
        Package(
            P.ATTENDANT_CONSOLE,
            "Attendant Console",
            "A-WHL-ATT-CON",
            _("A receptionist console for switchboard operators."),
            base=False,
            requires_one_of=_CX_BASES,
            rank=5,
        ),
        Package(
            P.CX_PREMIUM_AGENT,
            "Contact Center Premium Agent",
            "A-WHL-CC-PREM",
            _("Omnichannel contact-centre agent with the premium feature set."),
            base=True,
            calling=CallingLevel.PROFESSIONAL,
            messaging=True,
            contact_centre=(
                _("voice"),
                _("digital channels"),
                _("premium routing"),
                _("supervisor analytics"),
            ),
            rank=85,
        ),
        Package(
            P.CX_STANDARD_AGENT,
            "Contact Center Standard Agent",
            "A-WHL-CC-STD",
            _("Contact-centre agent with the standard feature set."),
            base=True,
            calling=CallingLevel.PROFESSIONAL,
            messaging=True,
            contact_centre=(_("voice"), _("standard routing"), _("agent desktop")),
            rank=75,
        ),
        Package(
            P.CX_VOICE_PORTS,
            "Contact Center Voice Ports",
            "A-WHL-CC-PORTS",
            _("Concurrent voice ports for the contact centre's entry points and IVR."),
            base=False,
            assignable_to_users=False,
            contact_centre=(_("voice ports"),),
            requires_one_of=(P.CX_PREMIUM_AGENT, P.CX_STANDARD_AGENT),
        ),
        Package(
            P.CX_AI_ASSISTANT,
            "Contact Center AI Assistant",
            "A-WHL-CC-AI",
            _("AI assistance for contact-centre agents: summaries, suggested responses."),
            base=False,
            assignable_to_users=False,
            contact_centre=(_("AI assistant"),),
            requires_one_of=(P.CX_PREMIUM_AGENT, P.CX_STANDARD_AGENT),
        ),
        Package(
            P.WEBEX_AI_AGENT,
            "Webex AI Agent",
            "A-WHL-AI-AGENT",
            _("Autonomous and scripted AI agents for the contact centre's customers."),
            base=False,
            assignable_to_users=False,
            contact_centre=(_("AI agent"),),
            requires_one_of=(P.CX_PREMIUM_AGENT, P.CX_STANDARD_AGENT),
        ),
    ]
}

# The guide's Webex Calling feature list (Package Offers → Webex Calling Features).
WEBEX_CALLING_FEATURES: tuple[str, ...] = (
    _("Alternate numbers with distinctive ring"),
    _("Anonymous call rejection"),
    _("Barge-in exempt"),
    _("Business continuity (CFNR)"),
    _("Busy lamp monitoring"),
    _("Call forwarding: always/busy/no answer/selective"),
    _("Call history"),
    _("Call hold & resume"),
    _("Call logs with click to dial"),
    _("Call notify"),
    _("Call queue agent"),
    _("Call recording"),
    _("Call redial"),
    _("Call return"),
    _("Call transfer (attended & blind)"),
    _("Call waiting (up to 4 calls)"),
    _("Call waiting ID"),
    _("Connected line ID restriction"),
    _("Directed call pickup"),
    _("Directed call pickup with barge in"),
    _("Do not disturb"),
    _("Enterprise phone directory"),
    _("Executive / Executive assistant"),
    _("Extension dialing, variable length"),
    _("Feature access codes"),
    _("Hoteling: host & guest"),
    _("Inbound caller ID (name & number)"),
    _("Inbound fax to email"),
    _("Mobility"),
    _("Multiple line appearance"),
    _("N-way calling (6)"),
    _("Office anywhere"),
    _("Outbound caller ID blocking"),
    _("Personal phone directory"),
    _("Priority alert"),
    _("Privacy"),
    _("Push-to-talk"),
    _("Remote office"),
    _("Selective call acceptance"),
    _("Selective call rejection"),
    _("Sequential ring"),
    _("Shared call appearance"),
    _("Simultaneous ring"),
    _("Speed dial 100"),
    _("T.38 fax support"),
    _("Three-way calling"),
    _("Unified messaging"),
    _("User intercept"),
    _("User web portal"),
    _("Video (point to point)"),
    _("Visual voicemail"),
    _("Voicemail"),
    _("Auto attendant"),
    _("Call park authentication"),
    _("Call park group"),
    _("Call pick up"),
    _("Call queue"),
    _("External calling line ID delivery"),
    _("Group paging"),
    _("Hunt group"),
    _("Intercept group"),
    _("Intercept user"),
    _("Internal calling line ID delivery"),
    _("Music on hold"),
    _("Receptionist client"),
    _("Microsoft Teams integration"),
    _("Voice portal"),
)
# Common Area calling: the guide's basic feature set for shared devices.
COMMON_AREA_FEATURES: tuple[str, ...] = (
    _("Call forwarding: always/busy/no answer/selective"),
    _("Busy lamp monitoring"),
    _("Call transfer (attended & blind)"),
    _("Call waiting (up to 4 calls)"),
    _("T.38 fax support"),
)


@dataclass(frozen=True)
class PackageGroup:
    title: str
    description: str
    codes: tuple[P, ...]

    @property
    def packages(self) -> tuple[Package, ...]:
        return tuple(PACKAGES[c] for c in self.codes)


# How the catalogue page (and the customer wizard) present the packages: cheapest to richest in a group.
PACKAGE_GROUPS: tuple[PackageGroup, ...] = (
    PackageGroup(
        _("Calling and collaboration"),
        _("One base package per user or workspace, from shared-device calling to the full suite."),
        (
            P.COMMON_AREA_CALLING,
            P.WEBEX_VOICE,
            P.WEBEX_CALLING_STANDARD,
            P.WEBEX_CALLING,
            P.WEBEX_SUITE,
            P.WEBEX_MEETINGS,
        ),
    ),
    PackageGroup(
        _("Customer experience"),
        _("Contact-centre seats for agents and supervisors, with professional calling included."),
        (P.CX_ESSENTIALS, P.CX_STANDARD_AGENT, P.CX_PREMIUM_AGENT),
    ),
    PackageGroup(
        _("Add-ons"),
        _("Ordered on top of a customer's base packages; each needs one of the packages it names."),
        (
            P.CISCO_CALLING_PLAN,
            P.ATTENDANT_CONSOLE,
            P.CX_VOICE_PORTS,
            P.CX_AI_ASSISTANT,
            P.WEBEX_AI_AGENT,
        ),
    ),
)
# The package a comparison highlights: the guide's "most feature rich package".
FEATURED_PACKAGE = P.WEBEX_SUITE


def calling_features() -> list[tuple[str, bool]]:
    """The guide's Webex Calling feature list as (feature, included in Common Area calling); every feature
    is in the professional packages (Webex Calling, Suite, Customer Assist, contact-centre agents)."""
    common = set(COMMON_AREA_FEATURES)
    return [(feature, feature in common) for feature in WEBEX_CALLING_FEATURES]


def packages_with_calling(level: CallingLevel) -> tuple[Package, ...]:
    return tuple(p for p in PACKAGES.values() if p.calling is level)


@dataclass
class PackageProblems:
    """What is wrong with a set of customer packages, per package code."""

    unknown: list[str] = field(default_factory=list)
    missing_base: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def messages(self) -> list[str]:
        out = [f"“{code}” is not a Wholesale package." for code in self.unknown]
        for code, bases in self.missing_base.items():
            out.append(f"{code} needs one of these packages on the customer: {', '.join(bases)}.")
        return out


def package_get(code: str) -> Package | None:
    return PACKAGES.get(code)


def package_label(code: str) -> str:
    """The catalogue's name of a package code ("webex_calling" → "Webex Calling"), in the current language;
    an unknown code as words."""
    try:
        return str(P(code).label)
    except ValueError:
        return code.replace("_", " ").capitalize()


def package_problems(codes: list[str]) -> PackageProblems:
    problems = PackageProblems()
    chosen = set(codes)
    for code in codes:
        package = PACKAGES.get(code)
        if package is None:
            problems.unknown.append(code)
        elif package.requires_one_of and not chosen & set(package.requires_one_of):
            problems.missing_base[code] = tuple(package.requires_one_of)
    return problems


def needs_calling_location(codes: list[str]) -> bool:
    return any(PACKAGES[c].has_calling or c == P.CISCO_CALLING_PLAN for c in codes if c in PACKAGES)


def richest_user_package(codes: list[str]) -> Package | None:
    """The customer's richest package a person can hold (the first administrator's)."""
    candidates = [
        PACKAGES[c] for c in codes if c in PACKAGES and PACKAGES[c].assignable_to_users and PACKAGES[c].base
    ]
    return max(candidates, key=lambda p: p.rank, default=None)


def enables_webex_assistant(codes: list[str]) -> bool:
    """Webex Assistant is on by default for customers with Meetings or Suite."""
    return bool({P.WEBEX_MEETINGS, P.WEBEX_SUITE} & set(codes))
