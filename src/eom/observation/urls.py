from django.urls import path

from . import views
from .channels import page

app_name = "observation"
urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),
    path("observe/", views.assignments, name="assignments"),
    path("observe/mine/", views.mine, name="mine"),
    path("observe/<int:location_pk>/<slug:form_id>/", page.checklist, name="checklist"),
    path("observe/sent/<uuid:key>/", page.sent, name="sent"),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/<uuid:key>/", views.submission_detail, name="submission"),
    path("submissions/<uuid:key>/edit/", views.submission_edit, name="submission_edit"),
    path("submissions/<uuid:key>/files/<int:pk>/", views.attachment, name="attachment"),
    path("submissions/<uuid:key>/delete/", views.submission_delete, name="submission_delete"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/resolve/", views.conflict_resolve, name="conflict_resolve"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/<int:pk>/", views.coverage, name="coverage_node"),
    path("forms/", views.forms, name="forms"),
]
