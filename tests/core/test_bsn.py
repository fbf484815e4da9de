"""Requirement: the BSN is validated with the 11-test (DOMAIN §10)."""

import pytest
from django.core.exceptions import ValidationError

from maatpak.core.bsn import is_valid_bsn, mask_bsn, normalise_bsn


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990", "010000008"])
def test_valid_bsns_pass_the_eleven_test(bsn):
    assert normalise_bsn(bsn) == bsn


def test_eight_digit_bsn_gets_its_leading_zero_back():
    assert normalise_bsn("10000008") == "010000008"


def test_typed_separators_are_ignored():
    assert normalise_bsn(" 1112.22-333 ") == "111222333"


@pytest.mark.parametrize("bsn", ["111222334", "123456789", "999999999"])
def test_numbers_failing_the_eleven_test_are_refused(bsn):
    with pytest.raises(ValidationError) as exc:
        normalise_bsn(bsn)
    assert exc.value.code == "bsn_eleven_test"


@pytest.mark.parametrize("bsn", ["1234567", "1234567890", "12"])
def test_wrong_length_is_refused(bsn):
    with pytest.raises(ValidationError) as exc:
        normalise_bsn(bsn)
    assert exc.value.code == "bsn_length"


@pytest.mark.parametrize("bsn", ["12345678a", "abcdefghi", "12345 678x"])
def test_non_digits_are_refused(bsn):
    with pytest.raises(ValidationError) as exc:
        normalise_bsn(bsn)
    assert exc.value.code == "bsn_not_digits"


@pytest.mark.parametrize("bsn", ["000000000", "00000000"])
def test_all_zeros_is_refused_although_it_sums_to_zero(bsn):
    with pytest.raises(ValidationError) as exc:
        normalise_bsn(bsn)
    assert exc.value.code == "bsn_zero"


def test_empty_is_refused():
    assert not is_valid_bsn("")
    assert not is_valid_bsn(None)


def test_error_message_is_dutch_by_default():
    from django.utils import translation

    with translation.override("nl"):
        with pytest.raises(ValidationError) as exc:
            normalise_bsn("111222334")
        assert "11-proef" in exc.value.messages[0]


def test_mask_shows_only_last_three_digits():
    assert mask_bsn("111222333") == "******333"


@pytest.mark.parametrize(
    "bsn",
    [
        "١١١٢٢٢٣٣٣",  # Arabic-Indic digits of the valid 111222333: str.isdigit() says yes
        "۱۱۱۲۲۲۳۳۳",  # Extended Arabic-Indic (Persian) digits
        "１１１２２２３３３",  # full-width digits
        "12345678²",  # a superscript: isdigit() says yes, int() raises ValueError
        "11122233³",
    ],
)
def test_only_ascii_digits_make_a_bsn(bsn):
    """Other scripts' digits must be refused with the normal message, never stored as-is
    and never crash with a ValueError."""
    with pytest.raises(ValidationError) as exc:
        normalise_bsn(bsn)
    assert exc.value.code == "bsn_not_digits"
    assert not is_valid_bsn(bsn)


@pytest.mark.django_db
def test_participant_refuses_a_bsn_in_other_digits(municipality):
    from maatpak.participants.models import Participant

    participant = Participant(municipality=municipality)
    with pytest.raises(ValidationError):
        participant.set_bsn("١١١٢٢٢٣٣٣")
    assert participant.bsn_hash in (None, "")
    with pytest.raises(ValidationError):
        Participant.hash_for_lookup("12345678²")


def test_non_ascii_digit_message_is_dutch():
    from django.utils import translation

    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        normalise_bsn("12345678²")
    assert "0 tot en met 9" in exc.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["12345678²", "١١١٢٢٢٣٣٣"])
def test_caseload_search_with_other_digits_gives_a_message_not_a_crash(query, municipality):
    """The caseload search treats 8-9 "digits" as a BSN; before the fix '12345678²' raised
    ValueError inside the 11-test and the page answered 500."""
    from maatpak.casework.selectors import caseload_filter
    from maatpak.participants.models import Participant
    from tests.factories import ParticipantFactory

    ParticipantFactory(municipality=municipality, bsn="111222333")
    rows, search = caseload_filter(Participant.objects.all(), {"q": query})
    assert list(rows) == []
    assert search.error
