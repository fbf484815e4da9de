"""The API-Version header on every API answer (NLGov API Design Rules, API-57): the full
version of the contract a client talks to, the same one the OpenAPI schema states."""

from django.conf import settings

from maatpak.api.urls import BASE_PATH


class ApiVersionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.version = settings.SPECTACULAR_SETTINGS["VERSION"]

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(BASE_PATH):
            response["API-Version"] = self.version
        return response
