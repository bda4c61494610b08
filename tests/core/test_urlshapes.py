"""``{% row_url %}`` (core.urlshapes): the URL ``reverse`` gives, for every shape of value, without a reverse
per row."""

import uuid

import pytest
from django.urls import NoReverseMatch, reverse
from django.urls.base import set_script_prefix

from apps.core.ids import IdType, encode_id
from apps.core.urlshapes import _shape, row_urls, url_of_row

ORG = encode_id(IdType.ORGANIZATION, uuid.uuid4())
PERSON = encode_id(IdType.SUBSCRIBER, uuid.uuid4())


@pytest.mark.parametrize(
    ("viewname", "kwargs"),
    [
        ("control:user_detail", {"org_id": ORG, "subscriber_id": PERSON}),
        ("control:overview", {"org_id": ORG}),
        ("partner:customer_detail", {"org_id": ORG, "customer_id": str(uuid.uuid4())}),
        ("ops:screening_review", {"hold_id": 42}),  # an int converter: reversed each time
    ],
)
def test_the_url_of_a_row_is_the_reversed_url(viewname, kwargs):
    assert url_of_row(viewname, **kwargs) == reverse(viewname, kwargs=kwargs)
    assert url_of_row(viewname, **kwargs) == reverse(viewname, kwargs=kwargs)  # from the cached shape


def test_the_shape_is_reversed_once_for_every_row():
    _shape.cache_clear()
    for _ in range(25):
        url_of_row(
            "control:user_detail", org_id=ORG, subscriber_id=encode_id(IdType.SUBSCRIBER, uuid.uuid4())
        )
    info = _shape.cache_info()
    assert (info.misses, info.hits) == (1, 24)


@pytest.mark.parametrize("value", ["a/b", "", "x y", "é", "..", "a?b=c"])
def test_a_value_the_shape_cannot_take_goes_through_reverse(value):
    try:
        expected = reverse("control:overview", kwargs={"org_id": value})
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            url_of_row("control:overview", org_id=value)
    else:
        assert url_of_row("control:overview", org_id=value) == expected


def test_the_script_prefix_is_part_of_the_shape():
    set_script_prefix("/portal/")
    try:
        assert url_of_row("control:overview", org_id=ORG) == reverse(
            "control:overview", kwargs={"org_id": ORG}
        )
        assert url_of_row("control:overview", org_id=ORG).startswith("/portal/")
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize(
    ("viewname", "fixed", "kwargs"),
    [
        ("control:user_detail", {"org_id": ORG}, {"subscriber_id": PERSON}),
        ("control:overview", {}, {"org_id": ORG}),
        ("partner:customer_detail", {"org_id": ORG}, {"customer_id": str(uuid.uuid4())}),
        ("control:overview", {}, {"org_id": "a/b"}),  # a value the shape cannot take: reversed
        ("control:user_detail", {"org_id": "x y"}, {"subscriber_id": PERSON}),  # a fixed one too
        ("ops:screening_review", {}, {"hold_id": 42}),  # an int converter: reversed each time
    ],
)
def test_the_urls_of_a_pages_rows_are_the_reversed_urls(viewname, fixed, kwargs):
    url = row_urls(viewname, **fixed)
    for _ in range(2):  # the second from the page's shape
        try:
            expected = reverse(viewname, kwargs={**fixed, **kwargs})
        except NoReverseMatch:
            with pytest.raises(NoReverseMatch):
                url(**kwargs)
        else:
            assert url(**kwargs) == expected


def test_a_pages_rows_look_their_shape_up_once():
    _shape.cache_clear()
    url = row_urls("control:user_detail", org_id=ORG)
    urls = {url(subscriber_id=encode_id(IdType.SUBSCRIBER, uuid.uuid4())) for _ in range(25)}
    assert len(urls) == 25
    info = _shape.cache_info()
    assert (info.misses, info.hits) == (1, 0)
