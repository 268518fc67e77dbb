"""What a learner who read the lesson would answer, and a plausible mistake first."""


def right_answer(exercise):
    value = exercise.value
    if exercise.block_type in ("single_choice", "multiple_choice"):
        return [str(i) for i, option in enumerate(value["options"]) if option["correct"]]
    if exercise.block_type == "true_false":
        return ["waar" if value["is_true"] else "niet-waar"]
    return [str(i) for i in range(len(value["items"]))]


def wrong_answer(exercise):
    value = exercise.value
    if exercise.block_type == "true_false":
        return ["niet-waar" if value["is_true"] else "waar"]
    if exercise.block_type == "ordering":
        return [str(i) for i in reversed(range(len(value["items"])))]
    return [str(next(i for i, option in enumerate(value["options"]) if not option["correct"]))]


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
