"""A small fediverse server for tests, on loopback: it serves one actor per name with a key of
its own, keeps what is posted to its inboxes, and signs what it sends (draft-cavage, written
here independently of the product's signer, or RFC 9421 through http-message-signatures)."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import threading
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import http_message_signatures as hms
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from tests.support import http

AS = "https://www.w3.org/ns/activitystreams"
PUBLIC = f"{AS}#Public"


@dataclass
class Delivered:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def activity(self) -> Any:
        return json.loads(self.body)


@dataclass
class Peer:
    server: ThreadingHTTPServer
    key: rsa.RSAPrivateKey
    received: list[Delivered] = field(default_factory=list)
    documents: dict[str, Any] = field(default_factory=dict)
    answer_status: int = 202
    # When set: GET requests must be signed ("authorized fetch"); called with the key id, it
    # gives the PEM to check the signature with.
    signed_fetch_key: Any = None
    # When set: inbox POSTs are kept but not answered until it is set (a server that hangs).
    hold: threading.Event | None = None
    fetches: list[Delivered] = field(default_factory=list)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def actor(self, name: str) -> str:
        return f"{self.base}/users/{name}"

    def public_pem(self) -> str:
        return (
            self.key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def actor_document(self, name: str) -> dict[str, Any]:
        actor = self.actor(name)
        return {
            "@context": [AS, "https://w3id.org/security/v1"],
            "id": actor,
            "type": "Person",
            "preferredUsername": name,
            "name": name.title(),
            "inbox": f"{actor}/inbox",
            "endpoints": {"sharedInbox": f"{self.base}/inbox"},
            "publicKey": {
                "id": f"{actor}#main-key",
                "owner": actor,
                "publicKeyPem": self.public_pem(),
            },
        }

    def note(self, name: str, number: int, text: str, **fields: Any) -> dict[str, Any]:
        return {
            "id": f"{self.actor(name)}/statuses/{number}",
            "type": "Note",
            "attributedTo": self.actor(name),
            "content": f"<p>{text}</p>",
            "to": [PUBLIC],
            "cc": [],
            "published": dt.datetime.now(dt.UTC).isoformat(),
            **fields,
        }

    def activity(self, name: str, kind: str, obj: Any, number: int) -> dict[str, Any]:
        return {
            "@context": AS,
            "id": f"{self.actor(name)}/activities/{kind.lower()}-{number}",
            "type": kind,
            "actor": self.actor(name),
            "object": obj,
            "to": [PUBLIC],
        }

    def signed_cavage(self, name: str, url: str, body: bytes) -> dict[str, str]:
        """draft-cavage rsa-sha256 over (request-target), host, date and digest."""
        address = urlsplit(url)
        date = format_datetime(dt.datetime.now(dt.UTC), usegmt=True)
        body_digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        text = (
            f"(request-target): post {address.path}\nhost: {address.netloc}\n"
            f"date: {date}\ndigest: {body_digest}"
        )
        signature = self.key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
        return {
            "Host": address.netloc,
            "Date": date,
            "Digest": body_digest,
            "Content-Type": "application/activity+json",
            "Signature": (
                f'keyId="{self.actor(name)}#main-key",algorithm="rsa-sha256",'
                'headers="(request-target) host date digest",'
                f'signature="{base64.b64encode(signature).decode()}"'
            ),
        }

    def signed_rfc9421(self, name: str, url: str, body: bytes) -> dict[str, str]:
        class Message:
            method = "POST"

            def __init__(self) -> None:
                self.url = url
                self.headers: dict[str, str] = {"Content-Type": "application/activity+json"}

        message = Message()
        key_id = f"{self.actor(name)}#main-key"
        signer = hms.HTTPMessageSigner(
            signature_algorithm=hms.algorithms.RSA_V1_5_SHA256,
            key_resolver=hms.MappingKeyResolver(public_keys={}, private_keys={key_id: self.key}),
        )
        signer.sign(
            message,
            key_id=key_id,
            covered_component_ids=("@method", "@target-uri", "content-type"),
            body=body,
        )
        return message.headers


def _handler(peer: Peer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, document: Any = None) -> None:
            body = json.dumps(document).encode() if document is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/activity+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            headers = {name.lower(): value for name, value in self.headers.items()}
            peer.fetches.append(Delivered(self.path, headers, b""))
            if peer.signed_fetch_key is not None and not _signed_get(peer, self.path, headers):
                self._answer(401, {"error": "sign your request"})
                return
            if path in peer.documents:
                self._answer(200, peer.documents[path])
            elif path.startswith("/users/") and path.count("/") == 2:
                self._answer(200, peer.actor_document(path.rsplit("/", 1)[1]))
            else:
                self._answer(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            peer.received.append(Delivered(self.path, headers, body))
            if peer.hold is not None:
                peer.hold.wait(60)
            with contextlib.suppress(OSError):  # the sender may be gone (killed mid-delivery)
                self._answer(peer.answer_status)

    return Handler


def _signed_get(peer: Peer, path: str, headers: dict[str, str]) -> bool:
    """A draft-cavage signature over (request-target), host and date, by a key the test
    vouches for."""
    try:
        fields = dict(
            part.split("=", 1) for part in headers["signature"].replace('"', "").split(",")
        )
        covered = fields["headers"].split()
        if not {"(request-target)", "host", "date"} <= set(covered):
            return False
        lines = [
            f"(request-target): get {path}"
            if name == "(request-target)"
            else f"{name}: {headers[name]}"
            for name in covered
        ]
        key: Any = load_pem_public_key(peer.signed_fetch_key(fields["keyId"]).encode())
        key.verify(
            base64.b64decode(fields["signature"]),
            "\n".join(lines).encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
        return True
    except Exception:
        return False


def start_peer() -> Peer:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    peer = Peer(server=server, key=key)
    server.RequestHandlerClass = _handler(peer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return peer


def send(peer: Peer, inbox: str, activity: dict[str, Any], *, rfc9421: bool = False) -> Any:
    body = json.dumps(activity).encode()
    name = activity["actor"].rsplit("/", 1)[1]
    sign = peer.signed_rfc9421 if rfc9421 else peer.signed_cavage
    return http.post(inbox, content=body, headers=sign(name, inbox, body))


def verify_our_signature(delivered: Delivered, public_pem: str) -> None:
    """Check a delivery's draft-cavage signature as Mastodon does, independently of our code."""
    fields = dict(
        part.split("=", 1) for part in delivered.headers["signature"].replace('"', "").split(",")
    )
    assert fields["algorithm"] == "rsa-sha256"
    covered = fields["headers"].split()
    assert {"(request-target)", "host", "date", "digest"} <= set(covered)
    lines = [
        f"(request-target): post {delivered.path}"
        if name == "(request-target)"
        else f"{name}: {delivered.headers[name]}"
        for name in covered
    ]
    key: Any = load_pem_public_key(public_pem.encode())
    key.verify(
        base64.b64decode(fields["signature"]),
        "\n".join(lines).encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    expected = base64.b64encode(hashlib.sha256(delivered.body).digest()).decode()
    assert delivered.headers["digest"] == f"SHA-256={expected}"


def session_actor(conference: Any) -> str:
    """The test conference's first session as an actor, in this process (`site`)."""
    return f"{http.IN_PROCESS}/e/conf/s/{conference.session.pk}/"


def follow_session(peer: Peer, conference: Any, name: str = "ann") -> None:
    """`name` on the peer follows the conference's session; the queue runs."""
    from tests.support.tasks import run_queued  # its models load once Django is set up

    target = session_actor(conference)
    answer = send(peer, f"{target}ap/inbox/", peer.activity(name, "Follow", target, 1))
    assert answer.status_code == 202, answer.text
    run_queued()
