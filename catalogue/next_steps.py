"""Reads for "Verder leren": the partner catalogue as learners see it, and recommendations.

What a learner may see ("available"): a published entry that is not withdrawn and has at
least one session that has not started yet. Device lending ("lending") without any session
is always available: you borrow a device during opening hours, there is no date.

Every function here costs a fixed number of queries, whatever the number of entries:

- the "has an upcoming session" rule and the next date (``next_start``) come from columns
  the entry stores (``available_entries``), so ordering stays in SQL without a subquery
  over the sessions per entry;
- DigComp codes are matched on the JSON text of ``competences`` (``icontains '"4.'``),
  because SQLite cannot look inside a JSON list (``contains`` is PostgreSQL-only). The
  codes are validated against the vocabulary, so ``"2.6"`` (with its quotes) can only
  match the code 2.6, and ``"4.`` only codes of area 4. PostgreSQL casts the jsonb to text
  for ``icontains``, so the same filter works there;
- a search word becomes a subquery of the Wagtail database backend (``search_entries``;
  on SQLite with the full-text match first, see ``_sqlite_fts_first``);
- sessions come with one ``prefetch_related`` query.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from wagtail.search.backends import get_search_backend

from catalogue import services
from catalogue.columns import format_price
from catalogue.models import (
    KIND_CHOICES,
    LANGUAGE_CHOICES,
    NO_DATE,
    CatalogueEntry,
    CatalogueSession,
    Municipality,
)
from courses.search import clean_query
from courses.vocabulary import DIGCOMP_AREAS, DIGCOMP_COMPETENCES, LEVEL_CHOICES

# Six a page: on a phone twenty cards made /verder-leren/ 24,000 px tall; six keep it
# under 6,000 px (tests/journeys/test_learner_path.py).
PER_PAGE = 6
DATES_SHOWN = 3
# Longer search words are refused with a note: no learner types 100 characters, and the
# full-text query grows with every word.
QUERY_MAX_LENGTH = 100
# A cached count of /verder-leren/ ends with the first date that passes, and after this.
LISTING_COUNT_MAX_S = 60 * 60

# The municipality a visitor chose on /verder-leren/: a cookie only, never on a profile.
MUNICIPALITY_COOKIE = "gemeente"
MUNICIPALITY_COOKIE_AGE = 60 * 60 * 24 * 365

OPLEIDINGSKOMPAS_URL = "https://www.vlaanderen.be/opleidingskompas"

KIND_LABELS = dict(KIND_CHOICES)
LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)
LEVEL_LABELS = dict(LEVEL_CHOICES)


# --- the filters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a visitor asked for on /verder-leren/, already checked. Empty means "all"."""

    municipality: Municipality | None = None
    area: str = ""  # DigComp area "1"-"5"
    kind: str = ""
    price: str = ""  # "gratis", "betalend"
    language: str = ""
    query: str = ""

    def as_params(self) -> dict[str, str]:
        """The Dutch query parameters for links (exports) that keep these filters."""
        params = {}
        if self.municipality is not None:
            params["gemeente"] = self.municipality.slug
        for name, value in [
            ("gebied", self.area),
            ("soort", self.kind),
            ("prijs", self.price),
            ("taal", self.language),
            ("zoek", self.query),
        ]:
            if value:
                params[name] = value
        return params

    @property
    def is_filtered(self) -> bool:
        return any([self.municipality, self.area, self.kind, self.price, self.language, self.query])


def url_with(name: str, params: dict[str, str]) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


# --- the base query ---------------------------------------------------------------------------


def _now(today=None) -> datetime.datetime:
    """``None`` is now; a date is the start of that day in Belgium; a datetime is itself."""
    if today is None:
        return timezone.now()
    if isinstance(today, datetime.datetime):
        return today
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))


def _upcoming_sessions(now: datetime.datetime) -> QuerySet:
    return CatalogueSession.objects.filter(starts_at__gt=now).order_by("starts_at", "pk")


def available_entries(now: datetime.datetime | None = None) -> QuerySet:
    """Entries a learner may see, each annotated with ``next_start`` (None for lending).

    A session counts while it has not started: once it runs, you can no longer join.

    From the entry's stored dates (``CatalogueEntry.last_start`` and ``upcoming_start``, kept
    by ``services.catalogue_entry_dates_refresh``), so that no session is read per entry:

    - available: ``last_start`` lies ahead (for any ``now``, the clock does not change it),
      or lending without any session;
    - ``next_start``: the stored ``upcoming_start`` when it is still the next one at
      ``now`` (computed at or before ``now``, and not started yet). Only otherwise the first
      upcoming session is looked up (a subquery for that entry alone): when its stored next
      date has started since, or for a ``now`` before it was stored (tests, a day given to
      ``recommendations``). The catch-up in ``services`` keeps those rows few.
    """
    # The present, never a caller's ``now``: stored dates computed for a later moment would
    # not be the next ones for the present, and would be looked up until their dates change.
    services.catalogue_entry_dates_catch_up(now=timezone.now())
    now = now or timezone.now()
    first_upcoming = _upcoming_sessions(now).filter(entry=OuterRef("pk")).values("starts_at")[:1]
    return (
        CatalogueEntry.objects.filter(status=CatalogueEntry.PUBLISHED, withdrawn_at__isnull=True)
        .filter(Q(last_start__gt=now) | Q(kind="lending", last_start__isnull=True))
        .annotate(
            next_start=Case(
                When(last_start__isnull=True, then=Value(None)),
                When(upcoming_from__lte=now, upcoming_start__gt=now, then=F("upcoming_start")),
                default=Subquery(first_upcoming),
                output_field=DateTimeField(),
            )
        )
    )


def _area_filter(areas) -> Q:
    """Entries with at least one competence in one of these DigComp areas."""
    condition = Q(pk__in=[])
    for area in areas:
        condition |= Q(competences__icontains=f'"{area}.')
    return condition


def _in_municipality(municipality: Municipality) -> Q:
    return Q(municipality=municipality) | Q(digipunt__municipality=municipality)


def search_entries(query: str) -> QuerySet:
    """Primary keys of entries matching the words, as a subquery (Wagtail search).

    The database search backend's results expose their queryset, so the search becomes a
    subquery of the listing instead of a list of thousands of ids. The search runs over all
    entries: other filters (sessions, prices) are not FilterFields of the index, and the
    listing applies them itself.
    """
    results = get_search_backend().search(query, CatalogueEntry, order_by_relevance=False)
    fast = _sqlite_fts_first(results)
    if fast is not None:
        return CatalogueEntry.objects.filter(pk__in=fast).values("pk")
    fast = _postgres_match_first(results)
    if fast is not None:
        return CatalogueEntry.objects.filter(pk__in=fast).values("pk")
    if hasattr(results, "get_queryset"):
        return results.get_queryset().values("pk")
    return CatalogueEntry.objects.filter(pk__in=[entry.pk for entry in results]).values("pk")


def _sqlite_fts_first(results) -> QuerySet | None:
    """The same matches as the SQLite backend's own query, but with the full-text match first.

    Why: the backend joins its FTS table to the index rows of the model. SQLite then walks
    every index row of the model (10,000 entries: 10,000 rows) and runs the full-text match
    for each: about 0.4 s per query with 10,000 entries, twice per page (count and rows).
    Matching first and then keeping this model's rows takes about 2 ms.

    This reuses the backend's own query building (words, escaping, operator), so the
    matches are the same (tests/catalogue/test_search.py compares both). It leans on
    modelsearch internals: on another backend, or when they change, it returns None and the
    caller takes the backend's own (slower) query.
    """
    compiler = getattr(results, "query_compiler", None)
    # Checked by name before the import: that module only loads where SQLite is the database.
    if type(compiler).__name__ != "SQLiteSearchQueryCompiler":
        return None
    try:
        from modelsearch.backends.database.sqlite import sqlite as fts

        if not isinstance(compiler, fts.SQLiteSearchQueryCompiler):
            return None
        query = fts.normalize(compiler.query)
        if isinstance(query, fts.MatchAll | fts.Not):
            return None
        match = fts.MatchExpression(
            compiler.fields or compiler.FTS_TABLE_FIELDS,
            compiler.build_search_query(query, config=compiler.get_config(results.backend)),
        )
        rows = fts.SQLiteFTSIndexEntry.objects.filter(match).values("index_entry_id")
        return fts.IndexEntry.objects.filter(
            content_type_id__in=fts.get_descendants_content_types_pks(CatalogueEntry),
            pk__in=rows,
        ).values("object_id")
    except (ImportError, LookupError, AttributeError, TypeError):  # pragma: no cover
        return None


def _postgres_match_first(results) -> QuerySet | None:
    """The PostgreSQL backend's matches, with the full-text match on the index rows first.

    Why: the backend's own query joins every entry to its index row on ``object_id =
    id::varchar`` and matches inside that join. With table statistics that do not fit (after
    a large import was rolled back, or on fresh tables) PostgreSQL plans it as a nested loop
    and runs the match for every pair: 500 entries took minutes per query. Matching the
    index rows of this model alone, then casting their ``object_id``, is one scan, whatever
    the plan. Same words, configuration and operator as the backend (the compiler builds
    the tsquery); anything else (fuzzy, match-all, fields) takes the backend's own query.
    """
    compiler = getattr(results, "query_compiler", None)
    if type(compiler).__name__ != "PostgresSearchQueryCompiler" or compiler.fields is not None:
        return None
    try:
        from modelsearch.backends.database.postgres import postgres as pg

        if isinstance(compiler.query, pg.MatchAll | pg.Not | pg.Fuzzy):
            return None
        search_query = compiler.build_tsquery(
            compiler.query, config=compiler.get_config(results.backend)
        )
        vector = F("title")._combine(F("body"), "||", False)
        return (
            pg.IndexEntry._default_manager.filter(
                content_type_id__in=pg.get_descendants_content_types_pks(CatalogueEntry)
            )
            .annotate(_vector_=vector)
            .filter(_vector_=search_query)
            .annotate(entry_pk=Cast("object_id", IntegerField()))
            .values("entry_pk")
        )
    except (ImportError, LookupError, AttributeError, TypeError):  # pragma: no cover
        return None


def filtered_entries(filters: Filters, *, now: datetime.datetime | None = None) -> QuerySet:
    """Available entries matching the filters, soonest first; lending without dates last.

    A municipality filter also keeps online entries: you can follow those from home.
    """
    now = now or timezone.now()
    entries = available_entries(now)
    if filters.municipality is not None:
        entries = entries.filter(_in_municipality(filters.municipality) | Q(online=True))
    if filters.area:
        entries = entries.filter(_area_filter([filters.area]))
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.price == "gratis":
        entries = entries.filter(price_cents=0)
    elif filters.price == "betalend":
        entries = entries.filter(price_cents__gt=0)
    if filters.language:
        entries = entries.filter(language=filters.language)
    words = clean_query(filters.query)
    if words:
        entries = entries.filter(pk__in=search_entries(words))
    return entries.select_related(
        "organisation", "digipunt__municipality", "municipality"
    ).order_by(F("next_start").asc(nulls_last=True), "title", "pk")


def _stored_date_is_not_next(now: datetime.datetime) -> Q:
    """Available entries whose ``next_start`` is not their stored ``upcoming_start``."""
    return Q(last_start__isnull=False) & (
        Q(upcoming_from__isnull=True) | Q(upcoming_from__gt=now) | Q(upcoming_start__lte=now)
    )


class Listing:
    """``filtered_entries`` for a Paginator: the count, then a page in the same order.

    Sorting 10,000 entries by their next date took longer than all the rest of the page.
    The count also counts the entries whose stored next date is not their next one (one
    has started since, see ``available_entries``; the catch-up keeps them few). When there
    are none, which is the rule, the page is read in the order of the stored date, title
    and id, which the index ``entry_listing`` holds: the database reads the page's rows
    instead of sorting them all. Entries without a date store ``NO_DATE`` and come last,
    as ``next_start`` puts them. Otherwise the page is sorted by ``next_start`` itself.

    The count, a scan of every matching entry, is kept in the cache (except for a search)
    per filters and catalogue version (``services.catalogue_version``) until the first
    stored date among them passes: only a change (a new version) or the clock passing a
    date can change it. So the page is usually one query for the entries and one for
    their sessions.
    """

    def __init__(self, entries: QuerySet, now: datetime.datetime, *, filters: Filters):
        self.entries = entries
        self.now = now
        self.filters = filters
        self.stored_order_is_exact = False

    def _cache_key(self) -> str:
        params = urlencode(sorted(self.filters.as_params().items()))
        text = f"{services.catalogue_version()}|{params}"
        return "catalogue:listing-count:" + hashlib.sha256(text.encode()).hexdigest()

    def count(self) -> int:
        # A search's count also depends on the search index, which ``update_index`` can
        # change without a catalogue change: not kept (it counts only the matches anyway).
        key = None if self.filters.query else self._cache_key()
        cached = cache.get(key) if key else None
        if cached is not None:
            total, exact, counted_at, valid_until = cached
            if counted_at <= self.now < valid_until:
                self.stored_order_is_exact = exact
                return total
        now = self.now
        counts = self.entries.order_by().aggregate(
            total=Count("pk"),
            unsure=Count("pk", filter=_stored_date_is_not_next(now)),
            # The count and the "unsure" one stay the same until one of these passes.
            next_stored=Min("upcoming_start", filter=Q(upcoming_start__gt=now)),
            next_last=Min("last_start", filter=Q(last_start__gt=now)),
        )
        self.stored_order_is_exact = counts["unsure"] == 0
        valid_until = min(
            moment for moment in (counts["next_stored"], counts["next_last"], NO_DATE) if moment
        )
        timeout = min(LISTING_COUNT_MAX_S, int((valid_until - timezone.now()).total_seconds()))
        if key and timeout > 0:
            value = (counts["total"], self.stored_order_is_exact, now, valid_until)
            cache.set(key, value, timeout=timeout)
        return counts["total"]

    def __getitem__(self, window):
        entries = self.entries
        if self.stored_order_is_exact:
            entries = entries.order_by("upcoming_start", "title", "pk")
        return list(entries[window])


def with_upcoming_sessions(entries: QuerySet, now: datetime.datetime) -> QuerySet:
    """Upcoming sessions of each entry in ``entry.upcoming_sessions`` (one query)."""
    return entries.prefetch_related(
        Prefetch("sessions", queryset=_upcoming_sessions(now), to_attr="upcoming_sessions")
    )


# --- what a card shows ------------------------------------------------------------------------


def session_text(session: CatalogueSession, *, today: datetime.date) -> str:
    """'dinsdag 3 maart, van 9.30 tot 11.30 uur' in Belgian time; the year only if not this one."""
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    day_format = "l j F" if start.year == today.year else "l j F Y"
    day = dateformat.format(start, day_format)
    if start.date() == end.date():
        return _("%(day)s, van %(start)s tot %(end)s uur") % {
            "day": day,
            "start": dateformat.format(start, "G.i"),
            "end": dateformat.format(end, "G.i"),
        }
    end_format = "l j F, G.i" if end.year == today.year else "l j F Y, G.i"
    return _("%(day)s, %(start)s uur, tot %(end)s uur") % {
        "day": day,
        "start": dateformat.format(start, "G.i"),
        "end": dateformat.format(end, end_format),
    }


@dataclass
class EntryCard:
    """One entry with the words a card shows, computed once and testable without HTML."""

    entry: CatalogueEntry
    kind: str
    place: str  # "Bibliotheek Ieper, Ieper", or "" when only online
    address: str
    online: bool
    dates: list[str] = field(default_factory=list)
    more_dates: int = 0
    price: str = ""
    areas: list[str] = field(default_factory=list)
    level: str = ""
    language: str = ""
    info_url: str = ""
    info_name: str = ""

    @property
    def later_dates(self) -> int:
        """Dates after the first: the card shows the first, its "more" part the others."""
        return max(len(self.dates) - 1, 0) + self.more_dates


def where(entry: CatalogueEntry) -> tuple[str, str]:
    """(place, address): ("Bibliotheek Ieper, Ieper", "Nieuwstraat 6, 8900 Ieper").

    Either may be empty: an entry with only a municipality has a place and no address.
    """
    digipunt = entry.digipunt
    if digipunt is not None:
        town = digipunt.municipality.name
        return (
            f"{digipunt.name}, {town}",
            f"{digipunt.street}, {digipunt.postcode} {town}",
        )
    town = entry.municipality.name if entry.municipality_id else ""
    address = entry.address.strip()
    if address and town and town.lower() not in address.lower():
        address = f"{address}, {town}"
    return (town if not address else "", address)


def entry_card(entry: CatalogueEntry, *, today: datetime.date) -> EntryCard:
    """Needs ``with_upcoming_sessions`` and the select_related of ``filtered_entries``."""
    sessions = getattr(entry, "upcoming_sessions", [])
    place, address = where(entry)
    areas = []
    for code in entry.competences or []:
        label = str(DIGCOMP_AREAS.get(code.split(".", 1)[0], ""))
        if label and label not in areas and code in DIGCOMP_COMPETENCES:
            areas.append(label)
    return EntryCard(
        entry=entry,
        kind=str(KIND_LABELS.get(entry.kind, entry.kind)),
        place=place,
        address=address,
        online=entry.online,
        dates=[session_text(session, today=today) for session in sessions[:DATES_SHOWN]],
        more_dates=max(0, len(sessions) - DATES_SHOWN),
        price=format_price(entry.price_cents),
        areas=areas,
        level=str(LEVEL_LABELS.get(entry.level, "")) if entry.level else "",
        # Dutch is the rule; only other languages are worth a line.
        language="" if entry.language == "nl" else str(LANGUAGE_LABELS.get(entry.language, "")),
        info_url=entry.url or entry.organisation.website,
        info_name=entry.organisation.name,
    )


def entry_cards(entries, *, today: datetime.date | None = None) -> list[EntryCard]:
    today = today or timezone.localdate()
    return [entry_card(entry, today=today) for entry in entries]


# --- recommendations --------------------------------------------------------------------------


def _overlap_score(competences: list[str]):
    """2 points per competence the entry also teaches, 1 when it only shares the area."""
    score = Value(0)
    for code in competences:
        area = code.split(".", 1)[0]
        score = score + Case(
            When(competences__icontains=f'"{code}"', then=Value(2)),
            When(competences__icontains=f'"{area}.', then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return score


def _place_rank(municipality: Municipality | None):
    if municipality is None:
        return Value(0)
    return Case(
        When(_in_municipality(municipality), then=Value(0)),
        When(
            Q(municipality__cluster=municipality.cluster)
            | Q(digipunt__municipality__cluster=municipality.cluster),
            then=Value(1),
        ),
        When(online=True, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def recommendations(*, competences, level, municipality=None, today=None, limit=3) -> list:
    """Up to ``limit`` available entries that fit a module, best first. Two queries.

    Which entries may be recommended:

    - only available ones (published, not withdrawn, an upcoming session or lending);
    - at least one DigComp **area** in common with ``competences``. An entry about
      something else is never a "next step", even when it is the only one. Without any
      competences (a learner who finished nothing yet) this rule is skipped;
    - level **equal or one higher** than ``level``: a lower level repeats what the learner
      has just done, two levels higher is too big a step. Entries without a level (many
      partners do not say) are allowed. With ``level=None`` any level is allowed.

    How they are ordered, each rule breaking the ties of the one before:

    1. competence overlap: 2 points per competence of the module the entry also teaches,
       1 point when it only shares that competence's area;
    2. a known fitting level before an unknown one (equal and one higher count the same;
       with ``level=None`` levels do not count);
    3. place: in ``municipality`` (the entry's own or its Digipunt's), then a neighbouring
       municipality, then online, then elsewhere. **Simplification:** "neighbouring" means
       "in the same Digibank cluster" (``Municipality.cluster``). We keep no map; the
       clusters are small groups of adjacent municipalities, which is close enough;
    4. the soonest next date (lending without dates last), then the title.

    ``today``: ``None`` for now, or a date (sessions from the start of that day).
    """
    now = _now(today)
    competences = [code for code in competences or [] if code in DIGCOMP_COMPETENCES]
    entries = available_entries(now)
    if competences:
        areas = sorted({code.split(".", 1)[0] for code in competences})
        entries = entries.filter(_area_filter(areas))
    if level:
        entries = entries.filter(Q(level__in=[level, level + 1]) | Q(level__isnull=True))
    entries = (
        entries.annotate(
            overlap=_overlap_score(competences),
            level_rank=Case(
                When(level__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            if level
            else Value(0),
            place_rank=_place_rank(municipality),
        )
        .select_related("organisation", "digipunt__municipality", "municipality")
        .order_by(
            "-overlap",
            "level_rank",
            "place_rank",
            F("next_start").asc(nulls_last=True),
            "title",
            "pk",
        )
    )
    return list(with_upcoming_sessions(entries, now)[:limit])


def main_area(competences) -> str:
    """The area of the first competence: editors list a module's main competence first."""
    for code in competences or []:
        if code in DIGCOMP_COMPETENCES:
            return code.split(".", 1)[0]
    return ""


@dataclass
class RecommendationBlock:
    """What ``templates/catalogue/_recommendations.html`` needs."""

    cards: list[EntryCard]
    more_url: str
    area_label: str = ""
    municipality: Municipality | None = None


def recommendation_block(request, *, competences, level, limit=3) -> RecommendationBlock:
    """Recommendations for a module (or for /mijn/), ready for the include. Three queries.

    The municipality is the one the visitor chose (cookie), never a profile field. The
    "more" link opens /verder-leren/ on the module's main DigComp area.
    """
    municipality = chosen_municipality(request)
    entries = recommendations(
        competences=competences, level=level, municipality=municipality, limit=limit
    )
    area = main_area(competences)
    return RecommendationBlock(
        cards=entry_cards(entries),
        more_url=url_with("catalogue:next_steps", {"gebied": area} if area else {}),
        area_label=str(DIGCOMP_AREAS[area]) if area else "",
        municipality=municipality,
    )


# --- the chosen municipality ----------------------------------------------------------------


def chosen_municipality(request, municipalities=None) -> Municipality | None:
    """The municipality in the ``gemeente`` cookie, or None (no cookie, unknown slug).

    Pass the list of municipalities when you already have it: then no query is made.
    """
    slug = request.COOKIES.get(MUNICIPALITY_COOKIE, "").strip()
    if not slug or len(slug) > 50:
        return None
    if municipalities is not None:
        return next((item for item in municipalities if item.slug == slug), None)
    return Municipality.objects.filter(slug=slug).first()
