from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("new/", views.case_create, name="case_create"),
    path("figures/", views.figures, name="figures"),
    path("export/", views.export, name="export"),
    path("import/", views.import_cases, name="import"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("<int:pk>/documents/<int:doc>/", views.document, name="document"),
]
