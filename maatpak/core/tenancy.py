"""Which municipalities (tenants) a user may see. Every selector starts here."""

from django.core.exceptions import PermissionDenied


def municipality_ids_for(user) -> list[int]:
    """The municipalities whose rows `user` may read; empty for anonymous users."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_maatpak_municipality_ids", None)
    if cached is None:
        cached = sorted(user.municipalities.values_list("id", flat=True))
        user._maatpak_municipality_ids = cached
    return cached


def scope_to_user(queryset, user):
    """Restrict a queryset of tenant rows to the user's municipalities."""
    return queryset.filter(municipality_id__in=municipality_ids_for(user))


def require_municipality(user, municipality_id: int) -> None:
    if municipality_id not in municipality_ids_for(user):
        raise PermissionDenied
