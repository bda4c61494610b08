"""Partner Hub pages of onboarding templates: the list, the guide's create/edit wizard, the detail with the
provisioningId to copy, and deletion. Read-only people see everything and change nothing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.forms import call_service
from apps.core.htmx import list_search, render_list
from apps.onboarding import services
from apps.onboarding.forms import ALL_STEPS, AUTH_MODE_HELP, REVIEW, STEPS, Step, TemplateForm
from apps.onboarding.models import AuthMode, OnboardingTemplate
from apps.onboarding.selectors import template_get, templates_list
from apps.packages.locales import country_name, locale_label
from apps.partners.selectors import partner_subscription_id

PSTN_WARNING = (
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
        messages.success(request, f"Template “{template.name}” deleted.")
        return redirect(reverse("partner:template_list", kwargs={"org_id": request.org.webex_id}))
    return render(request, "onboarding/template_delete.html", {"template": template})


# --- the wizard ---------------------------------------------------------------------------------------------


def _step_index(key: str) -> int:
    return next((i for i, step in enumerate(ALL_STEPS) if step.key == key), 0)


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


def _first_step_with(fields: set[str], upto: int) -> int | None:
    for index, step in enumerate(STEPS[:upto]):
        if fields & set(step.fields):
            return index
    return None


def _wizard(request: HttpRequest, *, template: OnboardingTemplate | None) -> HttpResponse:
    """One URL, the guide's steps. The posted ``step`` is where the person was; ``go`` is where they asked to
    go: ``next``, ``back``, ``step:<key>`` (the review's Edit links) or ``submit``."""
    subscription_id = partner_subscription_id(partner=request.org)
    language = template.language if template else request.POST.get("language", "")
    kwargs = {"subscription_id": subscription_id, "language": language}
    if request.method != "POST":
        form = TemplateForm(
            initial=TemplateForm.initial_for(template, subscription_id=subscription_id), **kwargs
        )
        return _render_step(request, form, template, 0)

    form = TemplateForm(request.POST, **kwargs)
    current = min(_step_index(request.POST.get("step", "")), len(STEPS))
    go = request.POST.get("go", "next")
    if go == "back":
        return _render_step(request, form, template, max(current - 1, 0), quiet=True)
    if go.startswith("step:"):
        return _render_step(request, form, template, min(_step_index(go[5:]), current), quiet=True)

    # "next" checks the steps so far; "submit" checks them all (hidden values are re-validated each time).
    upto = len(STEPS) if go == "submit" else current + 1
    wrong = _first_step_with(_problems(request, form, template), upto)
    if wrong is not None:
        return _render_step(request, form, template, wrong)
    if go != "submit" or current < len(STEPS):
        return _render_step(request, form, template, min(current + 1, len(STEPS)), quiet=True)

    values = _values(form)
    if template is None:
        saved = call_service(
            form, services.template_create, actor=request.user, partner=request.org, **values
        )
    else:
        saved = call_service(form, services.template_update, actor=request.user, template=template, **values)
    if saved is None:  # changed under our feet since the review (a name taken meanwhile)
        wrong = _first_step_with(set(form.errors), len(STEPS))
        return _render_step(request, form, template, len(STEPS) if wrong is None else wrong)
    if template is None:
        messages.success(request, f"Template “{saved.name}” created. Copy its provisioning ID below.")
    else:
        messages.success(request, f"Template “{saved.name}” saved. Customers already onboarded keep theirs.")
    return redirect(_detail_url(request, saved))


def _render_step(
    request: HttpRequest,
    form: TemplateForm,
    template: OnboardingTemplate | None,
    index: int,
    *,
    quiet: bool = False,
) -> HttpResponse:
    """``quiet``: moving between steps shows no errors (only a failed Next or Submit does)."""
    step: Step = ALL_STEPS[index]
    if quiet and form.is_bound:
        form = TemplateForm(
            initial={name: form[name].data for name in form.fields},
            subscription_id=partner_subscription_id(partner=request.org),
            language=form["language"].data or "",
        )
    context = {
        "form": form,
        "template": template,
        "step": step,
        "step_index": index,
        "steps": ALL_STEPS,
        "is_review": step is REVIEW,
        "visible": form.step_fields(step),
        "hidden": form.hidden_fields_except(step),
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
            return "Yes" if value in (True, "True", "true", "on") else "No"
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
