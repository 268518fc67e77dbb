"""Storing packages once per hash, serving their files, the admin upload and h5p_check."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from courses.h5p import fixtures, services
from courses.h5p.models import H5PPackage

pytestmark = pytest.mark.django_db


def store(data=None):
    return services.package_store(file=io.BytesIO(data or fixtures.build_package()))


def test_the_same_package_twice_is_stored_once_and_deleting_one_is_safe(
    django_capture_on_commit_callbacks,
):
    first, second = store(), store()
    assert first.sha256 == second.sha256
    assert H5PPackage.objects.count() == 2
    folder = f"h5p/{first.sha256}"
    assert default_storage.exists(f"{folder}/h5p.json")
    assert default_storage.exists(f"{folder}/{services.COMPLETE_MARKER}")
    assert services.is_unpacked(first.sha256)
    with django_capture_on_commit_callbacks(execute=True):
        services.package_delete(package=first)
    assert default_storage.exists(f"{folder}/h5p.json")  # the second still uses it
    with django_capture_on_commit_callbacks(execute=True):
        services.package_delete(package=second)
    assert not default_storage.exists(f"{folder}/h5p.json")
    assert not default_storage.exists(f"h5p-pakketten/{first.sha256}.h5p")


def test_unpack_on_local_disk_is_moved_into_place(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    package = store()
    folder = tmp_path / "h5p" / package.sha256
    assert (folder / "content" / "content.json").is_file()
    assert (folder / services.COMPLETE_MARKER).is_file()
    # No staging folder is left next to it.
    assert [p.name for p in (tmp_path / "h5p").iterdir()] == [package.sha256]


def test_content_files_are_served_with_cors_and_a_sandbox(client):
    package = store()
    response = client.get(f"/h5p/inhoud/{package.sha256}/h5p.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Content-Type"] == "application/json"
    js = client.get(f"/h5p/inhoud/{package.sha256}/H5P.DigibankVraag-1.1/digibank-vraag.js")
    assert js["Content-Type"] == "text/javascript"
    for path in (".digibank-compleet", "../h5p.json", "content/../../x", "geen.json"):
        assert client.get(f"/h5p/inhoud/{package.sha256}/{path}").status_code == 404
    assert client.get(f"/h5p/inhoud/{'0' * 64}/h5p.json").status_code == 404


def test_content_files_answer_the_cors_pre_check(client):
    # Audio and video from the sandbox (origin "null") ask first, with a Range header.
    package = store()
    response = client.options(
        f"/h5p/inhoud/{package.sha256}/h5p.json",
        HTTP_ORIGIN="null",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="range",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "Range" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    assert client.options(f"/h5p/inhoud/{package.sha256}/geen.json").status_code == 404
    assert client.post(f"/h5p/inhoud/{package.sha256}/h5p.json").status_code in (403, 405)
    # No other path answers a pre-check with CORS.
    for path in ("/", "/leren/h5p/stand/", f"/h5p/speler/{package.pk}/"):
        assert "Access-Control-Allow-Origin" not in client.options(path, HTTP_ORIGIN="null")


def test_player_has_its_own_policy_and_no_learner_endpoints_get_cors(client):
    package = store()
    response = client.get(f"/h5p/speler/{package.pk}/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    # 'unsafe-eval' only in the sandboxed player document: its templates need it.
    script_src = next(part for part in policy.split("; ") if part.startswith("script-src"))
    assert "'unsafe-eval'" in script_src and "'unsafe-inline'" not in script_src
    assert f"base-uri http://testserver/h5p/speler/{package.pk}/" in policy
    assert "unsafe-eval" not in client.get("/")["Content-Security-Policy"]
    assert f"connect-src http://testserver/h5p/inhoud/{package.sha256}/" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "csrfmiddlewaretoken" not in response.content.decode()
    learner = client.post("/leren/h5p/stand/", data="{}", content_type="application/json")
    assert "Access-Control-Allow-Origin" not in learner


def admin_client(client):
    user = get_user_model().objects.create_superuser("beheer", password="geheim-genoeg")
    client.force_login(user)
    return client, user


def test_admin_upload_shows_the_summary(client, site_tree):
    client, user = admin_client(client)
    upload = SimpleUploadedFile("pincode.h5p", fixtures.build_package())
    response = client.post("/admin/snippets/courses/h5ppackage/add/", {"file": upload})
    package = H5PPackage.objects.get()
    assert package.uploaded_by == user
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Pincode geheim houden" in page
    assert "H5P.DigibankVraag 1.1" in page
    assert "1.1.0" in page
    assert "speelt, telt mee voor de les, gaat verder na herladen" in page


def test_admin_upload_refuses_with_every_message(client, site_tree):
    client, _user = admin_client(client)
    upload = SimpleUploadedFile("kapot.h5p", fixtures.bad_missing_dependency())
    response = client.post("/admin/snippets/courses/h5ppackage/add/", {"file": upload})
    assert response.status_code == 200
    assert "H5P.JoubelUI 1.3" in response.content.decode()
    assert not H5PPackage.objects.exists()


def test_admin_upload_of_unchecked_type_warns(client, site_tree, settings, tmp_path):
    settings.H5P_MEASURED_FILE = tmp_path / "leeg.json"
    client, _user = admin_client(client)
    upload = SimpleUploadedFile("pincode.h5p", fixtures.build_package())
    response = client.post("/admin/snippets/courses/h5ppackage/add/", {"file": upload}, follow=True)
    assert "nog niet getest hebben: H5P.DigibankVraag" in response.content.decode()


def test_h5p_check_command(tmp_path, capsys):
    good = tmp_path / "goed.h5p"
    good.write_bytes(fixtures.build_package())
    bad = tmp_path / "slecht.h5p"
    bad.write_bytes(fixtures.bad_php())
    call_command("h5p_check", str(good))
    assert "In orde: Pincode geheim houden" in capsys.readouterr().out
    with pytest.raises(CommandError) as error:
        call_command("h5p_check", str(good), str(bad))
    assert error.value.returncode == 1
    assert "content/shell.php" in capsys.readouterr().out
    assert not H5PPackage.objects.exists()


@pytest.mark.slow
def test_seed_demo_adds_the_demo_package_once(site_tree):
    # Lesson translations (tests/courses/test_demo_content.py) play no part here.
    call_command("seed_demo", "--no-translations")
    call_command("seed_demo", "--no-translations")
    package = H5PPackage.objects.get()
    assert package.title == fixtures.DEMO_TITLE
    assert services.is_unpacked(package.sha256)


def test_admin_listing_edit_and_lesson_editor_work(client, h5p_lesson, h5p_package):
    client, _user = admin_client(client)
    listing = client.get("/admin/snippets/courses/h5ppackage/")
    assert listing.status_code == 200
    assert "Pincode geheim houden" in listing.content.decode()
    edit = client.get(f"/admin/snippets/courses/h5ppackage/edit/{h5p_package.pk}/")
    assert edit.status_code == 200
    editor = client.get(f"/admin/pages/{h5p_lesson.pk}/edit/")
    assert editor.status_code == 200
    assert "H5P-oefening" in editor.content.decode()
    chooser = client.get("/admin/snippets/choose/courses/h5ppackage/")
    assert chooser.status_code == 200


def test_a_trainer_may_upload(client, site_tree):
    from courses.roles import TRAINER, roles_ensure

    home, _index = site_tree
    groups = roles_ensure(tree_root=home)
    trainer = get_user_model().objects.create_user("trainer", password="geheim-genoeg")
    trainer.groups.add(groups[TRAINER])
    client.force_login(trainer)
    assert client.get("/admin/snippets/courses/h5ppackage/add/").status_code == 200
    reviewer_less = get_user_model().objects.create_user("niemand", password="geheim-genoeg")
    client.force_login(reviewer_less)
    assert client.get("/admin/snippets/courses/h5ppackage/add/").status_code in (302, 403)


def test_admin_upload_of_a_stored_file_points_to_the_existing_package(client, site_tree):
    client, _user = admin_client(client)
    first = store()
    upload = SimpleUploadedFile("nog-eens.h5p", fixtures.build_package())
    response = client.post("/admin/snippets/courses/h5ppackage/add/", {"file": upload})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/inspect/{first.pk}/")
    assert H5PPackage.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Dit pakket staat er al" in page


def test_admin_package_page_plays_it_in_the_sandboxed_player_without_recording(client, site_tree):
    client, _user = admin_client(client)
    package = store()
    page = client.get(f"/admin/snippets/courses/h5ppackage/inspect/{package.pk}/").content.decode()
    assert f'data-player-url="/h5p/speler/{package.pk}/"' in page
    assert "data-h5p-preview" in page
    assert "data-statement-url" not in page
    assert "js/h5p-lesson.js" in page


def test_h5p_report_prints_the_measured_table(capsys):
    call_command("h5p_report", "ongebruikt", "--only-table")
    out = capsys.readouterr().out
    assert out.startswith("| content type | accepted | renders |")
    assert "| H5P.MultiChoice | yes | yes |" in out


def test_measured_status_per_package(settings, tmp_path):
    from courses.h5p import measured

    assert measured.status("H5P.MultiChoice") == (
        "speelt, telt mee voor de les, gaat verder na herladen, past op een smal scherm met "
        "grote tekst, werkt met het toetsenbord"
    )
    assert measured.status("H5P.Accordion") == (
        "speelt, telt niet mee, past op een smal scherm met grote tekst, werkt met het toetsenbord"
    )
    assert measured.status("H5P.Onbekend") == "niet gemeten"
    settings.H5P_MEASURED_FILE = tmp_path / "geen.json"
    assert measured.status("H5P.MultiChoice") == "niet gemeten"


def test_measured_status_says_what_did_not_work(settings, tmp_path):
    from courses.h5p import measured

    found = {"accepted": True, "renders": True, "verbs": ["answered"], "resumes": "nee"}
    table = {
        "H5P.Smal": {**found, "small_screen": "nee", "keyboard": "nee"},
        "H5P.Oud": found,  # measured before these two were: nothing said about them
    }
    settings.H5P_MEASURED_FILE = tmp_path / "gemeten.json"
    settings.H5P_MEASURED_FILE.write_text(json.dumps(table))
    assert measured.status("H5P.Smal") == (
        "speelt, telt mee voor de les, past niet op een smal scherm met grote tekst, "
        "werkt niet met het toetsenbord"
    )
    assert measured.status("H5P.Oud") == "speelt, telt mee voor de les"
    rows = measured.markdown().splitlines()
    assert rows[0].endswith("| 320 px, extra-large text | keyboard only |")
    assert "| H5P.Oud | yes | yes | answered | yes | nee | – | – |" in rows
    assert "| H5P.Smal | yes | yes | answered | yes | nee | nee | nee |" in rows


def test_admin_list_shows_the_measured_status(client, site_tree):
    client, _user = admin_client(client)
    store()
    page = client.get("/admin/snippets/courses/h5ppackage/").content.decode()
    assert "Gemeten" in page
    assert "speelt, telt mee voor de les, gaat verder na herladen" in page


def test_content_files_answer_range_requests_for_audio_and_video(client):
    package = store()
    url = f"/h5p/inhoud/{package.sha256}/h5p.json"
    whole = b"".join(client.get(url).streaming_content)
    assert client.get(url)["Accept-Ranges"] == "bytes"
    part = client.get(url, HTTP_RANGE="bytes=2-9")
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == whole[2:10]
    assert part["Content-Range"] == f"bytes 2-9/{len(whole)}"
    assert part["Access-Control-Allow-Origin"] == "*"
    tail = client.get(url, HTTP_RANGE="bytes=-5")
    assert b"".join(tail.streaming_content) == whole[-5:]
    open_end = client.get(url, HTTP_RANGE="bytes=10-")
    assert b"".join(open_end.streaming_content) == whole[10:]
    beyond = client.get(url, HTTP_RANGE=f"bytes={len(whole) + 5}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(whole)}"
    several = client.get(url, HTTP_RANGE="bytes=0-1,4-5")
    assert several.status_code == 200


def test_admin_upload_says_which_files_were_skipped_and_what_loads_from_elsewhere(
    client, site_tree
):
    client, _user = admin_client(client)
    data = fixtures.build_zip(
        fixtures.package_files(
            extra={
                "content/oud.swf": b"FWS",
                "H5P.DigibankVraag-1.1/font.css": b"@import url(https://fonts.googleapis.com/x);",
            }
        )
    )
    upload = SimpleUploadedFile("met-extra.h5p", data)
    response = client.post("/admin/snippets/courses/h5ppackage/add/", {"file": upload}, follow=True)
    page = response.content.decode()
    assert "content/oud.swf" in page and "laden wij niet op" in page
    assert "andere website (fonts.googleapis.com)" in page
