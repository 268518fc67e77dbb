"""Wagtail's reports are closed to partner editors.

A partner editor may change catalogue entries, so Wagtail's site history (and its CSV/XLSX
export) listed every partner's entry changes, names of other organisations' editors
included. Reports are for staff who see the whole site; a partner sees the history of
their own entries on each entry's own history page, which is limited to their
organisation (catalogue/admin_views.py).
"""

from django.core.exceptions import PermissionDenied

from catalogue.services import PARTNER_EDITOR

REPORTS_NAMESPACE = "wagtailadmin_reports"


def only_a_partner_editor(user) -> bool:
    if not user.is_authenticated or user.is_superuser:
        return False
    groups = {group.name for group in user.groups.all()}
    return PARTNER_EDITOR in groups and groups <= {PARTNER_EDITOR}


class PartnerReportsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match and REPORTS_NAMESPACE in match.namespaces and only_a_partner_editor(request.user):
            raise PermissionDenied
        return None
