from django.urls import path

from . import views

app_name = "standards"
urlpatterns = [
    path("", views.commitments, name="commitments"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment"),
    path("tag/", views.tag_create, name="tag"),
    path("tag/<int:pk>/delete/", views.tag_delete, name="tag_delete"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
]
