"""Staff roles as Wagtail groups, with page permissions on the module tree.

Trainers write and edit modules but cannot publish; reviewers publish. Publishing goes
through Wagtail's moderation workflow, whose approval task is given to reviewers.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail import hooks
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

TRAINER = "Trainer"
REVIEWER = "Reviewer"
ADMINISTRATOR = "Administrator"
ROLE_PAGE_PERMISSIONS = {
    TRAINER: ["add_page", "change_page"],
    REVIEWER: ["add_page", "change_page", "publish_page"],
    # A Digibank coordinator: everything on the tree, without being a Django superuser.
    ADMINISTRATOR: [
        "add_page",
        "change_page",
        "publish_page",
        "delete_page",
        "lock_page",
        "unlock_page",
        "bulk_delete_page",
    ],
}
# Both roles upload and choose screenshots, videos, captions and audio for their lessons.
MEDIA_PERMISSIONS = [
    ("wagtailimages", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
]
# Snippets of this app per role. Trainers keep the glossary ("Woordenlijst") up to date;
# like pages, removing a term is for reviewers and administrators.
GLOSSARY_EDIT = ["add_glossaryterm", "change_glossaryterm", "view_glossaryterm"]
MODEL_PERMISSIONS = {
    TRAINER: [("courses", GLOSSARY_EDIT)],
    REVIEWER: [("courses", [*GLOSSARY_EDIT, "delete_glossaryterm"])],
    ADMINISTRATOR: [("courses", [*GLOSSARY_EDIT, "delete_glossaryterm"])],
}
WORKFLOW_NAME = "Nalezen en publiceren"
ROLES_HOOK = "extend_staff_roles"


@transaction.atomic
def roles_ensure(*, tree_root: Page) -> dict[str, Group]:
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    # Lessons translated with wagtail-localize live in a tree per language, each under a
    # translated copy of the home page: the same roles and the same review apply there.
    trees = [tree_root, *tree_root.get_translations()]
    # Made by a wagtail-localize data migration, so gone after a test database flush.
    localize_type, _created = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    submit_translation, _created = Permission.objects.get_or_create(
        content_type=localize_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    groups = {}
    for name, codenames in ROLE_PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(admin_access, submit_translation)
        for codename, tree in ((c, t) for c in codenames for t in trees):
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=tree,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        for app_label, media_codenames in MEDIA_PERMISSIONS:
            for codename in media_codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=Collection.get_first_root_node(),
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=codename
                    ),
                )
        for app_label, model_codenames in MODEL_PERMISSIONS.get(name, []):
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=model_codenames
                )
            )
        groups[name] = group

    task, _created = GroupApprovalTask.objects.get_or_create(name="Nalezen door een reviewer")
    task.groups.set([groups[REVIEWER]])
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    # Through the model, not workflow.workflow_tasks: that is a modelcluster relation whose
    # create() only adds to the in-memory cluster and never saves.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for tree in trees:
        WorkflowPage.objects.update_or_create(page=tree, defaults={"workflow": workflow})
    # Other apps add their own permissions to these roles (e.g. certificates: revoke)
    # without courses having to know them.
    for extend in hooks.get_hooks(ROLES_HOOK):
        extend(groups)
    return groups
