"""Opaque Webex-style ids: the unpadded base64url of ``ciscospark://us/<TYPE>/<uuid>``, read back exactly."""

import base64
import uuid

from hypothesis import given
from hypothesis import strategies as st

from apps.core.ids import IdType, decode_id, encode_id


@given(st.sampled_from(list(IdType)), st.uuids())
def test_an_id_is_the_unpadded_base64url_of_its_webex_uri(id_type, value):
    uri = f"ciscospark://us/{id_type.value}/{value}"
    encoded = encode_id(id_type, value)
    assert encoded == base64.urlsafe_b64encode(uri.encode()).decode().rstrip("=")
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    assert decode_id(encoded, id_type) == value
    assert decode_id(encoded, *(other for other in IdType if other != id_type)) is None


def test_a_known_id_reads_as_webex_writes_it():
    value = uuid.UUID("b4e1c3a2-5d6f-4e8a-9b0c-1d2e3f405162")
    assert base64.urlsafe_b64decode(encode_id(IdType.CUSTOMER, value) + "==").decode() == (
        "ciscospark://us/CUSTOMER/b4e1c3a2-5d6f-4e8a-9b0c-1d2e3f405162"
    )
