"""Per-request account rules: the person's language, and MFA before anything else."""

from django.conf import settings
from django.shortcuts import redirect
from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in person sees the platform in the language of their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


# Paths a signed-in person without MFA may still reach: set MFA up, sign out, static files.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/")


class RequireMfaMiddleware:
    """Outside demo mode, a signed-in person without a second factor is sent to set one up
    before they reach any shared data. (The API has its own rule: keys, or a session that
    already passed this check.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MFA_REQUIRED and self._needs_mfa(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _needs_mfa(request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path.startswith(MFA_EXEMPT_PREFIXES):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user).exists()
