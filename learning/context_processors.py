from django.conf import settings

from learning.display import display_classes
from learning.middleware import signed_in_with


def kiosk(request):
    """Kiosk mode changes the header (a big "Afmelden") and ends idle pages."""
    return {
        "kiosk": getattr(request, "kiosk", False),
        "kiosk_idle_seconds": settings.KIOSK_IDLE_SECONDS,
    }


def display(request):
    """Text size and contrast chosen on this device, as classes for <html>."""
    return {"display_classes": display_classes(request)}


def signed_in(request):
    """ "account", "card" or "": the header offers "Afmelden" to whoever signed in."""
    return {"signed_in": signed_in_with(request)}
