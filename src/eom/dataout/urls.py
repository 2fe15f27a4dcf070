from django.urls import path

from . import odata, views

app_name = "dataout"
urlpatterns = [
    path("submissions/", views.submissions_export, name="submissions"),
    path("photos/", views.photos_export, name="photos"),
    path("figures/complaints/", views.complaints_figures, name="complaints_figures"),
    path("figures/media/", views.media_figures, name="media_figures"),
    path("odata/", odata.service, name="odata_service"),
    path("odata/$metadata", odata.metadata, name="odata_metadata"),
    path("odata/<str:entity_set>", odata.entity_set, name="odata_entity_set"),
]
