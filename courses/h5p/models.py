"""An uploaded H5P package. Imported by courses/models.py, so it belongs to ``courses``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.h5p import measured

CONTENT_ROOT = "h5p"
ORIGINALS_ROOT = "h5p-pakketten"

# Content types that are questions: they report whether the learner got it right (an xAPI
# "answered" or "completed" with a result), measured in Chromium (docs/h5p.md). A step with
# one of these counts for the lesson like a native exercise. Every other type (Accordion,
# Dialog Cards, Image Hotspots…) shows content and has nothing to pass: it stays extra.
QUESTION_TYPES = frozenset(
    {
        "H5P.Blanks",
        "H5P.DigibankVraag",  # the project's own test and demo type (courses/h5p/testcontent)
        "H5P.DragText",
        "H5P.MarkTheWords",
        "H5P.MultiChoice",
        "H5P.QuestionSet",
        "H5P.SingleChoiceSet",
        "H5P.TrueFalse",
    }
)


class H5PPackage(models.Model):
    """One uploaded ``.h5p`` file, checked by ``courses.h5p.validation`` before it was stored.

    Its files are unpacked in the default storage under ``h5p/<sha256>/``: the same package
    uploaded twice shares one folder, which is removed only with the last package using it
    (``courses.h5p.services.package_deleted``, a ``post_delete`` receiver, so Wagtail's bulk
    delete, which calls ``queryset.delete()``, removes files too).
    """

    title = models.CharField(_("titel"), max_length=255)
    main_library = models.CharField(_("hoofdbibliotheek"), max_length=255)
    # [{"machine_name", "version", "title", "runnable", "folder"}], from the libraries' files.
    libraries = models.JSONField(_("bibliotheken"), default=list)
    content_types = models.JSONField(_("inhoudstypes"), default=list)
    # Content types that were not measured (courses/h5p/measured.json) at upload time.
    unchecked_types = models.JSONField(_("niet nagekeken inhoudstypes"), default=list)
    file = models.FileField(_("bestand"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("grootte in bytes"), default=0)
    unpacked_size = models.PositiveBigIntegerField(_("uitgepakte grootte in bytes"), default=0)
    file_count = models.PositiveIntegerField(_("aantal bestanden"), default=0)
    sha256 = models.CharField(max_length=64, db_index=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgeladen door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("opgeladen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("H5P-pakket")
        verbose_name_plural = _("H5P-pakketten")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def content_folder(self) -> str:
        return f"{CONTENT_ROOT}/{self.sha256}"

    @property
    def main_type(self) -> str:
        return self.main_library.split(" ")[0]

    @property
    def is_question(self) -> bool:
        """True when answering it counts for the lesson (see ``QUESTION_TYPES``)."""
        return self.main_type in QUESTION_TYPES

    @property
    def measured_status(self) -> str:
        """What its main content type did when measured in Chromium (docs/h5p.md)."""
        return str(measured.status(self.main_type))

    def measured_types(self) -> list[tuple[str, str]]:
        return [(name, str(measured.status(name))) for name in self.content_types]
