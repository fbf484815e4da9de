"""Password rules beyond Django's own validators (settings.AUTH_PASSWORD_VALIDATORS).

Django's validators accept "aaaaaaaaaaaa": twelve characters, not numeric, not on the list of
common passwords. A password needs a few different characters before length means anything.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class CharacterVarietyValidator:
    """Refuse passwords with fewer than `min_distinct` different characters ("aaaaaaaaaaaa",
    "abababababab")."""

    def __init__(self, min_distinct: int = 6):
        self.min_distinct = min_distinct

    def validate(self, password, user=None):
        if len(set(password)) < self.min_distinct:
            raise ValidationError(
                ngettext(
                    "This password repeats the same characters. Use at least %(min_distinct)d different character.",
                    "This password repeats the same characters. Use at least %(min_distinct)d different characters.",
                    self.min_distinct,
                )
                % {"min_distinct": self.min_distinct},
                code="password_too_repetitive",
                params={"min_distinct": self.min_distinct},
            )

    def get_help_text(self):
        return ngettext(
            "Your password must contain at least %(min_distinct)d different character.",
            "Your password must contain at least %(min_distinct)d different characters.",
            self.min_distinct,
        ) % {"min_distinct": self.min_distinct}
