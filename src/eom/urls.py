from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from eom.api import api

urlpatterns = [
    path("", include("eom.missions.urls")),
    path("", include("eom.observation.urls")),
    path("results/", include("eom.results.urls")),
    path("analysis/", include("eom.reporting.urls")),
    path("sms/", include("eom.observation.channels.sms_urls")),
    path("openrosa/", include("eom.observation.channels.openrosa_urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
