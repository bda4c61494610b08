"""A partner that requires multi-factor authentication sends its admins to set it up before anything else."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from apps.accounts.selectors import mfa_required_and_missing

_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/v1/", "/favicon")


class RequireMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and mfa_required_and_missing(user=user)
        ):
            messages.warning(
                request, "Your organisation requires two-factor authentication. Set it up to go on."
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
