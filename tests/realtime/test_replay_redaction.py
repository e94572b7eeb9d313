"""Whatever is taken back is taken back from the replay log too: a reader replaying a stream
from its start (`?since=0`) never gets a question's text before an edit, a dismissed question,
or an erased account's messages, name and handle."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from tests.conftest import PASSWORD
from tests.support.sse import SSEStream


def replay(url: str, marker: str, write_marker: Any, headers: dict[str, str] | None = None) -> str:
    """Everything the stream replays from its start, up to a marker written after it."""
    with SSEStream(url, headers=headers) as stream:
        write_marker()
        return "\n".join(event.data for event in stream.until(marker))


def test_an_edited_or_dismissed_question_is_not_replayed_as_it_was(
    live: str, conference: Any
) -> None:
    from backchannel.feed.actions import create_post
    from backchannel.qa import actions as qa

    session = conference.session
    ada = conference.attendee.user
    named = qa.ask(
        ada, session, body="Can Mia Lopez at Elm Street School get help?", confirm=True
    ).question
    dismissed = qa.ask(ada, session, body="Why is the Okafor family never here?", confirm=True)
    with conference.organiser.api(live) as olive:
        edited = olive.patch(
            f"/api/v1/questions/{named.pk}", json={"body": "How can a school get help?"}
        )
        assert edited.status_code == 200
        assert (
            olive.patch(
                f"/api/v1/questions/{dismissed.question.pk}", json={"status": "dismissed"}
            ).status_code
            == 200
        )

    replayed = replay(
        f"{live}/api/v1/sessions/{session.pk}/stream?since=0",
        "end of replay",
        lambda: create_post(conference.organiser.user, session, body="end of replay"),
    )
    assert "How can a school get help?" in replayed
    assert "Mia Lopez" not in replayed and "Elm Street" not in replayed
    assert "Okafor" not in replayed
    assert "question.removed" in replayed or str(dismissed.question.pk) in replayed


def test_an_erased_account_is_not_replayed(live: str, conference: Any) -> None:
    from backchannel.feed.actions import create_post
    from backchannel.messaging.actions import send_message
    from backchannel.privacy.deletion import purge_due_accounts

    session = conference.session
    with conference.attendee.api(live) as ada:
        assert ada.post("/api/v1/dms/olive", json={"body": "My private worry"}).status_code == 201
        posted = ada.post(
            f"/api/v1/sessions/{session.pk}/posts", json={"body": "Kept after I go, @olive"}
        )
        assert posted.status_code == 201
        asked = ada.post(
            f"/api/v1/sessions/{session.pk}/questions", json={"body": "Kept question?"}
        )
        assert asked.status_code == 201
        closing = ada.post("/api/v1/me/deletion", json={"password": PASSWORD, "mode": "anonymise"})
        assert closing.status_code == 202
    purge_due_accounts(timezone.now() + dt.timedelta(days=15))

    olive = conference.organiser
    private = replay(
        f"{live}/api/v1/me/stream?since=0",
        "after the erasure",
        lambda: send_message(conference.outsider.user, "olive", body="after the erasure"),
        headers={"Authorization": f"Bearer {olive.token}"},
    )
    assert "My private worry" not in private
    assert "Ada Attendee" not in private and "@ada" not in private

    public = replay(
        f"{live}/api/v1/sessions/{session.pk}/stream?since=0",
        "end of replay",
        lambda: create_post(olive.user, session, body="end of replay"),
    )
    assert "Kept after I go" in public and "Kept question?" in public
    assert "Former member" in public
    assert "Ada Attendee" not in public and '"ada"' not in public and "@ada" not in public
    assert "/u/ada/" not in json.dumps(public)
