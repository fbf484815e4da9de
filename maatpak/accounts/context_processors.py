from django.utils.functional import SimpleLazyObject

from maatpak.accounts import idle
from maatpak.accounts.navigation import links_for


def navigation(request):
    """The menu's links. Lazy: only a page that shows the menu builds them, so an htmx partial
    or a PDF does not pay for the counts behind the links (the work list's is several queries)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    return {
        "nav_links": SimpleLazyObject(lambda: links_for(user)),
        # For the idle warning in base.html (maatpak.accounts.idle).
        "idle_timeout": {
            "seconds_left": idle.seconds_left(request.session),
            "warning_seconds": idle.warning_seconds(),
            "login_url": idle.login_url_for(user),
        },
    }
