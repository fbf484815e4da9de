"""The Dutch citizen service number (burgerservicenummer, BSN) and its 11-test (elfproef)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def normalise_bsn(raw: str) -> str:
    """Return the 9-digit form of a BSN typed by a person, or raise ValidationError.

    Spaces, dots and dashes people type are removed; an 8-digit number gets its leading zero
    back (BSNs issued as 8 digits are valid). The 11-test is then applied.
    """
    if raw is None:
        raise ValidationError(_("Enter a BSN."), code="bsn_required")
    value = str(raw).strip().replace(" ", "").replace(".", "").replace("-", "")
    if not value:
        raise ValidationError(_("Enter a BSN."), code="bsn_required")
    # str.isdigit() also accepts other scripts' digits (Arabic-Indic "١") and superscripts
    # ("²", which int() refuses): only the ASCII digits 0-9 make a BSN.
    if not (value.isascii() and value.isdigit()):
        raise ValidationError(_("A BSN contains only the digits 0 to 9."), code="bsn_not_digits")
    if len(value) == 8:
        value = "0" + value
    if len(value) != 9:
        raise ValidationError(_("A BSN has 9 digits (or 8, written without the leading zero)."), code="bsn_length")
    if value == "000000000":
        raise ValidationError(_("000000000 is not a valid BSN."), code="bsn_zero")
    total = sum(int(digit) * weight for digit, weight in zip(value, _WEIGHTS, strict=False))
    if total % 11 != 0:
        raise ValidationError(_("This is not a valid BSN: it fails the 11-test. Check for a typing error."), code="bsn_eleven_test")
    return value


def is_valid_bsn(raw: str) -> bool:
    try:
        normalise_bsn(raw)
    except ValidationError:
        return False
    return True


def mask_bsn(bsn: str) -> str:
    """Show only the last three digits, as on screens that need to confirm identity."""
    return "******" + bsn[-3:]
