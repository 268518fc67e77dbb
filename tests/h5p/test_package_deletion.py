"""Deleting packages in the admin removes their files, one by one or in bulk.

Wagtail's bulk delete runs ``queryset.delete()``, which never calls ``H5PPackage.delete``:
the files must go with the rows anyway (a ``post_delete`` receiver), except those another
package with the same content hash still uses.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction

from courses.h5p import fixtures, services
from courses.h5p.models import H5PPackage

pytestmark = pytest.mark.django_db


def store(**kwargs):
    return services.package_store(file=io.BytesIO(fixtures.build_package(**kwargs)))


def files_of(package):
    return [
        f"h5p/{package.sha256}/h5p.json",
        f"h5p/{package.sha256}/{services.COMPLETE_MARKER}",
        f"h5p-pakketten/{package.sha256}.h5p",
    ]


def stored(package) -> bool:
    present = [default_storage.exists(name) for name in files_of(package)]
    assert len(set(present)) == 1, present  # all or nothing
    return present[0]


@pytest.fixture
def admin(client, site_tree):
    user = get_user_model().objects.create_superuser("beheer", password="geheim-genoeg")
    client.force_login(user)
    return client


def bulk_delete(client, packages):
    query = "&".join(f"id={package.pk}" for package in packages)
    return client.post(f"/admin/bulk/courses/h5ppackage/delete/?{query}")


def test_bulk_delete_removes_files_but_keeps_those_still_shared(
    admin, django_capture_on_commit_callbacks
):
    shared_one, shared_two = store(), store()
    other = store(title="Je PUK-code")
    assert shared_one.sha256 == shared_two.sha256 != other.sha256
    with django_capture_on_commit_callbacks(execute=True):
        response = bulk_delete(admin, [shared_one, other])
    assert response.status_code == 302
    assert list(H5PPackage.objects.all()) == [shared_two]
    assert not stored(other)
    assert stored(shared_two)  # the same content is still used by a package
    with django_capture_on_commit_callbacks(execute=True):
        bulk_delete(admin, [shared_two])
    assert not H5PPackage.objects.exists()
    assert not stored(shared_two)


def test_bulk_delete_of_every_package_sharing_a_hash_removes_the_files(
    admin, django_capture_on_commit_callbacks
):
    first, second = store(), store()
    with django_capture_on_commit_callbacks(execute=True):
        bulk_delete(admin, [first, second])
    assert not H5PPackage.objects.exists()
    assert not stored(first)


def test_single_delete_in_the_admin_removes_the_files(admin, django_capture_on_commit_callbacks):
    package = store()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/admin/snippets/courses/h5ppackage/delete/{package.pk}/")
    assert response.status_code == 302
    assert not H5PPackage.objects.exists()
    assert not stored(package)


def test_a_queryset_delete_outside_the_admin_removes_the_files(django_capture_on_commit_callbacks):
    package = store()
    with django_capture_on_commit_callbacks(execute=True):
        H5PPackage.objects.all().delete()
    assert not stored(package)


def test_files_stay_when_the_deletion_is_rolled_back(django_capture_on_commit_callbacks):
    package = store()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        H5PPackage.objects.filter(pk=package.pk).delete()
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert stored(package)
