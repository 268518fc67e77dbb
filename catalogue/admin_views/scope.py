"""What a user reaches in the catalogue admin: their own organisations and entries.

The rules are in catalogue/services.py (``catalogue_user_organisations``,
``catalogue_user_entries``); these helpers put them on forms, views and filters.
"""

from catalogue import services
from catalogue.models import Organisation


def limit_to_own_organisations(field, user) -> None:
    """Offer only the user's organisations; a partner editor with one gets it chosen."""
    organisations = services.catalogue_user_organisations(user).order_by("name")
    field.queryset = organisations
    if len(organisations[:2]) == 1:
        field.initial = organisations[0]
        field.empty_label = None


def own_organisations(request):
    """The organisations a listing filter offers."""
    if request is None:
        return Organisation.objects.none()
    return services.catalogue_user_organisations(request.user)


class ScopedEntriesMixin:
    """Only the entries the user may reach; anything else is a 404."""

    def scoped_entries(self):
        return services.catalogue_user_entries(self.request.user)
