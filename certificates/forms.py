from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.models import NAME_MAX_LENGTH
from certificates.services import REASON_MAX_LENGTH, InvalidName, name_clean

HIDDEN_CHARACTERS = _("Je naam mag geen verborgen tekens bevatten. Typ je naam opnieuw.")
TOO_LONG = _("Die naam is te lang. Gebruik hoogstens %(limit_value)d tekens.")
NAME_ERRORS = {
    InvalidName.HIDDEN: HIDDEN_CHARACTERS,
    InvalidName.MARKUP: _("Gebruik alleen letters, cijfers en gewone leestekens in je naam."),
    InvalidName.TOO_LONG: TOO_LONG,
}


class CertificateNameForm(forms.Form):
    name = forms.CharField(
        label=_("Welke naam mag op je certificaat staan?"),
        help_text=_("Dit mag je leeg laten. Een naam is niet verplicht."),
        required=False,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "max_length": TOO_LONG,
            # Django refuses U+0000 before clean_name runs; the learner gets the same words.
            "null_characters_not_allowed": HIDDEN_CHARACTERS,
        },
    )

    def clean_name(self):
        try:
            return name_clean(self.cleaned_data["name"])
        except InvalidName as error:
            raise forms.ValidationError(
                NAME_ERRORS[error.reason], params={"limit_value": NAME_MAX_LENGTH}
            ) from error


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Controlecode"),
        help_text=_("De code staat onderaan het certificaat, bijvoorbeeld K7QM-2WXD-9TP4."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )


REASON_REQUIRED = _("Schrijf waarom. Zonder reden verandert er niets.")
REASON_TOO_LONG = _("Die reden is te lang. Gebruik hoogstens %(limit_value)d tekens.")


def _reason_field(label, help_text):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": REASON_REQUIRED,
            "max_length": REASON_TOO_LONG,
            "null_characters_not_allowed": _("De reden mag geen verborgen tekens bevatten."),
        },
    )


class RevokeForm(forms.Form):
    reason = _reason_field(
        _("Waarom trek je dit certificaat in?"),
        _(
            "Bijvoorbeeld: uitgereikt door een fout. De leerder ziet de reden niet; "
            "de controlepagina zegt alleen dat het certificaat is ingetrokken."
        ),
    )


class RestoreForm(forms.Form):
    reason = _reason_field(
        _("Waarom is dit certificaat opnieuw geldig?"),
        _("Bijvoorbeeld: per vergissing ingetrokken. De reden komt in de geschiedenis."),
    )
