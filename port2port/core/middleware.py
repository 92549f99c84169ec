"""Response rules that hold for every page and endpoint."""

from django.utils.cache import patch_cache_control


class PrivateResponsesMiddleware:
    """Nothing shown to a signed-in person, and nothing from the API, is kept by a browser or a
    proxy: a RED report must not linger in the cache of a tablet passed on at shift change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if (signed_in or request.path.startswith("/api/")) and not request.path.startswith("/static/"):
            patch_cache_control(response, private=True, no_store=True)
        return response
