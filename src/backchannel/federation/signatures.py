"""HTTP signatures, as the fediverse uses them (docs/federation.md).

Out: every request is signed as Mastodon expects, draft-cavage-http-signatures with
`rsa-sha256`, covering `(request-target) host date` and, with a body, `digest` (SHA-256).
In: that, or RFC 9421 (`Signature-Input`, `rsa-v1_5-sha256`, verified by the
`http-message-signatures` library). The key is found by its id: `key_id(headers)` says which,
the caller fetches it (federation/remote.py) and `verify()` checks.

Pure functions: no database, no network."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import http_message_signatures as hms
import http_sf
from cryptography.exceptions import InvalidSignature as BadRsaSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# Mastodon refuses a signature dated more than 12 hours away from its clock; so do we.
CLOCK_WINDOW = dt.timedelta(hours=12)


class SignatureError(ValueError):
    """Unsigned, malformed, stale or not matching: the request is refused (401)."""


@dataclass(frozen=True)
class Incoming:
    """What `verify` needs of a request: lower-case header names."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes


def digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("Our keys are RSA.")
    return key


def sign(
    method: str,
    url: str,
    *,
    key_id: str,
    private_pem: str,
    body: bytes | None = None,
    now: dt.datetime | None = None,
    private_key: rsa.RSAPrivateKey | None = None,
) -> dict[str, str]:
    """The headers that sign a request (Host, Date, Digest with a body, Signature).
    `private_key`: the loaded key, when the caller signs many requests with one."""
    address = urlsplit(url)
    target = f"{method.lower()} {address.path or '/'}" + (
        f"?{address.query}" if address.query else ""
    )
    headers = {
        "Host": address.netloc,
        "Date": format_datetime(now or dt.datetime.now(dt.UTC), usegmt=True),
    }
    covered = ["(request-target)", "host", "date"]
    if body is not None:
        headers["Digest"] = digest(body)
        covered.append("digest")
    lines = [f"(request-target): {target}"] + [
        f"{name}: {headers[name.title()]}" for name in covered[1:]
    ]
    key = private_key or load_private_key(private_pem)
    signature = key.sign("\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
    headers["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(covered)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return headers


def _cavage_parameters(value: str) -> dict[str, str]:
    parameters: dict[str, str] = {}
    for part in value.split(","):
        name, equals, quoted = part.strip().partition("=")
        if not equals:
            raise SignatureError('The Signature header is not name="value" pairs.')
        parameters[name.strip().lower()] = quoted.strip().strip('"')
    return parameters


def key_id(request: Incoming) -> str:
    """The id of the key the request says it is signed with."""
    if "signature-input" in request.headers:
        try:
            inputs: Any = http_sf.parse(
                request.headers["signature-input"].encode(), tltype="dictionary"
            )
            for _label, (_components, parameters) in inputs.items():
                if "keyid" in parameters:
                    return str(parameters["keyid"])
        except (ValueError, TypeError, AttributeError) as exc:
            raise SignatureError("The Signature-Input header does not parse.") from exc
        raise SignatureError("The signature names no key.")
    if "signature" not in request.headers:
        raise SignatureError("The request is not signed.")
    found = _cavage_parameters(request.headers["signature"]).get("keyid", "")
    if not found:
        raise SignatureError("The signature names no key.")
    return found


def _check_date(request: Incoming, now: dt.datetime) -> None:
    try:
        when = parsedate_to_datetime(request.headers.get("date", ""))
    except (TypeError, ValueError) as exc:
        raise SignatureError("The request's Date is missing or not a date.") from exc
    if when.tzinfo is None or abs(now - when) > CLOCK_WINDOW:
        raise SignatureError("The request's Date is too far from now.")


def _check_digest(request: Incoming) -> None:
    stated = request.headers.get("digest", "")
    for part in stated.split(","):
        algorithm, _, value = part.strip().partition("=")
        if algorithm.upper() == "SHA-256":
            if f"SHA-256={value}" == digest(request.body):
                return
            raise SignatureError("The Digest does not match the body.")
    raise SignatureError("A request with a body must carry a SHA-256 Digest.")


def _verify_cavage(request: Incoming, public_key: rsa.RSAPublicKey, now: dt.datetime) -> None:
    parameters = _cavage_parameters(request.headers["signature"])
    if parameters.get("algorithm", "rsa-sha256") not in ("rsa-sha256", "hs2019"):
        raise SignatureError("Only rsa-sha256 signatures are accepted.")
    covered = parameters.get("headers", "date").lower().split()
    needed = {"(request-target)", "host", "date"} | ({"digest"} if request.body else set())
    if not needed <= set(covered):
        raise SignatureError(f"The signature must cover {', '.join(sorted(needed))}.")
    address = urlsplit(request.url)
    target = address.path + (f"?{address.query}" if address.query else "")
    lines = []
    for name in covered:
        if name == "(request-target)":
            lines.append(f"(request-target): {request.method.lower()} {target}")
        elif name in request.headers:
            lines.append(f"{name}: {request.headers[name]}")
        else:
            raise SignatureError(f"The signed header {name} is missing.")
    try:
        signature = base64.b64decode(parameters.get("signature", ""), validate=True)
        public_key.verify(signature, "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
    except (ValueError, BadRsaSignature) as exc:
        raise SignatureError("The signature does not match.") from exc
    _check_date(request, now)
    if request.body:
        _check_digest(request)


class _Message:
    """The request as http-message-signatures reads it."""

    def __init__(self, request: Incoming) -> None:
        self.method = request.method.upper()
        self.url = request.url
        self.headers = dict(request.headers)


def _verify_rfc9421(request: Incoming, public_key: rsa.RSAPublicKey, key: str) -> None:
    verifier = hms.HTTPMessageVerifier(
        signature_algorithm=hms.algorithms.RSA_V1_5_SHA256,
        key_resolver=hms.MappingKeyResolver(public_keys={key: public_key}, private_keys={}),
    )
    verifier.max_clock_skew = CLOCK_WINDOW
    try:
        verifier.verify(
            _Message(request),
            max_age=CLOCK_WINDOW,
            require_components=("@method", "@target-uri"),
            body=request.body or None,
        )
    except hms.HTTPMessageSignaturesException as exc:
        raise SignatureError(f"The signature does not verify: {exc}"[:200]) from exc


def public_key(pem: str) -> rsa.RSAPublicKey:
    try:
        key: Any = serialization.load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise SignatureError("The actor's public key is not a PEM key.") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("Only RSA keys are accepted.")
    return key


def verify(request: Incoming, public_pem: str, *, now: dt.datetime | None = None) -> None:
    """Raise SignatureError unless `request` is signed by the key whose PEM is given."""
    key = public_key(public_pem)
    if "signature-input" in request.headers:
        _verify_rfc9421(request, key, key_id(request))
    elif "signature" in request.headers:
        _verify_cavage(request, key, now or dt.datetime.now(dt.UTC))
    else:
        raise SignatureError("The request is not signed.")
