from django.urls import path

from . import views

app_name = "missions"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("locations/", views.locations, name="locations"),
    path("locations/<int:pk>/", views.locations, name="location"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("teams/", views.teams, name="teams"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/find/people/", views.meeting_find_people, name="meeting_find_people"),
    path("meetings/find/interlocutors/", views.meeting_find_interlocutors,
         name="meeting_find_interlocutors"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
]
