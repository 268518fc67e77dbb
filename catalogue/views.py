"""Thin views for "Hulp in de buurt": Digipunten, the mobile service, its calendar feed."""

from urllib.parse import urlencode, urlsplit

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from catalogue import ical, selectors
from catalogue.models import SERVICE_CHOICES

# The page lists the next visits only; the calendar feed has all of them.
VISITS_SHOWN = 30
VISIT_DAYS = 60
DIGIPUNTEN_PER_PAGE = 20


class HelpFilterForm(forms.Form):
    """The plain GET form on /hulp/. Field names are the Dutch query parameters."""

    gemeente = forms.ChoiceField(label=gettext_lazy("In welke gemeente zoek je hulp?"))
    hulp = forms.ChoiceField(label=gettext_lazy("Waarvoor heb je hulp nodig?"))

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].required = False
        self.fields["gemeente"].choices = [("", gettext_lazy("Alle gemeenten"))] + [
            (municipality.slug, municipality.name) for municipality in municipalities
        ]
        self.fields["hulp"].required = False
        # Labels as they are, without capfirst: "eID" and "itsme" are spelled that way.
        self.fields["hulp"].choices = [("", gettext_lazy("Voor alles")), *SERVICE_CHOICES]


def _read_filters(request, municipalities, *, from_path: bool):
    """The filters a visitor asked for. Unknown values are dropped with a note, never a 500.

    On /hulp/<gemeente>/ the address chooses the municipality, so ?gemeente= is ignored.
    """
    form = HelpFilterForm(request.GET, municipalities=municipalities)
    form.is_valid()
    notes = []
    if "gemeente" in form.errors and not from_path:
        notes.append(_("We kennen die gemeente niet. Je ziet nu de hulp in alle gemeenten."))
    if "hulp" in form.errors:
        notes.append(_("We kennen die soort hulp niet. Je ziet nu alle soorten hulp."))
    return form.cleaned_data.get("gemeente") or "", form.cleaned_data.get("hulp") or "", notes


@require_safe
def help_nearby(request, slug=None):
    municipalities = selectors.municipalities()
    by_slug = {municipality.slug: municipality for municipality in municipalities}
    wanted_slug, service, notes = _read_filters(request, municipalities, from_path=slug is not None)
    if slug is not None:
        if slug not in by_slug:
            return render(
                request,
                "catalogue/unknown_municipality.html",
                {"municipalities": municipalities},
                status=404,
            )
        wanted_slug = slug
    municipality = by_slug.get(wanted_slug)

    digipunten = selectors.digipunten_for(municipality=municipality, service=service)
    # Pages of 20, so a phone never gets hundreds of addresses in one page; a municipality
    # runs on to the next page under its own heading again.
    page = Paginator(digipunten, DIGIPUNTEN_PER_PAGE).get_page(request.GET.get("pagina"))
    visits = selectors.upcoming_visits(municipality, days=VISIT_DAYS, limit=VISITS_SHOWN)
    feed_url = reverse("catalogue:visits_feed")
    if municipality is not None:
        feed_url += "?" + urlencode({"gemeente": municipality.slug})
    return render(
        request,
        "catalogue/help_nearby.html",
        {
            "form": HelpFilterForm(
                municipalities=municipalities,
                initial={"gemeente": wanted_slug, "hulp": service},
            ),
            "notes": notes,
            "municipality": municipality,
            "service_label": selectors.SERVICE_LABELS.get(service),
            "is_filtered": bool(municipality or service),
            "page": page,
            "groups": selectors.group_by_municipality(page.object_list),
            "digipunt_count": len(digipunten),
            "visits": visits,
            "today": timezone.localdate(),
            "feed_url": feed_url,
            "has_demo": any(digipunt.is_demo for digipunt in digipunten),
        },
    )


@require_safe
def visits_feed(request):
    """All upcoming visits as iCalendar, optionally for one municipality (?gemeente=slug)."""
    slug = request.GET.get("gemeente", "").strip()
    # An unknown slug gives the whole feed: a calendar app cannot show a note.
    municipality = selectors.municipality_by_slug(slug) if slug else None
    visits = selectors.upcoming_visits(municipality, days=VISIT_DAYS)
    name = _("Mobiele dienst")
    if municipality is not None:
        name = _("Mobiele dienst in %(name)s") % {"name": municipality.name}
    body = ical.calendar(
        visits,
        domain=urlsplit(settings.SITE_BASE_URL).hostname or request.get_host(),
        name=name,
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mobiele-dienst.ics"'
    return response
