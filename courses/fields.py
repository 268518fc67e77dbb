from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.vocabulary import DIGCOMP_CHOICES, DIGCOMP_COMPETENCES


def validate_competences(value):
    if not isinstance(value, list) or any(code not in DIGCOMP_COMPETENCES for code in value):
        raise ValidationError(_("Kies competenties uit de DigComp-lijst."))


class CompetencesField(models.JSONField):
    """A list of DigComp codes, edited as checkboxes.

    JSON rather than a relation: the vocabulary lives in code (courses/vocabulary.py) and the
    field works the same on SQLite and PostgreSQL.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_competences)

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=DIGCOMP_CHOICES,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )
