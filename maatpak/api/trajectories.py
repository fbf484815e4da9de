"""API routes for the trajectories domain (serializers and views only; rules live in maatpak.trajectories)."""

urlpatterns: list = []
