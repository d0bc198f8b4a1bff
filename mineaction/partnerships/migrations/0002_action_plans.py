"""Loads the Convention's action plans into the catalogue (see `action_plan_data`).

Written by hand. Going back removes the plans it loaded, with their sections, actions and the
State's assessments of them.
"""

from django.db import migrations

from mineaction.partnerships import action_plan_data


def load_action_plans(apps, schema_editor):
    action_plan_data.load(action_plan_data.PLANS, apps)


def remove_action_plans(apps, schema_editor):
    ActionPlan = apps.get_model("partnerships", "ActionPlan")  # noqa: N806 (a model class)
    codes = [plan["code"] for plan in action_plan_data.PLANS]
    ActionPlan.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_action_plans, remove_action_plans),
    ]
