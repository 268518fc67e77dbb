from django.apps import AppConfig
from django.db.models.signals import pre_delete


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Leerders en voortgang"

    def ready(self):
        from courses.models import LessonPage
        from learning.services.deleted_lessons import lesson_titles_keep

        # Deleting a lesson keeps the learners' rows (SET_NULL); this keeps its title too.
        pre_delete.connect(lesson_titles_keep, sender=LessonPage, dispatch_uid="lesson-titles")
