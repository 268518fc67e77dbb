"""Writes to the partner catalogue: importing a partner's file, and publishing an entry.

Every function takes keyword arguments only and runs in one transaction.

Who may do what:

- A **partner editor** (``PartnerEditor`` links the user to one organisation, and the user is
  in the "Partner editor" group) imports and edits only their own organisation's entries.
  What they add or change becomes a draft ("Nog na te lezen").
- A **reviewer**, an **administrator** (the groups from courses/roles.py) or a superuser
  imports for any organisation; what they import is published at once. Only they publish.
- ``user=None`` is the command line (``manage.py import_catalogue``) and the demo loader:
  whoever runs it is trusted like an administrator.
"""

from __future__ import annotations

import datetime
import hashlib

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.search.backends import get_search_backends

from catalogue import importing
from catalogue.models import (
    CatalogueEntry,
    CatalogueSession,
    Digipunt,
    ImportRun,
    Municipality,
    Organisation,
    PartnerEditor,
)
from courses.roles import ADMINISTRATOR, REVIEWER

PARTNER_EDITOR = "Partner editor"
PUBLISHER_GROUPS = (REVIEWER, ADMINISTRATOR)
BATCH = 500


class CatalogueRefused(Exception):
    """An action that may not happen now; the message is for staff, in Dutch."""


# --- who may do what ----------------------------------------------------------------------------


def catalogue_user_may_publish(user) -> bool:
    if user is None:
        return True
    if isinstance(user, AnonymousUser) or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=PUBLISHER_GROUPS).exists()


def catalogue_user_organisations(user):
    """The organisations whose entries ``user`` may see, edit and import."""
    if user is None or catalogue_user_may_publish(user):
        return Organisation.objects.all()
    if isinstance(user, AnonymousUser) or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(editors__user=user)


def catalogue_user_entries(user):
    """The entries ``user`` may see and edit in the admin."""
    if user is None or catalogue_user_may_publish(user):
        return CatalogueEntry.objects.all()
    return CatalogueEntry.objects.filter(organisation__in=catalogue_user_organisations(user))


def catalogue_user_may_import(user) -> bool:
    if user is None:
        return True
    if isinstance(user, AnonymousUser) or not user.is_active:
        return False
    if catalogue_user_may_publish(user):
        return True
    return (
        user.has_perm("catalogue.add_catalogueentry")
        and PartnerEditor.objects.filter(user=user).exists()
    )


def _check_organisation(user, organisation) -> None:
    if user is None:
        return
    if not catalogue_user_may_import(user) or not (
        catalogue_user_organisations(user).filter(pk=organisation.pk).exists()
    ):
        raise PermissionDenied("Je mag alleen het aanbod van je eigen organisatie importeren.")


# --- import -------------------------------------------------------------------------------------


@transaction.atomic
def catalogue_import_preview(
    *, organisation, filename: str, content: bytes, full: bool = True, user=None
) -> ImportRun:
    """Read and check a file and compare it with the stored entries; store only the ImportRun.

    The run keeps the rows that were read (``rows``), so applying needs no new upload.
    """
    _check_organisation(user, organisation)
    preview = importing.preview(organisation, filename, content, full=full)
    return ImportRun.objects.create(
        organisation=organisation,
        user=user,
        filename=filename[-255:],
        file_hash=hashlib.sha256(content).hexdigest(),
        file_format=preview.file_format,
        full=full,
        created=preview.counts["created"],
        changed=preview.counts["changed"],
        unchanged=preview.counts["unchanged"],
        withdrawn=preview.counts["withdrawn"],
        errors=preview.errors,
        rows=preview.rows,
        changes=preview.changes,
    )


def _moment(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


def _sessions(entry_id: int, row: dict) -> list[CatalogueSession]:
    return [
        CatalogueSession(entry_id=entry_id, starts_at=_moment(start), ends_at=_moment(end))
        for start, end in row["sessions"]
    ]


def _check_references(rows: list[dict]) -> None:
    """A Digipunt or municipality deleted between preview and apply: refuse, name the line."""
    digipunten = {row["digipunt_id"] for row in rows} - {None}
    municipalities = {row["municipality_id"] for row in rows} - {None}
    gone_digipunten = digipunten - set(
        Digipunt.objects.filter(pk__in=digipunten).values_list("pk", flat=True)
    )
    gone_municipalities = municipalities - set(
        Municipality.objects.filter(pk__in=municipalities).values_list("pk", flat=True)
    )
    for row in rows:
        if row["digipunt_id"] in gone_digipunten or row["municipality_id"] in gone_municipalities:
            raise CatalogueRefused(
                f"Regel {row['line']}: het Digipunt of de gemeente bestaat niet meer. "
                "Laad het bestand opnieuw op."
            )


def _reindex(entry_ids: list[int]) -> None:
    """Bulk writes send no signals: update the search index ourselves."""
    if not entry_ids:
        return
    for backend in get_search_backends(with_auto_update=True):
        for start in range(0, len(entry_ids), BATCH):
            batch = list(CatalogueEntry.objects.filter(pk__in=entry_ids[start : start + BATCH]))
            backend.add_bulk(CatalogueEntry, batch)


def catalogue_import_apply(*, run: ImportRun, user=None) -> ImportRun:
    """Apply a previewed import: all of it in one transaction, or nothing.

    Refused when the file had any error, or when the run was applied before. Compared again
    with the stored entries now (they may have changed since the preview):

    - new rows become entries; changed rows are updated (their dates replaced when they
      changed); unchanged rows are not touched (``updated_at`` stays);
    - a full import withdraws (``withdrawn_at``) the organisation's entries missing from
      the file; nothing is ever deleted. A withdrawn entry that is back in the file returns;
    - new and changed entries are published when ``user`` may publish, else they become
      drafts for a reviewer.
    """
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().select_related("organisation").get(pk=run.pk)
        if run.applied_at is not None:
            raise CatalogueRefused("Dit bestand is al toegepast.")
        if run.errors:
            raise CatalogueRefused(
                "Er staan fouten in het bestand. Verbeter ze en laad het bestand opnieuw op; "
                "er is niets veranderd."
            )
        organisation = run.organisation
        _check_organisation(user, organisation)
        # One apply per organisation at a time (PostgreSQL; SQLite locks the whole file).
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        rows = run.rows
        _check_references(rows)
        status = (
            CatalogueEntry.PUBLISHED if catalogue_user_may_publish(user) else CatalogueEntry.DRAFT
        )
        now = timezone.now()
        comparison = importing.plan(organisation, rows, full=run.full)

        created = [
            CatalogueEntry(
                organisation=organisation,
                external_id=row["external_id"],
                status=status,
                import_run=run,
                **{name: row[name] for name in importing.ENTRY_FIELDS},
            )
            for row in comparison.new
        ]
        CatalogueEntry.objects.bulk_create(created, batch_size=BATCH)
        sessions = []
        for entry, row in zip(created, comparison.new, strict=True):
            sessions += _sessions(entry.pk, row)

        changed_ids = [stored["id"] for _row, stored, _fields in comparison.changed]
        by_id = {}
        for start in range(0, len(changed_ids), BATCH):
            batch = CatalogueEntry.objects.filter(pk__in=changed_ids[start : start + BATCH])
            by_id.update((entry.pk, entry) for entry in batch)
        updated, replace_sessions = [], []
        for row, stored, fields in comparison.changed:
            entry = by_id[stored["id"]]
            for name in importing.ENTRY_FIELDS:
                setattr(entry, name, row[name])
            entry.status = status
            entry.withdrawn_at = None
            entry.import_run = run
            entry.updated_at = now
            updated.append(entry)
            if "datums" in fields:
                replace_sessions.append(entry.pk)
                sessions += _sessions(entry.pk, row)
        CatalogueEntry.objects.bulk_update(
            updated,
            [*importing.ENTRY_FIELDS, "status", "withdrawn_at", "import_run", "updated_at"],
            batch_size=BATCH,
        )
        for start in range(0, len(replace_sessions), BATCH):
            CatalogueSession.objects.filter(
                entry_id__in=replace_sessions[start : start + BATCH]
            ).delete()
        CatalogueSession.objects.bulk_create(sessions, batch_size=BATCH)

        withdrawn_ids = [stored["id"] for stored in comparison.withdrawn]
        for start in range(0, len(withdrawn_ids), BATCH):
            CatalogueEntry.objects.filter(pk__in=withdrawn_ids[start : start + BATCH]).update(
                withdrawn_at=now, updated_at=now, import_run=run
            )

        _reindex([entry.pk for entry in created] + [entry.pk for entry in updated] + withdrawn_ids)

        counts = comparison.counts
        run.created = counts["created"]
        run.changed = counts["changed"]
        run.unchanged = counts["unchanged"]
        run.withdrawn = counts["withdrawn"]
        run.changes = comparison.changes()
        run.applied_at = now
        run.rows = []  # kept only until applied
        if user is not None and run.user_id is None:
            run.user = user
        run.save()
    return run


# --- publishing -----------------------------------------------------------------------------


@transaction.atomic
def catalogue_entry_publish(*, entry: CatalogueEntry, user) -> CatalogueEntry:
    """A reviewer or administrator publishes a partner's draft."""
    if not catalogue_user_may_publish(user):
        raise PermissionDenied("Alleen een reviewer of beheerder mag aanbod publiceren.")
    entry = CatalogueEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.withdrawn_at is not None:
        raise CatalogueRefused("Dit aanbod is ingetrokken. Zet het eerst terug in het aanbod.")
    if entry.status != CatalogueEntry.PUBLISHED:
        entry.status = CatalogueEntry.PUBLISHED
        entry.save(update_fields=["status", "updated_at"])
    return entry
