"""A learner owns their data: export, deletion, retention, and the "Mijn gegevens" pages."""

import datetime
import json
import uuid
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.models import Digipunt, Municipality, Organisation
from certificates import services as certificate_services
from certificates.models import Certificate
from learning import services
from learning.factories import LearnerFactory, UserFactory
from learning.models import (
    AssistedSession,
    Attempt,
    Digihelper,
    HelperMandate,
    Learner,
    LearningCard,
    LessonProgress,
    MandateAccessLog,
    RetiredLearnersMonthly,
)
from learning.services import cards, privacy
from tests.answers import right_answer, wrong_answer

pytestmark = pytest.mark.django_db


def answer_all(learner, module, *, wrong_first=False):
    """Answer every exercise of the module right (after a wrong try, if asked)."""
    for lesson in module.lessons():
        for block_id, (_step, exercise) in lesson.exercises.items():
            for values in [wrong_answer(exercise)] * wrong_first + [right_answer(exercise)]:
                form = QueryDict(mutable=True)
                form.setlist("antwoord", values)
                services.attempt_record(
                    learner=learner,
                    lesson=lesson,
                    block_id=block_id,
                    answer=exercise.block.parse_answer(exercise.value, form),
                    attempt_id=uuid.uuid4(),
                )


@pytest.fixture
def digipunt(db):
    municipality = Municipality.objects.create(name="Ieper", slug="ieper", cluster="ieper")
    organisation = Organisation.objects.create(name="Bibliotheek Ieper", kind="library")
    return Digipunt.objects.create(
        organisation=organisation,
        name="Digipunt Bib Ieper",
        street="Weverijstraat 1",
        postcode="8900",
        municipality=municipality,
        opening_hours="maandag 9 tot 12 uur",
    )


@pytest.fixture
def helper(digipunt):
    # Helpers work in /helpers/, not the admin: their accounts are not staff.
    user = UserFactory(username="helper.ann")
    return Digihelper.objects.create(user=user, digipunt=digipunt, helper_code="ANN12345")


def full_learner(module, helper, *, username, label, rows=1):
    """A learner with an account, progress, attempts, cards, mandates, looks, help and a
    certificate; ``rows`` repeats what can repeat."""
    learner = LearnerFactory(user=UserFactory(username=username))
    answer_all(learner, module, wrong_first=rows > 1)
    for _ in range(rows):
        cards.learning_card_issue(learner=learner)
        mandate = HelperMandate.objects.create(
            learner=learner,
            helper=helper,
            learner_label=label,
            expires_at=timezone.now() + datetime.timedelta(days=30),
        )
        MandateAccessLog.objects.create(mandate=mandate, helper=helper, action="voortgang bekeken")
        session = AssistedSession.objects.create(
            digipunt=helper.digipunt,
            helper=helper,
            date=datetime.date(2026, 11, 20),
            minutes=20,
            outcome=AssistedSession.SOLVED,
            learner=learner,
        )
        session.modules.add(module)
    HelperMandate.objects.create(
        learner=learner,
        digipunt=helper.digipunt,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    certificate_services.certificate_issue(learner=learner, module=module, name_printed=label)
    return learner


@pytest.fixture
def two_learners(module, lesson, second_lesson, helper):
    marie = full_learner(module, helper, username="marie.ieper", label="Marie Peeters")
    jan = full_learner(module, helper, username="jan.poperinge", label="Jan Claes")
    return marie, jan


# --- Export ------------------------------------------------------------------------------


def test_export_holds_every_row_of_the_learner_and_nothing_of_another(two_learners):
    marie, jan = two_learners
    data = privacy.learner_export(learner=marie)
    text = json.dumps(data, ensure_ascii=False)

    assert data["learner"]["public_id"] == str(marie.public_id)
    assert data["learner"]["account"]["username"] == "marie.ieper"
    assert {row["lesson_title"] for row in data["lesson_progress"]["items"]} == {
        "Je pincode",
        "Je PUK-code",
    }
    assert {row["status"] for row in data["lesson_progress"]["items"]} == {"completed"}
    assert len(data["attempts"]["items"]) == Attempt.objects.filter(learner=marie).count() == 2
    assert [card["prefix"] for card in data["learning_cards"]["items"]] == [
        marie.cards.get().prefix
    ]
    by_helper, by_digipunt = data["mandates"]["items"]
    assert by_helper["helper"] == "helper.ann"
    assert by_helper["learner_label"] == "Marie Peeters"
    assert by_helper["looks"][0]["action"] == "voortgang bekeken"
    assert by_digipunt["digipunt"] == "Digipunt Bib Ieper"
    assert data["assisted_sessions"]["items"][0]["minutes"] == 20
    assert data["assisted_sessions"]["items"][0]["modules"] == ["Je eID"]
    (certificate,) = data["certificates"]["items"]
    assert certificate["name_printed"] == "Marie Peeters"
    assert certificate["code"] == Certificate.objects.get(learner=marie).display_code
    for section in ("learner", "lesson_progress", "attempts", "certificates"):
        assert data[section]["uitleg"]

    # Nothing of Jan, and never a secret.
    jan_certificate = Certificate.objects.get(learner=jan)
    for theirs in (
        str(jan.public_id),
        "jan.poperinge",
        "Jan Claes",
        jan_certificate.code,
        jan_certificate.display_code,
        str(Attempt.objects.filter(learner=jan).first().attempt_id),
    ):
        assert theirs not in text
    assert marie.user.password not in text
    assert marie.cards.get().code_hash not in text


def test_export_queries_do_not_grow_with_rows(module, lesson, second_lesson, helper):
    few = full_learner(module, helper, username="weinig", label="A", rows=1)
    many = full_learner(module, helper, username="veel", label="B", rows=4)
    counts = []
    for learner in (few, many):
        with CaptureQueriesContext(connection) as captured:
            privacy.learner_export(learner=learner)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    # Ten, plus one each for xAPI statements, H5P resume states, sandbox runs and their events.
    assert counts[0] <= 14, counts


# --- Deletion ----------------------------------------------------------------------------


def test_delete_removes_the_learner_everything_about_them_and_the_account(two_learners):
    marie, jan = two_learners
    user_id = marie.user_id
    privacy.learner_delete(learner=marie)

    assert not Learner.objects.filter(pk=marie.pk).exists()
    for model in (LessonProgress, Attempt, LearningCard, HelperMandate):
        assert not model.objects.filter(learner_id=marie.pk).exists(), model
    assert not MandateAccessLog.objects.filter(mandate__learner_id=marie.pk).exists()
    assert not get_user_model().objects.filter(pk=user_id).exists()
    # The help given stays counted, without the learner.
    assert AssistedSession.objects.filter(learner__isnull=True).count() == 1
    # Jan keeps everything.
    assert LessonProgress.objects.filter(learner=jan).count() == 2
    assert Certificate.objects.get(learner=jan).revoked_at is None


def test_delete_keeps_a_staff_account(module, lesson):
    staff = UserFactory(username="trainer", is_staff=True)
    learner = LearnerFactory(user=staff)
    privacy.learner_delete(learner=learner)
    assert not Learner.objects.filter(pk=learner.pk).exists()
    assert get_user_model().objects.filter(pk=staff.pk).exists()


def test_delete_keeps_a_digihelper_account(helper):
    """A helper's account carries their Digipunt and the help they recorded."""
    learner = LearnerFactory(user=helper.user)
    privacy.learner_delete(learner=learner)
    assert not Learner.objects.filter(pk=learner.pk).exists()
    assert Digihelper.objects.filter(pk=helper.pk).exists()


def test_certificates_of_a_deleted_learner_are_revoked(client, two_learners):
    marie, _jan = two_learners
    code = Certificate.objects.get(learner=marie).code
    privacy.learner_delete(learner=marie)

    certificate = Certificate.objects.get(code=code)
    assert certificate.learner is None and certificate.is_revoked
    assert certificate.revoked_reason == "Account verwijderd door de leerder"
    assert certificate.name_printed == ""
    cache.clear()  # the verification page is rate limited per address
    page = client.get(f"/certificaten/controle/{certificate.display_code}/").content.decode()
    assert "Dit certificaat is ingetrokken" in page
    assert "Marie" not in page


def test_stored_pdfs_of_a_deleted_learner_are_removed(
    two_learners, django_capture_on_commit_callbacks
):
    """A rendered certificate shows the printed name: it goes with the learner."""
    marie, jan = two_learners
    storage = storages["certificates"]
    for learner in (marie, jan):
        certificate_services.certificate_pdf_stored(
            certificate=Certificate.objects.get(learner=learner)
        )
    marie_code = Certificate.objects.get(learner=marie).code
    jan_code = Certificate.objects.get(learner=jan).code

    with django_capture_on_commit_callbacks(execute=True):
        privacy.learner_delete(learner=marie)
    files = storage.listdir("")[1]
    assert not [name for name in files if name.startswith(marie_code)]
    assert [name for name in files if name.startswith(jan_code)]


def test_deleting_twice_is_harmless(module, lesson):
    learner = LearnerFactory()
    privacy.learner_delete(learner=learner)
    privacy.learner_delete(learner=learner)
    assert not Learner.objects.exists()


# --- Retention ---------------------------------------------------------------------------


def days_later(days):
    return timezone.now() + datetime.timedelta(days=days)


def test_purge_dry_run_changes_nothing(two_learners):
    marie, jan = two_learners
    report = privacy.inactive_learners_purge(now=days_later(701))
    assert report.dry_run
    assert report.would_warn_ids == sorted([marie.pk, jan.pk])
    assert report.warned == report.deleted == 0
    assert not Learner.objects.filter(retention_warned_at__isnull=False).exists()

    Learner.objects.update(retention_warned_at=days_later(701))
    report = privacy.inactive_learners_purge(now=days_later(731))
    assert report.would_delete == 2
    assert Learner.objects.count() == 2
    assert not RetiredLearnersMonthly.objects.exists()
    assert not Certificate.objects.filter(revoked_at__isnull=False).exists()


def test_purge_warns_then_deletes_after_the_warning_period(two_learners):
    marie, jan = two_learners
    # Not yet: 699 days without use.
    assert privacy.inactive_learners_purge(now=days_later(699), dry_run=False).warned == 0

    report = privacy.inactive_learners_purge(now=days_later(701), dry_run=False)
    assert report.warned_ids == sorted([marie.pk, jan.pk]) and report.deleted == 0
    marie.refresh_from_db()
    assert marie.retention_warned_at is not None

    # Inactive long enough, but warned only 20 days ago: kept.
    report = privacy.inactive_learners_purge(now=days_later(721), dry_run=False)
    assert report.deleted == 0 and report.warned == 0

    code = Certificate.objects.get(learner=marie).code
    report = privacy.inactive_learners_purge(now=days_later(731), dry_run=False)
    assert report.deleted_ids == sorted([marie.pk, jan.pk])
    assert not Learner.objects.exists()
    assert Certificate.objects.get(code=code).revoked_reason == "Twee jaar niet gebruikt"

    # Only anonymous totals stay: two learners, two completed lessons each.
    (month,) = RetiredLearnersMonthly.objects.all()
    assert month.month == timezone.localdate().replace(day=1)
    assert (month.count, month.lessons_completed) == (2, 4)


def test_purge_never_deletes_without_warning_first(module, lesson):
    learner = LearnerFactory()
    report = privacy.inactive_learners_purge(now=days_later(1000), dry_run=False)
    assert report.warned_ids == [learner.pk] and report.deleted == 0
    assert Learner.objects.filter(pk=learner.pk).exists()


def test_purge_looks_past_a_stale_last_active_at(module, lesson):
    """Learning last week counts, even where last_active_at was never moved."""
    learner = LearnerFactory()
    answer_all(learner, module)
    long_ago = timezone.now() - datetime.timedelta(days=800)
    Learner.objects.filter(pk=learner.pk).update(last_active_at=long_ago, created_at=long_ago)
    report = privacy.inactive_learners_purge(dry_run=False)
    assert report.warned == 0


def test_learner_who_comes_back_after_the_warning_is_kept(module, lesson):
    learner = LearnerFactory()
    Learner.objects.filter(pk=learner.pk).update(
        retention_warned_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    answer_all(learner, module)  # back after the warning; nothing cleared it yet

    # Two years later the old warning must not count: they are warned again, not deleted.

    report = privacy.inactive_learners_purge(now=days_later(800), dry_run=False)
    assert report.deleted == 0
    assert report.unwarned_ids == [learner.pk]
    # Warned afresh in the same run: the 30 days start again.
    assert report.warned_ids == [learner.pk]
    learner.refresh_from_db()
    assert learner.retention_warned_at > timezone.now()


def test_activity_clears_the_warning(module, lesson):
    learner = LearnerFactory()
    Learner.objects.filter(pk=learner.pk).update(
        retention_warned_at=timezone.now(),
        last_active_at=timezone.now() - datetime.timedelta(days=700),
    )
    learner.refresh_from_db()
    privacy.learner_activity_record(learner=learner)
    learner.refresh_from_db()
    assert learner.retention_warned_at is None
    assert learner.last_active_at > timezone.now() - datetime.timedelta(minutes=1)


def test_purge_refuses_a_warning_longer_than_the_limit(db):
    with pytest.raises(ValueError):
        privacy.inactive_learners_purge(inactive_days=30, warning_days=30)


def test_command_is_a_dry_run_unless_applied(module, lesson):
    learner = LearnerFactory()
    Learner.objects.filter(pk=learner.pk).update(
        last_active_at=timezone.now() - datetime.timedelta(days=710),
    )
    out = StringIO()
    call_command("purge_inactive_learners", stdout=out)
    assert "Proefdraai: er verandert niets." in out.getvalue()
    assert "1 leerder(s) zouden een waarschuwing krijgen" in out.getvalue()
    learner.refresh_from_db()
    assert learner.retention_warned_at is None

    out = StringIO()
    call_command("purge_inactive_learners", "--apply", stdout=out)
    assert "1 leerder(s) kregen een waarschuwing." in out.getvalue()
    learner.refresh_from_db()
    assert learner.retention_warned_at is not None


# --- Pages -------------------------------------------------------------------------------


def start_learning(client, lesson):
    block_id, (_step, exercise) = next(iter(lesson.exercises.items()))
    client.post(
        "/leren/antwoord/",
        {
            "les": lesson.pk,
            "oefening": block_id,
            "poging": str(uuid.uuid4()),
            "antwoord": right_answer(exercise),
        },
    )
    return Learner.objects.get()


def test_my_data_page_says_what_we_keep(client, lesson):
    start_learning(client, lesson)
    page = client.get("/mijn/gegevens/").content.decode()
    assert "Wat bewaren we?" in page
    assert "1 les waar je aan begon" in page
    assert "Download al mijn gegevens" in page
    assert "Account verwijderen" in page


def test_without_a_learner_nothing_is_stored(client, db):
    assert "We bewaren niets over jou" in client.get("/mijn/gegevens/").content.decode()
    assert client.get("/mijn/gegevens/download.json").status_code == 404
    assert "We bewaren niets over jou" in client.get("/mijn/gegevens/verwijderen/").content.decode()


def test_download_is_a_json_attachment_that_is_never_cached(client, lesson):
    learner = start_learning(client, lesson)
    response = client.get("/mijn/gegevens/download.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mijn-gegevens-')
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode("utf-8")
    assert "\n  " in body  # indented for a person to read
    data = json.loads(body)
    assert data["learner"]["public_id"] == str(learner.public_id)
    assert data["lesson_progress"]["items"][0]["lesson_title"] == "Je pincode"


def test_delete_needs_the_tick_box(client, lesson):
    start_learning(client, lesson)
    page = client.get("/mijn/gegevens/verwijderen/").content.decode()
    assert "dit kan je niet ongedaan maken" in page
    response = client.post("/mijn/gegevens/verwijderen/", {})
    assert response.status_code == 200
    assert "Zet eerst een vinkje bij" in response.content.decode()
    assert Learner.objects.count() == 1


def test_delete_with_an_account_logs_out_and_leaves_nothing(client, module, lesson, second_lesson):
    user = UserFactory(username="marie.ieper")
    client.force_login(user)
    start_learning(client, lesson)
    answer_all(Learner.objects.get(), module)
    client.post(f"/mijn/certificaten/module/{module.pk}/", {"name": "Marie"})
    code = Certificate.objects.get().code
    assert "Je certificaten worden ingetrokken" in (
        client.get("/mijn/gegevens/verwijderen/").content.decode()
    )

    response = client.post("/mijn/gegevens/verwijderen/", {"understood": "on"}, follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert "Je gegevens zijn verwijderd." in response.content.decode()
    assert not Learner.objects.exists()
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in client.session
    assert Certificate.objects.get(code=code).is_revoked


def test_delete_without_account_forgets_the_cookie(client, lesson):
    start_learning(client, lesson)
    assert client.cookies["leerder"].value
    response = client.post("/mijn/gegevens/verwijderen/", {"understood": "on"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["leerder"].value == ""
    assert not Learner.objects.exists()
    page = client.get("/mijn/").content.decode()
    assert "Je bent nog aan geen module begonnen." in page
    assert "Vergeet mij op deze computer" not in page


def test_my_data_section_shows_the_retention_warning(client, lesson):
    learner = start_learning(client, lesson)
    request = RequestFactory().get("/mijn/")
    quiet = render_to_string("learning/_my_data_section.html", {"learner": learner}, request)
    assert "/mijn/gegevens/" in quiet
    assert "lang niet gebruikt" not in quiet

    Learner.objects.filter(pk=learner.pk).update(retention_warned_at=timezone.now())
    learner.refresh_from_db()
    warned = render_to_string("learning/_my_data_section.html", {"learner": learner}, request)
    assert "Je hebt je account lang niet gebruikt." in warned
    assert "Ik wil mijn gegevens houden" in warned


def test_keep_button_takes_the_warning_back(client, lesson):
    learner = start_learning(client, lesson)
    Learner.objects.filter(pk=learner.pk).update(retention_warned_at=timezone.now())
    assert "lang niet gebruikt" in client.get("/mijn/gegevens/").content.decode()
    response = client.post("/mijn/gegevens/bewaren/", follow=True)
    assert "Fijn! We bewaren je gegevens." in response.content.decode()
    learner.refresh_from_db()
    assert learner.retention_warned_at is None


def test_helper_access_logs_are_kept_twelve_months(places_for_logs):
    from datetime import timedelta

    from django.utils import timezone

    from learning.models import MandateAccessLog
    from learning.services.privacy import access_logs_purge

    mandate, helper = places_for_logs
    recent = MandateAccessLog.objects.create(mandate=mandate, helper=helper, action="bekeek")
    old = MandateAccessLog.objects.create(mandate=mandate, helper=helper, action="bekeek")
    MandateAccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=400))
    assert access_logs_purge() == 1  # dry run by default
    assert MandateAccessLog.objects.count() == 2
    assert access_logs_purge(dry_run=False) == 1
    assert list(MandateAccessLog.objects.all()) == [recent]


@pytest.fixture
def places_for_logs():
    from catalogue.factories import DigipuntFactory
    from learning.factories import DigihelperFactory
    from learning.services import mandates

    helper = DigihelperFactory(digipunt=DigipuntFactory())
    return mandates.mandate_grant(learner=LearnerFactory(), helper=helper), helper
