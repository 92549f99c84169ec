from django.conf import settings


def platform(request):
    """What every page needs to know about the platform itself."""
    return {"DEMO_MODE": settings.DEMO_MODE, "PUBLIC_PAGES": settings.PUBLIC_PAGES}
