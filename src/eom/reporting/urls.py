from django.urls import path

from . import pvt_views, views

app_name = "reporting"
urlpatterns = [
    path("", views.analysis, name="analysis"),
    path("quick-count/", pvt_views.quick_count, name="quick_count"),
]
