import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from catalogue.models import Digipunt
from courses.models import ModulePage
from learning.models import AssistedSession, Digihelper, Learner

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


class MandateGrantForm(forms.Form):
    WHO_DIGIPUNT = "digipunt"
    WHO_HELPER = "helper"

    who = forms.ChoiceField(
        label=_("Wie mag meekijken?"),
        choices=[
            (WHO_DIGIPUNT, _("Alle digihelpers van één Digipunt")),
            (WHO_HELPER, _("Eén digihelper")),
        ],
        widget=forms.RadioSelect,
        initial=WHO_DIGIPUNT,
    )
    digipunt = forms.ModelChoiceField(
        label=_("Welk Digipunt?"),
        queryset=None,
        required=False,
        empty_label=_("Kies een Digipunt"),
    )
    helper_code = forms.CharField(
        label=_("De helpercode van de digihelper"),
        help_text=_("De digihelper toont je die code op het scherm, bijvoorbeeld H7K2X."),
        required=False,
        max_length=10,
    )
    months = forms.TypedChoiceField(
        label=_("Hoe lang?"),
        choices=[(1, _("1 maand")), (3, _("3 maanden")), (6, _("6 maanden"))],
        coerce=int,
        initial=6,
        widget=forms.RadioSelect,
    )
    label = forms.CharField(
        label=_("Hoe mag de helper je noemen? (niet verplicht)"),
        help_text=_("Bijvoorbeeld je voornaam. Laat leeg als je dat liever niet hebt."),
        required=False,
        max_length=40,
    )
    confirm = forms.BooleanField(
        label=_("Ik geef toestemming. Ik kan ze altijd weer stoppen."),
        error_messages={"required": _("Vink aan dat je toestemming geeft.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["digipunt"].queryset = Digipunt.objects.select_related("municipality")

    def clean(self):
        data = super().clean()
        if data.get("who") == self.WHO_DIGIPUNT and not data.get("digipunt"):
            self.add_error("digipunt", _("Kies een Digipunt."))
        if data.get("who") == self.WHO_HELPER:
            code = "".join((data.get("helper_code") or "").split()).upper()
            helper = Digihelper.objects.filter(helper_code=code).first() if code else None
            if helper is None:
                self.add_error(
                    "helper_code", _("Die helpercode kennen we niet. Vraag hem opnieuw.")
                )
            data["helper"] = helper
        return data


class AssistedSessionForm(forms.Form):
    date = forms.DateField(
        label=_("Datum"),
        # A date field's value must be yyyy-mm-dd whatever the language: in the Belgian
        # format (04-12-2026) the browser shows an empty field and the first save fails.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Typ een datum, bijvoorbeeld 27/11/2026.")},
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
    )
    minutes = forms.IntegerField(label=_("Hoeveel minuten?"), min_value=1, max_value=480)
    modules = forms.ModelMultipleChoiceField(
        label=_("Waarover ging het?"),
        queryset=ModulePage.objects.live_dutch().order_by("title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_topic = forms.CharField(label=_("Iets anders"), required=False, max_length=150)
    outcome = forms.ChoiceField(
        label=_("Resultaat"), choices=AssistedSession.OUTCOME_CHOICES, widget=forms.RadioSelect
    )
    learner = forms.ModelChoiceField(
        label=_("Leerder (niet verplicht)"), queryset=None, required=False
    )

    def __init__(self, *args, mandates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = Learner.objects.filter(
            pk__in=[mandate.learner_id for mandate in mandates]
        )
        labels = {m.learner_id: m.learner_label or str(m.learner) for m in mandates}
        self.fields["learner"].label_from_instance = lambda learner: labels[learner.pk]

    def clean(self):
        data = super().clean()
        if not data.get("modules") and not data.get("other_topic"):
            self.add_error("other_topic", _("Kies een module of schrijf het onderwerp."))
        return data


class RouteForm(forms.Form):
    module = forms.ModelChoiceField(
        label=_("Welke module is de volgende stap?"),
        queryset=ModulePage.objects.live_dutch().order_by("title"),
        empty_label=_("Kies een module"),
    )
