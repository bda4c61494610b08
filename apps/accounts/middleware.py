"""A partner that requires multi-factor authentication sends its admins to set it up before anything else;
each signed-in person reads pages in their language."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from apps.accounts.language import language_for
from apps.accounts.selectors import mfa_required_and_missing

_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/v1/", "/favicon")
_API_PREFIX = "/v1/"


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
                request, _("Your organisation requires two-factor authentication. Set it up to go on.")
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class UserLanguageMiddleware:
    """Signed-in people read pages in their language (``accounts.language.language_for``); the API speaks
    English. Runs after AuthenticationMiddleware and LocaleMiddleware (which has already picked
    the browser's language for anyone else)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(_API_PREFIX):
            # The API answers in English whatever Accept-Language says, as Webex's does.
            language = settings.LANGUAGE_CODE
        else:
            user = getattr(request, "user", None)
            language = language_for(user) if user is not None and user.is_authenticated else None
        if not language:
            return self.get_response(request)
        request.LANGUAGE_CODE = language
        # Only for this request: the thread goes back to what it spoke before (a worker thread serves others).
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
