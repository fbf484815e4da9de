"""API routes for the portal domain (serializers and views only; rules live in maatpak.portal)."""

urlpatterns: list = []
