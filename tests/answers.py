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


def sandbox_forms(html):
    """{action: {"stap_id", "actie", "scherm"}} of the forms on a sandbox page."""
    import re

    found = {}
    for form in re.findall(r"<form[^>]*>(.*?)</form>", html, re.S):
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
        if "actie" in fields:
            found[fields["actie"]] = {key: fields[key] for key in ("stap_id", "actie", "scherm")}
    return found


# One mistake per sandbox scenario, for a learner who does not pass (the learner life).
SANDBOX_MISTAKES = {
    "oefenbank-overschrijving": [("login", {"code": "0000"})],
    "oefenprofiel-attest": [("aanmelden", {}), ("sleutel", {"sleutel": "eid"})],
    "oefen-inbox": [
        ("open", {"bericht": "itsme-geblokkeerd"}),
        ("judge", {"bericht": "itsme-geblokkeerd", "oordeel": "echt", "doe": "link"}),
    ],
}


def walk_sandbox(client, lesson, block_id, *, finish=True):
    """Work through a sandbox step with its plain forms, as a learner without JavaScript:
    open it, start over, then walk it the right way (the scenario's ``right_walk``:
    ``finish``) or make one mistake (``SANDBOX_MISTAKES``). Returns the last response (a
    redirect back to the sandbox)."""
    address = f"/leren/oefenapp/{lesson.pk}/{block_id}/"
    _step, sandbox = lesson.exercises[block_id]

    def send(action, values):
        forms = sandbox_forms(client.get(address).content.decode())
        return client.post(address, {**forms[action], **values})

    forms = sandbox_forms(client.get(address).content.decode())
    if "start" in forms:
        send("start", {})
    elif "reset" in forms:
        send("reset", {})
    if finish:
        walk = sandbox.block.right_walk(sandbox.value)
    else:
        walk = SANDBOX_MISTAKES[sandbox.value["scenario"]]
    for action, values in walk:
        response = send(action, values)
    return response
