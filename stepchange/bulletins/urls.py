from django.urls import path

from stepchange.bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("", views.index, name="index"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscription/<str:token>/", views.manage, name="manage"),
    path("subscription/<str:token>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
    path("<slug:region>/", views.archive, name="archive"),
    path("<slug:region>/feed.atom", views.feed, name="feed"),
    path("<slug:region>/<int:pk>/", views.bulletin, name="bulletin"),
    path("<slug:region>/subscribe/", views.subscribe, name="subscribe"),
    path("<slug:region>/team/", views.team, name="team"),
    path("<slug:region>/team/draft/", views.draft_new, name="draft_new"),
    path("<slug:region>/team/<int:pk>/", views.edit, name="edit"),
    path("<slug:region>/team/<int:pk>/send/", views.send, name="send"),
    path("<slug:region>/team/<int:pk>/resume/", views.resume, name="resume"),
]
