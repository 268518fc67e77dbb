from django.urls import path, re_path

from courses.h5p import views

app_name = "h5p"

urlpatterns = [
    path("h5p/speler/<int:package_id>/", views.player, name="player"),
    re_path(
        r"^h5p/inhoud/(?P<sha256>[0-9a-f]{64})/(?P<path>.{1,500})$",
        views.content,
        name="content",
    ),
]
