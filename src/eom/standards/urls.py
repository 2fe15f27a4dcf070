from django.urls import path

from . import views

app_name = "standards"
urlpatterns = [
    path("", views.commitments, name="commitments"),
    path("commitments/new/", views.commitment_create, name="commitment_create"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment"),
    path("commitments/<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path("tag/", views.tag_create, name="tag"),
    path("tag/<int:pk>/delete/", views.tag_delete, name="tag_delete"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/new/", views.recommendation_create, name="recommendation_create"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("recommendations/<int:pk>/edit/", views.recommendation_edit,
         name="recommendation_edit"),
]
