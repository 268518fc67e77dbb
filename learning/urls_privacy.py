"""Addresses of "Mijn gegevens". No app_name: these are included in the learning namespace."""

from django.urls import path

from learning.views import privacy

urlpatterns = [
    path("mijn/gegevens/", privacy.my_data, name="privacy_data"),
    path("mijn/gegevens/download.json", privacy.my_data_download, name="privacy_download"),
    path("mijn/gegevens/verwijderen/", privacy.my_data_delete, name="privacy_delete"),
    path("mijn/gegevens/bewaren/", privacy.my_data_keep, name="privacy_keep"),
]
