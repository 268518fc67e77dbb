"""The digihelper workspace: cards, help sessions, learners under mandate, kiosk mode."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses.listing import learnable_modules
from learning import selectors
from learning.forms import AssistedSessionForm, RouteForm
from learning.kiosk import KIOSK_COOKIE, KIOSK_SALT
from learning.models import Digihelper
from learning.services import cards, mandates
from learning.views.cards import card_issued_response

# The code of a card a helper just made, kept for one display (see _show_once).
HELPER_CARD_SESSION_KEY = "helper_new_card_code"


def helper_required(view):
    """Digihelpers only. Others get a 404: the workspace does not say it exists."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "learning:login")
        helper = (
            Digihelper.objects.select_related("digipunt__municipality", "user")
            .filter(user=request.user, user__is_active=True)
            .first()
        )
        if helper is None:
            raise Http404
        # The header links back to the workspace from every helper page.
        request.digihelper = helper
        return view(request, helper, *args, **kwargs)

    return wrapped


@helper_required
def workspace(request, helper):
    return render(
        request,
        "learning/helpers/workspace.html",
        {
            "helper": helper,
            "mandates": selectors.mandates_covering(helper),
            "kiosk": getattr(request, "kiosk", False),
        },
    )


@require_POST
@helper_required
def card_for_new_learner(request, helper):
    _card, code = cards.learning_card_for_new_learner(issued_by=request.user)
    return _show_once(request, code)


def _show_once(request, code):
    """Post/Redirect/Get: the code waits in the session for one display. Reloading the page
    that shows it must never make another card (a replacement would stop the card just
    printed; a card for someone new would make another empty learner)."""
    request.session[HELPER_CARD_SESSION_KEY] = code
    return redirect("learning:helper_card_shown")


@require_http_methods(["GET"])
@helper_required
def card_shown(request, helper):
    code = request.session.pop(HELPER_CARD_SESSION_KEY, None)
    if code is None:
        messages.info(
            request,
            _(
                "We tonen de code van een leerkaart maar één keer. "
                "Maak een nieuwe kaart als het nodig is."
            ),
        )
        return redirect("learning:helper_workspace")
    return card_issued_response(request, code)


@require_http_methods(["GET", "POST"])
@helper_required
def session_record(request, helper):
    covering = list(selectors.mandates_covering(helper))
    form = AssistedSessionForm(
        request.POST or None, mandates=covering, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        mandates.assisted_session_record(helper=helper, **form.cleaned_data)
        messages.success(request, _("Het hulpmoment is bewaard. Dank je wel!"))
        return redirect("learning:helper_workspace")
    return render(request, "learning/helpers/session_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@helper_required
def learner_detail(request, helper, mandate_id):
    mandate = selectors.mandate_for_helper(helper, mandate_id)
    if mandate is None:
        raise Http404
    form = RouteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mandates.route_suggest(mandate=mandate, helper=helper, module=form.cleaned_data["module"])
        messages.success(request, _("De volgende module staat klaar voor de leerder."))
        return redirect("learning:helper_learner", mandate_id=mandate.pk)
    mandates.mandate_look(mandate=mandate, helper=helper, action=mandates.LOOKED)
    summaries = selectors.module_summaries(mandate.learner, learnable_modules())
    return render(
        request,
        "learning/helpers/learner_detail.html",
        {
            "mandate": mandate,
            "started": [summary for summary in summaries if summary.started],
            # What the learner did in the practice sandboxes: kinds and counts, never input.
            "sandboxes": selectors.sandbox_summaries(mandate.learner),
            "form": form,
            # A card signs in as the learner: never offered for a password account.
            "card_possible": mandate.learner.user_id is None,
        },
    )


@require_POST
@helper_required
def replacement_card(request, helper, mandate_id):
    """A learner under mandate lost their card: a new one, and the old one stops working."""
    mandate = selectors.mandate_for_helper(helper, mandate_id)
    if mandate is None:
        raise Http404
    try:
        _card, code = mandates.replacement_card_issue(mandate=mandate, helper=helper)
    except mandates.LearnerHasAccount:
        messages.warning(
            request,
            _(
                "Deze leerder heeft een account met een wachtwoord. Dan kan jij geen nieuwe "
                "leerkaart maken. De leerder meldt zich aan met de gebruikersnaam en het "
                "wachtwoord, en maakt daarna zelf een nieuwe leerkaart."
            ),
        )
        return redirect("learning:helper_learner", mandate_id=mandate.pk)
    except mandates.MandateError:
        raise Http404 from None  # stopped or expired meanwhile: as if it never was
    return _show_once(request, code)


@require_http_methods(["GET", "POST"])
@helper_required
def kiosk_toggle(request, helper):
    """Switch this browser to kiosk mode (a shared computer) or back."""
    on = getattr(request, "kiosk", False)
    if request.method == "GET":
        return render(
            request,
            "learning/helpers/kiosk.html",
            {"kiosk": on, "minutes": settings.KIOSK_IDLE_SECONDS // 60},
        )
    response = redirect("learning:helper_workspace")
    if on:
        response.delete_cookie(KIOSK_COOKIE, samesite="Lax")
        messages.success(request, _("Kioskmodus staat uit op deze computer."))
    else:
        response.set_signed_cookie(
            KIOSK_COOKIE,
            str(helper.digipunt_id),
            salt=KIOSK_SALT,
            max_age=60 * 60 * 24 * 365,
            httponly=True,
            samesite="Lax",
            secure=settings.LEARNER_COOKIE_SECURE,
        )
        messages.success(
            request, _("Kioskmodus staat aan. Meld je nu af, zodat de leerder kan beginnen.")
        )
    return response
