"""Writes of single rows that do not go through ``catalogue.services`` (the Wagtail admin's
snippets and delete views, the shell, test factories) keep the stored dates and the cached
exports right through these receivers.

The services' bulk writes send no signals and call the same functions themselves. Sessions
have no delete receiver on purpose: one would make Django load and signal every session row
that ``catalogue_entry_sessions_replace`` or an entry's deletion removes (30,000 rows for a
re-import with new dates), and both already refresh what they change.
"""

from django.db.models.signals import post_delete, post_save

from catalogue import services
from catalogue.models import CatalogueEntry, CatalogueSession, Digipunt, Municipality, Organisation


def _session_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.catalogue_entry_dates_refresh(entry_ids=[instance.entry_id])


def _catalogue_row_written(sender, raw=False, **kwargs):
    if not raw:
        services.catalogue_changed()


def connect() -> None:
    post_save.connect(_session_saved, sender=CatalogueSession, dispatch_uid="catalogue_session")
    # What an export shows of an entry: its own fields, its partner, Digipunt and municipality.
    for model in (CatalogueEntry, Organisation, Digipunt, Municipality):
        for signal in (post_save, post_delete):
            signal.connect(
                _catalogue_row_written,
                sender=model,
                dispatch_uid=f"catalogue_changed_{model.__name__}_{signal is post_save}",
            )
