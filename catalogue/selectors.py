"""Reads for "Hulp in de buurt" and for reviewing partner entries in the admin.

Each function issues one query, whatever the number of rows: related rows come along
through select_related, and the service filter runs in Python because SQLite cannot
look inside a JSON list (``contains`` on a JSONField is PostgreSQL-only). The review
reads take the user's scope from catalogue/services.py (one more query for their role).
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import TaskState

from catalogue.models import SERVICE_CHOICES, CatalogueEntry, Digipunt, MobileVisit, Municipality
from catalogue.services import catalogue_user_entries

SERVICE_LABELS = dict(SERVICE_CHOICES)


@dataclass
class DigipuntEntry:
    """A Digipunt with its text fields split into the lines the page shows."""

    digipunt: Digipunt
    hours: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)


@dataclass
class MunicipalityGroup:
    municipality: Municipality
    entries: list[DigipuntEntry]


def municipalities() -> list[Municipality]:
    return list(Municipality.objects.order_by("name"))


def municipality_by_slug(slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug).first()


def digipunten_for(
    municipality: Municipality | None = None, service: str | None = None
) -> list[Digipunt]:
    """Digipunten ordered by municipality and name, optionally for one place or service."""
    rows = Digipunt.objects.select_related("organisation", "municipality").order_by(
        "municipality__name", "name"
    )
    if municipality is not None:
        rows = rows.filter(municipality=municipality)
    if service:
        return [row for row in rows if service in (row.services or [])]
    return list(rows)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def service_labels(codes) -> list[str]:
    """Plain words for the service codes, in the order of SERVICE_CHOICES."""
    wanted = set(codes or [])
    return [str(label) for code, label in SERVICE_CHOICES if code in wanted]


def group_by_municipality(digipunten: list[Digipunt]) -> list[MunicipalityGroup]:
    """Consecutive runs per municipality; the input must be ordered by municipality."""
    return [
        MunicipalityGroup(
            municipality=municipality,
            entries=[
                DigipuntEntry(
                    digipunt=row,
                    hours=_lines(row.opening_hours),
                    services=service_labels(row.services),
                    accessibility=_lines(row.accessibility),
                )
                for row in rows
            ],
        )
        for municipality, rows in groupby(digipunten, key=lambda row: row.municipality)
    ]


def upcoming_visits(
    municipality: Municipality | None = None,
    days: int = 60,
    *,
    limit: int | None = None,
    now: datetime.datetime | None = None,
) -> list[MobileVisit]:
    """Visits from now until `days` ahead. A visit today counts until it has ended."""
    local = timezone.localtime(now)
    today, clock = local.date(), local.time().replace(microsecond=0)
    rows = (
        MobileVisit.objects.select_related("organisation", "municipality")
        .filter(date__lte=today + datetime.timedelta(days=days))
        .filter(Q(date__gt=today) | Q(date=today, end__gt=clock))
        .order_by("date", "start", "village")
    )
    if municipality is not None:
        rows = rows.filter(municipality=municipality)
    if limit is not None:
        rows = rows[:limit]
    return list(rows)


# --- reviewing partner entries (the admin dashboard and "Aanbod nakijken") -----------------


@dataclass
class WaitingPartner:
    organisation_id: int
    name: str
    count: int


def _waiting(user):
    return catalogue_user_entries(user).filter(
        status=CatalogueEntry.DRAFT, withdrawn_at__isnull=True
    )


def review_waiting_per_partner(user) -> list[WaitingPartner]:
    """Partners with entries waiting for review (a draft, not withdrawn), by name."""
    rows = (
        _waiting(user)
        .values("organisation_id", "organisation__name")
        .annotate(count=Count("pk"))
        .order_by("organisation__name")
    )
    return [
        WaitingPartner(row["organisation_id"], row["organisation__name"], row["count"])
        for row in rows
    ]


def review_waiting_entries(user, organisation_id: int | None = None) -> list[CatalogueEntry]:
    """The entries waiting for review, optionally of one partner, oldest change first."""
    rows = _waiting(user).select_related("organisation", "municipality", "digipunt")
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    return list(rows.order_by("organisation__name", "updated_at", "pk"))


def review_page_tasks_count(user) -> int:
    """Page (and snippet) workflow tasks waiting for this user, as Wagtail's own dashboard
    panel "Awaiting your review" finds them (``TaskState.objects.reviewable_by``)."""
    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return 0
    return TaskState.objects.reviewable_by(user).count()


def review_outcomes(user, limit: int = 10) -> list[CatalogueEntry]:
    """A partner's most recently reviewed entries that still have that outcome (an entry
    changed since then waits again and is left out), newest first."""
    return list(
        catalogue_user_entries(user)
        .filter(
            status__in=[CatalogueEntry.PUBLISHED, CatalogueEntry.REJECTED],
            reviewed_at__isnull=False,
        )
        .select_related("organisation")
        .order_by("-reviewed_at", "title")[:limit]
    )


def review_waiting_count(user) -> int:
    return _waiting(user).count()
