"""Reading a request's body for a service: one way for every API view."""

from maatpak.core.concurrency import service_arguments as as_service_arguments


def service_arguments(serializer_class, request) -> dict:
    """The request's body, checked by `serializer_class` (a 400 when it does not fit), as the
    service's keyword arguments (`version` becomes `expected_version`, so a stale change is
    refused as on the pages)."""
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return as_service_arguments(data.validated_data)
