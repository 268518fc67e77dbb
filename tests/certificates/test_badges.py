import base64
import json
import stat

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates import badges, codes
from certificates.models import Certificate
from learning.factories import LearnerFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "https://leren.example.be"


@pytest.fixture(autouse=True)
def badge_settings(settings, tmp_path):
    settings.SITE_BASE_URL = BASE
    settings.ISSUER_NAME = "Digibank Westhoek"
    settings.BADGE_SIGNING_KEY = None
    settings.BADGE_SIGNING_KEY_FILE = tmp_path / "keys" / "key.pem"
    return settings


def make_certificate(**overrides):
    fields = {
        "learner": None,
        "module": None,
        "module_title": "Je eID, kaartlezer en pincode",
        "competences": ["2.6", "5.1"],
        "level": 1,
        "outcomes": ["Je kunt je eID lezen met een kaartlezer.", "Je kent je pincode."],
        "name_printed": "Marie",
        "code": codes.generate(),
    }
    return Certificate.objects.create(**(fields | overrides))


def published_key():
    """The public key as an outside verifier gets it: from the JWKS document only."""
    (jwk,) = badges.public_jwks()["keys"]
    assert "d" not in jwk  # never the private part
    return jwt.PyJWK(jwk, algorithm="EdDSA").key


def b64url_json(segment):
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def b64url_encode(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_key_file_is_generated_once_private_and_reused(settings):
    path = settings.BADGE_SIGNING_KEY_FILE
    assert not path.exists()

    first_kid = badges.key_id()

    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_bytes()
    assert content.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert badges.key_id() == first_kid
    assert path.read_bytes() == content
    # No temporary files are left next to the key.
    assert list(path.parent.iterdir()) == [path]


def test_public_jwk_has_thumbprint_kid():
    jwk = badges.public_jwk()
    assert jwk == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": jwk["x"],
        "kid": badges.key_id(),
        "alg": "EdDSA",
        "use": "sig",
    }
    assert len(base64.urlsafe_b64decode(jwk["x"] + "=")) == 32


def test_key_id_matches_the_rfc_8037_thumbprint_example(settings):
    # RFC 8037 appendix A.1 (the key) and A.3 (its RFC 7638 thumbprint).
    d = base64.urlsafe_b64decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")
    settings.BADGE_SIGNING_KEY = (
        Ed25519PrivateKey.from_private_bytes(d)
        .private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        )
        .decode()
    )

    assert badges.public_jwk()["x"] == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    assert badges.key_id() == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_jwt_verifies_with_the_published_jwk():
    certificate = make_certificate()
    token = badges.credential_jwt(certificate)

    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    assert header["typ"] == "JWT"
    assert header["kid"] == f"{BASE}/certificaten/uitgever/sleutels.json#{badges.key_id()}"
    assert set(header) <= {"alg", "kid", "typ", "jwk"}  # OB 3.0 §8.2.3 allows no others

    payload = jwt.decode(token, published_key(), algorithms=["EdDSA"])
    assert payload["iss"] == f"{BASE}/certificaten/uitgever/"
    assert payload["jti"] == payload["id"]
    assert payload["sub"] == payload["credentialSubject"]["id"]
    assert payload["nbf"] == int(certificate.issued_at.timestamp())
    assert payload["credentialSubject"]["achievement"]["name"] == certificate.module_title

    assert badges.credential_verify(token) == payload


def test_same_certificate_gives_the_same_token():
    certificate = make_certificate()
    assert badges.credential_jwt(certificate) == badges.credential_jwt(certificate)


def test_changed_character_in_payload_fails():
    token = badges.credential_jwt(make_certificate())
    header, payload, signature = token.split(".")
    position = len(payload) // 2
    replacement = "A" if payload[position] != "A" else "B"
    tampered = ".".join(
        [header, payload[:position] + replacement + payload[position + 1 :], signature]
    )

    with pytest.raises(badges.BadgeVerificationError):
        badges.credential_verify(tampered)
    with pytest.raises(jwt.PyJWTError):
        jwt.decode(tampered, published_key(), algorithms=["EdDSA"])


def test_modified_payload_with_original_signature_fails():
    token = badges.credential_jwt(make_certificate())
    header, payload, signature = token.split(".")
    claims = b64url_json(payload)
    claims["credentialSubject"]["achievement"]["name"] = "Iets anders"
    tampered = ".".join([header, b64url_encode(claims), signature])

    with pytest.raises(badges.BadgeVerificationError):
        badges.credential_verify(tampered)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(tampered, published_key(), algorithms=["EdDSA"])


def test_token_signed_by_another_key_fails():
    certificate = make_certificate()
    payload = badges.credential_verify(badges.credential_jwt(certificate))
    forged = jwt.encode(
        payload,
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": badges.key_url()},
    )

    with pytest.raises(badges.BadgeVerificationError):
        badges.credential_verify(forged)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, published_key(), algorithms=["EdDSA"])


@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", "a.b.c", "x" * (badges.MAX_TOKEN_LENGTH + 1), None],
)
def test_malformed_tokens_fail(token):
    with pytest.raises(badges.BadgeVerificationError):
        badges.credential_verify(token)


def test_other_algorithms_fail():
    payload = badges.credential_verify(badges.credential_jwt(make_certificate()))
    unsigned = jwt.encode(payload, None, algorithm="none")
    hmac = jwt.encode(payload, "gedeeld-geheim-van-minstens-32-tekens!", algorithm="HS256")

    for token in (unsigned, hmac):
        with pytest.raises(badges.BadgeVerificationError):
            badges.credential_verify(token)


def test_signed_claims_must_match_the_credential():
    payload = badges.credential_verify(badges.credential_jwt(make_certificate()))
    signed = jwt.encode(
        payload | {"sub": "urn:uuid:00000000-0000-0000-0000-000000000000"},
        badges.signing_key(),
        algorithm="EdDSA",
    )

    with pytest.raises(badges.BadgeVerificationError, match="sub"):
        badges.credential_verify(signed)


def test_credential_is_an_open_badge_aligned_to_digcomp():
    certificate = make_certificate()
    credential = badges.credential(certificate)

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"].startswith("urn:uuid:")
    assert credential["issuer"] == {
        "id": f"{BASE}/certificaten/uitgever/",
        "type": ["Profile"],
        "name": "Digibank Westhoek",
    }
    assert credential["validFrom"].endswith("Z")
    assert credential["credentialSchema"][0]["type"] == "1EdTechJsonSchemaValidator2019"

    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "Je eID, kaartlezer en pincode"
    assert achievement["description"] == (
        "Je kunt je eID lezen met een kaartlezer. Je kent je pincode."
    )
    assert achievement["criteria"]["narrative"].startswith("De leerder heeft")
    assert achievement["id"] == (
        f"{BASE}/certificaten/prestaties/{badges.slugify(certificate.module_title)}/"
    )
    assert [alignment["targetCode"] for alignment in achievement["alignment"]] == ["2.6", "5.1"]
    assert achievement["alignment"][0] == {
        "type": ["Alignment"],
        "targetName": "DigComp 2.2 2.6 Je digitale identiteit beheren",
        "targetCode": "2.6",
        "targetFramework": "DigComp 2.2",
        "targetUrl": "https://joint-research-centre.ec.europa.eu/digcomp_en",
    }
    assert achievement["alignment"][1]["targetName"] == (
        "DigComp 2.2 5.1 Technische problemen oplossen"
    )
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityHash": "Marie", "identityType": "name", "hashed": False}
    ]


def test_credential_ids_are_stable_and_per_certificate():
    certificate = make_certificate()
    other = make_certificate()

    first = badges.credential(certificate)
    assert badges.credential(Certificate.objects.get(pk=certificate.pk)) == first
    second = badges.credential(other)
    assert second["id"] != first["id"]
    assert second["credentialSubject"]["id"] != first["credentialSubject"]["id"]
    assert first["credentialSubject"]["id"] != first["id"]


def test_no_learner_data_in_the_credential():
    user = UserFactory(username="marie.peeters", email="marie.peeters@example.be")
    learner = LearnerFactory(user=user)
    certificate = make_certificate(learner=learner)

    token = badges.credential_jwt(certificate)
    text = json.dumps(badges.credential_verify(token))

    for secret in (
        user.username,
        user.email,
        str(learner.public_id),
        learner.public_id.hex,
        f'"{learner.pk}"',
    ):
        assert secret not in text
    for key in ('"learner"', '"user"', '"username"', '"email"'):
        assert key not in text


def test_no_identifier_without_a_printed_name():
    credential = badges.credential(make_certificate(name_printed=""))
    subject = credential["credentialSubject"]
    assert "identifier" not in subject
    # OB 3.0 needs an id or an identifier; the id is a pseudonym.
    assert subject["id"].startswith("urn:uuid:")


def test_signing_key_from_setting_is_used_instead_of_file(settings):
    key = Ed25519PrivateKey.generate()
    settings.BADGE_SIGNING_KEY = key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode()

    token = badges.credential_jwt(make_certificate())

    assert not settings.BADGE_SIGNING_KEY_FILE.exists()
    assert jwt.decode(token, key.public_key(), algorithms=["EdDSA"])["iss"] == badges.issuer_id()
    assert badges.credential_verify(token)["jti"].startswith("urn:uuid:")


def test_issuer_profile_publishes_the_key():
    profile = badges.issuer_profile()

    assert profile["id"] == f"{BASE}/certificaten/uitgever/"
    assert profile["type"] == ["Profile"]
    assert profile["url"] == f"{BASE}/"
    (method,) = profile["verificationMethod"]
    assert (
        method["id"] == jwt.get_unverified_header(badges.credential_jwt(make_certificate()))["kid"]
    )
    assert method["id"].startswith(f"{BASE}/certificaten/uitgever/sleutels.json#")
    assert method["publicKeyJwk"] == badges.public_jwk()


def test_verification_url_uses_the_grouped_code():
    certificate = make_certificate(code="K7QM2WXD9TP4")
    assert badges.verification_url(certificate) == f"{BASE}/certificaten/controle/K7QM-2WXD-9TP4/"
