"""The catalogue entry's rules that write nothing, shared by the import and the services.

``importing`` checks a partner's file with them; ``services`` (which imports ``importing``)
saves entries with them. Keeping them here lets both import them at the top.
"""

from __future__ import annotations


class CatalogueRefused(Exception):
    """An action that may not happen now; the message is for staff, in Dutch."""


class PlaceUnknown(CatalogueRefused):
    """An entry that is not online and has neither a Digipunt nor a municipality."""


def catalogue_entry_place(
    *, digipunt_municipality_id: int | None, municipality_id: int | None, online: bool
) -> int | None:
    """The municipality an entry is listed under; refused (``PlaceUnknown``) when it takes
    place nowhere. Used by the import (a row) and the admin form (an entry); writes nothing.

    - The municipality the partner chose, when there is one.
    - Else, at a Digipunt (``digipunt_municipality_id``: the Digipunt's municipality): the
      Digipunt's municipality, so the entry shows up under it on /verder-leren/ and in
      recommendations "in your municipality".
    - Else online only: no municipality.
    - Else a learner cannot know where to go: refused.
    """
    if municipality_id is not None:
        return municipality_id
    if digipunt_municipality_id is not None:
        return digipunt_municipality_id
    if online:
        return None
    raise PlaceUnknown(
        "Waar gaat het door? Kies een Digipunt of een gemeente, of zet het aanbod online."
    )
