"""What a billing line is about: every billable service (the packages and add-ons of the catalogue, and the
two Setup Assist SKUs) with the name, SKU and description the reports print, and how it is priced.

The package facts come from ``apps.packages.catalogue``; Setup Assist is billing's own (the guide's
*Onboarding with Wholesale Setup Assist*: Express, a flat charge for a location of up to five seats;
Standard, a charge per user above that).
"""

from dataclasses import dataclass
from enum import StrEnum

from apps.packages.catalogue import PACKAGES


class PriceUnit(StrEnum):
    MONTHLY = "monthly"  # per licence and month, prorated by the day (quantity = licence-days)
    ONE_TIME = "one_time"  # per unit ordered (Setup Assist)


SETUP_ASSIST_EXPRESS = "setup_assist_express"
SETUP_ASSIST_STANDARD = "setup_assist_standard"
EXPRESS_MAX_SEATS = 5  # "Flat charge to set up location of up to 5 seats"


@dataclass(frozen=True)
class Service:
    code: str
    name: str  # SERVICE_NAME of the reports (WEBEX_CALLING, COMMON_AREA_CALLING, ...)
    sku: str
    description: str
    unit: PriceUnit

    @property
    def label(self) -> str:
        return self.description


def _services() -> dict[str, Service]:
    found = {
        code: Service(code, str(code).upper(), package.sku, package.name, PriceUnit.MONTHLY)
        for code, package in PACKAGES.items()
    }
    found[SETUP_ASSIST_EXPRESS] = Service(
        SETUP_ASSIST_EXPRESS,
        "SETUP_ASSIST_EXPRESS",
        "A-WHL-SA-EXPRESS",
        "Wholesale Setup Assist Express Usage",
        PriceUnit.ONE_TIME,
    )
    found[SETUP_ASSIST_STANDARD] = Service(
        SETUP_ASSIST_STANDARD,
        "SETUP_ASSIST_STANDARD",
        "A-WHL-SA-STANDARD",
        "Wholesale Setup Assist Standard Usage",
        PriceUnit.ONE_TIME,
    )
    return found


SERVICES: dict[str, Service] = _services()
SERVICE_CHOICES = [(s.code, s.description) for s in SERVICES.values()]


def service(code: str) -> Service:
    """The service of a usage row; an unknown code (a package retired since) still prints."""
    return SERVICES.get(code) or Service(code, code.upper(), "", code, PriceUnit.MONTHLY)
