from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from wagtail.signals import post_page_move


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Modules en lessen"

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        from courses.glossary import GlossaryTerm, glossary_changed
        from courses.h5p.models import H5PPackage
        from courses.h5p.services import package_deleted
        from courses.routing import site_changed, tree_changed
        from courses.step_cache import step_bodies_changed

        # Lessons read the glossary from the cache; a changed term or picture must show at once.
        for sender in (GlossaryTerm, get_image_model()):
            post_save.connect(glossary_changed, sender=sender, dispatch_uid=f"glossary-{sender}")
            post_delete.connect(
                glossary_changed, sender=sender, dispatch_uid=f"glossary-del-{sender}"
            )
        # Lesson steps keep their rendered text in the cache (courses/step_cache.py): what
        # a block shows from outside the page changed.
        for sender in (GlossaryTerm, get_image_model(), get_document_model()):
            post_save.connect(step_bodies_changed, sender=sender, dispatch_uid=f"steps-{sender}")
            post_delete.connect(
                step_bodies_changed, sender=sender, dispatch_uid=f"steps-del-{sender}"
            )
        # Routing reads the site and its home page from the cache (courses/routing.py). Page
        # saves arrive with the specific class as sender, so no sender here; the receiver
        # returns at once for anything but a site or a top-level page.
        post_save.connect(site_changed, dispatch_uid="routing-site-saved")
        post_delete.connect(site_changed, dispatch_uid="routing-site-deleted")
        # And a lesson's ancestors with their restrictions (the same receivers' reach, plus
        # moves, which change paths with a queryset update).
        post_save.connect(tree_changed, dispatch_uid="routing-tree-saved")
        post_delete.connect(tree_changed, dispatch_uid="routing-tree-deleted")
        post_page_move.connect(tree_changed, dispatch_uid="routing-tree-moved")
        # Files are shared by packages with the same hash; the last row deleted takes them.
        post_delete.connect(package_deleted, sender=H5PPackage, dispatch_uid="h5p-files")
