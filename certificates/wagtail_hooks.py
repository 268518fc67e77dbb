"""Certificates in the Wagtail admin: a listing with filters, and revocation with a reason.

Only administrators and trainers may revoke (permission ``certificates.revoke_certificate``);
nobody creates, edits or deletes certificates by hand.
"""

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import (
    BooleanColumn,
    ButtonsColumnMixin,
    Column,
    DateColumn,
    TitleColumn,
)
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from certificates import admin_views, services
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


class CodeColumn(ButtonsColumnMixin, TitleColumn):
    """The code links to the certificate's detail page; the action that fits its status
    ("Intrekken" or "Opnieuw geldig maken") sits beside it."""

    def get_buttons(self, instance, parent_context):
        urls = admin_views.certificate_urls(instance)
        if not instance.is_revoked:
            return [ListingButton(_("Intrekken"), url=urls["revoke_url"], icon_name="cross")]
        # Only the refusals the row itself shows (no query per row); the confirmation page
        # checks the rest (another valid certificate) and explains.
        if instance.is_replaced or instance.learner_id is None:
            return []
        return [ListingButton(_("Opnieuw geldig maken"), url=urls["restore_url"], icon_name="undo")]


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "tasks"
    menu_label = _("Certificaten")
    menu_order = 300
    add_to_admin_menu = True
    inspect_view_class = admin_views.CertificateDetailView
    copy_view_enabled = False
    inspect_view_enabled = True
    # The add view still exists in Wagtail's URLs (the permission policy closes it); it
    # needs a form class, which must change nothing.
    form_fields = []
    list_display = [
        CodeColumn("display_code", label=_("Controlecode"), url_name="certificaten:inspect"),
        Column("module_title", label=_("Module")),
        Column("name_printed", label=_("Naam")),
        DateColumn("issued_at", label=_("Uitgereikt")),
        BooleanColumn("is_revoked", label=_("Ingetrokken")),
    ]
    list_filter = {"module": ["exact"], "issued_at": ["gte", "lte"], "revoked_at": ["isnull"]}
    search_fields = ["module_title", "code", "name_printed"]
    ordering = ["-issued_at"]

    def get_urlpatterns(self):
        # Nothing is edited by hand: the old revoke address (edit/) leads to the detail
        # page, and revoking and restoring have their own confirmation pages.
        patterns = [pattern for pattern in super().get_urlpatterns() if pattern.name != "edit"]
        return patterns + [
            path("edit/<int:pk>/", self.construct_view(admin_views.EditRedirectView), name="edit"),
            path(
                "intrekken/<int:pk>/",
                self.construct_view(admin_views.RevokeView),
                name="revoke",
            ),
            path(
                "opnieuw-geldig/<int:pk>/",
                self.construct_view(admin_views.RestoreView),
                name="restore",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet("certificaten")


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    @actions.register_action(services.REVOKED)
    class Revoked(LogFormatter):
        label = _("Certificaat ingetrokken")

        def format_message(self, log_entry):
            return _("Ingetrokken. Reden: %(reason)s") % {"reason": log_entry.data.get("reason")}

    @actions.register_action(services.RESTORED)
    class Restored(LogFormatter):
        label = _("Certificaat opnieuw geldig")

        def format_message(self, log_entry):
            return _("Opnieuw geldig. Reden: %(reason)s") % {"reason": log_entry.data.get("reason")}


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
