"""The catalogue's panels on the admin dashboard.

- Reviewers and administrators: "Wacht op nakijken", what waits for them: the page tasks
  of Wagtail's workflow (counted; Wagtail's own panel lower on the dashboard lists them)
  and the partner entries waiting for review, per partner, each linking to "Aanbod
  nakijken" for that partner.
- Partner editors: "Uitkomst van het nakijken", their recently published and rejected
  entries with the reviewer's reason, and how many still wait.

Each panel costs a handful of queries, whatever the number of entries (aggregates only).
"""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.ui.components import Component

from catalogue import selectors, services
from catalogue.admin_views.entries import ENTRIES_VIEWSET
from catalogue.admin_views.review import REVIEW_URL_NAME
from catalogue.models import PartnerEditor

# The id Wagtail gives its own "Awaiting your review" panel (its ``panel`` tag adds
# "-section"); the page tasks are listed there, on the same dashboard.
WAGTAIL_TASKS_ANCHOR = "#awaiting-review-section"


class ReviewWaitingPanel(Component):
    name = "catalogue_review_waiting"
    template_name = "catalogue/admin/panels/review_waiting.html"
    order = 50  # above Wagtail's own panels (from 100): this is the reviewer's to-do list

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        review_url = reverse(REVIEW_URL_NAME)
        partners = selectors.review_waiting_per_partner(self.user)
        return {
            "page_tasks": selectors.review_page_tasks_count(self.user),
            "page_tasks_url": reverse("wagtailadmin_home") + WAGTAIL_TASKS_ANCHOR,
            "partners": [
                {"partner": partner, "url": f"{review_url}?partner={partner.organisation_id}"}
                for partner in partners
            ],
            "entries_total": sum(partner.count for partner in partners),
            "review_url": review_url,
        }


class ReviewOutcomePanel(Component):
    name = "catalogue_review_outcome"
    template_name = "catalogue/admin/panels/review_outcome.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        edit_url_name = ENTRIES_VIEWSET.get_url_name("edit")
        return {
            "outcomes": [
                {"entry": entry, "url": reverse(edit_url_name, args=[entry.pk])}
                for entry in selectors.review_outcomes(self.user)
            ],
            "waiting": selectors.review_waiting_count(self.user),
        }


def dashboard_panels(user) -> list[Component]:
    """The panel this user gets: reviewers see what waits, partner editors the outcome."""
    if services.catalogue_user_may_publish(user):
        return [ReviewWaitingPanel(user)]
    if PartnerEditor.objects.filter(user=user).exists():
        return [ReviewOutcomePanel(user)]
    return []
