from django.conf import settings


def kiosk(request):
    """Kiosk mode changes the header (a big "Afmelden") and ends idle pages."""
    return {
        "kiosk": getattr(request, "kiosk", False),
        "kiosk_idle_seconds": settings.KIOSK_IDLE_SECONDS,
    }
