"""The Users page search through the trigram indexes (PostgreSQL; forced here on any database): a selective
term's matches are read first and give exactly the rows, in the order, of the plain search; a term matching
more than ``SELECTIVE_MATCHES`` falls back to the plain search; the page's query count stays fixed."""

import pytest

from apps.subscribers.selectors import subscribers as selectors
from apps.subscribers.selectors.subscribers import subscribers_of_org
from tests.factories import SubscriberFactory


@pytest.fixture
def people(world):
    blue = world.blue_harbor
    for n, (first, last) in enumerate([("Tomas", "Berg"), ("Ana", "Tomlin"), ("Bo", "Lee"), ("Cy", "Atom")]):
        SubscriberFactory(
            actor=world.acme_admin,
            customer=blue,
            email=f"p{n}@blueharbor.test",
            first_name=first,
            last_name=last,
            package="webex_suite",
            extension=f"38{n:02d}",
        )
    return blue


def _emails(world, search: str, sort: str = "name") -> list[str]:
    rows = subscribers_of_org(actor=world.acme_admin, org=world.blue_harbor.org, search=search, sort=sort)
    return [s.email for s in rows[:50]]


@pytest.mark.parametrize("search", ["tom", "TOM", "blueharbor", "3802", "lee", "zzz", "p1@"])
def test_the_index_lookup_finds_what_the_plain_search_finds(world, people, monkeypatch, search):
    plain, plain_newest = _emails(world, search), _emails(world, search, "-created")
    monkeypatch.setattr(selectors, "_trigram_indexed", lambda: True)
    assert _emails(world, search) == plain
    assert _emails(world, search, "-created") == plain_newest


def test_a_frequent_term_falls_back_to_the_plain_search(
    world, people, monkeypatch, django_assert_num_queries
):
    plain = _emails(world, "tom")
    monkeypatch.setattr(selectors, "_trigram_indexed", lambda: True)
    monkeypatch.setattr(selectors, "SELECTIVE_MATCHES", 2)
    with django_assert_num_queries(5):  # the customer, the key lookup (3 > 2), the page, numbers, extensions
        assert _emails(world, "tom") == plain
    assert len(plain) > 2


def test_the_compiled_key_lookup_reads_as_many_keys_as_each_call_asks(world, people):
    """The Users page's key lookup is compiled once per process: its limit is a parameter, so that a process
    whose first lookup ran under another ``SELECTIVE_MATCHES`` (a test's) does not keep that limit."""
    blue = world.blue_harbor
    matching = len(_emails(world, "tom"))  # Tomas, Tomlin, Atom and the world's own
    asked = {"customer_id": blue.pk, "org_id": blue.org.pk, "search": "tom"}
    assert matching > 2 and len(selectors._SEARCH_KEYS.rows(**asked, limit=2)) == 2
    assert len(selectors._SEARCH_KEYS.rows(**asked, limit=matching + 5)) == matching
