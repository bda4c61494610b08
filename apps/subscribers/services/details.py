"""A user's details: first and last name, display name and primary e-mail address. USERS_MANAGE, which
restricted-by-partner mode leaves to customer admins (the guide: user details stay editable under the mode);
an address someone else already has is Webex's 10022; a name is refused with a control or text-direction
character, as it is when the person is added."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import Action, require
from apps.core.errors import ErrorCode, Errors, refuse, text
from apps.core.services import audit_record
from apps.core.validators import UNSAFE_CHARACTERS_MESSAGE, has_unsafe_characters
from apps.subscribers.models import Subscriber
from apps.subscribers.services.subscribers import EMAIL_IN_USE_MESSAGE, EMAIL_MAX, NAME_MAX

_FIELDS = ("first_name", "last_name", "chosen_display_name", "email")


def _email_taken(email: str, subscriber: Subscriber) -> bool:
    others = Subscriber.objects.filter(email=email).exclude(pk=subscriber.pk)
    people = User.objects.filter(email__iexact=email)
    if subscriber.user_id:
        people = people.exclude(pk=subscriber.user_id)
    return others.exists() or people.exists()


@transaction.atomic
def subscriber_details_update(
    *, actor, subscriber: Subscriber, first_name, last_name, display_name, email
) -> Subscriber:
    require(actor, Action.USERS_MANAGE, subscriber.customer.org)
    errors = Errors()
    values = {}
    for key, field, value in (
        ("first_name", "first_name", first_name),
        ("last_name", "last_name", last_name),
        ("display_name", "chosen_display_name", display_name),
    ):
        value = text(value)
        if len(value) > NAME_MAX:
            errors.add(
                key, ErrorCode.PERSON_NAME_INVALID, _("At most %(max)d characters.") % {"max": NAME_MAX}
            )
        elif has_unsafe_characters(value):
            errors.add(key, ErrorCode.PERSON_NAME_INVALID, UNSAFE_CHARACTERS_MESSAGE)
        values[field] = value
    address = text(email).lower()
    try:
        validate_email(address)
        valid = len(address) <= EMAIL_MAX
    except ValidationError:
        valid = False
    if not valid:
        errors.add("email", ErrorCode.EMAIL_INVALID, _("Enter a valid e-mail address."))
    elif address != subscriber.email and _email_taken(address, subscriber):
        errors.add("email", ErrorCode.EMAIL_IN_USE, EMAIL_IN_USE_MESSAGE)
    errors.raise_if_any()
    values["email"] = address
    before = {name: getattr(subscriber, name) for name in _FIELDS}
    for name, value in values.items():
        setattr(subscriber, name, value)
    try:
        with transaction.atomic():
            subscriber.save(update_fields=[*_FIELDS, "modified"])
            if subscriber.user_id:  # the person signs in with the same address and name
                User.objects.filter(pk=subscriber.user_id).update(
                    email=address, first_name=values["first_name"], last_name=values["last_name"]
                )
    except IntegrityError:  # taken by someone else at this very moment
        refuse("email", ErrorCode.EMAIL_IN_USE, EMAIL_IN_USE_MESSAGE)
    audit_record(
        actor=actor,
        acting_org=subscriber.customer.org,
        action="subscriber.details",
        target=subscriber,
        before=before,
        after={name: getattr(subscriber, name) for name in _FIELDS},
    )
    return subscriber
