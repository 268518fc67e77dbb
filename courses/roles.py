"""Staff roles as Wagtail groups, with page permissions on the module tree.

Trainers write and edit modules but cannot publish; reviewers publish. Publishing goes
through Wagtail's moderation workflow, whose approval task is given to reviewers.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage

TRAINER = "Trainer"
REVIEWER = "Reviewer"
ROLE_PAGE_PERMISSIONS = {
    TRAINER: ["add_page", "change_page"],
    REVIEWER: ["add_page", "change_page", "publish_page"],
}
WORKFLOW_NAME = "Nalezen en publiceren"


@transaction.atomic
def roles_ensure(*, tree_root: Page) -> dict[str, Group]:
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for name, codenames in ROLE_PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(admin_access)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=tree_root,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        groups[name] = group

    task, _created = GroupApprovalTask.objects.get_or_create(name="Nalezen door een reviewer")
    task.groups.set([groups[REVIEWER]])
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.workflow_tasks.exists():
        workflow.workflow_tasks.create(task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=tree_root, defaults={"workflow": workflow})
    return groups
