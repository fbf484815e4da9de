"""API routes for the participants domain (serializers and views only; rules live in maatpak.participants)."""

urlpatterns: list = []
