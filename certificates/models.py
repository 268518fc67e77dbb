"""Certificates: what a learner gets for a completed module.

The module's title, competences, level and outcomes are copied at issue time, so the
certificate keeps saying what was learned even after the module is edited or removed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from certificates import codes
from courses.fields import CompetencesField
from courses.vocabulary import LEVEL_CHOICES

NAME_MAX_LENGTH = 60


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    learner = models.ForeignKey(
        "learning.Learner",
        verbose_name=_("leerder"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    module = models.ForeignKey(
        "courses.ModulePage",
        verbose_name=_("module"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    module_title = models.CharField(_("titel van de module"), max_length=255)
    competences = CompetencesField(_("DigComp-competenties"))
    level = models.PositiveSmallIntegerField(_("niveau"))
    outcomes = models.JSONField(_("wat de leerder nu kan"), default=list)
    name_printed = models.CharField(
        _("naam op het certificaat"), max_length=NAME_MAX_LENGTH, blank=True
    )
    # Stored without dashes (12 symbols); shown grouped. See certificates/codes.py.
    code = models.CharField(_("controlecode"), max_length=codes.LENGTH, unique=True)
    issued_at = models.DateTimeField(_("uitgereikt op"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_reason = models.CharField(_("reden van intrekking"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingetrokken door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the learner corrected the printed name: this certificate was revoked and the
    # new one (a new code, the same snapshots) took its place. See certificate_rename.
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("vervangen door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificaat")
        verbose_name_plural = _("certificaten")
        ordering = ["-issued_at"]
        constraints = [
            # One valid certificate per learner and module; revoked ones (a corrected name
            # leaves one behind) stay as records, so the old code still answers "vervangen".
            models.UniqueConstraint(
                fields=["learner", "module"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_valid_certificate_per_module",
            )
        ]
        permissions = [("revoke_certificate", _("Kan certificaten intrekken"))]

    def __str__(self):
        return f"{self.module_title} – {self.display_code}"

    @property
    def display_code(self) -> str:
        return codes.display(self.code)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_replaced(self) -> bool:
        return self.replaced_by_id is not None

    @property
    def level_label(self) -> str:
        """The level in words ("Niveau 1: ik begin"): the PDF and the check page both use it."""
        return str(dict(LEVEL_CHOICES).get(self.level, self.level))
