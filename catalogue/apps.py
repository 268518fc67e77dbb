from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Partners en Digipunten"

    def ready(self):
        from catalogue import signals

        signals.connect()
