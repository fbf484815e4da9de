"""Template filters that ask the permission table, so templates never compare roles themselves."""

from django import template

from maatpak.accounts import policy

register = template.Library()


@register.filter
def is_participant(user) -> bool:
    """`{% if user|is_participant %}`: a participant's own login (`accounts.policy.is_participant`)."""
    return policy.is_participant(user)
