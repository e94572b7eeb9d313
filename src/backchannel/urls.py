from __future__ import annotations

from django.contrib import admin
from django.urls import path, re_path

from backchannel.api import api
from backchannel.archive.feeds import SessionPostsAtom, SessionPostsFeed
from backchannel.blog.feeds import BlogAtom, BlogFeed
from backchannel.web import views as web
from backchannel.web.pages import (
    accounts,
    archive,
    blog,
    events,
    federation,
    feed,
    messaging,
    moderation,
    notifications,
    orgs,
    qa,
)

_COLLECTION = "(?P<kind>outbox|followers|following)"

urlpatterns = [
    # First: Django tries patterns in order, and the API (the hot write among it) was behind
    # about 140 page patterns, a tenth of a post's CPU (issue #17). Nothing else starts so.
    path("api/v1/", api.urls),
    path(".well-known/webfinger", federation.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", federation.nodeinfo_links, name="nodeinfo_links"),
    path(".well-known/host-meta", federation.host_meta, name="host_meta"),
    path("nodeinfo/2.1", federation.nodeinfo, name="nodeinfo"),
    path("inbox/", federation.inbox, name="shared_inbox"),
    path("actor", federation.site_actor, name="site_actor"),
    path("actor/outbox", federation.site_outbox, name="site_outbox"),
    path("federation/servers/", federation.servers, name="federation_servers"),
    # Each actor's inbox and collections live under its page's address + "ap/".
    path("u/<str:handle>/ap/inbox/", federation.inbox, name="person_inbox"),
    path("e/<slug:slug>/ap/inbox/", federation.inbox, name="event_inbox"),
    path("e/<slug:slug>/s/<int:session_id>/ap/inbox/", federation.inbox, name="session_inbox"),
    re_path(
        rf"^u/(?P<handle>[^/]+)/ap/{_COLLECTION}/$",
        federation.collection,
        name="person_collection",
    ),
    re_path(
        rf"^e/(?P<slug>[-\w]+)/ap/{_COLLECTION}/$", federation.collection, name="event_collection"
    ),
    re_path(
        rf"^e/(?P<slug>[-\w]+)/s/(?P<session_id>[0-9]+)/ap/{_COLLECTION}/$",
        federation.collection,
        name="session_collection",
    ),
    path("posts/<int:post_id>/", feed.post_page, name="post_page"),
    path("", web.home, name="home"),
    path("about/", web.about, name="about"),
    path("guide/", web.guide, name="guide"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/complete/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("settings/account/", accounts.account_security, name="account_security"),
    path("settings/profile/", accounts.edit_profile, name="edit_profile"),
    path("settings/tokens/", accounts.tokens, name="tokens"),
    path("settings/avatar/", accounts.set_avatar, name="set_avatar"),
    path("settings/links/verify/", accounts.verify_links, name="verify_links"),
    path("settings/notifications/", accounts.notification_settings, name="notification_settings"),
    path("settings/data/", accounts.my_data, name="my_data"),
    path("settings/data/export.json", accounts.export_data, {"fmt": "json"}, name="export_json"),
    path("settings/data/export.zip", accounts.export_data, {"fmt": "csv"}, name="export_csv"),
    path("settings/delete/", accounts.delete_account, name="delete_account"),
    path("settings/delete/cancel/", accounts.cancel_deletion, name="cancel_deletion"),
    path("u/<str:handle>/", accounts.profile, name="profile"),
    path("u/<str:handle>/avatar/<int:version>.webp", accounts.avatar, name="avatar"),
    path(
        "u/<str:handle>/followers/",
        accounts.people_list,
        {"which": "followers"},
        name="followers",
    ),
    path(
        "u/<str:handle>/following/",
        accounts.people_list,
        {"which": "following"},
        name="following_people",
    ),
    path("u/<str:handle>/follow/", accounts.tie, {"what": "follow"}, name="follow"),
    path("u/<str:handle>/mute/", accounts.tie, {"what": "mute"}, name="mute"),
    path("u/<str:handle>/block/", accounts.tie, {"what": "block"}, name="block"),
    path("notifications/", notifications.centre, name="notifications"),
    path("messages/", messaging.inbox, name="messages"),
    path("messages/<str:handle>/", messaging.conversation, name="conversation"),
    path("messages/report/<int:message_id>/", messaging.report, name="report_message"),
    path("events/new/", events.create_event, name="create_event"),
    path("join/", events.join_by_code, name="join_by_code"),
    path("e/<slug:slug>/", events.event_page, name="event"),
    path("e/<slug:slug>/join/", events.join, name="join_event"),
    path("e/<slug:slug>/card/", events.join_card, name="join_card"),
    path(
        "e/<slug:slug>/brand/<str:kind>/<int:version>.webp",
        events.brand_image,
        name="brand_image",
    ),
    path("e/<slug:slug>/manage/brand/<str:kind>/", events.set_brand_image, name="set_brand_image"),
    path("e/<slug:slug>/s/<int:session_id>/card/", events.join_card, name="session_join_card"),
    path("e/<slug:slug>/conduct/", events.accept_conduct, name="accept_conduct"),
    path("e/<slug:slug>/manage/", events.manage, name="manage_event"),
    path("e/<slug:slug>/manage/rooms/", events.add_room, name="add_room"),
    path("e/<slug:slug>/manage/sessions/new/", events.create_session, name="create_session"),
    path(
        "e/<slug:slug>/manage/sessions/<int:session_id>/",
        events.edit_session,
        name="edit_session",
    ),
    path(
        "e/<slug:slug>/manage/sessions/<int:session_id>/links/",
        federation.session_links,
        name="session_links",
    ),
    path("e/<slug:slug>/lobby/", feed.lobby, name="lobby"),
    path("e/<slug:slug>/s/<int:session_id>/", feed.session_room, name="session"),
    path("e/<slug:slug>/s/<int:session_id>/post/", feed.post, name="post_to_session"),
    path("e/<slug:slug>/s/<int:session_id>/wall/", feed.wall_page, name="wall"),
    path(
        "e/<slug:slug>/s/<int:session_id>/archive/",
        archive.session_archive,
        name="session_archive",
    ),
    path("e/<slug:slug>/s/<int:session_id>/seats/", events.seats_page, name="seats"),
    path(
        "e/<slug:slug>/s/<int:session_id>/seats/new/", events.add_seat_block, name="add_seat_block"
    ),
    path("seat-blocks/<int:block_id>/reserve/", events.reserve_seat, name="reserve_seat"),
    path("reservations/<int:reservation_id>/cancel/", events.cancel_seat, name="cancel_seat"),
    path("reservations/<int:reservation_id>/check-in/", events.check_in_seat, name="check_in_seat"),
    path("e/<slug:slug>/s/<int:session_id>/wall/pause/", feed.wall_pause, name="wall_pause"),
    path(
        "e/<slug:slug>/s/<int:session_id>/wall/settings/", feed.wall_settings, name="wall_settings"
    ),
    path(
        "e/<slug:slug>/s/<int:session_id>/wall/posts/<int:post_id>/",
        feed.wall_approve,
        name="wall_approve",
    ),
    path("e/<slug:slug>/tags/<str:tag>/", feed.hashtag, name="hashtag"),
    path("e/<slug:slug>/following/", feed.following, name="following_feed"),
    path("e/<slug:slug>/search/", archive.search_page, name="search"),
    path("e/<slug:slug>/schedule.ics", archive.schedule_calendar, name="schedule_ics"),
    path("e/<slug:slug>/export/", archive.exports_page, name="exports"),
    path("e/<slug:slug>/blog/", blog.event_blog, name="event_blog"),
    path("e/<slug:slug>/blog/new/", blog.new_article, name="new_article"),
    path("blog/", blog.index, name="blog"),
    path("blog/feed.rss", BlogFeed(), name="blog_rss"),
    path("blog/feed.atom", BlogAtom(), name="blog_atom"),
    path("blog/tags/<str:tag>/", blog.index, name="blog_tag"),
    path("blog/<slug:article_slug>/", blog.article, name="article"),
    path("blog/<slug:article_slug>/edit/", blog.edit_article, name="edit_article"),
    path("blog/<slug:article_slug>/delete/", blog.delete_article, name="delete_article"),
    path("blog/<slug:article_slug>/comment/", blog.add_comment, name="comment_on_article"),
    path("blog/<slug:article_slug>/cover/<int:version>.webp", blog.cover, name="article_cover"),
    path("e/<slug:slug>/analytics/", archive.event_analytics, name="event_analytics"),
    path("e/<slug:slug>/analytics.csv", archive.event_analytics_csv, name="event_analytics_csv"),
    path(
        "e/<slug:slug>/s/<int:session_id>/analytics/",
        archive.session_analytics,
        name="session_analytics",
    ),
    path(
        "e/<slug:slug>/s/<int:session_id>/analytics.csv",
        archive.session_analytics_csv,
        name="session_analytics_csv",
    ),
    path("e/<slug:slug>/export.<str:fmt>", archive.export_event, name="export_event"),
    path(
        "e/<slug:slug>/s/<int:session_id>/export.<str:fmt>",
        archive.export_session,
        name="export_session",
    ),
    path("e/<slug:slug>/s/<int:session_id>/feed.rss", SessionPostsFeed(), name="session_rss"),
    path("e/<slug:slug>/s/<int:session_id>/feed.atom", SessionPostsAtom(), name="session_atom"),
    path("e/<slug:slug>/s/<int:session_id>/questions/", qa.questions, name="questions"),
    path("e/<slug:slug>/s/<int:session_id>/questions/ask/", qa.ask, name="ask_question"),
    path("e/<slug:slug>/s/<int:session_id>/presenter/", qa.presenter, name="presenter_view"),
    path("questions/<int:question_id>/vote/", qa.vote, name="vote_question"),
    path("e/<slug:slug>/s/<int:session_id>/polls/new/", qa.create_poll, name="create_poll"),
    path("polls/<int:poll_id>/answer/", qa.answer_poll, name="answer_poll"),
    path("posts/<int:post_id>/delete/", feed.delete, name="delete_post"),
    path("posts/<int:post_id>/like/", feed.like, name="like_post"),
    path("posts/<int:post_id>/share/", feed.share, name="share_post"),
    path("posts/<int:post_id>/share/mastodon/", feed.share_mastodon, name="share_mastodon"),
    path("posts/<int:post_id>/report/", moderation.report, name="report_post"),
    path("notices/", moderation.notices, name="notices"),
    path("notices/appeal/<int:decision_id>/", moderation.appeal, name="appeal"),
    path("e/<slug:slug>/transparency/", moderation.transparency, name="transparency"),
    path("e/<slug:slug>/moderation/", moderation.queue, name="moderation_queue"),
    path("e/<slug:slug>/moderation/log/", moderation.log, name="moderation_log"),
    path("e/<slug:slug>/moderation/people/", moderation.people, name="moderation_people"),
    path(
        "e/<slug:slug>/moderation/people/<int:sanction_id>/lift/",
        moderation.lift,
        name="lift_sanction",
    ),
    path("e/<slug:slug>/moderation/filters/", moderation.word_filters, name="word_filters"),
    path(
        "e/<slug:slug>/moderation/filters/<int:filter_id>/delete/",
        moderation.remove_word_filter,
        name="remove_word_filter",
    ),
    path(
        "e/<slug:slug>/moderation/posts/<int:post_id>/",
        moderation.post_page,
        name="moderate_post",
    ),
    path(
        "e/<slug:slug>/moderation/posts/<int:post_id>/decide/",
        moderation.decide,
        name="decide_post",
    ),
    path(
        "e/<slug:slug>/moderation/sessions/<int:session_id>/",
        moderation.session_settings,
        name="session_moderation",
    ),
    path(
        "e/<slug:slug>/moderation/messages/<int:report_id>/",
        moderation.decide_message_report,
        name="decide_message_report",
    ),
    path(
        "e/<slug:slug>/moderation/appeals/<int:appeal_id>/",
        moderation.decide_appeal,
        name="decide_appeal",
    ),
    path("orgs/", orgs.organisations, name="organisations"),
    path("orgs/<slug:slug>/", orgs.organisation, name="organisation"),
    path("orgs/<slug:slug>/manage/", orgs.manage, name="manage_organisation"),
    path("orgs/<slug:slug>/policy/<int:version>/", orgs.policy_version, name="policy_version"),
    path(
        "orgs/<slug:slug>/policy/<int:version>/acknowledge/",
        orgs.acknowledge,
        name="acknowledge_policy",
    ),
    path("settings/affiliation/", orgs.set_affiliation, name="set_affiliation"),
    path("admin/", admin.site.urls),
]

handler400 = "backchannel.web.views.bad_request"
handler403 = "backchannel.web.views.forbidden"
handler404 = "backchannel.web.views.not_found"
handler500 = "backchannel.web.views.server_error"
