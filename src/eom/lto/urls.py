from django.urls import path

from . import views

app_name = "lto"
urlpatterns = [
    path("", views.reports, name="reports"),
    path("new/", views.report_create, name="report_create"),
    path("rollup/", views.rollup, name="rollup"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/review/", views.report_review, name="report_review"),
]
