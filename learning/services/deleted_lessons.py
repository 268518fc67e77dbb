"""What happens to learners' rows when an editor deletes a lesson (or the module above it).

Progress, attempts and xAPI statements are the learner's record: they stay, with
``lesson`` set to empty by the database relation (``SET_NULL``) and the lesson's title kept
in ``lesson_title``, so "Mijn gegevens" and the export still say which lesson it was.
Certificates keep their own snapshot of the module (see ``certificates.models``).
"""

from courses.models import LessonPage
from learning.models import Attempt, LessonProgress, SandboxEvent, SandboxRun, XapiStatement


def lesson_titles_keep(sender, instance: LessonPage, **kwargs) -> None:
    """``pre_delete`` receiver for ``LessonPage``: runs inside the deleting transaction.

    Django sends every ``pre_delete`` before it clears any link, so the rows still point at
    the lesson here; deleting a module sends this for each of its lessons.
    """
    for model in (LessonProgress, Attempt, XapiStatement, SandboxRun, SandboxEvent):
        model.objects.filter(lesson=instance).update(lesson_title=instance.title[:255])
