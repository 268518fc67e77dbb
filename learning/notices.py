"""Tell a learner, on the next page they open, that a digihelper made a new card for them.

A new card signs in as the learner and stops their old card, so the learner must hear of
it even if they never open "Wie keek mee?". The helper who made the card can sign in with
it too, and must not be able to hide the notice that way: it is cleared only on a browser
that already knew the learner before the card was made (its learner cookie is older).
Any other browser, such as the one that signed in with the new card, shows it once per
session and leaves it for the learner's own.
"""

from django.contrib import messages
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from learning.models import Learner, MandateAccessLog
from learning.services import mandates

SEEN_KEY = "helper_card_notice_seen"

# Pages where the notice is not queued: the admin, the helper's own workspace, and
# addresses that answer a script or a file rather than a page.
SKIPPED_PATHS = ("/admin/", "/helpers/", "/static/", "/media/", "/leren/", "/kiosk/")


def helper_card_notice(request, learner: Learner, *, own_browser: bool) -> None:
    """Queue the notice for ``learner`` if a helper made a card since they were last told.

    ``own_browser``: this browser's learner cookie is older than the first such card.
    """
    since = learner.helper_card_notice_at
    if since is None:
        return
    if not own_browser and request.session.get(SEEN_KEY) == since.isoformat():
        return
    made = MandateAccessLog.objects.filter(
        mandate__learner=learner, action=mandates.CARD_MADE, at__gte=since
    ).order_by("at")
    for look in made:
        messages.warning(
            request,
            _(
                "Een digihelper van %(digipunt)s maakte op %(date)s een nieuwe leerkaart voor "
                "jou. Je oude kaart werkt niet meer. Was jij dit niet? Ga dan naar 'Wie mag "
                "meekijken?' en stop de toestemming. Maak daarna zelf een nieuwe leerkaart."
            )
            % {
                "digipunt": look.digipunt_name,
                "date": formats.date_format(timezone.localtime(look.at), "j F Y"),
            },
        )
    # With an account the learner signed in with their password: the notice reached them.
    if own_browser or learner.user_id is not None:
        mandates.helper_card_notice_clear(learner=learner)
    else:
        request.session[SEEN_KEY] = since.isoformat()
