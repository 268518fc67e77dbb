"""Open Badges 3.0 credentials for our certificates, signed as a VC-JWT with RS256.

What we issue
    An ``OpenBadgeCredential`` (1EdTech Open Badges 3.0, which follows the W3C Verifiable
    Credentials Data Model 2.0): the issuer ``Profile``, an ``AchievementSubject`` and the
    ``Achievement`` (the module), aligned to the DigComp 2.2 competences of the certificate.
    The data model follows OB 3.0 appendix B.1 (AchievementCredential, AchievementSubject,
    Achievement, Alignment, IdentityObject, Profile, CredentialSchema, CredentialStatus,
    Evidence). The ``@context`` adds 1EdTech's ``extensions.json``, which defines the
    ``1EdTechJsonSchemaValidator2019`` and ``1EdTechRevocationList`` types we use (as the
    spec's own examples do).

    Every address in the token answers. The JSON ones (the issuer ``id``: the Profile; the
    header's ``kid``: the key set; ``credentialStatus.id``: the revocation list; the
    achievement ``id``) send ``Access-Control-Allow-Origin: *`` and no credentials, so a
    verifier running in a browser on another site can read them (certificates/views.py).
    The achievement ``id`` is ``/certificaten/prestaties/<module id>/``, or the slug of the
    title once the module is deleted; it answers with the Achievement as JSON, taken from
    the newest certificate for it, so only achievements actually awarded are served.

Where the verification page goes
    ``evidence``: one ``Evidence`` whose ``id`` is the public verification page
    (``/certificaten/controle/<code>/``). OB 3.0 has no property for "the issuer's page
    about this award" (OB 2.0's hosted verification was replaced by proofs, and
    ``credentialStatus`` is for the machine-readable status method); Evidence's ``id`` is
    defined as "the URL of a webpage presenting evidence of achievement", and that page is
    exactly that: the issuer's own public record of what was achieved (module, competences,
    level, date) and whether it still stands. ``credentialStatus`` stays the one place a
    verifier reads revocation from.

How it is signed
    OB 3.0 §8.2 "JSON Web Token Proof Format" (VC-JWT): a compact JWS whose payload is the
    credential itself (VC 2.0 style, no ``vc`` wrapper) plus the registered claims §8.2.4
    asks for: ``iss`` = ``issuer.id``, ``jti`` = ``id``, ``sub`` = ``credentialSubject.id``,
    ``nbf`` = ``validFrom``. We add ``iat`` (same instant as ``nbf``); there is no ``exp``
    because the certificates do not expire. The JOSE header is ``alg`` RS256 (§8.2.3: the
    algorithm "MUST be RS256 as a minimum"; RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3),
    ``typ`` JWT and ``kid``: per §8.2.3 a URI that dereferences to the public JWK, here
    ``<SITE_BASE_URL>/certificaten/uitgever/sleutels.json#<RFC 7638 thumbprint>`` (the JWKS
    address plus the key's ``kid``, the form of the spec's own example). The RSA key
    (``BADGE_RSA_SIGNING_KEY``) has at least 2048 bits; a shorter one is refused.

    Until RS256 the platform signed with EdDSA (Ed25519, ``BADGE_SIGNING_KEY``). That key
    stays: it is in the key set and the issuer profile under its own ``kid`` with ``alg``
    EdDSA, and :func:`credential_verify` accepts EdDSA tokens, so a badge downloaded before
    keeps verifying. A compact JWS carries one signature, so new tokens are RS256 only.
    Signing and verifying go through PyJWT and ``cryptography``; nothing here does
    cryptography itself. The key for a token is chosen by its ``alg`` from a fixed pair
    (RS256: the RSA key, EdDSA: the Ed25519 key), so "none", HMAC or a swapped algorithm
    never verify.

How a badge is revoked
    Revoking the certificate (``certificates.services.certificate_revoke``, from the admin
    or when a learner deletes their account) is all: ``credentialStatus`` (type
    ``1EdTechRevocationList``, the 1EdTech Revocation List Status Method) names
    ``/certificaten/uitgever/ingetrokken.json``, which lists the ``id`` of every revoked
    credential as ``{"id": ..., "revoked": true}`` under ``revokedCredentials``, with the
    list's ``id`` and ``issuer``. It is computed on each request from ``revoked_at``, so the
    token in the learner's wallet (unchanged and still correctly signed) reads as revoked at
    once. Nothing else is in the list: no reason, date, code or name. A mistaken revocation
    undone in the admin (``certificate_restore``) clears ``revoked_at``, so the credential
    leaves the list on the next request: there is no cache to invalidate.

How an outsider verifies
    1. Read the JOSE header; fetch the ``kid`` URL (the key set) and take the key with that
       ``kid``; check the signature (RS256, or EdDSA for older tokens).
    2. Check the claims against the credential (§8.2.4.1): ``iss``, ``sub``, ``jti``,
       ``nbf``; :func:`credential_verify` does 1 and 2 for us.
    3. Fetch ``credentialStatus.id``; the credential is revoked when its ``id`` is listed
       with ``revoked`` true (or no ``revoked``).
    4. For people: ``evidence`` opens the verification page, which says "ingetrokken" too.

Privacy
    The subject is identified by a per-certificate ``urn:uuid`` (OB 3.0 needs ``id`` or an
    ``identifier``; §8.2.4 needs ``sub``) and, only when the learner chose to print one, the
    name as printed. Never a learner id, user name or e-mail address. The revocation list
    holds credential ids only: name-based UUIDs (SHA-1) of the certificate code, which say
    nothing about the learner and cannot practically be turned back into the code (55
    random bits).

Determinism
    The credential depends only on the stored certificate and the settings, and RS256
    (PKCS#1 v1.5) signatures are deterministic, so the same certificate always gives the
    same token.
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
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.text import slugify

from courses.vocabulary import DIGCOMP_COMPETENCES

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
]
CREDENTIAL_SCHEMA = [
    {
        "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
        "ob_v3p0_achievementcredential_schema.json",
        "type": "1EdTechJsonSchemaValidator2019",
    }
]
# What new tokens are signed with (OB 3.0 §8.2.3), and what tokens signed before still use.
ALGORITHM = "RS256"
LEGACY_ALGORITHM = "EdDSA"
RSA_MIN_KEY_BITS = 2048
# Development keys sign nothing anyone relies on: the minimum keeps first use fast (tests
# make one per test). Production brings its own key (docs/architecture.md: 3072 bits).
RSA_GENERATED_KEY_BITS = 2048
REVOCATION_LIST_TYPE = "1EdTechRevocationList"
DIGCOMP_FRAMEWORK = "DigComp 2.2"
DIGCOMP_URL = "https://joint-research-centre.ec.europa.eu/digcomp_en"
# OB 3.0 AchievementType: "acknowledges completion of an assignment, training or other
# activity" fits a module finished with every exercise right better than "Certificate",
# which designates the knowledge of an occupation or academic programme.
ACHIEVEMENT_TYPE = "CertificateOfCompletion"
# The credential's text is signed, so it is in the site language (nl-BE) whatever the
# language of the request, like the alignment labels below.
CRITERIA_NARRATIVE = "De leerder heeft alle lessen en oefeningen van de module juist gemaakt."
EVIDENCE_NAME = "Controlepagina van het certificaat"
EVIDENCE_DESCRIPTION = (
    "Op deze pagina van de uitgever zie je wat de leerder kan en of het certificaat nog geldig is."
)
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


# --- the signing keys -----------------------------------------------------------------------
# Two keys, each from its setting (PEM) or, in development, from a file generated on first
# use. Production requires both settings (see config/settings/production.py), so a lost
# container never silently gets a new key that would make every issued credential
# unverifiable.

_ED25519 = "Ed25519"
_RSA = "RSA"


def ed25519_key() -> Ed25519PrivateKey:
    """The Ed25519 key (``BADGE_SIGNING_KEY``): signed the badges before RS256."""
    return _private_key(settings.BADGE_SIGNING_KEY, settings.BADGE_SIGNING_KEY_FILE, _ED25519)


def rsa_key() -> rsa.RSAPrivateKey:
    """The RSA key (``BADGE_RSA_SIGNING_KEY``, 2048 bits or more) that signs every badge."""
    return _private_key(settings.BADGE_RSA_SIGNING_KEY, settings.BADGE_RSA_SIGNING_KEY_FILE, _RSA)


def _private_key(pem: str | None, path, kind: str):
    if pem:
        # A PEM pasted into a one-line environment variable often arrives with literal
        # "\n" sequences instead of line breaks.
        if "\n" not in pem and "\\n" in pem:
            pem = pem.replace("\\n", "\n")
        return _load_private_key(pem.strip().encode(), kind)
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = _create_key_file(path, kind)
    return _load_private_key(data, kind)


@functools.lru_cache(maxsize=8)
def _load_private_key(pem: bytes, kind: str):
    # Keyed on the PEM bytes, so a changed setting or a replaced file is picked up at once;
    # key objects are immutable, so sharing them between threads is safe.
    setting = "BADGE_SIGNING_KEY" if kind == _ED25519 else "BADGE_RSA_SIGNING_KEY"
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise ImproperlyConfigured(
            f"The badge signing key ({setting}) is not an unencrypted PEM private key."
        ) from exc
    if kind == _ED25519 and not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"The badge signing key ({setting}) must be an Ed25519 key.")
    if kind == _RSA and not (
        isinstance(key, rsa.RSAPrivateKey) and key.key_size >= RSA_MIN_KEY_BITS
    ):
        raise ImproperlyConfigured(
            f"The badge signing key ({setting}) must be an RSA key of at least "
            f"{RSA_MIN_KEY_BITS} bits (OB 3.0 signs with RS256)."
        )
    return key


def _generate_pem(kind: str) -> bytes:
    if kind == _RSA:
        key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_GENERATED_KEY_BITS)
    else:
        key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


def _create_key_file(path: Path, kind: str) -> bytes:
    """Write a new key to ``path`` unless another process is faster; return the key in use.

    The key is written to a temporary file in the same directory (mkstemp: mode 0o600) and
    then hard-linked into place. Linking is atomic and fails if the file exists, so readers
    never see half a key and two racing processes end up with the same key: the loser reads
    the winner's file instead of replacing it (os.replace would let the last writer win, and
    credentials signed with the first key would stop verifying).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = _generate_pem(kind)
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


# --- the public keys ------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_uint(value: int) -> str:
    # RFC 7518 §6.3.1: unsigned big-endian, in as few octets as possible.
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8 or 1, "big"))


def _thumbprint(required_members: dict) -> str:
    """RFC 7638 JWK thumbprint: stable, and derivable by anyone from the public key."""
    # The required members only, in lexicographic order, without whitespace.
    canonical = json.dumps(required_members, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def ed25519_jwk() -> dict:
    raw = (
        ed25519_key()
        .public_key()
        .public_bytes(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)
    )
    # RFC 8037 §2: the required members of an OKP key are crv, kty and x.
    members = {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": members["x"],
        "kid": _thumbprint(members),
        "alg": LEGACY_ALGORITHM,
        "use": "sig",
    }


def rsa_jwk() -> dict:
    numbers = rsa_key().public_key().public_numbers()
    # RFC 7638 §3.2: the required members of an RSA key are e, kty and n.
    members = {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)}
    return {
        "kty": "RSA",
        "n": members["n"],
        "e": members["e"],
        "kid": _thumbprint(members),
        "alg": ALGORITHM,
        "use": "sig",
    }


def public_jwks() -> dict:
    # The signing key first: a verifier that ignores kid tries it first.
    return {"keys": [rsa_jwk(), ed25519_jwk()]}


# --- addresses ------------------------------------------------------------------------------


def _base_url() -> str:
    return settings.SITE_BASE_URL.rstrip("/")


def issuer_id() -> str:
    return f"{_base_url()}/certificaten/uitgever/"


def jwks_url() -> str:
    return f"{_base_url()}/certificaten/uitgever/sleutels.json"


def revocation_list_url() -> str:
    return f"{_base_url()}/certificaten/uitgever/ingetrokken.json"


def key_url(jwk: dict) -> str:
    """A key's URI: the JWK Set address with the key's ``kid`` as fragment.

    Used both as the JOSE header ``kid`` and as the verification method id in the issuer
    profile, so there is one name for each key everywhere.
    """
    return f"{jwks_url()}#{jwk['kid']}"


def verification_url(certificate) -> str:
    return f"{_base_url()}/certificaten/controle/{certificate.display_code}/"


def credential_id(certificate) -> str:
    return credential_id_for_code(certificate.code)


def credential_id_for_code(code: str) -> str:
    return f"urn:uuid:{uuid.uuid5(CREDENTIAL_NAMESPACE, code)}"


def subject_id(certificate) -> str:
    # Per certificate, not per learner: two credentials of one learner cannot be linked
    # through it, and it says nothing about who the learner is.
    return f"urn:uuid:{uuid.uuid5(SUBJECT_NAMESPACE, certificate.code)}"


def achievement_key_for_title(module_title: str) -> str:
    """The achievement's key once its module is deleted: the title snapshot as a slug."""
    return slugify(module_title) or "module"


def achievement_key(certificate) -> str:
    if certificate.module_id is None:
        return achievement_key_for_title(certificate.module_title)
    return str(certificate.module_id)


def achievement_id(certificate) -> str:
    return f"{_base_url()}/certificaten/prestaties/{achievement_key(certificate)}/"


# --- the documents --------------------------------------------------------------------------


def issuer_profile() -> dict:
    keys = public_jwks()["keys"]
    return {
        "@context": list(CONTEXT),
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.ISSUER_NAME,
        "url": f"{_base_url()}/",
        # Not part of the OB 3.0 Profile class (which allows extra properties): lets a
        # verifier that starts from the issuer find the keys. Each id is a header's kid.
        "verificationMethod": [
            {
                "id": key_url(jwk),
                "type": "JsonWebKey",
                "controller": issuer_id(),
                "publicKeyJwk": jwk,
            }
            for jwk in keys
        ],
        "assertionMethod": [key_url(jwk) for jwk in keys],
    }


def revocation_list(revoked_codes) -> dict:
    """The 1EdTech Revocation List of ``revoked_codes`` (the codes of revoked certificates).

    Only credential ids, sorted so the order tells nothing about when or why; ``revoked``
    is explicit although the method reads a missing one as true.
    """
    ids = sorted({credential_id_for_code(code) for code in revoked_codes})
    return {
        "id": revocation_list_url(),
        "issuer": issuer_id(),
        "revokedCredentials": [{"id": credential, "revoked": True} for credential in ids],
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


def achievement(certificate) -> dict:
    """The ``Achievement`` (the module, as the certificate's snapshot describes it)."""
    # Labels are lazy translations: render them in the site language so the signed content
    # does not depend on the language of the request that asked for it.
    with translation.override(settings.LANGUAGE_CODE):
        alignments = _alignments(certificate)
    return {
        "id": achievement_id(certificate),
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPE,
        "name": certificate.module_title,
        "description": _description(certificate),
        "criteria": {"narrative": CRITERIA_NARRATIVE},
        "alignment": alignments,
        "tag": [f"niveau {certificate.level}"],
        "inLanguage": "nl-BE",
    }


def achievement_document(certificate) -> dict:
    """What the achievement's ``id`` answers: the Achievement as a JSON-LD document."""
    return {"@context": list(CONTEXT), **achievement(certificate)}


def credential(certificate) -> dict:
    """The unsigned OpenBadgeCredential for ``certificate``."""
    subject = {
        "id": subject_id(certificate),
        "type": ["AchievementSubject"],
        "achievement": achievement(certificate),
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
        # The issuer's public page about this award (see "Where the verification page goes").
        "evidence": [
            {
                "id": verification_url(certificate),
                "type": ["Evidence"],
                "name": EVIDENCE_NAME,
                "description": EVIDENCE_DESCRIPTION,
            }
        ],
        "credentialSchema": [dict(schema) for schema in CREDENTIAL_SCHEMA],
        # 1EdTech Revocation List Status Method: the list's URL and the method's name.
        "credentialStatus": {"id": revocation_list_url(), "type": REVOCATION_LIST_TYPE},
    }


# --- signing and verifying ------------------------------------------------------------------


def credential_jwt(certificate) -> str:
    """The credential as a compact JWS (OB 3.0 §8.2), signed RS256 with :func:`rsa_key`."""
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
        rsa_key(),
        algorithm=ALGORITHM,
        headers={"kid": key_url(rsa_jwk()), "typ": "JWT"},
    )


# Each accepted algorithm has exactly one key: the header's alg picks it, and is then the
# only algorithm PyJWT may use with it. Anything else ("none", HMAC, ES256) is refused.
_VERIFYING_KEYS = {ALGORITHM: rsa_key, LEGACY_ALGORITHM: ed25519_key}


def credential_verify(token: str) -> dict:
    """The payload of ``token`` if one of our keys signed it and its claims match.

    RS256 tokens are checked with the RSA key, EdDSA tokens (signed before RS256) with the
    Ed25519 key. Raises :class:`BadgeVerificationError` otherwise: malformed token, another
    algorithm, another key, a changed payload, or claims that contradict the credential
    (§8.2.4.1).
    """
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise BadgeVerificationError("Not a compact JWS.")
    token = token.strip()
    try:
        # The header is attacker-controlled: it only chooses between our two fixed pairs.
        algorithm = jwt.get_unverified_header(token).get("alg")
        key = _VERIFYING_KEYS.get(algorithm)
        if key is None:
            raise BadgeVerificationError(f"Algorithm {algorithm!r} is not accepted.")
        payload = jwt.decode(
            token,
            key().public_key(),
            algorithms=[algorithm],
            options={"require": ["iss", "jti", "sub", "nbf"], "verify_aud": False},
            leeway=LEEWAY_SECONDS,
        )
    except (jwt.PyJWTError, ValueError, TypeError, AttributeError) as exc:
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
