from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Modules en lessen"

    def ready(self):
        from wagtail.images import get_image_model

        from courses.glossary import GlossaryTerm, glossary_changed
        from courses.h5p.models import H5PPackage
        from courses.h5p.services import package_deleted

        # Lessons read the glossary from the cache; a changed term or picture must show at once.
        for sender in (GlossaryTerm, get_image_model()):
            post_save.connect(glossary_changed, sender=sender, dispatch_uid=f"glossary-{sender}")
            post_delete.connect(
                glossary_changed, sender=sender, dispatch_uid=f"glossary-del-{sender}"
            )
        # Files are shared by packages with the same hash; the last row deleted takes them.
        post_delete.connect(package_deleted, sender=H5PPackage, dispatch_uid="h5p-files")
