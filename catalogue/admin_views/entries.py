"""The catalogue entries in the admin ("Aanbod van partners → Aanbod").

A partner editor's listing, edit, delete and history views only reach their own
organisation's entries (another organisation's entry is a 404), and only reviewers and
administrators publish. The form is entry_form.py.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from catalogue import services
from catalogue.admin_views.entry_form import CatalogueEntryForm, form_order
from catalogue.admin_views.scope import ScopedEntriesMixin, own_organisations
from catalogue.models import KIND_CHOICES, CatalogueEntry


class EntryIndexView(ScopedEntriesMixin, generic.IndexView):
    def get_base_queryset(self):
        return self.scoped_entries().select_related("organisation")


class EntryEditView(ScopedEntriesMixin, generic.EditView):
    publish_url_name = None

    def get_queryset(self):
        return self.scoped_entries()

    def get_header_more_buttons(self):
        buttons = list(super().get_header_more_buttons())
        if (
            services.catalogue_user_may_publish(self.request.user)
            and self.object.status != CatalogueEntry.PUBLISHED
            and self.object.withdrawn_at is None
        ):
            buttons.append(
                Button(
                    _("Publiceren"),
                    url=reverse(self.publish_url_name, args=[self.object.pk]),
                    icon_name="upload",
                    priority=5,
                )
            )
        return sorted(buttons)


class EntryDeleteView(ScopedEntriesMixin, generic.DeleteView):
    def get_queryset(self):
        return self.scoped_entries()


class EntryHistoryView(ScopedEntriesMixin, HistoryView):
    def get_base_object_queryset(self):
        return self.scoped_entries()


class EntryUsageView(ScopedEntriesMixin, UsageView):
    def get_base_object_queryset(self):
        return self.scoped_entries()


class EntryPublishView(WagtailAdminTemplateMixin, TemplateView):
    """GET asks to confirm; POST publishes. Only for reviewers and administrators."""

    template_name = "catalogue/admin/publish_confirm.html"
    page_title = _("Publiceren")
    header_icon = "upload"
    edit_url_name = None
    index_url_name = None

    def dispatch(self, request, *args, pk, **kwargs):
        if not services.catalogue_user_may_publish(request.user):
            raise PermissionDenied
        self.entry = get_object_or_404(services.catalogue_user_entries(request.user), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.entry.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Aanbod van partners")},
            {"url": reverse(self.edit_url_name, args=[self.entry.pk]), "label": self.entry.title},
            {"url": "", "label": _("Publiceren")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            entry=self.entry,
            edit_url=reverse(self.edit_url_name, args=[self.entry.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.catalogue_entry_publish(entry=self.entry, user=request.user)
        except services.CatalogueRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("'%(title)s' is gepubliceerd.") % {"title": self.entry})
        return redirect(self.index_url_name)


class CatalogueEntryPermissionPolicy(ModelPermissionPolicy):
    """Django's add/change/delete/view permissions, and for one entry: the user's own scope."""

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and services.catalogue_user_entries(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return CatalogueEntry.objects.none()
        return services.catalogue_user_entries(user)


register_permission_policy(CatalogueEntry, CatalogueEntryPermissionPolicy(CatalogueEntry))


class EntryFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(label=_("Partner"), queryset=own_organisations)
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=CatalogueEntry.STATUS_CHOICES,
        widget=forms.RadioSelect,
        empty_label=_("Alle"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Soort"), choices=KIND_CHOICES, widget=forms.RadioSelect, empty_label=_("Alle")
    )
    withdrawn = django_filters.BooleanFilter(
        label=_("Ingetrokken"),
        field_name="withdrawn_at",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.RadioSelect(choices=[("", _("Alle")), ("true", _("Ja")), ("false", _("Nee"))]),
    )

    class Meta:
        model = CatalogueEntry
        fields = []


class CatalogueEntryViewSet(ModelViewSet):
    model = CatalogueEntry
    icon = "list-ul"
    menu_label = _("Aanbod van partners")
    add_to_admin_menu = False  # in the "Aanbod van partners" submenu, with the import
    form_class = CatalogueEntryForm
    index_view_class = EntryIndexView
    edit_view_class = EntryEditView
    delete_view_class = EntryDeleteView
    history_view_class = EntryHistoryView
    usage_view_class = EntryUsageView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "title",
        Column("organisation", label=_("Partner"), sort_key="organisation__name"),
        Column("kind", accessor="get_kind_display", label=_("Soort")),
        Column("status", accessor="get_status_display", label=_("Status")),
        BooleanColumn(
            "withdrawn",
            accessor=lambda entry: entry.withdrawn_at is not None,
            label=_("Ingetrokken"),
        ),
        DateColumn("updated_at", label=_("Bijgewerkt")),
    ]
    panels = [FieldPanel(name) for name in form_order()]
    filterset_class = EntryFilterSet
    search_fields = ["title", "external_id", "summary"]
    search_backend_name = None
    ordering = ["title"]

    def get_form_class(self, for_update=False):
        return CatalogueEntryForm

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(publish_url_name=self.get_url_name("publish"), **kwargs)

    @property
    def publish_view(self):
        return EntryPublishView.as_view(
            edit_url_name=self.get_url_name("edit"), index_url_name=self.get_url_name("index")
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("publish/<int:pk>/", self.publish_view, name="publish"),
        ]


ENTRIES_VIEWSET = CatalogueEntryViewSet("aanbod")
