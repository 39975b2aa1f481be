"""Capacity-building pages, under /capacity/."""

from django.urls import path

from stepchange.capacity import views

app_name = "capacity"
urlpatterns = [
    path("", views.index, name="index"),
    path("needs/", views.needs, name="needs"),
    path("needs/summary/", views.needs_summary, name="needs-summary"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/change/", views.event_change, name="event-change"),
    path("events/<int:pk>/cancel-event/", views.event_cancel, name="event-cancel"),
    path("events/<int:pk>/book/", views.book, name="book"),
    path("events/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("events/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("events/<int:pk>/evaluations/", views.evaluations, name="evaluations"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
]
