"""Administrators (both hubs) and personal API tokens."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts import services
from apps.accounts.forms import ApiTokenForm, AssignCustomersForm, InviteAdminForm, LanguageForm, RolesForm
from apps.accounts.hub import hub_page
from apps.accounts.language import language_for
from apps.accounts.permissions import Action
from apps.accounts.roles import Role
from apps.accounts.selectors import (
    admins_of_org,
    api_token_get,
    api_tokens_of,
    assigned_customers_of,
    audit_events_page,
    customer_orgs_of_partner,
    invited_person_by_link,
    latest_invitation_of,
    mfa_required,
    person_get,
    roles_of,
)
from apps.core.audit_words import audit_change_rows, audit_channel_words, audit_event_words
from apps.core.forms import AuditFilterForm, call_service
from apps.core.htmx import render_list
from apps.core.selectors import audit_filter_lookups


def _admins_url(request) -> str:
    return reverse(f"{request.hub.key}:admin_list", kwargs={"org_id": request.org.webex_id})


@hub_page(Action.ADMINS_VIEW, write=Action.ADMINS_MANAGE)
def admin_list(request: HttpRequest) -> HttpResponse:
    form = InviteAdminForm(request.POST or None, org=request.org)
    if request.method == "POST" and form.is_valid():
        person = call_service(
            form, services.person_invite, actor=request.user, org=request.org, **form.cleaned_data
        )
        if person is not None:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
            return redirect(_admins_url(request))
    admins = list(admins_of_org(org=request.org))
    return render(request, "accounts/admin_list.html", {"admins": admins, "form": form})


@hub_page(Action.ADMINS_VIEW, write=Action.ADMINS_MANAGE)
def admin_detail(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_get(org=request.org, person_id=person_id)
    roles_form = RolesForm(initial={"roles": [r.role for r in person.role_rows.all()]}, org=request.org)
    assignable = Role.PARTNER_ADMIN in roles_of(person) and request.org.is_partner
    assign_form = None
    if assignable:
        customers = list(customer_orgs_of_partner(actor=request.user, partner=request.org)[:500])
        assign_form = AssignCustomersForm(
            initial={"customers": [c.webex_id for c in assigned_customers_of(user=person)]},
            customers=customers,
        )
    if request.method == "POST":
        if request.POST.get("form") == "customers" and assignable:
            assign_form = AssignCustomersForm(
                request.POST, customers=list(assign_form.customer_objects.values())
            )
            if assign_form.is_valid() and call_service(
                assign_form,
                services.person_assign_customers,
                actor=request.user,
                org=request.org,
                person=person,
                customers=assign_form.selected(),
            ):
                messages.success(request, _("Customer assignments saved."))
                return redirect(request.path)
        else:
            roles_form = RolesForm(request.POST, org=request.org)
            if roles_form.is_valid() and call_service(
                roles_form,
                services.person_set_roles,
                actor=request.user,
                org=request.org,
                person=person,
                roles=roles_form.cleaned_data["roles"],
            ):
                messages.success(request, _("Roles of %(email)s saved.") % {"email": person.email})
                return redirect(request.path)
    context = {"person": person, "roles_form": roles_form, "assign_form": assign_form}
    return render(request, "accounts/admin_detail.html", context)


@hub_page(Action.ADMINS_MANAGE)
@require_POST
def admin_remove(request: HttpRequest, person_id: str) -> HttpResponse:
    person = person_get(org=request.org, person_id=person_id)
    try:
        services.person_remove_admin(actor=request.user, org=request.org, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(
            reverse(
                f"{request.hub.key}:admin_detail",
                kwargs={"org_id": request.org.webex_id, "person_id": person_id},
            )
        )
    messages.success(request, _("%(email)s is no longer an administrator.") % {"email": person.email})
    return redirect(_admins_url(request))


@hub_page(Action.TOKENS_MANAGE)
def api_token_list(request: HttpRequest) -> HttpResponse:
    """Personal tokens of the signed-in admin (roles grant ``tokens.manage`` in one's own organisation
    only)."""
    form = ApiTokenForm(request.POST or None)
    created_secret = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in_days"]
        result = call_service(
            form,
            services.api_token_create,
            actor=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
        if result is not None:
            token, created_secret = result
            messages.success(
                request,
                _("Token “%(name)s” created. Copy it now: it is not shown again.") % {"name": token.name},
            )
            form = ApiTokenForm()
    tokens = api_tokens_of(user=request.user)
    return render(
        request,
        "accounts/api_token_list.html",
        {"form": form, "tokens": tokens, "created_secret": created_secret},
    )


@hub_page(Action.TOKENS_MANAGE)
@require_POST
def api_token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    token = api_token_get(user=request.user, token_id=token_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect(reverse("partner:api_token_list", kwargs={"org_id": request.org.webex_id}))


def home_url_for(user) -> str | None:
    """Where a person lands after signing in: the hub of their home organisation."""
    org = user.org
    if org is None or not roles_of(user):
        return None
    if org.is_platform:
        return reverse("ops:partner_list")
    if org.is_partner:
        return reverse("partner:overview", kwargs={"org_id": org.webex_id})
    return reverse("control:overview", kwargs={"org_id": org.webex_id})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    url = home_url_for(request.user)
    if url is None:
        return render(request, "accounts/no_access.html", status=403)
    return redirect(url)


@login_required
def language(request: HttpRequest) -> HttpResponse:
    """Each person picks the language they read the portal in (their own account: no hub, no role needed)."""
    form = LanguageForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        with translation.override(language_for(person) or translation.get_language()):
            messages.success(request, _("Your language is saved."))  # in the language just chosen
        return redirect(reverse("account_language"))
    return render(request, "accounts/language.html", {"form": form})


def _changes_shown(label: str, rows: list[tuple[str, str, str]]) -> SafeString:
    """One side of an event's change (its label, then its keys and values as a ``<dl>``, an id as a button
    that copies it), written once per event here instead of a template loop with a translation per value."""
    copy = _("Copy id")
    return format_html(
        '<div class="label">{}</div><dl class="kv">{}</dl>',
        label,
        format_html_join(
            "",
            "<dt>{}</dt><dd>{}</dd>",
            (
                (
                    key,
                    format_html(
                        '<button class="btn btn-sm" type="button" data-copy-text="{}" aria-label="{}">'
                        "{}</button>",
                        copied,
                        _("Copy id: %(key)s") % {"key": key},
                        copy,
                    )
                    if copied
                    else value,
                )
                for key, value, copied in rows
            ),
        ),
    )


def _audit_rows_shown(events: list) -> list:
    """What the audit log shows of a page's events (``accounts/audit_list.html``), worked out here once per
    event rather than by a date format, a translation and a filter per row and column in the template (they
    cost the page more than its query): the day and time, who in words, where it came from, the event and
    the organisation it happened in, and the changes before and after (``_changes_shown``)."""
    for event in events:
        local = template_localtime(event.created)
        event.day_shown, event.time_shown = local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")
        channel = audit_channel_words(event.channel)
        if event.cross_launched:
            event.source_shown = _("from %(org_name)s · via %(channel)s") % {
                "org_name": event.actor_org.name,
                "channel": channel,
            }
        else:
            event.source_shown = _("via %(channel)s") % {"channel": channel}
        event.action_shown = audit_event_words(event.action)
        event.place_shown = (
            _("in %(org_name)s") % {"org_name": event.acting_org.name} if event.acting_org else ""
        )
        before, after = audit_change_rows(event.before), audit_change_rows(event.after)
        event.before_shown = _changes_shown(_("Before"), before) if before else ""
        event.after_shown = _changes_shown(_("After") if before else _("Values"), after) if after else ""
    return events


@hub_page(Action.AUDIT_VIEW)
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit log of the hub's organisation, in every hub."""
    form = AuditFilterForm(request.GET or None)
    lookups = audit_filter_lookups(**form.cleaned_data) if form.is_valid() else {}
    events = audit_events_page(actor=request.user, org=request.org, lookups=lookups)
    filtered = form.is_valid() and any(form.cleaned_data.values())
    context = {"form": form}
    return render_list(
        request,
        "accounts/audit_list.html",
        events,
        name="audit",
        filtered=filtered,
        context=context,
        shape=_audit_rows_shown,
    )


# --- firsthour: the invitation's welcome page ---------------------------------------------------------------


def welcome(request: HttpRequest, uidb36: str, key: str) -> HttpResponse:
    """Where an invitation e-mail leads: who invited you to which organisation with which roles, a password
    to set, and then your hub, signed in (two-factor set-up first where the organisation requires it, by
    RequireMfaMiddleware). A used or expired link says so and offers a new one."""
    person = invited_person_by_link(uidb36=uidb36, key=key)
    if person is not None and (chosen := language_for(person)):
        # Not signed in yet, but known: the page speaks the person's (or their organisation's) language.
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen
    if person is None:
        return render(request, "accounts/welcome.html", {"expired": True}, status=400)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(user=person, password=form.cleaned_data["new_password1"])
        auth_login(request, person, backend="allauth.account.auth_backends.AuthenticationBackend")
        messages.success(request, _("Welcome to %(org)s. Your password is set.") % {"org": person.org})
        return redirect("home")
    invitation = latest_invitation_of(user=person)
    context = {
        "person": person,
        "invited_by": invitation.invited_by if invitation else None,
        "roles": sorted(Role(r).label for r in roles_of(person)),
        "mfa_required": mfa_required(org=person.org),
        "form": form,
    }
    return render(request, "accounts/welcome.html", context)
