"""Writes to the partner catalogue: importing a partner's file, saving an entry from the
admin, and reviewing entries (publishing one, publishing or rejecting several at once).

An entry's own rules live here once, for the import and the admin form alike: where it takes
place (``catalogue_entry_place``) and how its dates are replaced
(``catalogue_entry_sessions_replace``).

Every function takes keyword arguments only and runs in one transaction.

Every write of sessions ends in ``catalogue_entry_dates_refresh`` (the entries' stored dates)
and every write of the catalogue in ``catalogue_changed`` (cached exports are stale); writes
of single rows outside these functions (the Wagtail admin, the shell, factories) reach them
through the signals in ``catalogue.signals``.

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
import time
from collections import defaultdict

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search.backends import get_search_backends

from catalogue import importing
from catalogue.columns import ENTRY_FIELDS
from catalogue.models import (
    NO_DATE,
    CatalogueEntry,
    CatalogueSession,
    Digipunt,
    ImportRun,
    Municipality,
    Organisation,
    PartnerEditor,
)

# The place rule writes nothing, so it lives in ``rules``, where the import reads it too.
from catalogue.rules import CatalogueRefused, catalogue_entry_place
from courses.roles import ADMINISTRATOR, REVIEWER
from toolkit.versions import version_read, version_renew

PARTNER_EDITOR = "Partner editor"
# The cache key whose value is part of every cached export's key (``next_steps``): a new
# value makes every cached export unreachable. A random value, not a counter, so a version
# the cache lost can never come back and serve an old body.
CATALOGUE_VERSION_KEY = "catalogue:version"
# Set while the catch-up of started next dates (``catalogue_entry_dates_catch_up``) is not due.
CATCH_UP_KEY = "catalogue:dates-caught-up"
CATCH_UP_EVERY_S = 10 * 60
_catch_up_next_look = 0.0  # time.monotonic(); tests/conftest.py puts it off
PUBLISHER_GROUPS = (REVIEWER, ADMINISTRATOR)
BATCH = 500


# --- who may do what ----------------------------------------------------------------------------


def catalogue_user_may_publish(user) -> bool:
    if user is None:
        return True
    if isinstance(user, AnonymousUser) or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name__in=PUBLISHER_GROUPS).exists()


def _partner_organisations(user):
    """A user who does not publish: the organisations they edit for (PartnerEditor)."""
    if isinstance(user, AnonymousUser) or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(editors__user=user)


def catalogue_user_organisations(user):
    """The organisations whose entries ``user`` may see, edit and import."""
    if user is None or catalogue_user_may_publish(user):
        return Organisation.objects.all()
    return _partner_organisations(user)


def catalogue_user_entries(user):
    """The entries ``user`` may see and edit in the admin."""
    if user is None or catalogue_user_may_publish(user):
        return CatalogueEntry.objects.all()
    # Not through catalogue_user_organisations: that would ask for the user's role again.
    return CatalogueEntry.objects.filter(organisation__in=_partner_organisations(user))


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


# --- the stored dates and the catalogue's version --------------------------------------------


def _first_start_after(moment: datetime.datetime):
    """``CatalogueEntry.upcoming_start`` computed at ``moment``; ``NO_DATE`` when none."""
    first = Subquery(
        CatalogueSession.objects.filter(entry=OuterRef("pk"), starts_at__gt=moment)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return Coalesce(first, Value(NO_DATE))


def catalogue_entry_dates_refresh(*, entry_ids, now: datetime.datetime | None = None) -> None:
    """Store the dates of these entries again from their sessions (``CatalogueEntry``'s
    ``last_start``, ``upcoming_start``, ``upcoming_from``): one UPDATE per 500 entries.

    Call it after any write of sessions; it also marks the catalogue as changed.
    """
    now = now or timezone.now()
    ids = list(entry_ids)
    last = Subquery(
        CatalogueSession.objects.filter(entry=OuterRef("pk"))
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    for start in range(0, len(ids), BATCH):
        CatalogueEntry.objects.filter(pk__in=ids[start : start + BATCH]).update(
            last_start=last, upcoming_start=_first_start_after(now), upcoming_from=now
        )
    catalogue_changed()


def catalogue_entry_dates_catch_up(*, now: datetime.datetime, force: bool = False) -> int:
    """Move the stored next date of entries whose next date has started; at most every 10
    minutes (the cache says when; ``force`` skips that), else nothing. -> entries moved.

    Not needed for correct pages: ``next_steps`` only trusts a stored next date that lies
    ahead and looks the others up. It keeps those look-ups few: without it every entry
    would need one once its first date has passed. Reads first, so that a request writes
    (and on SQLite waits for an import's lock) only when there is something to move.
    """
    global _catch_up_next_look
    # This process looks at the shared cache at most once a minute: with the database cache
    # every look is a query.
    if not force:
        if time.monotonic() < _catch_up_next_look:
            return 0
        _catch_up_next_look = time.monotonic() + 60
        if not cache.add(CATCH_UP_KEY, True, timeout=CATCH_UP_EVERY_S):
            return 0
    # Published ones only (the index starts with the status): only those are listed, and an
    # entry published later with a stale date is looked up until the next catch-up.
    started = CatalogueEntry.objects.filter(
        status=CatalogueEntry.PUBLISHED, upcoming_start__lte=now
    )
    if not started.exists():
        return 0
    # The filter again in the UPDATE: a concurrent refresh may have moved a row already.
    moved = started.update(upcoming_start=_first_start_after(now), upcoming_from=now)
    # Cached counts of /verder-leren/ remember that these rows were stale.
    catalogue_changed()
    return moved


def catalogue_changed() -> None:
    """Entries, their dates or what they show (partner, Digipunt, municipality) changed:
    cached exports are stale."""
    version_renew(CATALOGUE_VERSION_KEY)


def catalogue_version() -> str:
    return version_read(CATALOGUE_VERSION_KEY)


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


def _moments(pairs: list[list[str]]) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """A row's sessions (ISO texts, as an ImportRun keeps them) -> (start, end) pairs."""
    return [
        (datetime.datetime.fromisoformat(start), datetime.datetime.fromisoformat(end))
        for start, end in pairs
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
                **{name: row[name] for name in ENTRY_FIELDS},
            )
            for row in comparison.new
        ]
        CatalogueEntry.objects.bulk_create(created, batch_size=BATCH)
        # The dates the file gives each entry, and the ones it has now (read by the plan).
        sessions, stored_sessions = {}, {}
        for entry, row in zip(created, comparison.new, strict=True):
            sessions[entry.pk] = _moments(row["sessions"])
            stored_sessions[entry.pk] = []

        changed_ids = [stored["id"] for _row, stored, _fields in comparison.changed]
        by_id = {}
        for start in range(0, len(changed_ids), BATCH):
            batch = CatalogueEntry.objects.filter(pk__in=changed_ids[start : start + BATCH])
            by_id.update((entry.pk, entry) for entry in batch)
        updated = []
        for row, stored, _fields in comparison.changed:
            entry = by_id[stored["id"]]
            for name in ENTRY_FIELDS:
                setattr(entry, name, row[name])
            entry.status = status
            entry.withdrawn_at = None
            entry.import_run = run
            entry.updated_at = now
            updated.append(entry)
            sessions[entry.pk] = _moments(row["sessions"])
            stored_sessions[entry.pk] = _moments(stored["sessions"])
        CatalogueEntry.objects.bulk_update(
            updated,
            [*ENTRY_FIELDS, "status", "withdrawn_at", "import_run", "updated_at"],
            batch_size=BATCH,
        )
        catalogue_entry_sessions_replace(sessions=sessions, stored=stored_sessions)

        withdrawn_ids = [stored["id"] for stored in comparison.withdrawn]
        for start in range(0, len(withdrawn_ids), BATCH):
            CatalogueEntry.objects.filter(pk__in=withdrawn_ids[start : start + BATCH]).update(
                withdrawn_at=now, updated_at=now, import_run=run
            )

        _reindex([entry.pk for entry in created] + [entry.pk for entry in updated] + withdrawn_ids)
        # Bulk writes send no signals: the exports must be made again.
        catalogue_changed()

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


# --- one entry: where it takes place, its dates, the admin form -------------------------------


@transaction.atomic
def catalogue_entry_sessions_replace(
    *,
    sessions: dict[int, list[tuple[datetime.datetime, datetime.datetime]]],
    stored: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] | None = None,
) -> list[int]:
    """Give each entry exactly these dates: ``{entry id: [(start, end), ...]}``.

    An entry whose dates are already these keeps its rows untouched: their ids are the UIDs
    of the events in /verder-leren/aanbod.ics, so a calendar must not see them as new. An
    entry with any other date loses all its rows and gets the new ones.

    ``stored``: the entries' current dates when the caller has just read them (the import
    compared every entry already); without it they are read here. -> the ids whose dates
    were replaced.
    """
    if stored is None:
        stored = defaultdict(list)
        ids = list(sessions)
        for start in range(0, len(ids), BATCH):
            rows = CatalogueSession.objects.filter(
                entry_id__in=ids[start : start + BATCH]
            ).values_list("entry_id", "starts_at", "ends_at")
            for entry_id, starts_at, ends_at in rows:
                stored[entry_id].append((starts_at, ends_at))
    replaced = [
        entry_id
        for entry_id, wanted in sessions.items()
        if sorted(wanted) != sorted(stored.get(entry_id, []))
    ]
    for start in range(0, len(replaced), BATCH):
        CatalogueSession.objects.filter(entry_id__in=replaced[start : start + BATCH]).delete()
    CatalogueSession.objects.bulk_create(
        (
            CatalogueSession(entry_id=entry_id, starts_at=starts_at, ends_at=ends_at)
            for entry_id in replaced
            for starts_at, ends_at in sessions[entry_id]
        ),
        batch_size=BATCH,
    )
    catalogue_entry_dates_refresh(entry_ids=replaced)
    return replaced


@transaction.atomic
def catalogue_entry_save(
    *,
    entry: CatalogueEntry,
    sessions: list[tuple[datetime.datetime, datetime.datetime]],
    user=None,
) -> CatalogueEntry:
    """Store one entry as staff or a partner typed it in the admin, with its dates.

    - only for an organisation ``user`` may edit;
    - where it takes place: ``catalogue_entry_place``;
    - a partner editor's new or changed entry becomes a draft for a reviewer; a reviewer's or
      an administrator's keeps its status (publishing is ``catalogue_entry_publish``);
    - the dates: ``catalogue_entry_sessions_replace``.
    """
    if not catalogue_user_organisations(user).filter(pk=entry.organisation_id).exists():
        raise PermissionDenied("Je mag alleen het aanbod van je eigen organisatie aanpassen.")
    entry.municipality_id = catalogue_entry_place(
        digipunt_municipality_id=entry.digipunt.municipality_id if entry.digipunt_id else None,
        municipality_id=entry.municipality_id,
        online=entry.online,
    )
    if not catalogue_user_may_publish(user):
        entry.status = CatalogueEntry.DRAFT
    entry.save()
    catalogue_entry_sessions_replace(sessions={entry.pk: sessions})
    return entry


# --- publishing and reviewing ------------------------------------------------------------------


@transaction.atomic
def catalogue_entry_publish(*, entry: CatalogueEntry, user) -> CatalogueEntry:
    """A reviewer or administrator publishes one entry (the button on its edit page).

    A waiting or rejected entry gets a review, so the partner sees it was published.
    """
    if not catalogue_user_may_publish(user):
        raise PermissionDenied("Alleen een reviewer of beheerder mag aanbod publiceren.")
    entry = CatalogueEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.withdrawn_at is not None:
        raise CatalogueRefused("Dit aanbod is ingetrokken. Zet het eerst terug in het aanbod.")
    if entry.status != CatalogueEntry.PUBLISHED:
        entry.status = CatalogueEntry.PUBLISHED
        entry.reviewed_at = timezone.now()
        entry.reviewed_by = user
        entry.review_reason = ""
        entry.save(
            update_fields=["status", "reviewed_at", "reviewed_by", "review_reason", "updated_at"]
        )
    return entry


def _waiting_for_review(*, entry_ids, user) -> list[CatalogueEntry]:
    """The chosen entries, locked, when every one of them may be reviewed now by ``user``.

    All or nothing: one entry that is not waiting any more (another reviewer was quicker,
    or the partner withdrew it) refuses the whole choice, naming it, so the reviewer sees
    the list again instead of a result that is half what they chose.
    """
    if not catalogue_user_may_publish(user):
        raise PermissionDenied(_("Alleen een reviewer of beheerder mag aanbod nakijken."))
    try:
        wanted = {int(pk) for pk in entry_ids}
    except (TypeError, ValueError):
        raise CatalogueRefused(_("Kies aanbod uit de lijst.")) from None
    if not wanted:
        raise CatalogueRefused(_("Je koos geen aanbod. Vink minstens één aanbod aan."))
    entries = list(
        catalogue_user_entries(user)
        .select_for_update()
        .filter(pk__in=wanted)
        .select_related("organisation")
        .order_by("title", "pk")
    )
    if len(entries) != len(wanted):
        raise CatalogueRefused(
            _(
                "Een gekozen aanbod bestaat niet meer of mag je niet nakijken. "
                "Er is niets veranderd."
            )
        )
    gone = [
        entry.title
        for entry in entries
        if entry.status != CatalogueEntry.DRAFT or entry.withdrawn_at is not None
    ]
    if gone:
        raise CatalogueRefused(
            _(
                "Dit aanbod wacht niet meer op nakijken (al gepubliceerd, afgewezen of "
                "ingetrokken): %(titles)s. Er is niets veranderd."
            )
            % {"titles": ", ".join(gone)}
        )
    return entries


def _record_review(entries: list[CatalogueEntry], *, status: str, user, reason: str) -> None:
    now = timezone.now()
    ids = [entry.pk for entry in entries]
    for start in range(0, len(ids), BATCH):
        CatalogueEntry.objects.filter(pk__in=ids[start : start + BATCH]).update(
            status=status,
            reviewed_at=now,
            reviewed_by=user,
            review_reason=reason,
            updated_at=now,
        )
    for entry in entries:
        entry.status, entry.reviewed_at, entry.reviewed_by = status, now, user
        entry.review_reason, entry.updated_at = reason, now
    # The search index filters on status (learners' search must find them at once).
    _reindex(ids)
    catalogue_changed()


@transaction.atomic
def catalogue_entries_publish(*, entry_ids, user) -> list[CatalogueEntry]:
    """A reviewer or administrator publishes several waiting partner entries at once.

    Only entries that wait for review (a draft, not withdrawn) and that ``user`` reaches;
    any other choice refuses all of them (``CatalogueRefused``) and changes nothing.
    """
    entries = _waiting_for_review(entry_ids=entry_ids, user=user)
    _record_review(entries, status=CatalogueEntry.PUBLISHED, user=user, reason="")
    return entries


@transaction.atomic
def catalogue_entries_reject(*, entry_ids, user, reason: str) -> list[CatalogueEntry]:
    """A reviewer sends waiting partner entries back, with a reason the partner reads.

    The reason is required: a partner who only hears "no" cannot improve the entry. The
    entries stay off the site until the partner changes them (then they wait again).
    """
    reason = (reason or "").strip()
    if not reason:
        raise CatalogueRefused(
            _("Schrijf waarom je het aanbod afwijst. De partner leest dat. Er is niets veranderd.")
        )
    entries = _waiting_for_review(entry_ids=entry_ids, user=user)
    _record_review(entries, status=CatalogueEntry.REJECTED, user=user, reason=reason)
    return entries
