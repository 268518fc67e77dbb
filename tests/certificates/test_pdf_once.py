"""Ten first downloads of one certificate at the same moment store its PDF once."""

import threading

import pytest
from django.core.files.storage import storages
from django.db import connection
from django.test import Client

from certificates import services
from courses.factories import LessonPageFactory, ModulePageFactory
from learning.factories import LearnerFactory, UserFactory
from tests.certificates.conftest import complete

DOWNLOADS = 10


def stored_files(code: str) -> list[str]:
    _dirs, files = storages["certificates"].listdir("")
    return [name for name in files if name.startswith(f"{code}-")]


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_downloads_store_one_pdf(site_tree):
    module = ModulePageFactory(parent=site_tree[1])
    LessonPageFactory(parent=module)
    user = UserFactory()
    learner = LearnerFactory(user=user)
    complete(learner, module)
    certificate = services.certificate_issue(learner=learner, module=module, name_printed="Jan")
    url = f"/mijn/certificaten/{certificate.code}/certificaat.pdf"
    clients = []
    for _ in range(DOWNLOADS):
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(DOWNLOADS)
    bodies, errors = [], []

    def download(client):
        try:
            barrier.wait()
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            bodies.append(response.content)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=download, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(bodies) == DOWNLOADS
    assert len(set(bodies)) == 1  # every learner got the same, stored file
    assert len(stored_files(certificate.code)) == 1
