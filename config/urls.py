from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certificates import urls as certificate_urls
from config import health
from learning import urls as learning_urls

urlpatterns = [
    path("gezond/", health.alive, name="health_alive"),
    path("gezond/klaar/", health.ready, name="health_ready"),
    path("admin/", include(wagtailadmin_urls)),
    path("documenten/", include(wagtaildocs_urls)),
    path("", include(learning_urls)),
    path("", include(certificate_urls)),
    path("", include("catalogue.urls")),
    path("", include("courses.urls")),
    path("", include("courses.h5p.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves the page tree (/, /modules/…) and must come last.
urlpatterns += [path("", include(wagtail_urls))]
