"""Partner Hub pages of onboarding templates: the list, the guide's create/edit wizard, the detail with the
provisioningId to copy, and deletion. Read-only people see everything and change nothing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.forms import call_service
from apps.core.htmx import list_search, render_list
from apps.core.wizard import NEXT, Wizard, WizardRun
from apps.onboarding import services
from apps.onboarding.forms import ALL_STEPS, AUTH_MODE_HELP, REVIEW, STEPS, Step, TemplateForm
from apps.onboarding.models import AuthMode, OnboardingTemplate
from apps.onboarding.selectors import template_get, templates_list
from apps.packages.locales import country_name, locale_label
from apps.partners.selectors import partner_subscription_id

PSTN_WARNING = gettext_lazy(
    "Cisco does not recommend choosing a Cloud Connected PSTN vendor in a template. The vendor applies to "
    "the customer's initial location only; changing it in the template has no impact on existing customers "
    "or locations; and the vendor must cover the country of the first location, or provisioning fails and "
    "needs fixing through the API or in Control Hub. Set up PSTN per location instead where you can."
)


def _detail_url(request: HttpRequest, template: OnboardingTemplate) -> str:
    return reverse(
        "partner:template_detail",
        kwargs={"org_id": request.org.webex_id, "template_id": template.provisioning_id},
    )


@hub_page(Action.ORG_VIEW)
def template_list(request: HttpRequest) -> HttpResponse:
    search = list_search(request)
    rows = templates_list(actor=request.user, partner=request.org, search=search)
    context = {
        "subscription_id": partner_subscription_id(partner=request.org),
        "auth_modes": dict(AuthMode.choices),
    }
    return render_list(
        request, "onboarding/template_list.html", rows, name="template", search=search, context=context
    )


def template_in_url(request: HttpRequest, template_id: str) -> OnboardingTemplate:
    return template_get(actor=request.user, partner=request.org, template_id=template_id)


@hub_page(Action.ORG_VIEW, on=template_in_url)
def template_detail(request: HttpRequest, template: OnboardingTemplate) -> HttpResponse:
    return render(
        request,
        "onboarding/template_detail.html",
        {
            "template": template,
            "pstn_warning": PSTN_WARNING,
            "country_label": country_name(template.country),
            "language_label": locale_label(template.language),
        },
    )


@hub_page(Action.TEMPLATES_MANAGE)
def template_create(request: HttpRequest) -> HttpResponse:
    return _wizard(request, template=None)


@hub_page(Action.TEMPLATES_MANAGE, on=template_in_url)
def template_edit(request: HttpRequest, template: OnboardingTemplate) -> HttpResponse:
    return _wizard(request, template=template)


@hub_page(Action.TEMPLATES_MANAGE, on=template_in_url)
def template_delete(request: HttpRequest, template: OnboardingTemplate) -> HttpResponse:
    if request.method == "POST":
        services.template_delete(actor=request.user, template=template)
        messages.success(request, _("Template “%(name)s” deleted.") % {"name": template.name})
        return redirect(reverse("partner:template_list", kwargs={"org_id": request.org.webex_id}))
    return render(request, "onboarding/template_delete.html", {"template": template})


# --- the wizard ---------------------------------------------------------------------------------------------

TEMPLATE_WIZARD = Wizard("template", tuple((step.key, step.title) for step in ALL_STEPS))
RUN = "run"
VALUE_MAX = 1000  # longest value kept (every field of the form is shorter)


def _step(key: str) -> Step:
    return next(step for step in ALL_STEPS if step.key == key)


def _values(form: TemplateForm) -> dict:
    """What the form parsed, with the fields it could not parse left to the service's defaults."""
    return {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}


def _problems(request: HttpRequest, form: TemplateForm, template: OnboardingTemplate | None) -> set[str]:
    """Validate the whole template; every problem lands on the form. Returns the fields in error."""
    if form.is_valid():
        try:
            services.template_validate(
                actor=request.user, partner=request.org, template=template, **_values(form)
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return set(form.errors)


def _first_step_with(fields: set[str], keys: list[str]) -> str | None:
    return next((step.key for step in STEPS if step.key in keys and fields & set(step.fields)), None)


def _posted(value) -> str:
    """An initial value as the form would post it."""
    if value is None:
        return ""
    return str(value.value if hasattr(value, "value") else value)


def _run(request: HttpRequest, template: OnboardingTemplate | None, subscription_id: str) -> WizardRun:
    """This tab's run of the wizard: a first visit starts one from the template's settings (or a new
    template's defaults); a post names its run, or starts an empty one."""
    token = request.POST.get(RUN, "") if request.method == "POST" else ""
    token = token if isinstance(token, str) and token.isascii() and 0 < len(token) <= 32 else ""
    key = f"{request.org.webex_id}:{template.pk if template else 'new'}:{token or TEMPLATE_WIZARD.new_key()}"
    initial = TemplateForm.initial_for(template, subscription_id=subscription_id)
    seed = {} if request.method == "POST" else {k: [_posted(v)] for k, v in initial.items()}
    return TEMPLATE_WIZARD.load(request, key, fresh=lambda: {"values": seed}, valid=_valid_state)


def _valid_state(state: dict) -> bool:
    return isinstance(state.get("values"), dict)


def _absorb(run: WizardRun, data, shown: str) -> QueryDict:
    """Keep what was posted (every field of the step on screen: an unticked box is now off; any other field
    the request names) and answer the run's values as the form's data."""
    values = run.state["values"]
    shown_fields = set(_step(shown).fields)
    for name in TemplateForm.base_fields:
        if name in shown_fields or name in data:
            values[name] = [v[:VALUE_MAX] for v in data.getlist(name) if isinstance(v, str)][:1]
    kept = QueryDict(mutable=True)
    for name, posted in values.items():
        kept.setlist(name, posted)
    return kept


def _wizard(request: HttpRequest, *, template: OnboardingTemplate | None) -> HttpResponse:
    """One URL, the guide's steps, on the wizard engine (``core.wizard``): the values are kept under this
    tab's run; ``nav`` is where the person asked to go (``next``, ``back``, ``goto:<step>`` — the step
    indicator and the review's Edit links — or ``create``, the submit)."""
    subscription_id = partner_subscription_id(partner=request.org)
    run = _run(request, template, subscription_id)
    if request.method != "POST":
        data = _absorb(run, QueryDict(), shown=REVIEW.key)
        form = _form(data, template, subscription_id)
        return _render_step(request, run, form, template, STEPS[0].key, quiet=True)

    step = TEMPLATE_WIZARD.step_of(request.POST.get("step"), default=STEPS[0].key)
    form = _form(_absorb(run, request.POST, shown=step), template, subscription_id)
    target = TEMPLATE_WIZARD.target(step, request.POST.get("nav", NEXT), run.reached)
    if TEMPLATE_WIZARD.goes_back(step, target):
        return _render_step(request, run, form, template, target, quiet=True)

    # Forward checks the steps before the target; the finish checks them all.
    wrong = _first_step_with(_problems(request, form, template), TEMPLATE_WIZARD.before(target))
    if wrong is not None:
        return _render_step(request, run, form, template, wrong)
    if target is not None:
        return _render_step(request, run, form, template, target, quiet=True)

    values = _values(form)
    if template is None:
        saved = call_service(
            form, services.template_create, actor=request.user, partner=request.org, **values
        )
    else:
        saved = call_service(form, services.template_update, actor=request.user, template=template, **values)
    if saved is None:  # changed under our feet since the review (a name taken meanwhile)
        wrong = _first_step_with(set(form.errors), TEMPLATE_WIZARD.keys)
        return _render_step(request, run, form, template, wrong or REVIEW.key)
    run.forget()
    if template is None:
        messages.success(
            request, _("Template “%(name)s” created. Copy its provisioning ID below.") % {"name": saved.name}
        )
    else:
        messages.success(
            request,
            _("Template “%(name)s” saved. Customers already onboarded keep theirs.") % {"name": saved.name},
        )
    return redirect(_detail_url(request, saved))


def _form(data, template: OnboardingTemplate | None, subscription_id: str) -> TemplateForm:
    language = template.language if template else data.get("language", "")
    return TemplateForm(data, subscription_id=subscription_id, language=language)


def _render_step(
    request: HttpRequest,
    run: WizardRun,
    form: TemplateForm,
    template: OnboardingTemplate | None,
    key: str,
    *,
    quiet: bool = False,
) -> HttpResponse:
    """``quiet``: moving between steps shows no errors (only a failed Next or Submit does)."""
    step = _step(key)
    if quiet and form.is_bound:
        form = TemplateForm(
            initial={name: form[name].data for name in form.fields},
            subscription_id=partner_subscription_id(partner=request.org),
            language=form["language"].data or "",
        )
    run.show(key)
    run.save()
    context = {
        "form": form,
        "template": template,
        "step": step,
        "steps": TEMPLATE_WIZARD.indicator(key, run.reached),
        "previous": TEMPLATE_WIZARD.previous(key),
        "run": run.key.rsplit(":", 1)[1],
        "is_review": step is REVIEW,
        "visible": form.step_fields(step),
        "pstn_warning": PSTN_WARNING,
        "auth_help": AUTH_MODE_HELP,
        "review": _review(form) if step is REVIEW else None,
    }
    return render(request, "onboarding/template_wizard.html", context)


def _review(form: TemplateForm) -> list[dict]:
    """Each step's settings as label/value pairs, read back from the form as the person will save them."""

    def shown(name: str) -> str:
        bound = form[name]
        value = bound.value()
        field = form.fields[name]
        if isinstance(field.widget, forms.CheckboxInput):
            return _("Yes") if value in (True, "True", "true", "on") else _("No")
        choices = dict((str(k), v) for k, v in getattr(field, "choices", []) or [] if not isinstance(v, list))
        return str(choices.get(str(value), value)) if value not in (None, "") else "—"

    sections = []
    auth_mode = form["auth_mode"].value()
    for step in STEPS:
        rows = []
        for name in step.fields:
            if name == "idp_entity_id" and auth_mode != AuthMode.PARTNER_SAML:
                continue
            if name == "idp_name" and auth_mode != AuthMode.PARTNER_OIDC:
                continue
            rows.append((form.fields[name].label, shown(name)))
        sections.append({"step": step, "rows": rows})
    return sections
