"""A user's details page in Control Hub (names, display name, primary e-mail): editable by customer admins
even under restricted-by-partner mode, as the guide says; the primary work number beside them follows the
registry's ``users.primary_work_number`` control (greyed under the mode)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.hub import hub_page
from apps.accounts.permissions import Action
from apps.core.forms import call_service
from apps.subscribers.models import Subscriber
from apps.subscribers.services.details import subscriber_details_update
from apps.subscribers.views.users import subscriber_in_url


class UserDetailsForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    display_name = forms.CharField(
        label=_("Display name"), required=False, max_length=150, help_text=_("Empty: first and last name.")
    )
    email = forms.CharField(label=_("Primary e-mail address"), max_length=254)


@hub_page(Action.USERS_VIEW, write=Action.USERS_MANAGE, on=subscriber_in_url)
def user_details(request: HttpRequest, subscriber: Subscriber) -> HttpResponse:
    initial = {
        "first_name": subscriber.first_name,
        "last_name": subscriber.last_name,
        "display_name": subscriber.chosen_display_name,
        "email": subscriber.email,
    }
    form = UserDetailsForm(request.POST if request.method == "POST" else None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, subscriber_details_update, actor=request.user, subscriber=subscriber, **form.cleaned_data
        )
    ):
        messages.success(
            request, gettext("%(name)s's details are saved.") % {"name": subscriber.display_name}
        )
        return redirect(
            reverse(
                "control:user_detail",
                kwargs={"org_id": request.org.webex_id, "subscriber_id": subscriber.webex_id},
            )
        )
    numbers = list(subscriber.phone_numbers.all())
    return render(
        request, "subscribers/user_details.html", {"subscriber": subscriber, "form": form, "numbers": numbers}
    )
