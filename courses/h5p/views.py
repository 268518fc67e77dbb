"""The H5P player document and the unpacked package files. Public: no learner data here.

The player runs in ``<iframe sandbox="allow-scripts">`` on the lesson page: without
``allow-same-origin`` its origin is opaque, so package JavaScript cannot read the site's
cookies or DOM, and the site's cookies (SameSite=Lax) are not sent with its requests. Its
own Content-Security-Policy limits what it loads to the player files and its package folder.
"""

import mimetypes
import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_safe

from courses.h5p import services
from courses.h5p.models import H5PPackage
from toolkit.storage import STORAGE_ERRORS

PLAYER_STATIC = "vendor/h5p-standalone/"
# Package files are content-addressed (their folder is their hash): cache them for a year.
CONTENT_CACHE = "public, max-age=31536000, immutable"
# Extensions whose type browsers must not guess (and .js/.css need the right one to run).
TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".vtt": "text/vtt",
}


def _origin(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def player_policy(request, package: H5PPackage) -> str:
    """The player's own CSP: the player files, its package folder, nothing else."""
    # A folder, not a file: not through static(), which knows only files (hashed names).
    player = request.build_absolute_uri(settings.STATIC_URL + PLAYER_STATIC)
    frame_script = request.build_absolute_uri(static("js/h5p-frame.js"))
    frame_style = request.build_absolute_uri(static("css/h5p-frame.css"))
    content = request.build_absolute_uri(content_url(package.sha256))
    return "; ".join(
        [
            "default-src 'none'",
            # 'unsafe-eval' here only: H5P content types (Multiple Choice, Question Set…)
            # build their templates with new Function(). This document has an opaque origin
            # (sandbox="allow-scripts"), no cookies and no learner data; see docs/h5p.md.
            f"script-src {player} {frame_script} {content} 'unsafe-eval'",
            # H5P content types set style attributes and inject <style>; the frame is sandboxed.
            f"style-src {player} {frame_style} {content} 'unsafe-inline'",
            f"img-src {player} {content} data: blob:",
            f"media-src {content} blob:",
            f"font-src {player} {content} data:",
            f"connect-src {content}",
            "frame-src 'none'",
            # jQuery's parseHTML sets a <base> to this document's own address in a detached
            # document; nothing else may be a base.
            f"base-uri {request.build_absolute_uri()}",
            "form-action 'none'",
            "frame-ancestors 'self'",
        ]
    )


def _absolute_static(request, name: str) -> str:
    return request.build_absolute_uri(static(PLAYER_STATIC + name))


def content_url(sha256: str) -> str:
    return reverse("h5p:content", kwargs={"sha256": sha256, "path": "h5p.json"}).removesuffix(
        "h5p.json"
    )


@require_safe
@xframe_options_sameorigin
def player(request, package_id: int):
    package = get_object_or_404(H5PPackage, pk=package_id)
    response = TemplateResponse(
        request,
        "courses/h5p_player.html",
        {
            "package": package,
            "content_url": request.build_absolute_uri(content_url(package.sha256)).rstrip("/"),
            "player_js": _absolute_static(request, "main.bundle.js"),
            "frame_js": _absolute_static(request, "frame.bundle.js"),
            "player_css": _absolute_static(request, "styles/h5p.css"),
            "parent_origin": _origin(request),
        },
    )
    response.headers["Content-Security-Policy"] = player_policy(request, package)
    response.headers["Cache-Control"] = "no-cache"
    return response


RANGE = re.compile(r"^bytes=(\d{0,15})-(\d{0,15})$")
RANGE_CHUNK = 256 * 1024


def _byte_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) for one "bytes=a-b" range; None without one; False when unsatisfiable."""
    match = RANGE.match(header.strip()) if header else None
    if match is None or (not match[1] and not match[2]):
        return None  # no range, or one we do not serve (several ranges): the whole file
    if not match[1]:  # "bytes=-500": the last 500 bytes
        length = int(match[2])
        return (max(0, size - length), size - 1) if length and size else False
    first = int(match[1])
    last = min(int(match[2]), size - 1) if match[2] else size - 1
    if first >= size or last < first:
        return False
    return first, last


def _file_response(request, storage, name: str, content_type: str):
    """The file, or the asked part of it (audio and video seek with Range: 206)."""
    size = storage.size(name)
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted is None:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    elif wanted is False:
        response = HttpResponse(status=416)
        response.headers["Content-Range"] = f"bytes */{size}"
    else:
        first, last = wanted
        handle = storage.open(name, "rb")
        handle.seek(first)

        def chunks(remaining=last - first + 1):
            try:
                while remaining > 0:
                    data = handle.read(min(RANGE_CHUNK, remaining))
                    if not data:
                        break
                    remaining -= len(data)
                    yield data
            finally:
                handle.close()

        response = StreamingHttpResponse(chunks(), status=206, content_type=content_type)
        response.headers["Content-Range"] = f"bytes {first}-{last}/{size}"
        response.headers["Content-Length"] = str(last - first + 1)
    response.headers["Accept-Ranges"] = "bytes"
    return response


def _cors(response):
    # Public, content-addressed files: any origin may read them, never with credentials.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _storage_away() -> HttpResponse:
    # The bucket is away for a moment: a 503 the player reports as a failed load, not a
    # 500 in the error log; the browser may ask again after a minute.
    response = _cors(HttpResponse(status=503))
    response.headers["Retry-After"] = "60"
    response.headers["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def content(request, sha256: str, path: str):
    """One file of a stored package, readable from the player's opaque origin (CORS *).

    Audio and video asked for with a Range header from the sandbox send a CORS pre-check
    (OPTIONS) first: it is answered here, for package files only.
    """
    name = services.content_name(sha256, path)
    if name is None or not H5PPackage.objects.filter(sha256=sha256).exists():
        raise Http404
    storage = default_storage
    try:
        found = storage.exists(name)
    except STORAGE_ERRORS:
        return _storage_away()
    if not found:
        raise Http404
    if request.method == "OPTIONS":
        response = _cors(HttpResponse(status=204))
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        # H5P's own requests add X-Requested-With (jQuery); media players add Range.
        response.headers["Access-Control-Allow-Headers"] = "Range, X-Requested-With"
        response.headers["Access-Control-Max-Age"] = "86400"
        return response
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    content_type = TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    try:
        response = _cors(_file_response(request, storage, name, content_type))
    except STORAGE_ERRORS:
        return _storage_away()
    response.headers["Access-Control-Expose-Headers"] = (
        "Content-Length, Content-Range, Accept-Ranges"
    )
    response.headers["Cache-Control"] = CONTENT_CACHE
    # Opened on its own (an .svg or .xml from a package), a file runs in a sandbox with no
    # script: package files can never act on the site's origin.
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    if settings.DEBUG:
        response.headers["Cache-Control"] = "no-cache"
    return response
