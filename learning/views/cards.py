"""Learning cards: make one, print it, log in with it (typed or scanned)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from learning import services
from learning.forms import CardLoginForm
from learning.middleware import get_learner, set_learner
from learning.models import Digihelper
from learning.services import cards
from toolkit import codes
from toolkit.pdf import qr_image, render_pdf
from toolkit.ratelimit import failure_record, failures_blocked


def card_login_url(code: str | None = None) -> str:
    """The address on the QR code: the code travels after '#', so it never reaches a server
    log, a proxy or a Referer header; a small script hands it to the login form."""
    base = f"{settings.SITE_BASE_URL}/leerkaart/"
    return f"{base}#{code}" if code else base


@never_cache
@require_http_methods(["GET", "POST"])
def card_login(request):
    form = CardLoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["code"]
        prefix = codes.prefix(typed)
        if failures_blocked(request, "card", prefix):
            form.add_error(None, _("Je probeerde veel codes na elkaar. Wacht een minuut."))
            status = 429
        else:
            code = cards.code_normalise(typed)
            card = cards.learning_card_find(code=code) if code else None
            if card is None:
                failure_record(request, "card", prefix)
                form.add_error(
                    "code", _("Deze code kennen we niet. Kijk de code op je kaart nog eens na.")
                )
            elif not cards.learning_card_may_sign_in(card=card):
                form.add_error(
                    "code",
                    _(
                        "Deze kaart werkt niet voor een account. Meld je aan met je "
                        "gebruikersnaam en je wachtwoord."
                    ),
                )
            else:
                return _log_in_with(request, card)
    # The code is never in this page's address (it travels after '#' and the script removes
    # it), so the site-wide "same-origin" Referrer-Policy is enough; "no-referrer" would
    # make browsers send "Origin: null" with the form and fail the CSRF check.
    return render(request, "learning/card_login.html", {"form": form}, status=status)


def _log_in_with(request, card):
    here = get_learner(request)
    learner = cards.learning_card_use(card=card)
    if request.user.is_authenticated and request.user != learner.user:
        logout(request)
        here = None
    if learner.user is not None:
        learner = services.learner_claim(user=learner.user, anonymous=here)
        login(request, learner.user)  # rotates the session
        set_learner(request, learner, remember=False)
    else:
        if here is not None and here.pk != learner.pk and here.user_id is None:
            learner = services.learner_merge(source=here, target=learner)
        request.session.cycle_key()
        set_learner(request, learner, remember=True)
    messages.success(request, _("Welkom terug! Je kan verder waar je was."))
    return redirect("learning:my_learning")


# The new code waits here between the POST that makes the card and the one GET that shows it.
NEW_CARD_SESSION_KEY = "learning_card_to_show"


@require_http_methods(["GET", "POST"])
def card_make(request):
    """ "Bewaar je voortgang": a learner makes their own card.

    Post/Redirect/Get: the POST makes the card and redirects here; the GET shows the code once
    and forgets it. Reloading the page that shows the code must never make another card,
    because a new card stops the one the learner just printed.
    """
    learner = get_learner(request)
    if request.method == "POST" and learner is not None:
        _card, code = cards.learning_card_issue(learner=learner)
        request.session[NEW_CARD_SESSION_KEY] = code
        return redirect("learning:card_make")
    code = request.session.pop(NEW_CARD_SESSION_KEY, None)
    if code and learner is not None and cards.learning_card_matches(learner=learner, code=code):
        return card_issued_response(request, code)
    return render(
        request,
        "learning/card_make.html",
        {
            "learner_exists": learner is not None,
            "has_card": learner is not None
            and learner.cards.filter(revoked_at__isnull=True).exists(),
        },
    )


def card_issued_response(request, code):
    """The one page that shows a new card's code, with the button to print it."""
    response = render(
        request,
        "learning/card_issued.html",
        {"code": code, "display_code": codes.display(code)},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def card_print(request):
    """The card as a PDF: for its own learner, or for the helper who just made it."""
    code = cards.code_normalise(request.POST.get("code", ""))
    card = cards.learning_card_find(code=code) if code else None
    if card is None:
        raise Http404
    own = get_learner(request) is not None and get_learner(request).pk == card.learner_id
    made_here = (
        request.user.is_authenticated
        and card.issued_by_id == request.user.pk
        and Digihelper.objects.filter(user=request.user).exists()
    )
    if not (own or made_here):
        raise Http404
    content = render_pdf(
        "learning/card_pdf.html",
        {
            "display_code": codes.display(code),
            "qr_image": qr_image(
                card_login_url(code), _("QR-code: scan hem om je aan te melden met je leerkaart.")
            ),
            "login_url": card_login_url(),
        },
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="leerkaart.pdf"'
    response["Cache-Control"] = "no-store"
    return response
