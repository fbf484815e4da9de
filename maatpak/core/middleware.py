"""Request-wide middleware: Dutch by default, and private headers on personal data.

Language choice: Dutch unless the user picked another language.

Django's LocaleMiddleware follows the browser's Accept-Language header, so a consultant whose
browser happens to be set to English would get an English Maatpak. Municipal staff and
participants expect Dutch by default; English is there for whoever chooses it with the
language switch (stored in the language cookie). API clients are programs, not people with a
switch, so under /api/ the Accept-Language header still counts.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DutchByDefaultLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = translation.get_language_from_request(request) if request.path_info.startswith("/api/") else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PrivateResponseHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on everything shown to a
    logged-in user (pages, PDFs, exports, API answers), because those carry personal data that
    must not stay in a shared computer's browser cache or a proxy. Static files are served by
    WhiteNoise before this runs and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
