"""The branding pages: Partner Hub's brand of the partner itself and its default for all customers, the
brand of one customer (with whether the customer may override it), Control Hub's override; each with a live
preview (htmx posts the colours to the same URL with ``?preview=1``). And the logos themselves, public (the
sign-in page shows them) and named by their content's hash."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action, may
from apps.branding import services
from apps.branding.colours import contrast_problems, normalise
from apps.branding.forms import BrandForm, OverrideForm
from apps.branding.images import CONTENT_TYPES, logo_open
from apps.branding.models import COLOUR_FIELDS, BrandLayer
from apps.branding.selectors import ResolvedBrand, brand_get, branding_for
from apps.core.forms import call_service
from apps.core.models import Organization
from apps.customers.models import Customer
from apps.provisioning.views.panel import customer_for_partner

TEMPLATE = "branding/brand_edit.html"


def _preview(request: HttpRequest, shown: Organization) -> HttpResponse:
    """The preview of the posted colours over the brand ``shown`` resolves to; unreadable ones are named."""
    effective = branding_for(shown)
    posted = {}
    for name in COLOUR_FIELDS:
        try:
            posted[name] = normalise(request.POST.get(name, ""))
        except ValueError:
            continue
    problems = contrast_problems(posted)
    readable = {k: v for k, v in posted.items() if k not in problems}
    brand = ResolvedBrand({**effective.values, **readable}, effective.sources)
    return render(request, f"{TEMPLATE}#preview", {"preview": brand, "problems": problems.values()})


def _brand_page(
    request: HttpRequest,
    *,
    org: Organization,
    layer: BrandLayer,
    shown: Organization,
    context: dict,
    brand_posted: bool = True,
) -> HttpResponse:
    """One brand layer of ``org`` edited; the preview shows what ``shown``'s people will see.
    ``brand_posted``: a POST is the brand form's (not another form's on the same page)."""
    if request.method == "POST" and request.GET.get("preview"):
        return _preview(request, shown)
    brand = brand_get(org=org, layer=layer)
    posted = request.method == "POST" and brand_posted
    form = BrandForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=BrandForm.initial_of(brand),
        layer=layer,
    )
    if posted and form.is_valid():
        saved = call_service(
            form,
            services.brand_update,
            actor=request.user,
            org=org,
            layer=layer,
            values=form.values(),
            logos=form.logos(),
        )
        if saved is not None:
            messages.success(request, _("Branding saved."))
            return redirect(request.get_full_path())
    preview = branding_for(shown)
    context = {
        "form": form,
        "colour_fields": [(form[name], preview.values[name]) for name in COLOUR_FIELDS],
        "layer": layer,
        "stored": brand,
        "preview": preview,
        "may_edit": may(request.user, Action.BRANDING_MANAGE, org),
        **context,
    }
    return render(request, TEMPLATE, context)


@hub_page(Action.ORG_VIEW, write=Action.BRANDING_MANAGE)
def partner_branding(request: HttpRequest) -> HttpResponse:
    """The partner's own organisation: what its Partner Hub (and its sign-in page) shows."""
    return _brand_page(
        request, org=request.org, layer=BrandLayer.OWN, shown=request.org, context={"tab": "own"}
    )


@hub_page(Action.ORG_VIEW, write=Action.BRANDING_MANAGE)
def partner_branding_customers(request: HttpRequest) -> HttpResponse:
    """The default of every customer of the partner that has no brand of its own."""
    return _brand_page(
        request,
        org=request.org,
        layer=BrandLayer.CUSTOMER_DEFAULT,
        shown=request.org,
        context={"tab": "customers"},
    )


@hub_page(Action.ORG_VIEW, write=Action.BRANDING_MANAGE, on=customer_for_partner)
def customer_branding(request: HttpRequest, customer: Customer) -> HttpResponse:
    """What the partner sets for one customer, and whether that customer may override it."""
    brand = brand_get(org=customer.org, layer=BrandLayer.CUSTOMER)
    override = OverrideForm(
        request.POST if request.method == "POST" and "allow_override_form" in request.POST else None,
        initial={"allow_customer_override": bool(brand and brand.allow_customer_override)},
    )
    if override.is_bound and override.is_valid():
        allowed = override.cleaned_data["allow_customer_override"]
        if call_service(
            override,
            services.brand_override_allow,
            actor=request.user,
            customer_org=customer.org,
            allowed=allowed,
        ):
            messages.success(
                request,
                (
                    _("%(name)s may now override its brand.")
                    if allowed
                    else _("%(name)s now shows your brand; its own override is set aside.")
                )
                % {"name": customer.org.name},
            )
            return redirect(request.path)
    return _brand_page(
        request,
        org=customer.org,
        layer=BrandLayer.CUSTOMER,
        shown=customer.org,
        context={"tab": "customer", "customer": customer, "override_form": override},
        brand_posted=not override.is_bound,
    )


@hub_page(Action.BRANDING_MANAGE)
def control_branding(request: HttpRequest) -> HttpResponse:
    """The customer's own override of the brand its partner gives it (only while the partner allows it)."""
    return _brand_page(
        request, org=request.org, layer=BrandLayer.OVERRIDE, shown=request.org, context={"tab": "override"}
    )


@require_GET
@cache_control(public=True, max_age=31536000, immutable=True)
def brand_logo(request: HttpRequest, name: str) -> FileResponse:
    """A stored logo. Public (sign-in pages show them) and unguessable: named by its content's SHA-256.
    An SVG is served so that nothing in it could run even if opened directly."""
    stored = logo_open(name)
    if stored is None:
        raise Http404
    response = FileResponse(stored, content_type=CONTENT_TYPES[name.rsplit(".", 1)[1]])
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
