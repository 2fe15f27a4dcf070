from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("protocols/", views.protocols, name="protocols"),
    path("protocols/<int:pk>/", views.protocol, name="protocol"),
    path("discrepancies/", views.discrepancies, name="discrepancies"),
    path("aggregation/", views.aggregation, name="aggregation"),
    path("aggregation/<int:pk>/", views.aggregation, name="aggregation_node"),
    path("seats/", views.seats, name="seats"),
    path("forensics/", views.forensics_page, name="forensics"),
    path("forensics/monte-carlo/", views.forensics_recompute, name="forensics_recompute"),
    path("import/", views.import_results, name="import"),
]
