from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from eom.api import api
from eom.missions.signin import SignInView

# The server-error page in the site's layout (403 and 404 are drawn in it by Django itself).
handler500 = "eom.missions.errors.server_error"

urlpatterns = [
    # First the API, which receives most reports: a request is matched against the patterns
    # in order (no other pattern begins with `api/`).
    path("api/", api.urls),
    path("", include("eom.missions.urls")),
    path("", include("eom.observation.urls")),
    path("results/", include("eom.results.urls")),
    path("analysis/", include("eom.reporting.urls")),
    path("situation/", include("eom.reporting.situation_urls")),
    path("lto/", include("eom.lto.urls")),
    path("complaints/", include("eom.complaints.urls")),
    path("media/", include("eom.media.urls")),
    path("data/", include("eom.dataout.urls")),
    path("standards/", include("eom.standards.urls")),
    path("reports/", include("eom.publications.urls")),
    path("sms/", include("eom.observation.channels.sms_urls")),
    path("openrosa/", include("eom.observation.channels.openrosa_urls")),
    path("login/", SignInView.as_view(extra_context={"signing_in": True}), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("eom.missions.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # One sign-in for the pages and the admin: throttled, then the two-factor code.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]
