"""The database connection is kept between requests, as gunicorn's workers serve them.

Opening SQLite and setting its journal mode for every request took about a third of a lesson
step's time under load (docs/benchmarks.md, "Keeping the database connection"). Django's
test client never closes connections, so these requests go through the WSGI handler itself,
with the request_started and request_finished signals that close old connections.
"""

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.db.backends.signals import connection_created

# Not inside a test transaction: Django closes a connection left in a transaction it did
# not open, which would hide what this test is about.
pytestmark = pytest.mark.django_db(transaction=True)


def wsgi_get(application, path: str) -> str:
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO()}
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "testserver"
    statuses = []
    body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        b"".join(body)
    finally:
        body.close()  # request_finished: where Django closes connections past their age
    return statuses[0]


def test_requests_reuse_the_open_connection(lesson):
    application = get_wsgi_application()
    connection.ensure_connection()
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection.alias)

    connection_created.connect(count)
    try:
        statuses = [wsgi_get(application, path) for path in ("/", lesson.url, lesson.url)]
    finally:
        connection_created.disconnect(count)
    assert statuses == ["200 OK"] * 3
    assert opened == []
    assert connection.connection is not None
