"""Addresses of "Verder leren" and the site search.

No ``app_name``: these patterns are added to ``catalogue/urls.py`` and share its
``catalogue`` namespace (``catalogue:next_steps`` …).
"""

from django.urls import path

from catalogue import views_public

urlpatterns = [
    path("verder-leren/", views_public.next_steps_page, name="next_steps"),
    # Stable addresses: partner websites and calendar apps keep them.
    path("verder-leren/aanbod.jsonld", views_public.export_jsonld, name="next_steps_jsonld"),
    path("verder-leren/aanbod.csv", views_public.export_csv, name="next_steps_csv"),
    path("verder-leren/aanbod.ics", views_public.export_ics, name="next_steps_ics"),
    path("verder-leren/gemeente/", views_public.choose_municipality, name="choose_municipality"),
    path("zoeken/", views_public.search, name="search"),
]
