from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The platform's own system checks (config/checks.py); no models."""

    name = "config"
    label = "platform"
    verbose_name = "Platform"

    def ready(self):
        from config import checks  # noqa: F401 - registers the checks
