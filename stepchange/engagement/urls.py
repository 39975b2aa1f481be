"""Community-engagement pages, under /engagement/."""

from django.urls import path

from stepchange.engagement import views

app_name = "engagement"
urlpatterns = [
    path("", views.index, name="index"),
    path("gaps/", views.gaps, name="gaps"),
    path("establishments/<int:pk>/", views.establishment, name="establishment"),
    path("establishments/<int:pk>/links.csv", views.download, name="download"),
    path("establishments/<int:pk>/links/add/", views.link_add, name="link-add"),
    path("establishments/<int:pk>/requirements/add/", views.requirement_add, name="requirement-add"),
    path("links/<int:pk>/", views.link, name="link"),
    path("links/<int:pk>/change/", views.link_edit, name="link-edit"),
    path("links/<int:pk>/review/", views.link_review, name="link-review"),
    path("links/<int:pk>/end/", views.link_end, name="link-end"),
    path("reviews/<int:pk>/approve/", views.review_approve, name="review-approve"),
    path("requirements/<int:pk>/actions/add/", views.action_add, name="action-add"),
    path("actions/<int:pk>/change/", views.action_edit, name="action-edit"),
]
