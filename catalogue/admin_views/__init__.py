"""The partner catalogue in the Wagtail admin, one module per subject.

- ``imports``: "Catalogus importeren" (upload, preview, apply, the empty templates).
- ``entry_form``: the entry's form, with the fields of the catalogue file.
- ``entries``: the entries' views, permission policy, filters and viewset.
- ``menu``: the "Aanbod van partners" submenu.
- ``scope``: what a user reaches (their organisations and entries).
- ``review``: "Aanbod nakijken", publishing or rejecting waiting entries in bulk.
- ``dashboard``: the dashboard panels "Wacht op nakijken" (reviewers) and "Uitkomst van
  het nakijken" (partner editors).

Wagtail's reports are closed to partner editors in catalogue/admin_reports.py.
wagtail_hooks.py registers the viewset, the import URLs (``register_admin_urls``, so they
live under /admin/) and the menu from here.
"""

from catalogue.admin_views import imports, review
from catalogue.admin_views.dashboard import dashboard_panels
from catalogue.admin_views.entries import ENTRIES_VIEWSET
from catalogue.admin_views.menu import catalogue_menu_item


def admin_urls():
    return [*imports.admin_urls(), *review.admin_urls()]


__all__ = ["ENTRIES_VIEWSET", "admin_urls", "catalogue_menu_item", "dashboard_panels"]
