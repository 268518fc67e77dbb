"""Migrations that change learners' data: run them on rows made by the previous schema."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from catalogue.factories import DigipuntFactory
from learning.factories import DigihelperFactory
from learning.models import HelperMandate, MandateAccessLog

BEFORE_NAMES = [("learning", "0005_xapi_statements")]


@pytest.mark.django_db(transaction=True)
def test_mandates_outlive_helpers_copies_the_names_of_existing_rows():
    """Rows written before the names were copied get them, so deleting keeps the history."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE_NAMES)
        old = MigrationExecutor(connection).loader.project_state(BEFORE_NAMES).apps
        # Digipunten and helpers have the same columns in both schemas.
        bib = DigipuntFactory(name="Bibliotheek Ieper")
        helper = DigihelperFactory(digipunt=bib, user__username="an.helper")
        learner = old.get_model("learning", "Learner").objects.create()
        mandates = old.get_model("learning", "HelperMandate").objects
        later = timezone.now() + timedelta(days=30)
        to_helper = mandates.create(learner=learner, helper_id=helper.pk, expires_at=later)
        to_bib = mandates.create(learner=learner, digipunt_id=bib.pk, expires_at=later)
        old.get_model("learning", "MandateAccessLog").objects.create(
            mandate=to_bib, helper_id=helper.pk, action="bekeek de voortgang"
        )
    finally:
        MigrationExecutor(connection).migrate(latest)

    helper.user.delete()
    bib.delete()
    assert HelperMandate.objects.get(pk=to_helper.pk).helper_name == "an.helper"
    assert HelperMandate.objects.get(pk=to_helper.pk).digipunt_name == "Bibliotheek Ieper"
    assert HelperMandate.objects.get(pk=to_bib.pk).digipunt_name == "Bibliotheek Ieper"
    look = MandateAccessLog.objects.get()
    assert (look.helper_name, look.digipunt_name) == ("an.helper", "Bibliotheek Ieper")
