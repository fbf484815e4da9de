"""View helpers shared by the apps' pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_POST


def form_router(form_views: dict):
    """The view behind the one URL pattern (`<pk>/<name>/`) that a page's small forms share:
    it hands the POST to the form's own view (`form_views`: name -> view class), so a POST
    builds only its own form. An unknown name is a 404."""
    views = {name: view.as_view() for name, view in form_views.items()}

    @login_required
    @require_POST
    def route(request, pk, name):
        view = views.get(name)
        if view is None:
            raise Http404
        return view(request, pk=pk)

    return route
