from django.urls import path

from . import situation_views

app_name = "situation"
urlpatterns = [
    path("", situation_views.room, name="room"),
    path("live/", situation_views.live, name="live"),
    path("summary/", situation_views.summary, name="summary"),
]
