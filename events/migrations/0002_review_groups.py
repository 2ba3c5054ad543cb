"""Create the Curators and Editors groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR_PERMISSIONS = [
    "view_event",
    "add_event",
    "change_event",
    "submit_event",
    "view_source",
    "add_source",
    "change_source",
    "delete_source",
    "view_platform",
    "add_platform",
    "change_platform",
    "view_authority",
    "add_authority",
    "change_authority",
    "view_statuschange",
]
EDITOR_PERMISSIONS = [
    *CURATOR_PERMISSIONS,
    "publish_event",
    "reject_event",
    "unpublish_event",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure the
    # ones this migration hands out exist already.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (
        ("Curators", CURATOR_PERMISSIONS),
        ("Editors", EDITOR_PERMISSIONS),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="events", codename__in=codenames
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Curators", "Editors"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
