"""What a digihelper and a trainer read back from the practice sandboxes (issue 18).

The events are made by the real service with the Oefenbank's own forms, as a learner's
browser sends them: a helper sees, under a mandate only, where the learner got stuck; a
trainer sees counts per step, never a learner, and below 5 only "minder dan 5".
"""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalogue.factories import DigipuntFactory
from courses import sandboxes
from courses.factories import LessonPageFactory, sandbox_step, steps
from courses.roles import TRAINER, roles_ensure
from courses.sandboxes import oefenbank
from learning import selectors
from learning.factories import DigihelperFactory, LearnerFactory, UserFactory
from learning.models import HelperMandate, MandateAccessLog, SandboxEvent, SandboxRun
from learning.services import mandates
from learning.services import sandboxes as services

pytestmark = pytest.mark.django_db
BLOCK = "oefenbank"
GOOD_TRANSFER = {
    "name": "Energie Westhoek",
    "iban": "BE74 9990 0000 3407",
    "amount": "48,75",
    "message_kind": "structured",
    "message": "+++202/6120/40118+++",
}


@pytest.fixture
def bank_lesson(module):
    return LessonPageFactory(
        parent=module,
        title="Een overschrijving oefenen",
        slug="overschrijving-oefenen",
        steps=[*steps(1, ()), sandbox_step(block_id=BLOCK)],
    )


@pytest.fixture
def helper():
    helper = DigihelperFactory(digipunt=DigipuntFactory(name="Digipunt bib Ieper"))
    helper.user.groups.add(Group.objects.get_or_create(name="Digihelper")[0])
    return helper


def act(learner, lesson, action, **values):
    """One Oefenbank form sent by ``learner``, for the screen the run is on now."""
    run = SandboxRun.objects.filter(learner=learner, lesson=lesson, block_id=BLOCK).first()
    screen = run.state["screen"] if run else ""
    return services.sandbox_submit(
        learner=learner,
        lesson=lesson,
        block_id=BLOCK,
        event_id=uuid.uuid4(),
        action=action,
        data={"scherm": screen, **values},
    )


def to_transfer(learner, lesson):
    act(learner, lesson, oefenbank.START)
    act(learner, lesson, oefenbank.LOG_IN, code=oefenbank.USER_CODE)
    act(learner, lesson, oefenbank.NEW_TRANSFER)


def stuck_on_amount(lesson, learner=None):
    """A learner who logs in once wrong, then types two amounts that are too high."""
    learner = learner or LearnerFactory()
    act(learner, lesson, oefenbank.START)
    act(learner, lesson, oefenbank.LOG_IN, code="1111")
    act(learner, lesson, oefenbank.LOG_IN, code=oefenbank.USER_CODE)
    act(learner, lesson, oefenbank.NEW_TRANSFER)
    act(learner, lesson, oefenbank.CHECK_TRANSFER, **{**GOOD_TRANSFER, "amount": "500"})
    act(learner, lesson, oefenbank.CHECK_TRANSFER, **{**GOOD_TRANSFER, "amount": "900"})
    return learner


def finished(lesson, learner=None):
    """A learner who mistypes the IBAN once, then completes the transfer."""
    learner = learner or LearnerFactory()
    to_transfer(learner, lesson)
    act(learner, lesson, oefenbank.CHECK_TRANSFER, **{**GOOD_TRANSFER, "iban": "BE74999000003408"})
    act(learner, lesson, oefenbank.CHECK_TRANSFER, **GOOD_TRANSFER)
    act(learner, lesson, oefenbank.CONFIRM_CODE, itsme_code=oefenbank.ITSME_CODE)
    return learner


def helper_page(helper, mandate):
    client = Client()
    client.force_login(helper.user)
    return client.get(f"/helpers/leerders/{mandate.pk}/")


# --- labels ---------------------------------------------------------------------------------


def test_step_labels_name_the_part_of_the_transfer_and_fall_back_to_the_key():
    key = oefenbank.SCENARIO
    assert sandboxes.step_label(key, "transfer", "amount_above_balance") == "bedrag invullen"
    assert sandboxes.step_label(key, "transfer", "iban_typo") == "rekeningnummer invullen"
    assert sandboxes.step_label(key, "transfer", "timeout") == "overschrijving invullen"
    assert sandboxes.step_label(key, "login") == "inloggen"
    assert sandboxes.error_label(key, "iban_typo") == "verkeerde IBAN (tikfout)"
    # A scenario (or step, or error) without a label: the key, never an error.
    assert sandboxes.step_label("burgerloket", "aanmelden", "x") == "aanmelden"
    assert sandboxes.step_label(key, "new_screen") == "new_screen"
    assert sandboxes.error_label("burgerloket", "pin_fout") == "pin_fout"
    assert sandboxes.scenario_title("burgerloket") == "burgerloket"


# --- the helper's view ------------------------------------------------------------------------


def test_helper_sees_where_the_learner_got_stuck(bank_lesson, helper):
    learner = stuck_on_amount(bank_lesson)
    mandate = mandates.mandate_grant(learner=learner, helper=helper)
    html = helper_page(helper, mandate).content.decode()
    assert "Een overschrijving oefenen – Oefenbank: een overschrijving maken" in html
    assert "Bleef hangen bij: bedrag invullen" in html
    assert "bedrag hoger dan het geld op de rekening: 2×" in html
    assert "verkeerde gebruikerscode: 1×" in html
    assert "inloggen, rekening bekijken" in html  # the steps done
    assert "nog niet" in html  # not completed
    assert "Met hulp" in html
    # Never what was typed: not the amount, not the practice code.
    assert "900" not in html and "1111" not in html
    # The look is logged, as for every visit.
    assert MandateAccessLog.objects.filter(mandate=mandate).count() == 1


def test_a_finished_run_shows_completed_and_how_long_it_took(bank_lesson, helper):
    learner = finished(bank_lesson)
    SandboxEvent.objects.filter(learner=learner, kind=SandboxEvent.LAUNCHED).update(
        created_at=F("created_at") - timedelta(minutes=12, seconds=30)
    )
    mandate = mandates.mandate_grant(learner=learner, helper=helper)
    html = helper_page(helper, mandate).content.decode()
    assert "<dt>Afgewerkt</dt><dd>ja</dd>" in html
    assert "<dt>Tijd</dt><dd>12 minuten</dd>" in html
    assert "Meeste fouten bij: rekeningnummer invullen" in html
    assert "Bleef hangen bij" not in html
    assert "inloggen, rekening bekijken, overschrijving invullen, bevestigen met oefen-itsme" in (
        html
    )


def test_stuck_on_the_current_step_before_the_step_with_most_mistakes(bank_lesson):
    learner = LearnerFactory()
    to_transfer(learner, bank_lesson)
    for amount in ("500", "900"):
        act(learner, bank_lesson, oefenbank.CHECK_TRANSFER, **{**GOOD_TRANSFER, "amount": amount})
    act(learner, bank_lesson, oefenbank.CHECK_TRANSFER, **GOOD_TRANSFER)
    act(learner, bank_lesson, oefenbank.CONFIRM_CODE, itsme_code="11111")
    [summary] = selectors.sandbox_summaries(learner)
    # On the confirm screen with one mistake there: that is where help is needed now.
    assert summary.stuck_at == "bevestigen met oefen-itsme"
    act(learner, bank_lesson, oefenbank.RESET)
    [summary] = selectors.sandbox_summaries(learner)
    # Started over: no mistakes on the login screen, so the part with the most mistakes.
    assert summary.resets == 1
    assert summary.stuck_at == "bedrag invullen"


def test_a_learner_without_sandbox_runs_shows_no_sandbox_section(bank_lesson, helper):
    mandate = mandates.mandate_grant(learner=LearnerFactory(), helper=helper)
    response = helper_page(helper, mandate)
    assert response.status_code == 200
    assert "Oefenapps" not in response.content.decode()
    assert selectors.sandbox_summaries(None) == []


def test_no_mandate_or_a_revoked_or_expired_one_gives_404(bank_lesson, helper):
    learner = stuck_on_amount(bank_lesson)
    other = DigihelperFactory(digipunt=DigipuntFactory(name="Digipunt LDC"))
    mine = mandates.mandate_grant(learner=learner, helper=other)
    assert helper_page(helper, mine).status_code == 404  # someone else's mandate
    revoked = mandates.mandate_grant(learner=learner, helper=helper)
    mandates.mandate_revoke(mandate=revoked, learner=learner)
    assert helper_page(helper, revoked).status_code == 404
    expired = mandates.mandate_grant(learner=learner, helper=helper)
    HelperMandate.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
    assert helper_page(helper, expired).status_code == 404
    assert not MandateAccessLog.objects.exists()


def test_summaries_take_the_same_queries_for_one_run_or_many(
    bank_lesson, module, django_assert_max_num_queries
):
    learner = stuck_on_amount(bank_lesson)
    with django_assert_max_num_queries(2):
        assert len(selectors.sandbox_summaries(learner)) == 1
    for number in range(3):
        lesson = LessonPageFactory(
            parent=module,
            title=f"Nog een oefening {number}",
            slug=f"nog-een-{number}",
            steps=[*steps(1, ()), sandbox_step(block_id=BLOCK)],
        )
        finished(lesson, learner)
    with django_assert_max_num_queries(2):
        assert len(selectors.sandbox_summaries(learner)) == 4


def test_the_helper_page_does_not_grow_in_queries_with_runs(bank_lesson, module, helper):
    learner = stuck_on_amount(bank_lesson)
    mandate = mandates.mandate_grant(learner=learner, helper=helper)
    client = Client()
    client.force_login(helper.user)
    client.get(f"/helpers/leerders/{mandate.pk}/")  # the first look writes the log
    with CaptureQueriesContext(connection) as one:
        client.get(f"/helpers/leerders/{mandate.pk}/")
    for number in range(3):
        lesson = LessonPageFactory(
            parent=module,
            title=f"Nog een oefening {number}",
            slug=f"nog-een-{number}",
            steps=[*steps(1, ()), sandbox_step(block_id=BLOCK)],
        )
        finished(lesson, learner)
    # New pages: the first look after them reads the modules and lessons again (courses/listing.py).
    client.get(f"/helpers/leerders/{mandate.pk}/")
    with CaptureQueriesContext(connection) as four:
        client.get(f"/helpers/leerders/{mandate.pk}/")
    assert len(four) == len(one)


# --- the trainers' figures ------------------------------------------------------------------


@pytest.fixture
def trainer(site_tree):
    roles_ensure(tree_root=site_tree[0])
    user = UserFactory(username="trainer")
    user.groups.add(Group.objects.get(name=TRAINER))
    return user


FIGURES = "/admin/oefenapps/vastgelopen/"


def test_trainers_see_exact_counts_from_5_and_minder_dan_5_below(bank_lesson, trainer):
    for _number in range(6):
        stuck_on_amount(bank_lesson)
    for _number in range(2):
        finished(bank_lesson)
    [figure] = selectors.sandbox_stuck_figures()
    assert str(figure.started) == "8"
    assert str(figure.completed) == "minder dan 5"
    assert figure.completed.exact is None  # the exact 2 never leaves the selector
    by_label = {step.label: step for step in figure.steps}
    assert str(by_label["bedrag invullen"].learners) == "6"
    assert by_label["bedrag invullen"].common_error == "bedrag hoger dan het geld op de rekening"
    assert str(by_label["inloggen"].learners) == "6"
    assert str(by_label["rekeningnummer invullen"].learners) == "minder dan 5"
    assert by_label["rekeningnummer invullen"].common_error == ""  # would tell the 2's mistake
    assert figure.steps[-1].label == "rekeningnummer invullen"  # suppressed ones last

    client = Client()
    client.force_login(trainer)
    html = client.get(FIGURES).content.decode()
    assert "Een overschrijving oefenen – Oefenbank: een overschrijving maken" in html
    assert "Begonnen: 8 leerders. Afgewerkt: minder dan 5 leerders." in html
    assert '<th scope="row">bedrag invullen</th>' in html
    assert "<td>6</td>" in html
    assert "<td>minder dan 5</td>" in html
    assert "<td>2</td>" not in html
    # Counts only: no learner's number anywhere.
    for learner in SandboxRun.objects.values_list("learner__public_id", flat=True):
        assert str(learner) not in html


def test_one_mistake_of_two_kinds_in_one_field_counts_the_learner_once(bank_lesson):
    learners = [LearnerFactory() for _number in range(5)]
    for learner in learners:
        to_transfer(learner, bank_lesson)
        act(learner, bank_lesson, oefenbank.CHECK_TRANSFER, **{**GOOD_TRANSFER, "iban": "NL12"})
        act(learner, bank_lesson, oefenbank.CHECK_TRANSFER, **{**GOOD_TRANSFER, "iban": ""})
    [figure] = selectors.sandbox_stuck_figures()
    [step] = figure.steps
    assert (step.label, str(step.learners)) == ("rekeningnummer invullen", "5")


def test_the_figures_take_three_queries_whatever_the_number_of_sandboxes(
    bank_lesson, module, django_assert_max_num_queries
):
    stuck_on_amount(bank_lesson)
    for number in range(3):
        lesson = LessonPageFactory(
            parent=module,
            title=f"Nog een oefening {number}",
            slug=f"nog-een-{number}",
            steps=[*steps(1, ()), sandbox_step(block_id=BLOCK)],
        )
        finished(lesson)
        stuck_on_amount(lesson)
    with django_assert_max_num_queries(3):
        assert len(selectors.sandbox_stuck_figures()) == 4


def test_only_staff_who_write_lessons_open_the_figures(bank_lesson, trainer, helper):
    client = Client()
    assert client.get(FIGURES).status_code == 302  # to the admin's login
    client.force_login(helper.user)
    assert client.get(FIGURES).status_code == 302  # no admin access
    partner = UserFactory(username="partner")
    # Admin access but no lesson to write, like a partner editor.
    partner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(partner)
    response = client.get(FIGURES)
    assert response.status_code in (302, 403)
    assert "Oefenapps: waar lopen leerders vast?" not in response.content.decode()
    client.force_login(trainer)
    response = client.get(FIGURES)
    assert response.status_code == 200
    assert "Oefenapps: waar lopen leerders vast?" in response.content.decode()
    dashboard = client.get("/admin/").content.decode()
    assert "Oefenapps: vastgelopen stappen" in dashboard


def test_each_wrong_key_in_mijn_oefenprofiel_has_its_own_line(client):
    """Two different wrong keys are two mistakes the helper can tell apart."""
    from courses import sandboxes
    from courses.sandboxes import oefenprofiel

    labels = {
        sandboxes.error_label(oefenprofiel.SCENARIO, kind)
        for kind in oefenprofiel.KEY_NOT_HERE.values()
    }
    assert len(labels) == len(oefenprofiel.KEY_NOT_HERE)
    assert "eID en kaartlezer gekozen in plaats van oefen-itsme" in labels
