"""The page a consent e-mail links to: someone with a free Webex account accepts to move it into the
organisation that added them (the subscriber is ``pending_user_migration`` until then). The signed token
is the only key: no sign-in, no organisation in the URL."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from apps.subscribers import services


@require_http_methods(["GET", "POST"])
def subscriber_consent(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = services.consent_subscriber(token=token)
    if subscriber is None:
        return render(request, "subscribers/subscriber_consent.html", {"state": "invalid"}, status=404)
    if request.method == "POST":
        try:
            subscriber = services.subscriber_consent_accept(token=token)
        except ValidationError:
            return render(request, "subscribers/subscriber_consent.html", {"state": "invalid"}, status=404)
        return render(
            request, "subscribers/subscriber_consent.html", {"state": "accepted", "subscriber": subscriber}
        )
    return render(request, "subscribers/subscriber_consent.html", {"state": "ask", "subscriber": subscriber})
