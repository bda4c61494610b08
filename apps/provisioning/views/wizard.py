"""Partner Hub's "Create customer" wizard: customer information → packages → headquarters location → review.

It runs on the wizard engine (``core.wizard``): the values typed so far are kept in the session under this
tab's run (a token the form carries as ``run``), every request takes in what the step on screen posted, and
going forward validates every step already passed again, so a stale value sends the admin back to its step
with the error. Nothing is written until "Create customer"; the review step runs the provisioning precheck so
conflicts show before creating.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.exceptions import ApplicationError
from apps.core.htmx import partial_or_page
from apps.core.wizard import NEXT, Wizard, WizardRun
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
CUSTOMER_WIZARD = Wizard(
    "customer_create",
    (*((form.key, form.title) for form in STEP_FORMS), (REVIEW, pgettext_lazy("wizard step", "Review"))),
)
STEP_KEYS = CUSTOMER_WIZARD.keys
STEP_TITLES = dict(CUSTOMER_WIZARD.steps)
RUN = "run"
VALUE_MAX = 255  # longest value kept (every field of the steps is shorter)
VALUES_MAX = 50  # most values kept of one field (the package list)

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


class CustomerForms:
    """The step forms of one request, bound to the values the run keeps."""

    def __init__(self, request: HttpRequest, run: WizardRun, templates: list):
        self.request = request
        self.run = run
        self.templates = templates
        self.data = QueryDict(mutable=True)
        for name, values in run.state["values"].items():
            self.data.setlist(name, values)

    def absorb(self, data: QueryDict, shown: str) -> None:
        """Keep what was posted: every field of the step on screen (one left out, such as an unticked box,
        is now empty) and any other step's field the request names."""
        values = self.run.state["values"]
        for form_class in STEP_FORMS:
            for name in self._form(form_class).fields:
                if form_class.key == shown or name in data:
                    posted = [v[:VALUE_MAX] for v in data.getlist(name) if isinstance(v, str)][:VALUES_MAX]
                    values[name] = posted
                    self.data.setlist(name, posted)

    def _form(self, form_class: type[WizardStepForm], data=None) -> WizardStepForm:
        kwargs = {"templates": self.templates} if form_class is CustomerInfoForm else {}
        return form_class(data, **kwargs)

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


def _run(request: HttpRequest) -> WizardRun:
    """This tab's run: a new one for a first visit (or a run the session no longer keeps), else the one the
    form names. The key includes the partner, so a run never crosses organisations."""
    token = request.POST.get(RUN, "") if request.method == "POST" else ""
    token = token if isinstance(token, str) and token.isascii() and 0 < len(token) <= 32 else ""
    key = f"{request.org.webex_id}:{token or CUSTOMER_WIZARD.new_key()}"
    return CUSTOMER_WIZARD.load(request, key, fresh=lambda: {"values": {}}, valid=_valid_state)


def _valid_state(state: dict) -> bool:
    return isinstance(state.get("values"), dict)


@hub_page(Action.CUSTOMER_CREATE)
def customer_wizard(request: HttpRequest) -> HttpResponse:
    partner = request.org
    templates = list(templates_of(actor=request.user, partner=partner).order_by("name"))
    run = _run(request)
    context: dict = {"templates": templates, "errors": []}
    if request.method != "POST":
        forms = CustomerForms(request, run, templates)
        return _render_step(run, context, "info", forms.form("info", bound=False))

    step = CUSTOMER_WIZARD.step_of(request.POST.get("step"), default="info")
    forms = CustomerForms(request, run, templates)
    forms.absorb(request.POST, shown=step)
    target = CUSTOMER_WIZARD.target(step, request.POST.get("nav", NEXT), run.reached)

    if CUSTOMER_WIZARD.goes_back(step, target):
        # Going back (or staying): show the step as typed, unvalidated; nothing is lost on the way.
        if target == REVIEW:
            return _render_review(run, forms, context)
        return _render_step(run, context, target, forms.form(target, bound=False))

    # Going forward validates every step before the target; the first invalid one is shown with its errors.
    before = CUSTOMER_WIZARD.before(target)
    valid, invalid = forms.valid_forms(upto=before[-1] if before else REVIEW)
    if invalid is not None:
        return _render_step(run, context, invalid.key, invalid)
    if target == REVIEW:
        return _render_review(run, forms, context, valid=valid)
    if target is not None:
        return _render_step(run, context, target, forms.form(target, bound=False))

    order = customer_order_from(valid["info"], valid["packages"], valid["location"])
    try:
        customer = customer_provision_request(actor=request.user, partner=partner, order=order)
    except (ValidationError, ApplicationError) as exc:
        context["errors"] = precheck_errors(exc)
        return _render_review(run, forms, context, valid=valid, precheck=False)
    run.forget()
    started = _("Provisioning of %(name)s started: its progress shows below.")
    messages.success(request, started % {"name": customer.org.name})
    url = reverse(
        "partner:customer_detail", kwargs={"org_id": partner.webex_id, "customer_id": customer.webex_id}
    )
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _render_step(run: WizardRun, context: dict, key: str, form) -> HttpResponse:
    if isinstance(form, PackagesForm):
        context["cards"] = form.cards()
    return _render(run, context, key, form=form)


def _render_review(
    run: WizardRun, forms: CustomerForms, context: dict, valid=None, precheck: bool = True
) -> HttpResponse:
    if valid is None:
        valid, invalid = forms.valid_forms(upto=REVIEW)
        if invalid is not None:
            return _render_step(run, context, invalid.key, invalid)
    if precheck:
        order = customer_order_from(valid["info"], valid["packages"], valid["location"])
        try:
            customer_precheck(actor=run.request.user, partner=run.request.org, order=order)
        except (ValidationError, ApplicationError) as exc:
            context["errors"] = precheck_errors(exc)
    return _render(run, context, REVIEW, form=None, review=_review(valid))


def _render(run: WizardRun, context: dict, step: str, **values) -> HttpResponse:
    run.show(step)
    run.save()
    context.update(
        values,
        step=step,
        steps=CUSTOMER_WIZARD.indicator(step, run.reached),
        reached=run.reached,
        previous=CUSTOMER_WIZARD.previous(step),
        run=run.key.split(":", 1)[1],
    )
    return render(run.request, partial_or_page(run.request, TEMPLATE, "wizard"), context)
