"""``get_<field>_display()`` without re-translating every choice on each call.

Django's own builds ``dict(make_hashable(field.flatchoices))`` on every call, and hashing a lazily translated
label translates it: a status with ten choices costs ten ``gettext`` calls per row and per use, most of a list
page's translation work (issue 11). Here the labels of a field are translated once per process and language,
then looked up. Only fields with fixed choices (a list, such as a ``TextChoices``' ``choices``) are kept;
callable choices go through Django's own method, as they may change between calls.
"""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


class ChoiceLabels:
    """Mixed into a model (before ``models.Model``): the same answers as Django's ``get_<field>_display``."""

    def _get_FIELD_display(self, field) -> str:  # noqa: N802 - Django's name, overridden
        if not isinstance(field.choices, list | tuple):
            return super()._get_FIELD_display(field)
        cache = field.__dict__.setdefault("_labels_by_language", {})
        language = get_language()
        labels = cache.get(language)
        if labels is None:
            labels = cache[language] = {
                key: force_str(label, strings_only=True) for key, label in make_hashable(field.flatchoices)
            }
        value = getattr(self, field.attname)
        return labels.get(make_hashable(value), value)
