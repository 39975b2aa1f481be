"""Commissioning pages, under /opportunities/."""

from django.urls import path

from stepchange.commissioning import views, views_documents, views_manage

app_name = "commissioning"
urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("feed.xml", views.opportunity_feed, name="feed"),
    path("new/", views_manage.opportunity_create, name="create"),
    path("evaluations/", views_manage.my_evaluations, name="evaluations"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership"),
    path("partnerships/<int:pk>/invite/", views.member_invite, name="member-invite"),
    path("partnerships/<int:pk>/bid-team/", views.bid_team, name="bid-team"),
    path(
        "partnerships/<int:pk>/documents/new/",
        views_documents.partnership_document_add,
        name="partnership-document-add",
    ),
    path(
        "partnerships/<int:pk>/documents/<int:document>/",
        views_documents.partnership_document,
        name="partnership-document",
    ),
    path(
        "partnerships/<int:pk>/documents/<int:document>/remove/",
        views_documents.partnership_document_remove,
        name="partnership-document-remove",
    ),
    path("partnerships/<int:pk>/stages/<int:number>/bid/", views.bid_edit, name="bid-edit"),
    path("partnerships/<int:pk>/challenge/", views.challenge_raise, name="challenge-raise"),
    path("memberships/<int:pk>/confirm/", views.member_confirm, name="member-confirm"),
    path("memberships/<int:pk>/leave/", views.member_leave, name="member-leave"),
    path("bids/<int:pk>/", views_manage.bid_detail, name="bid"),
    path("bids/<int:pk>/withdraw/", views.bid_withdraw, name="bid-withdraw"),
    path("bids/<int:pk>/documents/new/", views_documents.bid_document_add, name="bid-document-add"),
    path("bids/<int:pk>/documents/<int:document>/", views_documents.bid_document, name="bid-document"),
    path(
        "bids/<int:pk>/documents/<int:document>/remove/",
        views_documents.bid_document_remove,
        name="bid-document-remove",
    ),
    path("bids/<int:pk>/moderate/<int:criterion>/", views_manage.moderate, name="moderate"),
    path("clarifications/<int:pk>/answer/", views_manage.clarification_answer, name="clarification-answer"),
    path("challenges/<int:pk>/answer/", views_manage.challenge_answer, name="challenge-answer"),
    path("surveys/<int:pk>/", views.survey, name="survey"),
    path("<slug:reference>/", views.opportunity_detail, name="detail"),
    path("<slug:reference>/ocds.json", views.opportunity_ocds, name="ocds"),
    path("<slug:reference>/edit/", views_manage.opportunity_edit, name="edit"),
    path("<slug:reference>/documents/new/", views_documents.opportunity_document_add, name="document-add"),
    path("<slug:reference>/documents/<int:pk>/", views_documents.opportunity_document, name="document"),
    path(
        "<slug:reference>/documents/<int:pk>/replace/",
        views_documents.opportunity_document_replace,
        name="document-replace",
    ),
    path(
        "<slug:reference>/documents/<int:pk>/remove/",
        views_documents.opportunity_document_remove,
        name="document-remove",
    ),
    path("<slug:reference>/ask/", views.clarification_ask, name="ask"),
    path("<slug:reference>/partnerships/new/", views.partnership_create, name="partnership-create"),
    path("<slug:reference>/stages/new/", views_manage.stage_add, name="stage-add"),
    path("<slug:reference>/stages/<int:number>/deadline/", views_manage.stage_deadline, name="stage-deadline"),
    path("<slug:reference>/stages/<int:number>/questions/new/", views_manage.question_add, name="question-add"),
    path("<slug:reference>/stages/<int:number>/criteria/new/", views_manage.criterion_add, name="criterion-add"),
    path("<slug:reference>/stages/<int:number>/evaluators/new/", views_manage.evaluator_assign, name="evaluator-add"),
    path("<slug:reference>/stages/<int:number>/evaluation/", views_manage.evaluation, name="evaluation"),
    path("<slug:reference>/rules/new/", views_manage.rule_add, name="rule-add"),
    path("<slug:reference>/publish/", views_manage.opportunity_publish, name="publish"),
    path("<slug:reference>/feedback/publish/", views_manage.feedback_publish, name="feedback-publish"),
    path("<slug:reference>/audit/", views_manage.audit, name="audit"),
    path("<slug:reference>/cancel/", views_manage.opportunity_end, {"how": "cancel"}, name="cancel"),
    path("<slug:reference>/close/", views_manage.opportunity_end, {"how": "close"}, name="close"),
    path(
        "<slug:reference>/award/withdraw/",
        views_manage.opportunity_end,
        {"how": "withdraw-award"},
        name="award-withdraw",
    ),
]
