"""Let curators and editors manage feeds and the country gazetteer."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    "view_feed",
    "add_feed",
    "change_feed",
    "view_feeditem",
    "view_fetchlog",
    "view_countryalias",
    "add_countryalias",
    "change_countryalias",
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="events", codename__in=PERMISSIONS
    )
    for group in Group.objects.filter(name__in=["Curators", "Editors"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="events", codename__in=PERMISSIONS
    )
    for group in Group.objects.filter(name__in=["Curators", "Editors"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("events", "0005_feeditem_candidate")]

    operations = [migrations.RunPython(grant, revoke)]
