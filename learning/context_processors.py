from learning.middleware import get_learner


def learner(request):
    """Lazily expose the learner to templates; nothing is queried unless a template asks."""
    return {"learner": lambda: get_learner(request)}
