"""Thin views for "Verder leren" (/verder-leren/), its exports, the municipality choice and
the site search (/zoeken/). The reads live in ``catalogue.next_steps``, the formats in
``catalogue.exports``; /zoeken/ finds course pages with ``courses.search`` and the partners'
courses with ``next_steps``, and lives here because only catalogue may import both.
"""

import hashlib
import json
import zlib
from urllib.parse import parse_qsl, urlencode, urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from catalogue import exports, next_steps, selectors, services
from catalogue.models import KIND_CHOICES, LANGUAGE_CHOICES
from catalogue.next_steps import (
    MUNICIPALITY_COOKIE,
    MUNICIPALITY_COOKIE_AGE,
    PER_PAGE,
    QUERY_MAX_LENGTH,
    Filters,
)
from courses.models import ModulePage
from courses.search import clean_query, search_pages
from courses.vocabulary import DIGCOMP_AREAS

SEARCH_RESULTS = 20


class NextStepsFilterForm(forms.Form):
    """The plain GET form on /verder-leren/. Field names are the Dutch query parameters."""

    gemeente = forms.ChoiceField(label=gettext_lazy("Waar?"), required=False)
    gebied = forms.ChoiceField(
        label=gettext_lazy("Wat wil je leren?"),
        required=False,
        choices=[("", gettext_lazy("Alle onderwerpen")), *DIGCOMP_AREAS.items()],
    )
    soort = forms.ChoiceField(
        label=gettext_lazy("Wat voor aanbod?"),
        required=False,
        choices=[("", gettext_lazy("Alle soorten")), *KIND_CHOICES],
    )
    prijs = forms.ChoiceField(
        label=gettext_lazy("Prijs"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", gettext_lazy("Gratis en betalend")),
            ("gratis", gettext_lazy("Alleen gratis")),
            ("betalend", gettext_lazy("Alleen betalend")),
        ],
    )
    taal = forms.ChoiceField(
        label=gettext_lazy("In welke taal?"),
        required=False,
        choices=[("", gettext_lazy("Alle talen")), *LANGUAGE_CHOICES],
    )
    zoek = forms.CharField(
        label=gettext_lazy("Zoek een woord"),
        help_text=gettext_lazy("Bijvoorbeeld: itsme, smartphone of foto’s."),
        required=False,
        max_length=QUERY_MAX_LENGTH,
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = [("", gettext_lazy("Alle gemeenten"))] + [
            (municipality.slug, municipality.name) for municipality in municipalities
        ]


class MunicipalityChoiceForm(forms.Form):
    """Remembers where the visitor lives, in a cookie (``POST /verder-leren/gemeente/``)."""

    gemeente = forms.ChoiceField(
        label=gettext_lazy("In welke gemeente woon je?"),
        help_text=gettext_lazy("We onthouden dit alleen op dit toestel."),
        required=False,
    )
    terug = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, municipalities, **kwargs):
        # Its own ids: the filter form on the same page also has a "gemeente" field.
        kwargs.setdefault("auto_id", "woon_%s")
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = [("", gettext_lazy("Dat zeg ik liever niet"))] + [
            (municipality.slug, municipality.name) for municipality in municipalities
        ]


NOTES = {
    "gemeente": gettext_lazy(
        "We kennen die gemeente niet. Je ziet nu het aanbod in alle gemeenten."
    ),
    "gebied": gettext_lazy("We kennen dat onderwerp niet. Je ziet nu alle onderwerpen."),
    "soort": gettext_lazy("We kennen die soort aanbod niet. Je ziet nu alle soorten."),
    "prijs": gettext_lazy("Kies gratis of betalend. Je ziet nu alle prijzen."),
    "taal": gettext_lazy("We kennen die taal niet. Je ziet nu alle talen."),
    "zoek": gettext_lazy("Je zoekwoord is te lang. Typ hoogstens 100 tekens."),
}


def read_filters(request, municipalities, *, use_cookie: bool):
    """(Filters, notes, remembered): what the visitor asked for; bad values dropped with a note.

    Without ``gemeente`` in the address the remembered municipality (cookie) is the default;
    ``gemeente=`` (empty) is an explicit "all municipalities". Exports never read the
    cookie: their address alone says what they contain.
    """
    form = NextStepsFilterForm(request.GET, municipalities=municipalities)
    form.is_valid()
    data = form.cleaned_data
    notes = [NOTES[name] for name in NOTES if name in form.errors]
    by_slug = {municipality.slug: municipality for municipality in municipalities}
    municipality = by_slug.get(data.get("gemeente") or "")
    remembered = None
    if use_cookie and "gemeente" not in request.GET:
        remembered = next_steps.chosen_municipality(request, municipalities)
        municipality = remembered
    filters = Filters(
        municipality=municipality,
        area=data.get("gebied") or "",
        kind=data.get("soort") or "",
        price=data.get("prijs") or "",
        language=data.get("taal") or "",
        query=" ".join((data.get("zoek") or "").split()),
    )
    return filters, notes, remembered


# Kept as long as a cached export: the catalogue's version (municipalities included) is in
# the key, so a change shows at once; the expiry only lets unused choices go.
FILTER_FORM_CACHE_S = 60 * 60


def _filter_form_fields(municipalities, params: dict) -> SafeString:
    """The filter form's fields as HTML, rendered once per choice of filters and language.

    Django renders every option and attribute of its widgets through a template: the four
    lists and the radio buttons (about 40 options) were 11 of this page's 28 ms. The form
    is a GET form (no CSRF token) and the same for every visitor with the same filters. A
    typed search word is not kept: there is no end to them.
    """

    def render_fields():
        form = NextStepsFilterForm(municipalities=municipalities, initial=params)
        return render_to_string("components/form_fields.html", {"form": form})

    if params.get("zoek"):
        return mark_safe(render_fields())  # noqa: S308 - the form's own template
    key_text = "|".join(
        [services.catalogue_version(), get_language() or "", urlencode(sorted(params.items()))]
    )
    key = "catalogue:filter-form:" + hashlib.sha256(key_text.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_fields()
        cache.set(key, html, FILTER_FORM_CACHE_S)
    return mark_safe(html)  # noqa: S308 - the form's own template, rendered above or before


@require_safe
def next_steps_page(request):
    municipalities = selectors.municipalities()
    filters, notes, remembered = read_filters(request, municipalities, use_cookie=True)
    now = timezone.now()
    entries = next_steps.with_upcoming_sessions(next_steps.filtered_entries(filters, now=now), now)
    page = Paginator(next_steps.Listing(entries, now, filters=filters), PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    params = filters.as_params()
    return render(
        request,
        "catalogue/next_steps.html",
        {
            "form_fields": _filter_form_fields(municipalities, params),
            # One place asks for the municipality ("Waar?" in the filters); remembering it
            # is one button beside the result (POST to choose_municipality).
            "home": next_steps.chosen_municipality(request, municipalities),
            "back": request.get_full_path(),
            "filter_count": len(params),
            "notes": notes,
            "filters": filters,
            "remembered": remembered,
            "page": page,
            "cards": next_steps.entry_cards(page.object_list),
            "all_url": next_steps.url_with("catalogue:next_steps", {"gemeente": ""}),
            "ics_url": next_steps.url_with("catalogue:next_steps_ics", params),
            "csv_url": next_steps.url_with("catalogue:next_steps_csv", params),
            "jsonld_url": next_steps.url_with("catalogue:next_steps_jsonld", params),
            "opleidingskompas_url": next_steps.OPLEIDINGSKOMPAS_URL,
        },
    )


# --- exports ---------------------------------------------------------------------------------


# A cached export is dropped when the catalogue changes (``services.catalogue_changed``) and
# when its first upcoming session starts; this only bounds what a missed change could cost.
EXPORT_CACHE_MAX_S = 60 * 60


def _export_entries(filters: Filters, now, *, sessions: str) -> list:
    """Filtered entries for an export (no cookie, no pagination).

    ``sessions``: "upcoming" (JSON-LD, iCalendar) or "all" (CSV, the import format).
    """
    entries = next_steps.filtered_entries(filters, now=now)
    if sessions == "all":
        entries = entries.prefetch_related("sessions")
    else:
        entries = next_steps.with_upcoming_sessions(entries, now)
    return list(entries)


def _export_filters(request) -> Filters:
    filters, _notes, _remembered = read_filters(
        request, selectors.municipalities(), use_cookie=False
    )
    return filters


def _cached_export(kind: str, filters: Filters, make, *, extra: str = "") -> bytes:
    """The export's body from the cache, or made by ``make(now) -> (body, entries)`` and kept.

    10,000 entries take seconds to write out; the same address then answers from the cache
    until the catalogue changes or the first upcoming session in it starts (from then on the
    export would no longer list that date, or the entry), so a cached body is never stale.
    The key holds the catalogue's version, read before the entries: a change committed while
    this one is being made gets a new version, so what is made here is never served after it.

    Kept compressed (zlib, fastest level): the unfiltered exports are 5 to 15 MB, which a
    shared cache (Redis, or the database cache) would copy on every request; compressed they
    are about a tenth, and unpacking takes a few milliseconds.
    """
    params = urlencode(sorted(filters.as_params().items()))
    key_text = "|".join([kind, services.catalogue_version(), get_language() or "", extra, params])
    key = "catalogue:export:" + hashlib.sha256(key_text.encode()).hexdigest()
    packed = cache.get(key)
    if packed is not None:
        return zlib.decompress(packed)
    now = timezone.now()
    body, entries = make(now)
    first = min((entry.next_start for entry in entries if entry.next_start), default=None)
    timeout = EXPORT_CACHE_MAX_S
    if first is not None:
        # Whole seconds, rounded down: it expires just before that session starts, never after.
        timeout = min(timeout, int((first - timezone.now()).total_seconds()))
    if timeout > 0:
        cache.set(key, zlib.compress(body, 1), timeout=timeout)
    return body


def _export_name(filters: Filters) -> str:
    if filters.municipality is not None:
        return _("Verder leren in %(name)s") % {"name": filters.municipality.name}
    return _("Verder leren in de Westhoek")


def _open_data(response: HttpResponse, filename: str, *, attachment: bool = False):
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Public data without cookies: partner websites may read it from their own pages.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def export_jsonld(request):
    filters = _export_filters(request)

    def make(now):
        entries = _export_entries(filters, now, sessions="upcoming")
        base_url = settings.SITE_BASE_URL.rstrip("/")
        page_url = base_url + next_steps.url_with("catalogue:next_steps", filters.as_params())
        data = exports.jsonld(
            entries, base_url=base_url, page_url=page_url, name=_export_name(filters)
        )
        # Compact: with indent json.dumps falls back to its pure-Python encoder (3 s for 10,000).
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), entries

    body = _cached_export("jsonld", filters, make, extra=settings.SITE_BASE_URL)
    response = HttpResponse(body, content_type="application/ld+json; charset=utf-8")
    return _open_data(response, "aanbod.jsonld")


@require_safe
def export_csv(request):
    filters = _export_filters(request)

    def make(now):
        entries = _export_entries(filters, now, sessions="all")
        return exports.csv_text(entries).encode(), entries

    body = _cached_export("csv", filters, make)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    return _open_data(response, "aanbod.csv", attachment=True)


@require_safe
def export_ics(request):
    filters = _export_filters(request)
    domain = urlsplit(settings.SITE_BASE_URL).hostname or request.get_host()

    def make(now):
        entries = _export_entries(filters, now, sessions="upcoming")
        body = exports.sessions_calendar(
            entries, domain=domain, name=_export_name(filters), now=now
        )
        return body.encode(), entries

    body = _cached_export("ics", filters, make, extra=domain)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    return _open_data(response, "verder-leren.ics")


# --- the municipality choice ---------------------------------------------------------------


def _back(request, target: str) -> str:
    """Where to go after the choice: our own page, without ``gemeente`` and ``pagina`` (so
    the remembered municipality applies at once) and without empty filters."""
    default = reverse("catalogue:next_steps")
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return default
    kept = [
        (name, value)
        for name, value in parse_qsl(parts.query)
        if name not in ("gemeente", "pagina") and value
    ]
    return parts.path + (f"?{urlencode(kept)}" if kept else "")


@require_POST
def choose_municipality(request):
    municipalities = selectors.municipalities()
    form = MunicipalityChoiceForm(request.POST, municipalities=municipalities)
    valid = form.is_valid()
    response = redirect(_back(request, request.POST.get("terug", "")))
    if not valid:
        messages.warning(request, _("We kennen die gemeente niet. Kies een gemeente uit de lijst."))
        return response
    slug = form.cleaned_data["gemeente"]
    if not slug:
        response.delete_cookie(MUNICIPALITY_COOKIE, samesite="Lax")
        messages.success(request, _("We onthouden geen gemeente meer."))
        return response
    municipality = next(item for item in municipalities if item.slug == slug)
    response.set_cookie(
        MUNICIPALITY_COOKIE,
        slug,
        # On a shared computer (kiosk mode) the choice ends with the browser.
        max_age=None if getattr(request, "kiosk", False) else MUNICIPALITY_COOKIE_AGE,
        samesite="Lax",
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
    )
    messages.success(
        request, _("We onthouden je gemeente: %(name)s.") % {"name": municipality.name}
    )
    return response


# --- site search ----------------------------------------------------------------------------


@require_safe
def search(request):
    query = " ".join(request.GET.get("q", "").split())
    context = {"query": query, "pages": [], "cards": [], "more_url": "", "note": ""}
    if len(query) > QUERY_MAX_LENGTH:
        context["note"] = _("Je zoekwoorden zijn te lang. Typ hoogstens 100 tekens.")
        context["query"] = ""
    elif query and not clean_query(query):
        context["note"] = _("Typ een woord met letters of cijfers, bijvoorbeeld: itsme.")
    elif query:
        now = timezone.now()
        entries = next_steps.with_upcoming_sessions(
            next_steps.filtered_entries(Filters(query=query), now=now), now
        )
        found = list(entries[: SEARCH_RESULTS + 1])
        context["pages"] = [
            {"page": page, "is_module": isinstance(page, ModulePage)}
            for page in search_pages(query, limit=SEARCH_RESULTS)
        ]
        context["cards"] = next_steps.entry_cards(found[:SEARCH_RESULTS])
        if len(found) > SEARCH_RESULTS:
            # All municipalities, like this page: an explicit empty "gemeente".
            context["more_url"] = (
                reverse("catalogue:next_steps") + "?" + urlencode({"gemeente": "", "zoek": query})
            )
    context["searched"] = bool(query) and not context["note"]
    return render(request, "catalogue/search.html", context)
