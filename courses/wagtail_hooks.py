from django.contrib.auth.models import Permission
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from courses.h5p.admin import H5PPackageViewSet
from courses.roles import ADMINISTRATOR, REVIEWER, ROLES_HOOK, TRAINER

register_snippet(H5PPackageViewSet)


@hooks.register(ROLES_HOOK)
def staff_upload_h5p_packages(groups):
    """Trainers and reviewers upload H5P packages and choose them in lesson steps."""
    permissions = Permission.objects.filter(
        content_type__app_label="courses",
        codename__in=[f"{action}_h5ppackage" for action in ("add", "change", "delete", "view")],
    )
    for name in (ADMINISTRATOR, TRAINER, REVIEWER):
        groups[name].permissions.add(*permissions)
