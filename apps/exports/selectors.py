"""Reads of exports: a person sees only the exports they asked for, in the organisation of the URL."""

from django.http import Http404

from apps.core.ids import IdType, decode_id
from apps.core.models import Organization
from apps.exports.models import Export


def export_get(*, actor, org: Organization, export_id: str) -> Export:
    pk = decode_id(export_id, IdType.EXPORT)
    found = (
        Export.objects.select_related("org").filter(pk=pk, org=org, requested_by=actor).first()
        if pk
        else None
    )
    if found is None:
        raise Http404
    return found
