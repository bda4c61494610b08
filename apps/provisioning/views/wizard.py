"""Partner Hub's "Create customer" wizard: customer information → packages → headquarters location → review.

State travels in the form: every request posts all steps (the steps not on screen as hidden inputs) and every
step already passed is validated again, so a tampered or stale hidden value sends the admin back to its step
with the error. Nothing is kept on the server between steps and nothing is written until "Create customer";
the review step runs the provisioning precheck so conflicts show before creating.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.exceptions import ApplicationError
from apps.core.htmx import partial_or_page
from apps.onboarding.selectors import templates_of
from apps.packages.catalogue import PACKAGES
from apps.packages.locales import (
    country_choices,
    derived_call_in,
    derived_locales,
    locale_label,
    resolve_locale,
)
from apps.provisioning.forms import (
    STEP_FORMS,
    CustomerInfoForm,
    PackagesForm,
    WizardStepForm,
    customer_order_from,
)
from apps.provisioning.services.provisioning import customer_precheck, customer_provision_request

TEMPLATE = "provisioning/customer_wizard.html"
REVIEW = "review"
STEP_KEYS = [form.key for form in STEP_FORMS] + [REVIEW]
STEP_TITLES = {**{form.key: form.title for form in STEP_FORMS}, REVIEW: gettext_lazy("Review")}
CONTROL_NAMES = {"csrfmiddlewaretoken", "step", "nav", "reached"}

# Where an error of the provisioning service belongs: its field key → (step, field of that step's form).
# The billing address keys name the headquarters fields: the wizard's billing address is the headquarters
# one unless "billing address differs" is ticked (then the error is shown on the step, not on a field).
_ERROR_FIELDS = {
    "provisioning_id": ("info", "template"),
    "name": ("info", "name"),
    "primary_email": ("info", "primary_email"),
    "external_id": ("info", "external_id"),
    "language": ("info", "language"),
    "packages": ("packages", "packages"),
    "package_limits": ("packages", "packages"),
    "calling_location": ("location", None),
    "meetings_timezone": ("location", "timezone"),
    "address_line1": ("location", None),
    "address_line2": ("location", None),
    "city": ("location", None),
    "state_or_province": ("location", None),
    "zip_or_postal_code": ("location", None),
    "country": ("location", None),
}
_LOCATION_PREFIX = "location_"
_LOCATION_FIELDS = {"name": "location_name", "language": "location_language"}  # the rest keep their names


@dataclass
class StepError:
    step: str
    field: str | None
    message: str

    @property
    def step_title(self) -> str:
        return STEP_TITLES.get(self.step, "")


def _precheck_step(key: str) -> tuple[str | None, str | None]:
    """(step, field) of a service error key such as "external_id" or "location_timezone"."""
    if key in _ERROR_FIELDS:
        return _ERROR_FIELDS[key]
    if key.startswith(_LOCATION_PREFIX):
        rest = key[len(_LOCATION_PREFIX) :]
        return "location", _LOCATION_FIELDS.get(rest, rest)
    return None, None


def precheck_errors(exc: Exception) -> list[StepError]:
    """A service's refusal as errors the review lists, each with the step to edit."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        out = []
        for key, texts in exc.message_dict.items():
            step, field = _precheck_step(key)
            out.extend(StepError(step or REVIEW, field, text) for text in texts)
        return out
    if isinstance(exc, ValidationError):
        return [StepError(REVIEW, None, text) for text in exc.messages]
    return [StepError(REVIEW, None, getattr(exc, "message", str(exc)))]


class Wizard:
    """The forms of one request, bound to what it posted."""

    def __init__(self, request: HttpRequest, templates: list):
        self.request = request
        self.templates = templates
        self.data: QueryDict = request.POST if request.method == "POST" else QueryDict()

    def form(self, key: str, bound: bool) -> WizardStepForm:
        form_class = next(f for f in STEP_FORMS if f.key == key)
        kwargs = {"templates": self.templates} if form_class is CustomerInfoForm else {}
        if bound:
            return form_class(self.data, **kwargs)
        form = form_class(**kwargs)
        form.initial = {**self.defaults(key), **form.initial_from(self.data)}
        return form

    def defaults(self, key: str) -> dict:
        """What a step shows before the admin has typed anything: the template's country and language."""
        if key == "info":
            template = self.request.GET.get("template", "")
            if template in {t.provisioning_id for t in self.templates}:
                return {"template": template}
            if len(self.templates) == 1:
                return {"template": self.templates[0].provisioning_id}
            return {}
        if key != "location":
            return {}
        template = next((t for t in self.templates if t.provisioning_id == self.data.get("template")), None)
        if template is None:
            return {}
        language = resolve_locale(self.data.get("language") or template.language, template.country) or ""
        return {"country": template.country, "location_language": language}

    def valid_forms(self, upto: str) -> tuple[dict[str, WizardStepForm], WizardStepForm | None]:
        """The bound forms of every step before ``upto`` (included when it is a form step), and the first of
        them that is invalid."""
        forms: dict[str, WizardStepForm] = {}
        for form_class in STEP_FORMS:
            form = self.form(form_class.key, bound=True)
            forms[form.key] = form
            if not form.is_valid():
                return forms, form
            if form.key == upto:
                break
        return forms, None

    def carried(self, shown: WizardStepForm | None) -> list[tuple[str, str]]:
        """Hidden inputs for every posted value that the shown step does not render itself."""
        own = set(shown.fields) if shown is not None else set()
        return [
            (name, value)
            for name, values in self.data.lists()
            if name not in CONTROL_NAMES and name not in own
            for value in values
        ]


def _steps(current: str, reached: int) -> list[dict]:
    index = STEP_KEYS.index(current)
    return [
        {
            "key": key,
            "number": n + 1,
            "title": STEP_TITLES[key],
            "state": "current" if n == index else ("done" if n < index else "upcoming"),
            "reachable": n != index and n <= reached,
        }
        for n, key in enumerate(STEP_KEYS)
    ]


def _review(forms: dict[str, WizardStepForm]) -> dict:
    """What the review shows: the three steps in words, and what provisioning will derive from them."""
    info, packages, location = forms["info"], forms["packages"], forms["location"]
    template = info.chosen_template()
    billing = location.billing_address()
    org_locale, site_locale = derived_locales(
        language=info.cleaned_data["language"],
        template_language=template.language,
        template_country=template.country,
    )
    region, calling_code = derived_call_in(
        billing_country=billing.country, location_country=location.cleaned_data["country"]
    )
    countries = dict(country_choices())
    limits = packages.limits()
    return {
        "info": info.cleaned_data,
        "template": template,
        "packages": [
            {"package": PACKAGES[code], "limit": limits.get(code)}
            for code in packages.cleaned_data["packages"]
        ],
        "location": location.cleaned_data,
        "location_country": countries.get(location.cleaned_data["country"], ""),
        "location_language": locale_label(location.cleaned_data["location_language"]),
        "billing": billing,
        "billing_country": countries.get(billing.country, billing.country),
        "billing_differs": location.cleaned_data["billing_differs"],
        "org_locale": org_locale,
        "org_locale_label": locale_label(org_locale),
        "meeting_site_locale": site_locale,
        "meeting_site_locale_label": locale_label(site_locale),
        "call_in": (region, calling_code) if calling_code else None,
        "language_label": locale_label(info.cleaned_data["language"])
        if info.cleaned_data["language"]
        else "",
    }


def _reached(request: HttpRequest, step: str) -> int:
    """The furthest step the admin has got to (a hint for the step links; every step is validated anyway)."""
    try:
        reached = int(request.POST.get("reached", 0))
    except ValueError:
        reached = 0
    return max(0, min(reached, len(STEP_KEYS) - 1), STEP_KEYS.index(step))


@hub_page(Action.CUSTOMER_CREATE)
def customer_wizard(request: HttpRequest) -> HttpResponse:
    partner = request.org
    templates = list(templates_of(actor=request.user, partner=partner).order_by("name"))
    wizard = Wizard(request, templates)
    context: dict = {"templates": templates, "errors": []}
    if request.method != "POST":
        return _render_step(request, wizard, context, "info", wizard.form("info", bound=False), 0)

    step = request.POST.get("step")
    step = step if step in STEP_KEYS else "info"
    nav = request.POST.get("nav", "next")
    reached = _reached(request, step)
    index = STEP_KEYS.index(step)
    if nav == "back":
        target = STEP_KEYS[max(index - 1, 0)]
    elif nav.startswith("goto:") and nav[5:] in STEP_KEYS:
        target = nav[5:]
    elif nav == "create" and step == REVIEW:
        target = None
    else:
        target = STEP_KEYS[min(index + 1, len(STEP_KEYS) - 1)]

    if target is not None and STEP_KEYS.index(target) <= index:
        # Going back (or staying): show the step as posted, unvalidated; nothing is lost on the way.
        if target == REVIEW:
            return _render_review(request, wizard, context, reached)
        return _render_step(request, wizard, context, target, wizard.form(target, bound=False), reached)

    # Going forward validates every step before the target; the first invalid one is shown with its errors.
    forms, invalid = wizard.valid_forms(upto=STEP_KEYS[STEP_KEYS.index(target) - 1] if target else REVIEW)
    if invalid is not None:
        return _render_step(request, wizard, context, invalid.key, invalid, reached)
    if target == REVIEW:
        return _render_review(request, wizard, context, len(STEP_KEYS) - 1, forms=forms)
    if target is not None:
        reached = max(reached, STEP_KEYS.index(target))
        return _render_step(request, wizard, context, target, wizard.form(target, bound=False), reached)

    order = customer_order_from(forms["info"], forms["packages"], forms["location"])
    try:
        customer = customer_provision_request(actor=request.user, partner=partner, order=order)
    except (ValidationError, ApplicationError) as exc:
        context["errors"] = precheck_errors(exc)
        return _render_review(request, wizard, context, reached, forms=forms, precheck=False)
    started = _("Provisioning of %(name)s started: its progress shows below.")
    messages.success(request, started % {"name": customer.org.name})
    url = reverse(
        "partner:customer_detail", kwargs={"org_id": partner.webex_id, "customer_id": customer.webex_id}
    )
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _render_step(request, wizard: Wizard, context: dict, key: str, form, reached: int) -> HttpResponse:
    context.update(
        step=key,
        form=form,
        steps=_steps(key, reached),
        carried=wizard.carried(form),
        previous=STEP_KEYS[STEP_KEYS.index(key) - 1] if key != STEP_KEYS[0] else None,
    )
    if isinstance(form, PackagesForm):
        context["cards"] = form.cards()
    context["reached"] = reached
    return _render(request, context)


def _render_review(
    request, wizard: Wizard, context: dict, reached: int, forms=None, precheck: bool = True
) -> HttpResponse:
    if forms is None:
        forms, invalid = wizard.valid_forms(upto=REVIEW)
        if invalid is not None:
            return _render_step(request, wizard, context, invalid.key, invalid, reached)
    if precheck:
        order = customer_order_from(forms["info"], forms["packages"], forms["location"])
        try:
            customer_precheck(actor=request.user, partner=request.org, order=order)
        except (ValidationError, ApplicationError) as exc:
            context["errors"] = precheck_errors(exc)
    context.update(
        step=REVIEW,
        form=None,
        steps=_steps(REVIEW, reached),
        carried=wizard.carried(None),
        previous=STEP_KEYS[-2],
        review=_review(forms),
        reached=reached,
    )
    return _render(request, context)


def _render(request, context: dict) -> HttpResponse:
    template = partial_or_page(request, TEMPLATE, "wizard")
    return render(request, template, context)
