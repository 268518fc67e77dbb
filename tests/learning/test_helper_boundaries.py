"""What a digihelper can and cannot do to a learner, tried on every /helpers/ address.

Every helper route, against every kind of learner (only the cookie: no card, no account; a card;
a password account), under every kind of mandate (to this helper, to the whole Digipunt,
expired, stopped, none). docs/privacy.md promises: helpers never see answers, cards,
certificates or the account name; nothing a helper gets signs in to a learner's account;
every look at a learner is logged and shown to the learner.
"""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from catalogue.factories import DigipuntFactory
from certificates import codes as certificate_codes
from certificates.models import Certificate
from learning import urls
from learning.factories import DigihelperFactory, LearnerFactory, UserFactory
from learning.models import (
    AssistedSession,
    Attempt,
    HelperMandate,
    LearningCard,
    LessonProgress,
    MandateAccessLog,
)
from learning.services import cards, mandates
from toolkit import codes

pytestmark = pytest.mark.django_db

KINDS = ("cookie only", "card", "account")
MANDATES = ("to the helper", "to the Digipunt", "expired", "stopped", "none")
ACTIVE = {"to the helper", "to the Digipunt"}

ACCOUNT_NAME = "geheime.gebruiker"
PRINTED_NAME = "Maria Geheimnaam"
ANSWER = "ANTWOORD-DAT-GEHEIM-BLIJFT"
LABEL = "Marie"

# Every address under /helpers/ in learning/urls.py, with what this test sends to it. A new
# helper address must be added here (test_every_helper_route_is_tried), so it is tried too.
ROUTES = {
    "helpers/": [("get", "")],
    "helpers/leerkaart/": [("get", ""), ("post", "")],
    "helpers/leerkaart/klaar/": [("get", "")],
    "helpers/hulpmoment/": [("get", ""), ("post", "session")],
    "helpers/leerders/<int:mandate_id>/": [("get", ""), ("post", "route")],
    "helpers/leerders/<int:mandate_id>/leerkaart/": [("get", ""), ("post", "")],
    "helpers/kioskmodus/": [("get", ""), ("post", ""), ("post", "")],
}


def test_every_helper_route_is_tried():
    helper_routes = {
        str(pattern.pattern)
        for pattern in urls.urlpatterns
        if str(pattern.pattern).startswith("helpers/")
    }
    assert helper_routes == set(ROUTES)


@pytest.fixture
def bib():
    return DigipuntFactory(name="Bibliotheek Ieper")


@pytest.fixture
def helper(bib):
    helper = DigihelperFactory(digipunt=bib)
    helper.user.groups.add(Group.objects.get_or_create(name="Digihelper")[0])
    return helper


def learner_make(kind, module, lesson):
    """A learner with everything a helper must not see: answers, a certificate, a card."""
    user = UserFactory(username=ACCOUNT_NAME) if kind == "account" else None
    learner = LearnerFactory(user=user)
    LessonProgress.objects.create(
        learner=learner,
        lesson=lesson,
        exercises={"oefening": {"passed": False, "tries": 1, "answer": [ANSWER]}},
    )
    Attempt.objects.create(
        attempt_id=uuid.uuid4(),
        learner=learner,
        lesson=lesson,
        block_id="oefening",
        answer=[ANSWER],
        passed=False,
        score=0,
    )
    certificate = Certificate.objects.create(
        learner=learner,
        module=module,
        module_title=module.title,
        competences=["2.6"],
        level=1,
        name_printed=PRINTED_NAME,
        code=certificate_codes.generate(),
    )
    own_code = None
    if kind != "cookie only":
        _card, own_code = cards.learning_card_issue(learner=learner)
    return learner, certificate, own_code


def mandate_make(state, learner, helper):
    if state == "to the Digipunt":
        return mandates.mandate_grant(learner=learner, digipunt=helper.digipunt, label=LABEL)
    if state == "none":  # only another Digipunt may look along
        return mandates.mandate_grant(learner=learner, digipunt=DigipuntFactory(), label=LABEL)
    mandate = mandates.mandate_grant(learner=learner, helper=helper, label=LABEL)
    if state == "expired":
        HelperMandate.objects.filter(pk=mandate.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    if state == "stopped":
        mandates.mandate_revoke(mandate=mandate, learner=learner)
    return mandate


def secrets_of(learner, certificate, own_code):
    secrets = [ACCOUNT_NAME, PRINTED_NAME, ANSWER, certificate.code, certificate.display_code]
    if own_code:
        secrets += [own_code, codes.display(own_code)]
    return secrets


def signs_in_as(code):
    """Log in with ``code`` in a fresh browser; the account user it signed in, if any."""
    browser = Client()
    browser.post("/leerkaart/", {"code": code})
    user_id = browser.session.get("_auth_user_id")
    return int(user_id) if user_id else None


@pytest.mark.parametrize("state", MANDATES)
@pytest.mark.parametrize("kind", KINDS)
def test_no_helper_route_gives_a_way_in_or_shows_what_is_private(
    kind, state, helper, module, lesson
):
    learner, certificate, own_code = learner_make(kind, module, lesson)
    mandate = mandate_make(state, learner, helper)
    secrets = secrets_of(learner, certificate, own_code)
    browser = Client()
    browser.force_login(helper.user)
    bodies = {
        "session": {
            "date": "2026-11-27",
            "minutes": "20",
            "outcome": "solved",
            "modules": [module.pk],
            "learner": learner.pk,
        },
        "route": {"module": module.pk},
    }
    codes_seen = []
    for route, tries in ROUTES.items():
        address = "/" + route.replace("<int:mandate_id>", str(mandate.pk))
        for method, body in tries:
            looks_before = MandateAccessLog.objects.filter(mandate__learner=learner).count()
            response = getattr(browser, method)(address, bodies.get(body, {}))
            where = f"{method.upper()} {address} ({kind}, mandate {state})"
            if response.status_code == 302 and response["Location"].endswith("/leerkaart/klaar/"):
                # A new card's code is shown once, on the page the POST redirects to.
                response = browser.get(response["Location"])
            content = response.content.decode()
            for secret in secrets:
                assert secret not in content, f"{where} shows {secret!r}"
            looks = MandateAccessLog.objects.filter(mandate__learner=learner).count()
            about_learner = "/helpers/leerders/" in address
            if about_learner and state not in ACTIVE:
                assert response.status_code in (404, 405), where
            card_for_learner = False
            new_code = response.context.get("code") if response.context else None
            if new_code:
                codes_seen.append(new_code)
                card_for_learner = cards.learning_card_find(code=new_code).learner_id == learner.pk
            if card_for_learner:
                assert kind != "account", f"{where} made a card for an account"
                assert state in ACTIVE, where
            if about_learner and method == "get" and response.status_code == 200:
                replace_form = f"/helpers/leerders/{mandate.pk}/leerkaart/"
                assert (replace_form in content) == (kind != "account"), where
            # Every look at this learner is logged once: their page, a route set, a new
            # card. A refused card, a 404 or another learner's new card is no look.
            looked = (
                card_for_learner
                or (about_learner and method == "get" and response.status_code == 200)
                or (address.endswith(f"/{mandate.pk}/") and response.status_code == 302)
            )
            assert looks == looks_before + int(looked), f"{where}: {looks - looks_before} logged"

    # Nothing a helper was given signs in to the learner's account.
    for code in codes_seen:
        if learner.user_id is not None:
            assert signs_in_as(code) != learner.user_id
    assert not LearningCard.objects.filter(
        learner=learner, issued_by=helper.user, learner__user__isnull=False
    ).exists()
    # A learner without an active mandate for this helper is untouched.
    if state not in ACTIVE:
        assert not MandateAccessLog.objects.filter(mandate__learner=learner).exists()
        assert not LearningCard.objects.filter(learner=learner, issued_by=helper.user).exists()
        assert not AssistedSession.objects.filter(learner=learner).exists()
    # The learner's own card keeps working unless a helper replaced it (never for accounts).
    if own_code and (kind == "account" or state not in ACTIVE):
        assert cards.learning_card_find(code=own_code) is not None
    if kind == "account":
        assert signs_in_as(own_code) == learner.user_id  # their own card still works


@pytest.mark.parametrize("state", sorted(ACTIVE))
def test_a_replacement_card_for_an_account_is_refused_in_plain_dutch(state, helper, module):
    learner = LearnerFactory(user=UserFactory(username=ACCOUNT_NAME))
    _card, own_code = cards.learning_card_issue(learner=learner)
    mandate = mandate_make(state, learner, helper)
    browser = Client()
    browser.force_login(helper.user)
    response = browser.post(f"/helpers/leerders/{mandate.pk}/leerkaart/", follow=True)
    page = response.content.decode()
    assert "Deze leerder heeft een account met een wachtwoord." in page
    assert "code" not in (response.context or {}) or not response.context.get("code")
    assert ACCOUNT_NAME not in page
    assert LearningCard.objects.filter(learner=learner).count() == 1
    assert cards.learning_card_find(code=own_code) is not None
    learner.refresh_from_db()
    assert learner.helper_card_notice_at is None


def test_a_card_a_helper_made_never_opens_an_account_made_later(helper, lesson):
    """The helper saw the code: once the learner has an account, that card no longer works."""
    learner = LearnerFactory()
    mandate = mandates.mandate_grant(learner=learner, helper=helper)
    _card, helper_code = mandates.replacement_card_issue(mandate=mandate, helper=helper)
    learner.user = UserFactory(username=ACCOUNT_NAME)
    learner.save()
    browser = Client()
    page = browser.post("/leerkaart/", {"code": helper_code}).content.decode()
    assert "Deze kaart werkt niet voor een account." in page
    assert "_auth_user_id" not in browser.session
    # The learner's own new card does work.
    _card, own_code = cards.learning_card_issue(learner=learner)
    assert signs_in_as(own_code) == learner.user_id


def test_a_card_for_a_new_learner_stops_opening_it_once_it_has_an_account(helper):
    browser = Client()
    browser.force_login(helper.user)
    code = browser.post("/helpers/leerkaart/", follow=True).context["code"]
    learner = cards.learning_card_find(code=code).learner
    learner.user = UserFactory(username=ACCOUNT_NAME)
    learner.save()
    assert signs_in_as(code) is None


def test_a_mandate_stopped_meanwhile_gives_no_card(helper):
    learner = LearnerFactory()
    mandate = mandates.mandate_grant(learner=learner, helper=helper)
    mandates.mandate_revoke(mandate=mandate, learner=learner)
    with pytest.raises(mandates.MandateError):
        mandates.replacement_card_issue(mandate=mandate, helper=helper)
    assert not LearningCard.objects.exists() and not MandateAccessLog.objects.exists()
