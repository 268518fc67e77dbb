from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("mijn/certificaten/", views.my_certificates, name="mine"),
    path(
        "mijn/certificaten/module/<int:module_id>/",
        views.certificate_for_module,
        name="for_module",
    ),
    path("mijn/certificaten/vaardigheden.pdf", views.skills_overview, name="skills_overview"),
    path("mijn/certificaten/<str:code>/certificaat.pdf", views.certificate_pdf, name="pdf"),
    path("mijn/certificaten/<str:code>/naam/", views.certificate_rename, name="rename"),
    path("mijn/certificaten/<str:code>/open-badge.jwt", views.certificate_badge, name="badge"),
    path("certificaten/controle/", views.verify_form, name="verify_form"),
    path("certificaten/controle/<str:code>/", views.verify, name="verify"),
    path("certificaten/uitgever/", views.issuer_profile, name="issuer"),
    path("certificaten/uitgever/sleutels.json", views.issuer_keys, name="issuer_keys"),
    path("certificaten/uitgever/ingetrokken.json", views.revocation_list, name="revocations"),
    path("certificaten/prestaties/<str:key>/", views.achievement, name="achievement"),
]
