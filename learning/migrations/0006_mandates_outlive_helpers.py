"""Mandates and their access log outlive the helper and the Digipunt they name.

Until now deleting a Digipunt or a helper deleted the learners' mandates and the record of
every look (CASCADE). The links become SET_NULL, and each row keeps the helper's user name
and the Digipunt's name as they were, so "Wie keek mee?" still says who looked. Existing
rows get their names copied here. Also: ``Learner.helper_card_notice_at``, set when a
digihelper makes a new learning card for the learner, until the learner is told.
"""

import django.db.models.deletion
from django.db import migrations, models


def names_copy(apps, schema_editor):
    """Fill the new name columns of existing rows from the helper and Digipunt they link."""
    HelperMandate = apps.get_model("learning", "HelperMandate")
    MandateAccessLog = apps.get_model("learning", "MandateAccessLog")
    Digihelper = apps.get_model("learning", "Digihelper")
    helpers = {
        helper.pk: (helper.user.username, helper.digipunt.name)
        for helper in Digihelper.objects.select_related("user", "digipunt")
    }
    mandates = HelperMandate.objects.select_related("digipunt")
    for mandate in mandates.iterator():
        if mandate.helper_id is not None:
            mandate.helper_name, mandate.digipunt_name = helpers[mandate.helper_id]
        else:
            mandate.digipunt_name = mandate.digipunt.name
        mandate.save(update_fields=["helper_name", "digipunt_name"])
    for look in MandateAccessLog.objects.iterator():
        look.helper_name, look.digipunt_name = helpers[look.helper_id]
        look.save(update_fields=["helper_name", "digipunt_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_importrun_rows_and_changes"),
        ("learning", "0005_xapi_statements"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="helpermandate",
            name="mandate_for_digipunt_or_helper",
        ),
        migrations.AddField(
            model_name="helpermandate",
            name="digipunt_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="helpermandate",
            name="helper_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="learner",
            name="helper_card_notice_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="mandateaccesslog",
            name="digipunt_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="mandateaccesslog",
            name="helper_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name="helpermandate",
            name="digipunt",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="catalogue.digipunt",
            ),
        ),
        migrations.AlterField(
            model_name="helpermandate",
            name="helper",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="mandates",
                to="learning.digihelper",
            ),
        ),
        migrations.AlterField(
            model_name="mandateaccesslog",
            name="helper",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="learning.digihelper",
            ),
        ),
        migrations.AddConstraint(
            model_name="helpermandate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("digipunt__isnull", False), ("helper__isnull", False), _negated=True
                ),
                name="mandate_not_for_digipunt_and_helper",
            ),
        ),
        migrations.RunPython(names_copy, migrations.RunPython.noop),
    ]
