"""Open Badges 3.0 credentials for our certificates, signed as a VC-JWT with Ed25519.

What we issue
    An ``OpenBadgeCredential`` (1EdTech Open Badges 3.0, which follows the W3C Verifiable
    Credentials Data Model 2.0): the issuer ``Profile``, an ``AchievementSubject`` and the
    ``Achievement`` (the module), aligned to the DigComp 2.2 competences of the certificate.
    The data model follows OB 3.0 appendix B.1 (AchievementCredential, AchievementSubject,
    Achievement, Alignment, IdentityObject, Profile, CredentialSchema).

How it is signed
    OB 3.0 §8.2 "JSON Web Token Proof Format" (VC-JWT): a compact JWS whose payload is the
    credential itself (VC 2.0 style, no ``vc`` wrapper) plus the registered claims §8.2.4
    asks for: ``iss`` = ``issuer.id``, ``jti`` = ``id``, ``sub`` = ``credentialSubject.id``,
    ``nbf`` = ``validFrom``. We add ``iat`` (same instant as ``nbf``); there is no ``exp``
    because the certificates do not expire. The JOSE header is ``alg`` EdDSA (RFC 8037),
    ``typ`` JWT and ``kid``: per §8.2.3 a URI that dereferences to the public JWK, here
    ``<SITE_BASE_URL>/certificaten/uitgever/sleutels.json#<RFC 7638 thumbprint>`` (the JWKS
    address plus the key's ``kid``, the form of the spec's own example). Signing and
    verifying go through PyJWT and ``cryptography``; nothing here does cryptography itself.

Privacy
    The subject is identified by a per-certificate ``urn:uuid`` (OB 3.0 needs ``id`` or an
    ``identifier``; §8.2.4 needs ``sub``) and, only when the learner chose to print one, the
    name as printed. Never a learner id, user name or e-mail address.

Determinism
    The credential depends only on the stored certificate and the settings, and Ed25519
    signatures are deterministic, so the same certificate always gives the same token.
"""

import base64
import contextlib
import functools
import hashlib
import json
import os
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import jwt
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.text import slugify

from courses.vocabulary import DIGCOMP_COMPETENCES

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CREDENTIAL_SCHEMA = [
    {
        "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
        "ob_v3p0_achievementcredential_schema.json",
        "type": "1EdTechJsonSchemaValidator2019",
    }
]
ALGORITHM = "EdDSA"
DIGCOMP_FRAMEWORK = "DigComp 2.2"
DIGCOMP_URL = "https://joint-research-centre.ec.europa.eu/digcomp_en"
# OB 3.0 AchievementType: "acknowledges completion of an assignment, training or other
# activity" fits a module finished with every exercise right better than "Certificate",
# which designates the knowledge of an occupation or academic programme.
ACHIEVEMENT_TYPE = "CertificateOfCompletion"
CRITERIA_NARRATIVE = "De leerder heeft alle lessen en oefeningen van de module juist gemaakt."
# Fixed namespaces, so a certificate's credential and subject ids stay the same across
# deployments and a change of SITE_BASE_URL. Never change them.
CREDENTIAL_NAMESPACE = uuid.UUID("c731b05e-3bd6-4881-8e1b-42373174d5bf")
SUBJECT_NAMESPACE = uuid.UUID("80979f04-9201-4b8b-8e0c-05e18e0ca465")
# The verification page passes user input here; a real token is a few kilobytes.
MAX_TOKEN_LENGTH = 64 * 1024
# Clock difference between servers tolerated on nbf/iat.
LEEWAY_SECONDS = 60


class BadgeVerificationError(Exception):
    """The token is not a credential signed by our key, or its claims do not match it."""


# --- the signing key ------------------------------------------------------------------------


def signing_key() -> Ed25519PrivateKey:
    """The Ed25519 private key: ``BADGE_SIGNING_KEY`` (PEM) or, in development, the key file.

    The file is generated on first use. Production requires the setting (see
    config/settings/production.py), so a lost container never silently gets a new key
    that would make every issued credential unverifiable.
    """
    pem = settings.BADGE_SIGNING_KEY
    if pem:
        # A PEM pasted into a one-line environment variable often arrives with literal
        # "\n" sequences instead of line breaks.
        if "\n" not in pem and "\\n" in pem:
            pem = pem.replace("\\n", "\n")
        return _load_private_key(pem.strip().encode())
    path = Path(settings.BADGE_SIGNING_KEY_FILE)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = _create_key_file(path)
    return _load_private_key(data)


@functools.lru_cache(maxsize=4)
def _load_private_key(pem: bytes) -> Ed25519PrivateKey:
    # Keyed on the PEM bytes, so a changed setting or a replaced file is picked up at once;
    # key objects are immutable, so sharing them between threads is safe.
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise ImproperlyConfigured(
            "The badge signing key is not an unencrypted PEM private key."
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("The badge signing key must be an Ed25519 key.")
    return key


def _create_key_file(path: Path) -> bytes:
    """Write a new key to ``path`` unless another process is faster; return the key in use.

    The key is written to a temporary file in the same directory (mkstemp: mode 0o600) and
    then hard-linked into place. Linking is atomic and fails if the file exists, so readers
    never see half a key and two racing processes end up with the same key: the loser reads
    the winner's file instead of replacing it (os.replace would let the last writer win, and
    credentials signed with the first key would stop verifying).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".badge-key-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return path.read_bytes()
        except OSError:
            # A file system without hard links: still atomic, only the race is not covered.
            if path.exists():
                return path.read_bytes()
            os.replace(temporary, path)
        return pem
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


# --- the public key -------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _public_x() -> str:
    raw = (
        signing_key()
        .public_key()
        .public_bytes(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)
    )
    return _b64url(raw)


def key_id() -> str:
    """RFC 7638 JWK thumbprint of the public key: stable, and derivable by anyone from it."""
    # RFC 8037 §2: the required members of an OKP key are crv, kty and x; RFC 7638 hashes
    # them in lexicographic order without whitespace.
    members = {"crv": "Ed25519", "kty": "OKP", "x": _public_x()}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def public_jwk() -> dict:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": _public_x(),
        "kid": key_id(),
        "alg": ALGORITHM,
        "use": "sig",
    }


def public_jwks() -> dict:
    return {"keys": [public_jwk()]}


# --- addresses ------------------------------------------------------------------------------


def _base_url() -> str:
    return settings.SITE_BASE_URL.rstrip("/")


def issuer_id() -> str:
    return f"{_base_url()}/certificaten/uitgever/"


def jwks_url() -> str:
    return f"{_base_url()}/certificaten/uitgever/sleutels.json"


def key_url() -> str:
    """The key's URI: the JWK Set address with the key's ``kid`` as fragment.

    Used both as the JOSE header ``kid`` and as the verification method id in the issuer
    profile, so there is one name for the key everywhere.
    """
    return f"{jwks_url()}#{key_id()}"


def verification_url(certificate) -> str:
    return f"{_base_url()}/certificaten/controle/{certificate.display_code}/"


def credential_id(certificate) -> str:
    return f"urn:uuid:{uuid.uuid5(CREDENTIAL_NAMESPACE, certificate.code)}"


def subject_id(certificate) -> str:
    # Per certificate, not per learner: two credentials of one learner cannot be linked
    # through it, and it says nothing about who the learner is.
    return f"urn:uuid:{uuid.uuid5(SUBJECT_NAMESPACE, certificate.code)}"


def achievement_id(certificate) -> str:
    key = certificate.module_id
    if key is None:
        # The module was deleted; the title snapshot still names the achievement.
        key = slugify(certificate.module_title) or "module"
    return f"{_base_url()}/certificaten/prestaties/{key}/"


# --- the documents --------------------------------------------------------------------------


def issuer_profile() -> dict:
    jwk = public_jwk()
    return {
        "@context": list(CONTEXT),
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.ISSUER_NAME,
        "url": f"{_base_url()}/",
        # Not part of the OB 3.0 Profile class (which allows extra properties): lets a
        # verifier that starts from the issuer find the key. The id is the header's kid.
        "verificationMethod": [
            {
                "id": key_url(),
                "type": "JsonWebKey",
                "controller": issuer_id(),
                "publicKeyJwk": jwk,
            }
        ],
        "assertionMethod": [key_url()],
    }


def _valid_from(certificate) -> datetime:
    issued_at = certificate.issued_at
    if timezone.is_naive(issued_at):
        issued_at = timezone.make_aware(issued_at, UTC)
    # Whole seconds: nbf is an integer and §8.2.4 requires nbf to equal validFrom.
    return issued_at.astimezone(UTC).replace(microsecond=0)


def _description(certificate) -> str:
    sentences = []
    for outcome in certificate.outcomes or []:
        text = str(outcome).strip()
        if text:
            sentences.append(text if text[-1] in ".!?" else f"{text}.")
    if sentences:
        return " ".join(sentences)
    # OB 3.0 requires a description; older certificates may have no outcomes stored.
    return f"De leerder heeft de module {certificate.module_title} afgewerkt."


def _alignments(certificate) -> list[dict]:
    alignments = []
    for code in certificate.competences or []:
        label = DIGCOMP_COMPETENCES.get(code)
        name = f"{DIGCOMP_FRAMEWORK} {code} {label}" if label else f"{DIGCOMP_FRAMEWORK} {code}"
        # No targetType: its vocabulary (CASE, CTDL) does not contain DigComp.
        alignments.append(
            {
                "type": ["Alignment"],
                "targetName": name,
                "targetCode": code,
                "targetFramework": DIGCOMP_FRAMEWORK,
                "targetUrl": DIGCOMP_URL,
            }
        )
    return alignments


def credential(certificate) -> dict:
    """The unsigned OpenBadgeCredential for ``certificate``."""
    # Labels are lazy translations: render them in the site language so the signed content
    # does not depend on the language of the request that asked for it.
    with translation.override(settings.LANGUAGE_CODE):
        alignments = _alignments(certificate)
    subject = {
        "id": subject_id(certificate),
        "type": ["AchievementSubject"],
        "achievement": {
            "id": achievement_id(certificate),
            "type": ["Achievement"],
            "achievementType": ACHIEVEMENT_TYPE,
            "name": certificate.module_title,
            "description": _description(certificate),
            "criteria": {"narrative": CRITERIA_NARRATIVE},
            "alignment": alignments,
            "tag": [f"niveau {certificate.level}"],
            "inLanguage": "nl-BE",
        },
    }
    if certificate.name_printed:
        # The name the learner chose to print, as on the PDF; nothing else about them.
        # IdentityObject's type is a single IRI in OB 3.0 (B.1.12), not a list.
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityHash": certificate.name_printed,
                "identityType": "name",
                "hashed": False,
            }
        ]
    return {
        "@context": list(CONTEXT),
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": settings.ISSUER_NAME},
        "validFrom": _valid_from(certificate).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": certificate.module_title,
        "credentialSubject": subject,
        "credentialSchema": [dict(schema) for schema in CREDENTIAL_SCHEMA],
    }


# --- signing and verifying ------------------------------------------------------------------


def credential_jwt(certificate) -> str:
    """The credential as a compact JWS (OB 3.0 §8.2), signed with :func:`signing_key`."""
    payload = credential(certificate)
    issued = int(_valid_from(certificate).timestamp())
    payload |= {
        "iss": payload["issuer"]["id"],
        "jti": payload["id"],
        "sub": payload["credentialSubject"]["id"],
        "nbf": issued,
        # The issue time of the certificate, not of this encoding: keeps the token the
        # same on every download.
        "iat": issued,
    }
    return jwt.encode(
        payload,
        signing_key(),
        algorithm=ALGORITHM,
        headers={"kid": key_url(), "typ": "JWT"},
    )


def credential_verify(token: str) -> dict:
    """The payload of ``token`` if our key signed it and its claims match the credential.

    Raises :class:`BadgeVerificationError` otherwise: malformed token, another algorithm,
    another key, a changed payload, or claims that contradict the credential (§8.2.4.1).
    """
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise BadgeVerificationError("Not a compact JWS.")
    try:
        payload = jwt.decode(
            token.strip(),
            signing_key().public_key(),
            # Fixed list: the header's alg is attacker-controlled (no "none", no HMAC).
            algorithms=[ALGORITHM],
            options={"require": ["iss", "jti", "sub", "nbf"], "verify_aud": False},
            leeway=LEEWAY_SECONDS,
        )
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise BadgeVerificationError(str(exc)) from exc
    _check_claims(payload)
    return payload


def _check_claims(payload: dict) -> None:
    types = payload.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise BadgeVerificationError("Not a verifiable credential.")
    if "OpenBadgeCredential" not in types and "AchievementCredential" not in types:
        raise BadgeVerificationError("Not an Open Badges credential.")
    issuer = payload.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    subject = payload.get("credentialSubject")
    subject = subject.get("id") if isinstance(subject, dict) else None
    if payload["iss"] != issuer:
        raise BadgeVerificationError("iss does not match issuer.id.")
    if payload["jti"] != payload.get("id"):
        raise BadgeVerificationError("jti does not match id.")
    if payload["sub"] != subject:
        raise BadgeVerificationError("sub does not match credentialSubject.id.")
    try:
        valid_from = datetime.fromisoformat(payload["validFrom"])
    except (KeyError, TypeError, ValueError) as exc:
        raise BadgeVerificationError("validFrom is missing or not a date-time.") from exc
    if valid_from.tzinfo is None or int(valid_from.timestamp()) != payload["nbf"]:
        raise BadgeVerificationError("nbf does not match validFrom.")
