"""What a learner who read the lesson would answer, and a plausible mistake first.

The blocks know their own answers (``courses.blocks.ExerciseBlock``); these take the bound
block the tests hold.
"""


def right_answer(exercise):
    return exercise.block.right_answer(exercise.value)


def wrong_answer(exercise):
    return exercise.block.wrong_answer(exercise.value)


def post_answer(client, lesson, answer, *, block_id=None):
    """Answer an exercise of ``lesson`` the way the plain form does (a fresh attempt id)."""
    import uuid

    return client.post(
        "/leren/antwoord/",
        {
            "les": lesson.pk,
            "oefening": block_id or list(lesson.exercises)[0],
            "poging": str(uuid.uuid4()),
            "antwoord": answer,
        },
    )
