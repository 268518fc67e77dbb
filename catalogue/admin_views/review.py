""" "Aanbod nakijken": reviewers publish or reject partner entries waiting for review, in bulk.

GET lists the waiting entries (all partners, or one: ``?partner=<id>``) with a checkbox each;
POST "Publiceren" or "Afwijzen" (with a required reason) acts on the ticked ones through
``catalogue_entries_publish`` / ``catalogue_entries_reject``: all of them or none. A refusal
shows the list again with the choice and the reason kept, and says why in Dutch. Only
reviewers and administrators reach the screen; anyone else is sent to the dashboard with a
message (a partner editor follows no link here, so a plain 403 page would only confuse).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalogue import selectors, services
from catalogue.admin_views.entries import ENTRIES_VIEWSET
from catalogue.rules import CatalogueRefused

PUBLISH, REJECT = "publiceren", "afwijzen"
REVIEW_URL_NAME = "catalogue_review"


class ReviewView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "catalogue/admin/review.html"
    page_title = _("Aanbod nakijken")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not services.catalogue_user_may_publish(request.user):
            messages.error(
                request, _("Alleen een reviewer of beheerder mag aanbod publiceren of afwijzen.")
            )
            return redirect("wagtailadmin_home")
        self.partners = selectors.review_waiting_per_partner(request.user)
        self.partner = self._chosen_partner(request)
        return super().dispatch(request, *args, **kwargs)

    def _chosen_partner(self, request):
        """The partner in ``?partner=``; None (all partners) when absent or nothing waits."""
        raw = request.GET.get("partner", "").strip()
        if not raw:
            return None
        for partner in self.partners:
            if str(partner.organisation_id) == raw:
                return partner
        # An old link (everything of that partner is reviewed) or a typo: show what waits.
        if request.method == "GET":
            messages.warning(
                request,
                _(
                    "Van deze partner wacht er niets meer op nakijken. Hieronder staat al het "
                    "aanbod dat nog wacht."
                ),
            )
        return None

    def _url(self):
        url = reverse(REVIEW_URL_NAME)
        return f"{url}?partner={self.partner.organisation_id}" if self.partner else url

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Aanbod nakijken")}]

    def get_context_data(self, chosen=(), reason="", **kwargs):
        context = super().get_context_data(**kwargs)
        organisation_id = self.partner.organisation_id if self.partner else None
        entries = selectors.review_waiting_entries(self.request.user, organisation_id)
        edit_url_name = ENTRIES_VIEWSET.get_url_name("edit")
        chosen = {str(pk) for pk in chosen}
        all_url = reverse(REVIEW_URL_NAME)
        context.update(
            rows=[
                {
                    "entry": entry,
                    "url": reverse(edit_url_name, args=[entry.pk]),
                    "checked": str(entry.pk) in chosen,
                }
                for entry in entries
            ],
            partners=[
                {
                    "partner": partner,
                    "url": f"{all_url}?partner={partner.organisation_id}",
                    "current": organisation_id == partner.organisation_id,
                }
                for partner in self.partners
            ],
            partner=self.partner,
            all_url=all_url,
            total=sum(partner.count for partner in self.partners),
            form_url=self._url(),
            reason=reason,
            PUBLISH=PUBLISH,
            REJECT=REJECT,
        )
        return context

    def post(self, request, *args, **kwargs):
        chosen = request.POST.getlist("aanbod")
        reason = request.POST.get("reden", "")
        action = request.POST.get("actie")
        try:
            if action == PUBLISH:
                entries = services.catalogue_entries_publish(entry_ids=chosen, user=request.user)
                done = ngettext(
                    "%(count)s aanbod is gepubliceerd. Leerders zien het nu op 'Verder leren'.",
                    "%(count)s aanbiedingen zijn gepubliceerd. Leerders zien ze nu op "
                    "'Verder leren'.",
                    len(entries),
                )
            elif action == REJECT:
                entries = services.catalogue_entries_reject(
                    entry_ids=chosen, user=request.user, reason=reason
                )
                done = ngettext(
                    "%(count)s aanbod is afgewezen. De partner ziet je reden op het dashboard.",
                    "%(count)s aanbiedingen zijn afgewezen. De partner ziet je reden op het "
                    "dashboard.",
                    len(entries),
                )
            else:
                raise CatalogueRefused(_("Kies 'Publiceren' of 'Afwijzen'."))
        except (CatalogueRefused, PermissionDenied) as error:
            messages.error(request, str(error))
            # The list again, as it is now, with the choice and the reason kept.
            self.partners = selectors.review_waiting_per_partner(request.user)
            context = self.get_context_data(chosen=chosen, reason=reason)
            return self.render_to_response(context)
        messages.success(request, done % {"count": len(entries)})
        # Back to the same partner while something of theirs waits; else to every partner.
        if self.partner and not any(
            partner.organisation_id == self.partner.organisation_id
            for partner in selectors.review_waiting_per_partner(request.user)
        ):
            self.partner = None
        return redirect(self._url())


def admin_urls():
    return [path("aanbod-nakijken/", ReviewView.as_view(), name=REVIEW_URL_NAME)]
