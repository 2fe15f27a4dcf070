"""ODK Collect (OpenRosa 1.0), mounted at /openrosa/: point ODK Collect at https://<host>/openrosa."""

from django.urls import path

from . import openrosa

app_name = "openrosa"
urlpatterns = [
    path("formList", openrosa.form_list, name="form_list"),
    path("forms/<slug:form_id>/form.xml", openrosa.form_xml, name="form_xml"),
    path("forms/<slug:form_id>/manifest", openrosa.form_manifest, name="form_manifest"),
    path("forms/<slug:form_id>/media/<str:name>", openrosa.form_media, name="form_media"),
    path("submission", openrosa.submission, name="submission"),
]
