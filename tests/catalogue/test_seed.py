"""seed_catalogue: the 18 municipalities, demo Digipunten and a weekly visit rule; idempotent."""

import datetime
import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalogue import demo
from catalogue.models import SERVICE_CHOICES, Digipunt, MobileVisit, Municipality, Organisation

pytestmark = pytest.mark.django_db

CLUSTERS = {
    "westkust": {"Veurne", "Nieuwpoort", "Koksijde", "De Panne", "Alveringem"},
    "diksmuide": {"Diksmuide", "Houthulst", "Koekelare", "Kortemark", "Lo-Reninge"},
    "ieper": {"Ieper", "Heuvelland", "Langemark-Poelkapelle", "Mesen", "Wervik", "Zonnebeke"},
    "poperinge": {"Poperinge", "Vleteren"},
}
VILLAGES = {
    "Krombeke",
    "Proven",
    "Reningelst",
    "Roesbrugge-Haringe",
    "Watou",
    "Oostvleteren",
    "Westvleteren",
    "Woesten",
}
MONDAY = datetime.date(2026, 12, 7)


def seed(*args):
    out = StringIO()
    call_command("seed_catalogue", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list())
        for model in (Municipality, Organisation, Digipunt, MobileVisit)
    }


def test_eighteen_municipalities_in_four_clusters():
    seed()
    assert Municipality.objects.count() == 18
    clusters = {}
    for municipality in Municipality.objects.all():
        clusters.setdefault(municipality.cluster, set()).add(municipality.name)
    assert clusters == CLUSTERS
    assert Municipality.objects.get(name="Langemark-Poelkapelle").slug == "langemark-poelkapelle"


def test_second_run_changes_nothing():
    first = seed()
    assert "Catalogus aangevuld: 18 gemeenten" in first
    before = snapshot()
    second = seed()
    assert "niets veranderd" in second
    assert snapshot() == before


def test_staff_edits_survive_a_new_run():
    seed()
    digipunt = Digipunt.objects.get(name="Bibliotheek Ieper")
    digipunt.opening_hours = "maandag: 9 tot 17 uur"
    digipunt.save()
    Municipality.objects.filter(slug="mesen").update(name="Mesen (Heuvelland)")
    seed()
    assert Digipunt.objects.get(pk=digipunt.pk).opening_hours == "maandag: 9 tot 17 uur"
    assert Municipality.objects.count() == 18


def test_every_municipality_has_a_demo_digipunt_without_phone():
    seed()
    covered = set(Digipunt.objects.values_list("municipality__slug", flat=True))
    assert covered == set(Municipality.objects.values_list("slug", flat=True))
    known = {code for code, _label in SERVICE_CHOICES}
    for digipunt in Digipunt.objects.all():
        assert digipunt.is_demo and digipunt.phone == ""
        assert set(digipunt.services) <= known
        assert digipunt.opening_hours and digipunt.postcode.isdigit()
        digipunt.full_clean()
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"library", "ocmw", "ldc", "digibank"} <= kinds
    assert Organisation.objects.filter(kind="digibank").count() == 4


def test_visits_every_week_for_eight_weeks_from_today():
    demo.load(today=MONDAY)
    visits = MobileVisit.objects.all()
    assert visits.count() == len(VILLAGES) * 8
    assert set(visits.values_list("village", flat=True)) == VILLAGES
    assert min(v.date for v in visits) >= MONDAY
    assert max(v.date for v in visits) < MONDAY + datetime.timedelta(weeks=8)
    assert set(visits.values_list("municipality__cluster", flat=True)) == {"poperinge"}
    krombeke = sorted(visits.filter(village="Krombeke").values_list("date", flat=True))
    assert all(b - a == datetime.timedelta(weeks=1) for a, b in itertools.pairwise(krombeke))
    for visit in visits:
        visit.full_clean()


def test_a_later_run_only_adds_the_weeks_that_came_into_view():
    demo.load(today=MONDAY)
    again = demo.load(today=MONDAY)
    assert not again.changed
    week_later = demo.load(today=MONDAY + datetime.timedelta(weeks=1))
    assert (week_later.municipalities, week_later.digipunten) == (0, 0)
    assert week_later.visits == len(VILLAGES)  # the ninth week, nothing else
    assert MobileVisit.objects.count() == len(VILLAGES) * 9


def test_visit_dates_start_today_or_later():
    wednesday = datetime.date(2026, 12, 9)
    assert demo.visit_dates("wednesday", today=wednesday, weeks=2) == [
        wednesday,
        wednesday + datetime.timedelta(weeks=1),
    ]
    assert demo.visit_dates("monday", today=wednesday, weeks=1) == [datetime.date(2026, 12, 14)]


def test_no_demo_loads_only_the_municipalities():
    seed("--no-demo")
    assert Municipality.objects.count() == 18
    assert not Digipunt.objects.exists() and not MobileVisit.objects.exists()


def test_check_validates_without_writing():
    out = seed("--check")
    assert "18 gemeenten" in out and "31 Digipunten" in out and "8 haltes" in out
    assert not Municipality.objects.exists()


def test_check_refuses_unknown_values(tmp_path, monkeypatch):
    broken = tmp_path / "digipunten.toml"
    broken.write_text(
        demo.DEMO_FILE.read_text(encoding="utf-8").replace(
            'services = ["eid", "wifi"]', 'services = ["eid", "teleportatie"]'
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(demo, "DEMO_FILE", broken)
    with pytest.raises(CommandError, match="onbekende diensten"):
        seed("--check")
    with pytest.raises(CommandError):
        seed()
    assert not Municipality.objects.exists()  # checked before anything is written


def test_demo_partner_editor_only_in_development(settings):
    from catalogue.models import PartnerEditor

    settings.DEMO_ACCOUNTS_ALLOWED = True
    call_command("seed_catalogue", "--accounts")
    editor = PartnerEditor.objects.get(user__username="partner")
    assert editor.organisation.name == "Bibliotheek Ieper"
    assert editor.user.groups.filter(name="Partner editor").exists()
    settings.DEMO_ACCOUNTS_ALLOWED = False
    with pytest.raises(CommandError, match="ontwikkelinstellingen"):
        call_command("seed_catalogue", "--accounts")
