from django.urls import path

from learning.views import cards
from learning.views import progress as views

app_name = "learning"

urlpatterns = [
    path("leren/antwoord/", views.answer_submit, name="answer"),
    path("mijn/", views.my_learning, name="my_learning"),
    path("mijn/account-maken/", views.account_create, name="account_create"),
    path("mijn/aanmelden/", views.login_view, name="login"),
    path("mijn/afmelden/", views.logout_view, name="logout"),
    path("mijn/vergeet-dit-toestel/", views.forget_device, name="forget_device"),
    path("mijn/leerkaart/", cards.card_make, name="card_make"),
    path("leerkaart/", cards.card_login, name="card_login"),
    path("leerkaart/afdrukken/", cards.card_print, name="card_print"),
]
