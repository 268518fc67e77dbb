"""Thin views for "Mijn gegevens": see, download and delete what we keep about you."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning.middleware import get_learner, set_learner
from learning.services import privacy


class DeleteConfirmForm(forms.Form):
    """One tick box: deleting cannot be undone, so a stray click must not do it."""

    understood = forms.BooleanField(
        label=gettext_lazy("Ik begrijp het"),
        error_messages={
            "required": gettext_lazy(
                "Zet eerst een vinkje bij 'Ik begrijp het'. Zo weten we zeker dat je dit wilt."
            )
        },
    )


def _nothing_stored(request):
    return render(request, "learning/privacy/nothing_stored.html")


@never_cache
@require_GET
def my_data(request):
    learner = get_learner(request)
    if learner is None:
        return _nothing_stored(request)
    return render(
        request,
        "learning/privacy/my_data.html",
        {"learner": learner, "counts": privacy.learner_data_counts(learner=learner)},
    )


@require_GET
def my_data_download(request):
    learner = get_learner(request)
    if learner is None:
        raise Http404
    data = privacy.learner_export(learner=learner)
    # ensure_ascii=False: the Dutch explanations stay readable when the file is opened.
    content = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(content.encode(), content_type="application/json; charset=utf-8")
    filename = f"mijn-gegevens-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data: no browser or proxy may keep a copy (a shared computer, for one).
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def my_data_delete(request):
    learner = get_learner(request)
    if learner is None:
        return _nothing_stored(request)
    # Not "request.POST or None": a POST without the tick box is empty, and must show the error.
    form = DeleteConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        privacy.learner_delete(learner=learner, by_learner=True)
        logout(request)
        set_learner(request, None, remember=False)
        messages.success(request, _("Je gegevens zijn verwijderd."))
        return redirect("/")
    return render(
        request,
        "learning/privacy/delete.html",
        {"form": form, "counts": privacy.learner_data_counts(learner=learner)},
    )


@require_POST
def my_data_keep(request):
    """The answer to the retention warning: "I still use this, keep my data"."""
    learner = get_learner(request)
    if learner is not None:
        privacy.learner_activity_record(learner=learner)
        messages.success(request, _("Fijn! We bewaren je gegevens."))
    return redirect("learning:my_learning")
