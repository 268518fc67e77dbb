import factory
from django.contrib.auth import get_user_model

from learning.models import Digihelper, Learner


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"leerder{n}")
    password = factory.django.Password("goed-geheim-2026")

    class Meta:
        model = get_user_model()


class LearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learner


class DigihelperFactory(factory.django.DjangoModelFactory):
    """A helper account at a Digipunt (pass ``digipunt=``; catalogue's factory makes one)."""

    user = factory.SubFactory(UserFactory)

    class Meta:
        model = Digihelper
