from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backchannel.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Here, not at the top: models load only once the apps are ready.
        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(_signed_out, dispatch_uid="backchannel.accounts.signed_out")


def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from .actions import end_streams_of_session  # models: imported once apps are ready

    session = getattr(request, "session", None)
    end_streams_of_session(session.session_key if session is not None else None)
