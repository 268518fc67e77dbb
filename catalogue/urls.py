from django.urls import path

from catalogue import urls_public, views

app_name = "catalogue"

urlpatterns = [
    path("hulp/", views.help_nearby, name="help"),
    # Before the municipality pattern, although a slug can never contain the dot.
    path("hulp/bezoeken.ics", views.visits_feed, name="visits_feed"),
    path("hulp/<slug:slug>/", views.help_nearby, name="help_municipality"),
]

# /verder-leren/ (partner catalogue, exports, municipality choice) and /zoeken/.
urlpatterns += urls_public.urlpatterns
