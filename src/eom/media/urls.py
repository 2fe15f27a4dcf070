from django.urls import path

from . import views

app_name = "media"
urlpatterns = [
    path("", views.figures_page, name="figures"),
    path("items/", views.items, name="items"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("items/export/", views.items_export, name="items_export"),
    path("import/", views.import_sheet, name="import"),
    path("reliability/", views.reliability_page, name="reliability"),
]
