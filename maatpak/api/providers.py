"""API routes for the providers domain (serializers and views only; rules live in maatpak.providers)."""

urlpatterns: list = []
