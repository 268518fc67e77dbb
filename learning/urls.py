from django.urls import path

from learning import urls_privacy
from learning.views import cards, display, h5p, helpers, kiosk, mandates, pairing, sandboxes
from learning.views import progress as views

app_name = "learning"

urlpatterns = [
    path("leren/antwoord/", views.answer_submit, name="answer"),
    path("leren/overslaan/", views.exercise_skip, name="exercise_skip"),
    path("leren/h5p/statement/", h5p.statement_submit, name="h5p_statement"),
    path("leren/h5p/stand/", h5p.state_submit, name="h5p_state"),
    path(
        "leren/oefenapp/<int:lesson_id>/<str:block_id>/",
        sandboxes.sandbox_screen,
        name="sandbox",
    ),
    path(
        "leren/oefenapp/<int:lesson_id>/<str:block_id>/attest.pdf",
        sandboxes.sandbox_download,
        name="sandbox_download",
    ),
    path(
        # Polled by the computer while a QR code is shown: passive for kiosk mode.
        "leren/oefenapp-stand/<int:lesson_id>/<str:block_id>/",
        sandboxes.sandbox_status,
        name="sandbox_status",
    ),
    # The page behind a sandbox's QR code, on the learner's own smartphone.
    path("oefen-itsme/<str:token>/", pairing.phone_confirm, name="phone_confirm"),
    path("mijn/", views.my_learning, name="my_learning"),
    path("mijn/account-maken/", views.account_create, name="account_create"),
    path("mijn/aanmelden/", views.login_view, name="login"),
    path("mijn/afmelden/", views.logout_view, name="logout"),
    path("mijn/vergeet-dit-toestel/", views.forget_device, name="forget_device"),
    path("mijn/leerkaart/", cards.card_make, name="card_make"),
    path("leerkaart/", cards.card_login, name="card_login"),
    path("leerkaart/afdrukken/", cards.card_print, name="card_print"),
    path("mijn/meekijken/", mandates.my_mandates, name="my_mandates"),
    path("mijn/meekijken/<int:mandate_id>/stoppen/", mandates.mandate_stop, name="mandate_stop"),
    path("helpers/", helpers.workspace, name="helper_workspace"),
    path("helpers/leerkaart/", helpers.card_for_new_learner, name="helper_card"),
    path("helpers/leerkaart/klaar/", helpers.card_shown, name="helper_card_shown"),
    path("helpers/hulpmoment/", helpers.session_record, name="helper_session"),
    path("helpers/leerders/<int:mandate_id>/", helpers.learner_detail, name="helper_learner"),
    path(
        "helpers/leerders/<int:mandate_id>/leerkaart/",
        helpers.replacement_card,
        name="helper_replacement_card",
    ),
    path("helpers/kioskmodus/", helpers.kiosk_toggle, name="helper_kiosk"),
    path("weergave/", display.display_settings, name="display"),
    path("taal/", display.language_settings, name="language"),
    path("toegankelijkheid/", display.accessibility_statement, name="accessibility"),
    path("kiosk/afmelden/", kiosk.kiosk_logout, name="kiosk_logout"),
    path("kiosk/inactief/", kiosk.kiosk_idle, name="kiosk_idle"),
    path("kiosk/klaar/", kiosk.kiosk_done, name="kiosk_done"),
    path("kiosk/ik-ben-er-nog/", kiosk.kiosk_still_here, name="kiosk_still_here"),
]

urlpatterns += urls_privacy.urlpatterns
