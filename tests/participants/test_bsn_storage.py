"""Requirement: the BSN is never stored in plain text, yet findable (DOMAIN §10, issue 2)."""

import logging

import pytest
from django.db import connection

from maatpak.participants.models import Participant
from maatpak.participants.selectors import participant_find_by_bsn
from tests.factories import ParticipantFactory, UserFactory

PLAIN = "111222333"


def _all_text_in_database() -> str:
    """Every value of every column of every table, as one string."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                chunks.extend(str(value) for value in row)
    return "\n".join(chunks)


@pytest.mark.django_db
def test_no_plain_bsn_anywhere_in_the_database(caplog):
    caplog.set_level(logging.DEBUG)
    participant = ParticipantFactory(bsn=PLAIN)
    assert participant.bsn == PLAIN  # decrypts for those allowed to see it
    dump = _all_text_in_database()
    assert PLAIN not in dump
    assert "11122233" not in dump  # not even a truncated form
    assert PLAIN not in caplog.text


@pytest.mark.django_db
def test_bsn_is_findable_through_the_keyed_hash(municipality):
    user = UserFactory(municipalities=[municipality])
    participant = ParticipantFactory(municipality=municipality, bsn=PLAIN, consultant=user)
    ParticipantFactory(municipality=municipality, consultant=user)
    assert list(participant_find_by_bsn(user=user, bsn="1112 22 333")) == [participant]
    # Within the dossiers the user may view: another consultant's participant is not found.
    assert list(participant_find_by_bsn(user=UserFactory(municipalities=[municipality]), bsn=PLAIN)) == []


@pytest.mark.django_db
def test_same_bsn_twice_in_one_municipality_is_refused(municipality):
    from django.db import IntegrityError, transaction

    ParticipantFactory(municipality=municipality, bsn=PLAIN)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantFactory(municipality=municipality, bsn=PLAIN)


def test_encryption_is_randomised_but_hash_is_stable():
    a, b = Participant(), Participant()
    a.set_bsn(PLAIN)
    b.set_bsn(PLAIN)
    assert a.bsn_encrypted != b.bsn_encrypted
    assert a.bsn_hash == b.bsn_hash
    assert PLAIN not in a.bsn_encrypted
