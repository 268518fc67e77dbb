"""The load test's view of the database, run under the stack's production settings.

    python scripts/loadtest/db.py plan                 # JSON: modules, lessons, steps, answers
    python scripts/loadtest/db.py check SENT.json      # JSON: the sent attempts vs Attempt rows
    python scripts/loadtest/db.py counts               # JSON: rows in the main tables (backups)
    python scripts/loadtest/db.py certificate          # JSON: a valid certificate (issued if none)

`plan` gives the simulated learners what a learner who read the lesson knows: the address of
every step and, per exercise, the form values of a right and of a wrong answer (the blocks'
own ``right_answer``/``wrong_answer``, as the tests use). `check` compares the attempt ids the
clients sent with ``learning.models.Attempt``: none lost, none doubled, none unexpected.
"""

import json
import os
import sys
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core import signing  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.utils.dateparse import parse_datetime  # noqa: E402

from certificates import services as certificate_services  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from courses.h5p.models import H5PPackage  # noqa: E402
from courses.models import LessonPage, ModulePage  # noqa: E402
from learning import middleware as learner_middleware  # noqa: E402
from learning import services as learning_services  # noqa: E402
from learning.models import Attempt, Learner  # noqa: E402


def plan() -> dict:
    modules = []
    for module in ModulePage.objects.learnable().order_by("path"):
        lessons = []
        for lesson in LessonPage.objects.child_of(module).learnable().order_by("path"):
            lesson = lesson.specific
            exercises = []
            for block_id, (step, bound) in lesson.required_exercises.items():
                entry = {"step": step, "block_id": block_id}
                if bound.block_type == "h5p":
                    # H5P runs in the browser; a learner without it skips (a plain form).
                    entry["kind"] = "skip"
                elif getattr(bound.block, "is_sandbox", False):
                    # A practice sandbox (the Oefenbank): its own screens, plain forms.
                    entry["kind"] = "sandbox"
                    entry["url"] = f"/leren/oefenapp/{lesson.pk}/{block_id}/"
                    entry["walk"] = bound.block.right_walk(bound.value)
                else:
                    entry["kind"] = "answer"
                    entry["right"] = bound.block.right_answer(bound.value)
                    entry["wrong"] = bound.block.wrong_answer(bound.value)
                exercises.append(entry)
            lessons.append(
                {
                    "id": lesson.pk,
                    "title": lesson.title,
                    "steps": [lesson.step_url(n) for n in range(1, lesson.step_count + 1)],
                    "finish": lesson.finish_url(),
                    "exercises": exercises,
                }
            )
        if lessons:
            modules.append({"id": module.pk, "title": module.title, "lessons": lessons})
    return {"modules": modules}


def check(sent_file: str) -> dict:
    sent = json.loads(Path(sent_file).read_text())
    attempts = sent["attempts"]
    since = parse_datetime(sent["started_at"])
    ids = {entry["attempt_id"] for entry in attempts}
    rows = Counter(
        str(value)
        for value in Attempt.objects.filter(attempt_id__in=list(ids)).values_list(
            "attempt_id", flat=True
        )
    )
    lost = [e["attempt_id"] for e in attempts if e["saved"] and rows[e["attempt_id"]] == 0]
    doubled = [attempt_id for attempt_id, count in rows.items() if count > 1]
    # Saved although the client never heard so (a time-out, a 5xx after the commit): not
    # lost, but worth knowing; the learner sees the answer counted on the next view.
    unconfirmed = [e["attempt_id"] for e in attempts if not e["saved"] and rows[e["attempt_id"]]]
    # Rows written during the run that no client sent: a duplicate under another id.
    during = Attempt.objects.filter(created_at__gte=since).values_list("attempt_id", flat=True)
    unexpected = [str(value) for value in during if str(value) not in ids]
    return {
        "sent": len(attempts),
        "sent_twice": sum(1 for e in attempts if e.get("double")),
        "confirmed": sum(1 for e in attempts if e["saved"]),
        "rows": sum(rows.values()),
        "lost": lost,
        "doubled": doubled,
        "unconfirmed_but_saved": unconfirmed,
        "unexpected": unexpected,
    }


# What a restore must bring back: the learners' work, the content, the accounts.
MAIN_TABLES = [
    "learning.Learner",
    "learning.LessonProgress",
    "learning.Attempt",
    "learning.LearningCard",
    "learning.XapiStatement",
    "certificates.Certificate",
    "wagtailcore.Page",
    "wagtailcore.Revision",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "courses.H5PPackage",
    "catalogue.Organisation",
    "catalogue.CatalogueEntry",
    "auth.User",
    "sessions.Session",
]


def counts() -> dict:
    return {label: apps.get_model(label).objects.count() for label in MAIN_TABLES}


def certificate() -> dict:
    """A valid certificate for the restore check; issued for a new learner if there is none
    (every exercise of the first module answered right, as the answer form sends it)."""
    # One whose learner has no account: the drills sign its learner cookie to download it.
    found = (
        Certificate.objects.filter(
            revoked_at__isnull=True, learner__isnull=False, learner__user__isnull=True
        )
        .order_by("pk")
        .first()
    )
    if found is None:
        module = ModulePage.objects.learnable().order_by("path").first()
        learner = Learner.objects.create()
        for lesson in LessonPage.objects.child_of(module).learnable():
            for block_id, (_step, bound) in lesson.specific.required_exercises.items():
                if bound.block_type == "h5p":  # as the load test does: skipped
                    learning_services.exercise_skip(
                        learner=learner, lesson=lesson.specific, block_id=block_id
                    )
                    continue
                form = QueryDict(mutable=True)
                form.setlist("antwoord", bound.block.right_answer(bound.value))
                learning_services.attempt_record(
                    learner=learner,
                    lesson=lesson.specific,
                    block_id=block_id,
                    answer=bound.block.parse_answer(bound.value, form),
                    attempt_id=uuid.uuid4(),
                )
        found = certificate_services.certificate_issue(
            learner=learner, module=module, name_printed="Leerder Hersteltest"
        )
    cookie = settings.LEARNER_COOKIE_NAME
    signer = signing.get_cookie_signer(salt=cookie + learner_middleware.COOKIE_SALT)
    package = H5PPackage.objects.order_by("pk").first()
    return {
        "code": found.display_code,
        "name": found.name_printed,
        "module": found.module_title,
        # What the learner's browser sends (as set_signed_cookie makes it).
        "cookie": f"{cookie}={signer.sign(str(found.learner.public_id))}",
        "pdf": f"/mijn/certificaten/{found.code}/certificaat.pdf",
        "h5p_file": f"/h5p/inhoud/{package.sha256}/h5p.json" if package else None,
    }


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "plan":
        print(json.dumps(plan()))
    elif command == "check" and len(sys.argv) == 3:
        print(json.dumps(check(sys.argv[2])))
    elif command == "counts":
        print(json.dumps(counts()))
    elif command == "certificate":
        print(json.dumps(certificate()))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
