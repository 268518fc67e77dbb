"""The "Aanbod van partners" submenu: the entries, the import and the review, each for who
may use it."""

from __future__ import annotations

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from catalogue import services
from catalogue.admin_views.entries import CatalogueEntryPermissionPolicy
from catalogue.models import CatalogueEntry


class EntriesMenuItem(MenuItem):
    def is_shown(self, request):
        return CatalogueEntryPermissionPolicy(CatalogueEntry).user_has_any_permission(
            request.user, ["add", "change", "delete", "view"]
        )


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return services.catalogue_user_may_import(request.user)


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return services.catalogue_user_may_publish(request.user)


def catalogue_menu_item():
    return SubmenuMenuItem(
        _("Aanbod van partners"),
        Menu(
            items=[
                EntriesMenuItem(
                    _("Aanbod"), reverse_lazy("aanbod:index"), icon_name="list-ul", order=100
                ),
                ImportMenuItem(
                    _("Catalogus importeren"),
                    reverse_lazy("catalogue_import"),
                    icon_name="upload",
                    order=200,
                ),
                ReviewMenuItem(
                    _("Aanbod nakijken"),
                    reverse_lazy("catalogue_review"),
                    icon_name="tasks",
                    order=300,
                ),
            ]
        ),
        icon_name="list-ul",
        order=320,
    )
