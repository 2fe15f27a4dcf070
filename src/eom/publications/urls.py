from django.urls import path

from . import views

app_name = "publications"
urlpatterns = [
    path("", views.reports, name="reports"),
    path("new/", views.new_report, name="new_report"),
    path("<slug:name>/", views.report, name="report"),
    path("<slug:name>/publish/", views.publish, name="publish"),
    path("<slug:name>/figures/<str:key>/", views.figure, name="figure"),
    path("<slug:name>/download/<str:lang>.<str:fmt>", views.download, name="download"),
    path("<slug:name>/sections/<slug:heading>/", views.section_edit, name="section_edit"),
    path("<slug:name>/sections/<slug:heading>/preview/", views.preview, name="preview"),
    path("<slug:name>/sections/<slug:heading>/comments/", views.comment, name="comment"),
    path("<slug:name>/sections/<slug:heading>/versions/<int:number>/", views.section_version,
         name="section_version"),
]
