import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

MIN_PASSWORD_LENGTH = 8
USERNAME_PATTERN = re.compile(r"^[a-zA-Z0-9._-]{3,30}$")


class AccountCreateForm(forms.Form):
    """Username and password only: many learners have no e-mail address."""

    username = forms.CharField(
        label=_("Kies een gebruikersnaam"),
        max_length=30,
        help_text=_("3 tot 30 letters of cijfers. Geen spaties. Bijvoorbeeld: marie.ieper"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Kies een wachtwoord"),
        strip=False,
        help_text=_("Minstens 8 tekens. Niet alleen cijfers. Schrijf het op een veilige plek."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not USERNAME_PATTERN.match(username):
            raise forms.ValidationError(
                _("Gebruik alleen letters, cijfers, punt, streepje of liggend streepje.")
            )
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Die naam is al gekozen. Kies een andere naam."))
        return username

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Django's own message for this one is not translated into Dutch: say it ourselves.
        if len(password) < MIN_PASSWORD_LENGTH:
            raise forms.ValidationError(
                _("Je wachtwoord is te kort. Gebruik minstens %(count)d tekens."),
                params={"count": MIN_PASSWORD_LENGTH},
            )
        user = get_user_model()(username=self.data.get("username", ""))
        password_validation.validate_password(password, user)
        return password


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Die gebruikersnaam en dat wachtwoord passen niet bij elkaar. Probeer het nog eens."
        ),
        "inactive": _("Dit account is niet actief. Vraag hulp aan een digihelper."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Gebruikersnaam")
        self.fields["password"].label = _("Wachtwoord")


class CardLoginForm(forms.Form):
    code = forms.CharField(
        label=_("De code op je leerkaart"),
        help_text=_("16 letters en cijfers, bijvoorbeeld HK4T-9MQZ-RW2C-7PXE."),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "data-card-code": "",
            }
        ),
        error_messages={"required": _("Typ de code van je leerkaart.")},
    )
