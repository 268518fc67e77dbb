"""The learner decides who may look along: grant, see, stop; and "Wie keek mee?"."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learning import selectors
from learning.forms import MandateGrantForm
from learning.middleware import get_learner
from learning.models import HelperMandate
from learning.services import mandates


@require_http_methods(["GET", "POST"])
def my_mandates(request):
    learner = get_learner(request)
    form = MandateGrantForm(request.POST or None)
    if request.method == "POST" and learner is not None and form.is_valid():
        data = form.cleaned_data
        mandates.mandate_grant(
            learner=learner,
            digipunt=data["digipunt"] if data["who"] == form.WHO_DIGIPUNT else None,
            helper=data.get("helper") if data["who"] == form.WHO_HELPER else None,
            months=data["months"],
            label=data["label"],
        )
        messages.success(request, _("Je toestemming is bewaard. Je kan ze altijd stoppen."))
        return redirect("learning:my_mandates")
    return render(
        request,
        "learning/my_mandates.html",
        {
            "learner_exists": learner is not None,
            "mandates": selectors.learner_mandates(learner),
            "looks": selectors.learner_looks(learner),
            "form": form,
        },
    )


@require_POST
def mandate_stop(request, mandate_id):
    learner = get_learner(request)
    mandate = HelperMandate.objects.filter(pk=mandate_id, learner=learner).first()
    if learner is None or mandate is None:
        raise Http404
    mandates.mandate_revoke(mandate=mandate, learner=learner)
    messages.success(request, _("Gestopt. Die helper kan niet meer meekijken."))
    return redirect("learning:my_mandates")
