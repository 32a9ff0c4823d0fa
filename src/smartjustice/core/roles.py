"""Keep the Role table equal to the roles the installed modules declare (core.modules; the files are the source of
truth)."""

from . import access


def sync_roles(*, stdout=None) -> int:
    from .models import Role

    access.role_definitions.cache_clear()
    count = 0
    for code, definition in access.role_definitions().items():
        Role.objects.update_or_create(
            code=code,
            defaults={
                "name": definition["name"],
                "description": definition.get("description", ""),
                "permissions": definition.get("permissions", []),
            },
        )
        count += 1
    if stdout:
        stdout.write(f"角色已同步：{count} 个")
    return count


def sync_roles_after_migrate(sender, using="default", **kwargs):
    from django.db import connections

    if "core_role" in connections[using].introspection.table_names():
        sync_roles()
