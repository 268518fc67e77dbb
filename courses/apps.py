from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Modules en lessen"

    def ready(self):
        from wagtail.images import get_image_model

        from courses.glossary import GlossaryTerm, glossary_changed

        # Lessons read the glossary from the cache; a changed term or picture must show at once.
        for sender in (GlossaryTerm, get_image_model()):
            post_save.connect(glossary_changed, sender=sender, dispatch_uid=f"glossary-{sender}")
            post_delete.connect(
                glossary_changed, sender=sender, dispatch_uid=f"glossary-del-{sender}"
            )
