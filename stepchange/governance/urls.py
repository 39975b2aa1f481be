"""Governance pages, under /governance/."""

from django.urls import path

from stepchange.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/objectives/add/", views.objective_add, name="objective-add"),
    path("plans/<int:pk>/objectives/<int:objective>/actions/add/", views.action_add, name="action-add"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("actions/<int:pk>/change/", views.action_update, name="action-update"),
    path("actions/<int:pk>/progress/", views.note_add, name="note-add"),
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("groups/<int:pk>/members/add/", views.member_add, name="member-add"),
    path("groups/<int:pk>/meetings/add/", views.meeting_add, name="meeting-add"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/papers/add/", views.paper_add, name="paper-add"),
    path("meetings/<int:pk>/decisions/add/", views.decision_add, name="decision-add"),
    path("papers/<int:pk>/", views.paper, name="paper"),
]
