"""Control Hub's organisation settings: Account (company name), Organisation settings (e-mail,
authentication, services, Webex Assistant) and Domains. Each write has its own route guarded by the action
the restricted-mode registry names, so the page greys or hides exactly what the guard refuses."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.forms import call_service
from apps.customers import services
from apps.customers.forms import (
    AuthSettingsForm,
    CompanyNameForm,
    DomainAddForm,
    EmailSettingsForm,
    ServicesSettingsForm,
)
from apps.customers.models import OrgDomain
from apps.customers.selectors import customer_of_org, domain_get, domains_of, org_settings_of


def _url(request: HttpRequest, name: str) -> str:
    return reverse(f"control:{name}", kwargs={"org_id": request.org.webex_id})


@hub_page(Action.ORG_VIEW, write=Action.COMPANY_NAME_MANAGE)
def account(request: HttpRequest) -> HttpResponse:
    form = CompanyNameForm(
        request.POST if request.method == "POST" else None, initial={"name": request.org.name}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.company_name_update, actor=request.user, org=request.org, **form.cleaned_data
        )
    ):
        messages.success(request, _("Company name saved."))
        return redirect(request.path)
    return render(
        request, "customers/account.html", {"form": form, "customer": customer_of_org(org=request.org)}
    )


def _settings_page(request: HttpRequest, **bound) -> HttpResponse:
    settings = org_settings_of(org=request.org)
    customer = customer_of_org(org=request.org)
    forms = {
        "email_form": EmailSettingsForm(
            initial={
                "email_locale": settings.email_locale,
                "suppress_admin_invite_email": settings.suppress_admin_invite_email,
            }
        ),
        "auth_form": AuthSettingsForm(
            initial={"auth_mode": settings.auth_mode}, choices=services.sign_in_choices(customer=customer)
        ),
        "services_form": ServicesSettingsForm(
            initial={
                "migrations_enabled": settings.migrations_enabled,
                "connected_uc_enabled": settings.connected_uc_enabled,
            }
        ),
        **bound,
    }
    chosen = (customer.template_settings or {}) if customer else {}
    context = {"settings": settings, "customer": customer, "template_auth": chosen, **forms}
    return render(request, "customers/org_settings.html", context, status=400 if bound else 200)


@hub_page(Action.ORG_VIEW)
def org_settings(request: HttpRequest) -> HttpResponse:
    return _settings_page(request)


def _save_section(request: HttpRequest, form, service, key: str, done: str, **extra) -> HttpResponse:
    if form.is_valid() and call_service(
        form, service, actor=request.user, org=request.org, **form.cleaned_data, **extra
    ):
        messages.success(request, done)
        return redirect(_url(request, "org_settings"))
    return _settings_page(request, **{key: form})


@hub_page(Action.EMAIL_SETTINGS_MANAGE)
@require_POST
def email_settings(request: HttpRequest) -> HttpResponse:
    form = EmailSettingsForm(request.POST)
    return _save_section(
        request, form, services.email_settings_update, "email_form", _("E-mail settings saved.")
    )


@hub_page(Action.AUTH_SETTINGS_MANAGE)
@require_POST
def auth_settings(request: HttpRequest) -> HttpResponse:
    customer = customer_of_org(org=request.org)
    form = AuthSettingsForm(request.POST, choices=services.sign_in_choices(customer=customer))
    return _save_section(
        request, form, services.auth_settings_update, "auth_form", _("Authentication saved.")
    )


@hub_page(Action.SERVICES_MANAGE)
@require_POST
def services_settings(request: HttpRequest) -> HttpResponse:
    form = ServicesSettingsForm(request.POST)
    return _save_section(
        request, form, services.services_settings_update, "services_form", _("Services saved.")
    )


@hub_page(Action.ORG_MANAGE)
@require_POST
def webex_assistant(request: HttpRequest) -> HttpResponse:
    enabled = request.POST.get("enabled")
    if enabled not in ("on", "off"):
        messages.error(request, _("Choose whether Webex Assistant is on or off."))
    else:
        try:
            services.webex_assistant_set(actor=request.user, org=request.org, enabled=enabled == "on")
            done = (
                _("Webex Assistant is on for %(org)s.")
                if enabled == "on"
                else _("Webex Assistant is off for %(org)s.")
            )
            messages.success(request, done % {"org": request.org.name})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(_url(request, "org_settings"))


@hub_page(Action.ORG_VIEW, write=Action.DOMAINS_MANAGE)
def domain_list(request: HttpRequest) -> HttpResponse:
    form = DomainAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        domain = call_service(
            form, services.domain_add, actor=request.user, org=request.org, **form.cleaned_data
        )
        if domain is not None:
            messages.success(
                request,
                _("%(domain)s added: publish its TXT record, then verify it.") % {"domain": domain.name},
            )
            return redirect(request.path)
    context = {"form": form, "domains": domains_of(org=request.org), "txt_prefix": services.TXT_PREFIX}
    return render(request, "customers/domain_list.html", context)


def domain_in_url(request: HttpRequest, domain_id: str) -> OrgDomain:
    return domain_get(org=request.org, domain_id=domain_id)


def _domain_step(request: HttpRequest, domain: OrgDomain, service, done: str) -> HttpResponse:
    try:
        service(actor=request.user, domain=domain)
        messages.success(request, done)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_url(request, "domain_list"))


@hub_page(Action.DOMAINS_MANAGE, on=domain_in_url)
@require_POST
def domain_verify(request: HttpRequest, domain: OrgDomain) -> HttpResponse:
    return _domain_step(
        request, domain, services.domain_verify, _("%(domain)s is verified.") % {"domain": domain.name}
    )


@hub_page(Action.DOMAINS_MANAGE, on=domain_in_url)
@require_POST
def domain_claim(request: HttpRequest, domain: OrgDomain) -> HttpResponse:
    return _domain_step(
        request, domain, services.domain_claim, _("%(domain)s is claimed.") % {"domain": domain.name}
    )
