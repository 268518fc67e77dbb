from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.models import NAME_MAX_LENGTH
from certificates.services import InvalidName, name_clean


class CertificateNameForm(forms.Form):
    name = forms.CharField(
        label=_("Welke naam mag op je certificaat staan?"),
        help_text=_("Dit mag je leeg laten. Een naam is niet verplicht."),
        required=False,
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "max_length": _("Die naam is te lang. Gebruik hoogstens %(limit_value)d tekens.")
        },
    )

    def clean_name(self):
        try:
            return name_clean(self.cleaned_data["name"])
        except InvalidName as error:
            raise forms.ValidationError(
                _("Gebruik alleen letters, cijfers en gewone leestekens in je naam.")
            ) from error


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Controlecode"),
        help_text=_("De code staat onderaan het certificaat, bijvoorbeeld K7QM-2WXD-9TP4."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
