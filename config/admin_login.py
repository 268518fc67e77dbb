"""The Wagtail admin's log-in form: staff only, and the same failure limit as every door.

Without it, ``/admin/login/`` took unlimited wrong passwords and logged learner accounts in
(a learner who chose a password is a Django user too). Wrong passwords are counted per
client address and per user name in the shared cache (``toolkit.ratelimit``), like
learning cards and the learners' own log-in; once blocked, even the right password waits.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

from toolkit.ratelimit import failure_record, failures_blocked

SCOPE = "admin-login"


class StaffLoginForm(LoginForm):
    error_messages = {
        **LoginForm.error_messages,
        "too_many": _("Te veel foute pogingen na elkaar. Wacht een minuut en probeer opnieuw."),
    }

    def _key(self) -> str:
        return (self.data.get("username") or "").strip().lower()[:150]

    def clean(self):
        if self.request is not None and failures_blocked(self.request, SCOPE, self._key()):
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")
        try:
            return super().clean()
        except forms.ValidationError:
            if self.request is not None:
                failure_record(self.request, SCOPE, self._key())
            raise

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Same answer as a wrong password: the form must not tell who has a learner account.
        if not user.has_perm("wagtailadmin.access_admin"):
            raise self.get_invalid_login_error()
