"""Certificates in the Wagtail admin: a listing with filters, and revocation with a reason.

Only administrators and trainers may revoke (permission ``certificates.revoke_certificate``);
nobody creates, edits or deletes certificates by hand.
"""

from django import forms
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from certificates import services
from certificates.models import Certificate
from courses.models import LessonPage, ModulePage
from courses.roles import ADMINISTRATOR, ROLES_HOOK, TRAINER
from learning.services.accounts import LEARNER_MERGE_HOOK
from learning.services.privacy import LEARNER_DELETE_HOOK

REVOKE = "certificates.revoke_certificate"


class RevokePermissionPolicy(ModelPermissionPolicy):
    """Listing and revoking need the revoke permission; adding and deleting are for nobody."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete", "copy"):
            return False
        return user.is_active and (user.is_superuser or user.has_perm(REVOKE))

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(["change"])


register_permission_policy(Certificate, RevokePermissionPolicy(Certificate))


class RevokeForm(forms.ModelForm):
    revoked_reason = forms.CharField(
        label=_("Waarom trek je dit certificaat in?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Bijvoorbeeld: uitgereikt door een fout. De leerder ziet de reden niet; "
            "de controlepagina zegt alleen dat het certificaat is ingetrokken."
        ),
    )

    class Meta:
        model = Certificate
        fields = ["revoked_reason"]


class RevokeView(generic.EditView):
    def save_instance(self):
        return services.certificate_revoke(
            certificate=self.object,
            by=self.request.user,
            reason=self.form.cleaned_data["revoked_reason"],
        )

    def get_success_message(self, instance=None):
        certificate = instance or self.object
        return _("Certificaat %(code)s is ingetrokken.") % {"code": certificate.display_code}


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "tasks"
    menu_label = _("Certificaten")
    menu_order = 300
    add_to_admin_menu = True
    form_class = RevokeForm
    edit_view_class = RevokeView
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        Column("module_title", label=_("Module")),
        Column("display_code", label=_("Controlecode")),
        Column("name_printed", label=_("Naam")),
        DateColumn("issued_at", label=_("Uitgereikt")),
        BooleanColumn("is_revoked", label=_("Ingetrokken")),
    ]
    list_filter = {"module": ["exact"], "issued_at": ["gte", "lte"], "revoked_at": ["isnull"]}
    search_fields = ["module_title", "code", "name_printed"]
    ordering = ["-issued_at"]

    def get_form_class(self, for_update=False):
        return RevokeForm


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet("certificaten")


@hooks.register("register_permissions")
def register_revoke_permission():
    return Permission.objects.filter(
        content_type__app_label="certificates", codename="revoke_certificate"
    )


@hooks.register(ROLES_HOOK)
def administrators_and_trainers_may_revoke(groups):
    revoke = Permission.objects.get(
        content_type__app_label="certificates", codename="revoke_certificate"
    )
    for name in (ADMINISTRATOR, TRAINER):
        groups[name].permissions.add(revoke)


@hooks.register(LEARNER_DELETE_HOOK)
def withdraw_certificates_of_deleted_learner(learner, reason):
    services.certificates_withdraw_for_learner(learner=learner, reason=reason)


@hooks.register("before_delete_page")
def say_certificates_stay_valid(request, page):
    """On the delete page of a module (or a page above modules): its certificates stay.

    They keep the module's title, competences and level (copied when issued), so the
    check page still confirms them after the module is gone.
    """
    if request.method != "GET" or isinstance(page, LessonPage):
        return None
    count = Certificate.objects.valid().filter(module__path__startswith=page.path).count()
    if not count:
        return None
    if isinstance(page, ModulePage):
        lead = _("Certificaten voor deze module: %(count)s.")
    else:
        lead = _("Certificaten voor de modules van deze pagina: %(count)s.")
    messages.warning(
        request,
        " ".join(
            [
                str(lead) % {"count": count},
                str(
                    _(
                        "Ze blijven geldig. De controlepagina toont nog altijd de titel "
                        "van de module."
                    )
                ),
            ]
        ),
    )
    return None


@hooks.register(LEARNER_MERGE_HOOK)
def move_certificates_on_merge(*, source, target):
    services.certificates_move_on_merge(source=source, target=target)
