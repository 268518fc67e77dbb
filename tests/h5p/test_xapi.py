"""xAPI statements and resume state: the endpoints, the progress rules, merge and privacy."""

import json
import uuid

import pytest
from django.conf import settings
from django.test import Client

from courses.factories import exercise_step, text_step
from learning.models import H5PUserData, Learner, LessonProgress, XapiStatement
from learning.services import h5p as h5p_services
from learning.services import learner_merge
from learning.services.privacy import learner_delete, learner_export

pytestmark = pytest.mark.django_db
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def block_id(lesson):
    return next(iter(lesson.exercises))


def statement(verb=ANSWERED, score=None, success=None, statement_id=None, **extra):
    result = {}
    if score is not None:
        result["score"] = score
    if success is not None:
        result["success"] = success
    data = {
        "id": str(statement_id or uuid.uuid4()),
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
        "object": {"id": "http://testserver/h5p/speler/1/", "objectType": "Activity"},
        "result": result,
        "actor": {"mbox": "mailto:iemand@example.org"},
    }
    data.update(extra)
    return data


def post(client, lesson, body_statement, *, block=None, url="/leren/h5p/statement/"):
    body = {"les": lesson.pk, "oefening": block or block_id(lesson), "statement": body_statement}
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_a_passed_answer_completes_the_lesson_and_sets_a_pseudonymous_actor(client, h5p_lesson):
    response = post(client, h5p_lesson, statement(score={"raw": 1, "max": 1}, success=True))
    assert response.status_code == 200, response.content
    assert response.json() == {"stored": True, "passed": True, "lesson_completed": True}
    row = XapiStatement.objects.get()
    learner = Learner.objects.get()
    assert row.learner == learner and row.score == 1.0 and row.success is True
    assert row.data["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_BASE_URL, "name": str(learner.public_id)},
    }
    assert "mbox" not in json.dumps(row.data)
    progress = LessonProgress.objects.get()
    assert progress.is_completed and progress.score == 100 and progress.last_step == 2
    assert "leerder" in response.cookies


def test_a_wrong_answer_counts_as_a_try_not_a_pass(client, h5p_lesson):
    post(client, h5p_lesson, statement(score={"scaled": 0}, success=False))
    progress = LessonProgress.objects.get()
    assert progress.exercises[block_id(h5p_lesson)] == {
        "passed": False,
        "tries": 1,
        "answer": [],
        "score": 0.0,
    }
    # A question type counts like a native exercise: a wrong answer does not finish the
    # lesson, even though every step was seen.
    assert progress.furthest_step == h5p_lesson.step_count
    assert not progress.is_completed and progress.score == 0
    post(client, h5p_lesson, statement(verb=COMPLETED, score={"scaled": 1}))
    progress = LessonProgress.objects.get()
    assert progress.exercises[block_id(h5p_lesson)]["passed"] is True
    assert progress.is_completed and progress.score == 100


def _mixed_lesson(module, package):
    from courses.factories import LessonPageFactory, h5p_step

    lesson = LessonPageFactory(
        parent=module,
        slug="gemengd",
        steps=[h5p_step(package), exercise_step("true_false"), text_step()],
    )
    kinds = {child.block_type: key for key, (_n, child) in lesson.exercises.items()}
    return lesson, kinds["h5p"], kinds["true_false"]


def _native_answer(client, lesson, native_block):
    response = client.post(
        "/leren/antwoord/",
        {
            "les": lesson.pk,
            "oefening": native_block,
            "poging": str(uuid.uuid4()),
            "antwoord": "niet-waar",
        },
    )
    assert response.status_code == 302


def test_an_h5p_question_counts_like_a_native_exercise(client, module, h5p_package):
    lesson, h5p_block, native = _mixed_lesson(module, h5p_package)
    assert set(lesson.required_exercises) == {h5p_block, native}
    _native_answer(client, lesson, native)
    progress = LessonProgress.objects.get()
    assert progress.score == 50 and not progress.is_completed
    post(client, lesson, statement(success=True), block=h5p_block)
    progress = LessonProgress.objects.get()
    assert progress.score == 100 and progress.is_completed


def test_a_learner_without_javascript_skips_the_h5p_step_and_still_finishes(
    client, module, h5p_package
):
    """The skip form is plain HTML: it works exactly where the H5P player does not."""
    lesson, h5p_block, native = _mixed_lesson(module, h5p_package)
    page = client.get(lesson.step_url(1)).content.decode()
    assert 'action="/leren/overslaan/"' in page and "Sla deze oefening over" in page
    response = client.post("/leren/overslaan/", {"les": lesson.pk, "oefening": h5p_block})
    assert response.status_code == 302 and response["Location"] == lesson.step_url(2)
    progress = LessonProgress.objects.get()
    assert progress.exercises[h5p_block]["skipped"] is True and not progress.is_completed
    # Skipped is done, not passed: the lesson is finished once the native one is right,
    # with a score that says one of two was passed.
    _native_answer(client, lesson, native)
    progress = LessonProgress.objects.get()
    assert progress.is_completed and progress.score == 50
    finished = client.get(lesson.finish_url()).content.decode()
    assert "Overgeslagen oefeningen" in finished and lesson.step_url(1) in finished
    # Passing it later still counts, and the step no longer offers to skip.
    post(client, lesson, statement(success=True), block=h5p_block)
    assert LessonProgress.objects.get().score == 100
    assert "Sla deze oefening over" not in client.get(lesson.step_url(1)).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"les": "x", "oefening": "y"},
        {"les": "999999", "oefening": "y"},
        {"les": "9" * 30, "oefening": "y"},  # bigger than any database integer
        {"les": "LESSON", "oefening": "NATIVE"},
        {"les": "LESSON", "oefening": ""},
    ],
)
def test_a_skip_that_names_no_h5p_step_is_refused_and_writes_nothing(
    client, module, h5p_package, data
):
    lesson, _h5p_block, native = _mixed_lesson(module, h5p_package)
    data = {
        key: {"LESSON": str(lesson.pk), "NATIVE": native}.get(value, value)
        for key, value in data.items()
    }
    response = client.post("/leren/overslaan/", data)
    assert response.status_code == 400
    assert "kunnen we niet overslaan" in response.content.decode()
    assert not Learner.objects.exists() and not LessonProgress.objects.exists()


def test_h5p_content_without_questions_is_extra(client, module, h5p_package):
    """An Accordion has nothing to pass: it never blocks the lesson and offers no skip."""
    h5p_package.main_library = "H5P.Accordion 1.0"
    h5p_package.save()
    lesson, h5p_block, native = _mixed_lesson(module, h5p_package)
    assert list(lesson.required_exercises) == [native]
    assert "Sla deze oefening over" not in client.get(lesson.step_url(1)).content.decode()
    post(client, lesson, statement(verb=COMPLETED), block=h5p_block)
    progress = LessonProgress.objects.get()
    # The H5P result is kept, but only the form exercise counts for score and completion.
    assert progress.exercises[h5p_block]["passed"] is True
    assert progress.score == 0 and not progress.is_completed
    _native_answer(client, lesson, native)
    assert LessonProgress.objects.get().is_completed


def test_duplicate_statement_id_is_stored_once(client, h5p_lesson):
    same = statement(score={"scaled": 0.5}, statement_id=uuid.uuid4())
    first = post(client, h5p_lesson, same)
    second = post(client, h5p_lesson, same)
    assert first.status_code == second.status_code == 200
    assert second.json()["stored"] is False
    assert XapiStatement.objects.count() == 1
    assert LessonProgress.objects.get().exercises[block_id(h5p_lesson)]["tries"] == 1
    other = Client()
    assert post(other, h5p_lesson, same).status_code == 400  # another learner: refused


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ({"scaled": 7}, 1.0),
        ({"scaled": -3}, 0.0),
        ({"raw": 12, "max": 10}, 1.0),
        ({"raw": -1, "min": 0, "max": 4}, 0.0),
        ({"raw": 3, "min": 1, "max": 5}, 0.5),
        ({"raw": 3}, None),
    ],
)
def test_score_is_clamped(client, h5p_lesson, score, expected):
    assert post(client, h5p_lesson, statement(score=score)).status_code == 200
    assert XapiStatement.objects.get().score == expected


BROKEN = [
    "geen object",
    {},
    {"id": "geen-uuid", "verb": {"id": ANSWERED}, "object": {"id": "x"}},
    statement(verb="http://adlnet.gov/expapi/verbs/interacted"),
    statement(verb="http://example.org/gehackt"),
    statement(object={"id": ""}),
    statement(object="x"),
    statement(score={"scaled": "1"}),
    statement(score={"scaled": True}),
    statement(score=[1]),
    statement(success="ja"),
    statement(result="x"),
    statement(context=[1]),
    {**statement(), "result": {"response": "x" * 5000}},
]


@pytest.mark.parametrize("bad", BROKEN)
def test_invalid_statements_get_a_dutch_400_and_nothing_is_stored(client, h5p_lesson, bad):
    response = post(client, h5p_lesson, bad)
    assert response.status_code == 400
    assert "kon niet bewaard worden" in response.json()["error"]
    assert not XapiStatement.objects.exists() and not Learner.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"geen json",
        b"[]",
        b'{"les": "1", "oefening": "x", "statement": {}}',
        b'{"les": true, "oefening": "x"}',
        b'{"les": 999999, "oefening": "x", "statement": {}}',
        b"\xff\xfe",
        b"[" * 5000 + b"]" * 5000,
    ],
)
def test_invalid_bodies_get_a_400(client, h5p_lesson, body):
    response = client.post("/leren/h5p/statement/", data=body, content_type="application/json")
    assert response.status_code == 400


def test_unknown_or_native_block_is_refused(client, lesson, h5p_lesson):
    assert post(client, h5p_lesson, statement(), block="bestaat-niet").status_code == 400
    assert post(client, lesson, statement(), block=block_id(lesson)).status_code == 400


def test_too_large_and_not_json_bodies_are_refused(client, h5p_lesson, settings):
    settings.H5P_MAX_STATEMENT_BYTES = 100
    assert post(client, h5p_lesson, statement()).status_code == 400
    body = {"les": h5p_lesson.pk, "oefening": block_id(h5p_lesson), "statement": statement()}
    response = client.post("/leren/h5p/statement/", data=body)  # a form post, not JSON
    assert response.status_code == 400


def test_csrf_is_required():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/leren/h5p/statement/", data="{}", content_type="application/json")
    assert response.status_code == 403


def test_resume_state_is_saved_per_learner_and_package(client, h5p_lesson, h5p_package):
    body = {"les": h5p_lesson.pk, "oefening": block_id(h5p_lesson), "state": '{"chosen": 1}'}
    response = client.post("/leren/h5p/stand/", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    body["state"] = '{"chosen": 0}'
    client.post("/leren/h5p/stand/", json.dumps(body), content_type="application/json")
    row = H5PUserData.objects.get()
    assert row.package == h5p_package and row.state == '{"chosen": 0}'
    page = client.get(h5p_lesson.step_url(2)).content.decode()
    assert '<script id="h5p-stand" type="application/json">"{\\"chosen\\": 0}"</script>' in page
    for bad in ("geen json", 5, "x" * 70_000):
        body["state"] = bad
        assert (
            client.post(
                "/leren/h5p/stand/", json.dumps(body), content_type="application/json"
            ).status_code
            == 400
        )


def test_merge_moves_statements_and_keeps_the_newest_state(h5p_lesson, h5p_package):
    source, target = Learner.objects.create(), Learner.objects.create()
    block = block_id(h5p_lesson)
    h5p_services.h5p_state_save(learner=target, lesson=h5p_lesson, block_id=block, state='"oud"')
    h5p_services.h5p_state_save(learner=source, lesson=h5p_lesson, block_id=block, state='"nieuw"')
    parsed = h5p_services.statement_parse(statement(success=True))
    h5p_services.xapi_statement_record(
        learner=source, lesson=h5p_lesson, block_id=block, statement=parsed
    )
    learner_merge(source=source, target=target)
    assert XapiStatement.objects.get().learner == target
    assert H5PUserData.objects.get().learner == target
    assert H5PUserData.objects.get().state == '"nieuw"'
    assert LessonProgress.objects.get(learner=target).is_completed


def test_export_includes_and_delete_removes_h5p_data(h5p_lesson, h5p_package):
    learner = Learner.objects.create()
    block = block_id(h5p_lesson)
    h5p_services.h5p_state_save(learner=learner, lesson=h5p_lesson, block_id=block, state="{}")
    parsed = h5p_services.statement_parse(statement(success=True))
    h5p_services.xapi_statement_record(
        learner=learner, lesson=h5p_lesson, block_id=block, statement=parsed
    )
    data = learner_export(learner=learner)
    (item,) = data["xapi_statements"]["items"]
    assert item["verb"] == "answered" and item["lesson_title"] == h5p_lesson.title
    assert data["h5p_states"]["items"][0]["package"] == h5p_package.title
    learner_delete(learner=learner)
    assert not XapiStatement.objects.exists() and not H5PUserData.objects.exists()


def test_step_without_javascript_shows_the_message(client, h5p_lesson):
    page = client.get(h5p_lesson.step_url(2)).content.decode()
    assert "werkt alleen met JavaScript" in page
    assert 'data-player-url="/h5p/speler/' in page
    assert (
        client.post(
            "/leren/antwoord/",
            {"les": h5p_lesson.pk, "oefening": block_id(h5p_lesson), "poging": str(uuid.uuid4())},
        ).status_code
        == 400
    )


def test_my_data_page_counts_h5p_activity(client, h5p_lesson):
    post(client, h5p_lesson, statement(success=True))
    page = client.get("/mijn/gegevens/").content.decode()
    assert "1 keer deed je iets in een interactieve oefening" in page


def test_one_exercise_per_step_also_counts_h5p(h5p_package):
    from django.core.exceptions import ValidationError

    from courses.blocks import StepContentBlock

    block = StepContentBlock()
    value = block.to_python(
        [
            {"type": "h5p", "value": {"package": h5p_package.pk, "intro": ""}},
            exercise_step("true_false")["value"]["body"][0],
        ]
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_h5p_block_preview_renders_without_a_package():
    from courses.blocks import H5PBlock

    block = H5PBlock()
    html = block.render(block.to_python(block.meta.preview_value))
    assert "H5P-oefening" in html and "Kies het juiste antwoord." in html


def test_a_deleted_package_does_not_block_the_lesson(client, h5p_lesson, h5p_package):
    from courses.models import LessonPage

    h5p_package.delete()
    lesson = LessonPage.objects.get(pk=h5p_lesson.pk)
    assert lesson.exercises == {}
    page = client.get(lesson.step_url(2)).content.decode()
    assert "Deze oefening is er even niet" in page


def question_set_statements():
    """What Question Set sends (trimmed from a real run): a question, then the set."""
    parent = {"contextActivities": {"parent": [{"id": "http://testserver/h5p/speler/1/"}]}}
    part = statement(
        score={"raw": 1, "max": 1, "scaled": 1},
        success=True,
        context=parent,
        object={
            "id": "http://testserver/h5p/speler/1/?subContentId=abc",
            "definition": {"extensions": {h5p_services.SUB_CONTENT: "abc"}},
        },
    )
    part_without_id = statement(score={"scaled": 1}, success=True, context=parent)
    whole = statement(verb=COMPLETED, score={"raw": 3, "max": 9, "scaled": 0.3333}, success=False)
    whole_passed = statement(verb=COMPLETED, score={"raw": 9, "max": 9, "scaled": 1}, success=True)
    return part, part_without_id, whole, whole_passed


def test_question_set_counts_its_own_result_not_its_questions(client, h5p_lesson):
    part, part_without_id, whole, whole_passed = question_set_statements()
    block = block_id(h5p_lesson)
    for sub in (part, part_without_id):
        assert post(client, h5p_lesson, sub).status_code == 200
    # H5P is extra practice (it never decides the lesson's completion), so what is checked
    # is the exercise's own record: the questions inside the set leave it untouched.
    progress = LessonProgress.objects.get()
    assert block not in progress.exercises
    assert XapiStatement.objects.count() == 2  # stored, not counted
    post(client, h5p_lesson, whole)
    progress = LessonProgress.objects.get()
    assert progress.exercises[block]["tries"] == 1 and not progress.exercise_passed(block)
    assert progress.exercises[block]["score"] == pytest.approx(0.3333)
    post(client, h5p_lesson, whole_passed)
    assert LessonProgress.objects.get().exercise_passed(block)


@pytest.mark.parametrize(
    ("verb", "result", "passes"),
    [
        # Multiple Choice, True/False, Drag the Words, Mark the Words, Fill in the Blanks:
        # "answered" with raw/max/scaled and success.
        (ANSWERED, {"score": {"min": 0, "max": 1, "raw": 1, "scaled": 1}, "success": True}, True),
        (ANSWERED, {"score": {"min": 0, "max": 3, "raw": 2, "scaled": 0.6667}}, False),
        (ANSWERED, {"score": {"min": 0, "max": 3, "raw": 3}, "completion": True}, True),
        # Single Choice Set's own result: "completed" with a score, success by pass mark.
        (COMPLETED, {"score": {"min": 0, "max": 2, "raw": 2, "scaled": 1}, "success": True}, True),
        (
            COMPLETED,
            {"score": {"min": 0, "max": 2, "raw": 1, "scaled": 0.5}, "success": False},
            False,
        ),
    ],
)
def test_real_question_types_results(client, h5p_lesson, verb, result, passes):
    data = statement(verb=verb)
    data["result"] = result
    assert post(client, h5p_lesson, data).json()["passed"] is passes


@pytest.mark.parametrize("lesson_id", [2**31, 2**63, -(2**63), 10**40])
def test_a_lesson_id_bigger_than_any_database_integer_is_a_400(client, h5p_lesson, lesson_id):
    body = {"les": lesson_id, "oefening": block_id(h5p_lesson), "statement": statement()}
    response = client.post(
        "/leren/h5p/statement/", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400 and not XapiStatement.objects.exists()
    answer = client.post(
        "/leren/antwoord/",
        {"les": str(lesson_id), "oefening": "x", "poging": str(uuid.uuid4()), "antwoord": "0"},
    )
    assert answer.status_code == 400
