"""Open Badges 3.0 credentials: what they say, how they are signed, and how an outsider
checks them (schema, signature with the published keys, revocation list)."""

import base64
import hashlib
import hmac
import json
import stat
from urllib.parse import urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from jsonschema import validators
from jwcrypto import jwk as jose_jwk
from jwcrypto import jws as jose_jws
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from certificates import badges, codes, selectors, services
from certificates.models import Certificate
from config import env
from learning.factories import LearnerFactory, UserFactory
from tests import shared_data

pytestmark = pytest.mark.django_db

BASE = "https://leren.example.be"
# 1EdTech's published schemas and context, beside the checkout (../shared, see its README).
OPENBADGES = shared_data.OPENBADGES


@pytest.fixture(autouse=True)
def badge_settings(settings, tmp_path):
    settings.SITE_BASE_URL = BASE
    settings.ISSUER_NAME = "Digibank Westhoek"
    settings.BADGE_SIGNING_KEY = None
    settings.BADGE_SIGNING_KEY_FILE = tmp_path / "keys" / "key.pem"
    settings.BADGE_RSA_SIGNING_KEY = None
    settings.BADGE_RSA_SIGNING_KEY_FILE = tmp_path / "keys" / "rsa-key.pem"
    cache.clear()  # the verification page's rate limit
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


def published_key(algorithm="RS256"):
    """A public key as an outside verifier gets it: from the JWKS document only."""
    (jwk,) = [key for key in badges.public_jwks()["keys"] if key["alg"] == algorithm]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(jwk)  # never the private part
    return jwt.PyJWK(jwk, algorithm=algorithm).key


def rsa_pem(bits=2048):
    return (
        rsa.generate_private_key(public_exponent=65537, key_size=bits)
        .private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        )
        .decode()
    )


def eddsa_token(certificate):
    """A credential as the platform signed them before RS256: EdDSA with the Ed25519 key."""
    payload = badges.credential_verify(badges.credential_jwt(certificate))
    return jwt.encode(
        payload,
        badges.ed25519_key(),
        algorithm="EdDSA",
        headers={"kid": badges.key_url(badges.ed25519_jwk()), "typ": "JWT"},
    )


def hs256(payload, secret: bytes) -> str:
    """By hand: PyJWT rightly refuses a PEM public key as an HMAC secret."""
    signing_input = f"{b64url_encode({'alg': 'HS256', 'typ': 'JWT'})}.{b64url_encode(payload)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def path_of(url):
    """The test client's path for one of our absolute addresses."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE, url
    return parts.path


def b64url_json(segment):
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def b64url_encode(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("setting", "jwk"),
    [("BADGE_SIGNING_KEY_FILE", "ed25519_jwk"), ("BADGE_RSA_SIGNING_KEY_FILE", "rsa_jwk")],
)
def test_key_file_is_generated_once_private_and_reused(settings, setting, jwk):
    path = getattr(settings, setting)
    assert not path.exists()

    first_kid = getattr(badges, jwk)()["kid"]

    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_bytes()
    assert content.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert getattr(badges, jwk)()["kid"] == first_kid
    assert path.read_bytes() == content
    # No temporary files are left next to the key.
    assert list(path.parent.iterdir()) == [path]


def test_ed25519_jwk_has_thumbprint_kid():
    jwk = badges.ed25519_jwk()
    assert jwk == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": jwk["x"],
        "kid": jwk["kid"],
        "alg": "EdDSA",
        "use": "sig",
    }
    assert len(base64.urlsafe_b64decode(jwk["x"] + "=")) == 32


def test_rsa_jwk_has_thumbprint_kid_and_at_least_2048_bits():
    jwk = badges.rsa_jwk()
    assert jwk == {
        "kty": "RSA",
        "n": jwk["n"],
        "e": "AQAB",
        "kid": jwk["kid"],
        "alg": "RS256",
        "use": "sig",
    }
    assert len(base64.urlsafe_b64decode(jwk["n"] + "==")) * 8 >= 2048
    # Another implementation computes the same RFC 7638 thumbprint.
    assert jose_jwk.JWK(**{k: jwk[k] for k in ("kty", "n", "e")}).thumbprint() == jwk["kid"]


def test_jwks_lists_both_keys_with_kid_and_alg():
    keys = badges.public_jwks()["keys"]
    assert {(key["kty"], key["alg"]) for key in keys} == {("OKP", "EdDSA"), ("RSA", "RS256")}
    assert {key["kid"] for key in keys} == {badges.ed25519_jwk()["kid"], badges.rsa_jwk()["kid"]}
    assert all(key["use"] == "sig" for key in keys)


def test_rsa_key_shorter_than_2048_bits_is_refused(settings):
    settings.BADGE_RSA_SIGNING_KEY = rsa_pem(1024)
    with pytest.raises(ImproperlyConfigured, match="2048"):
        badges.credential_jwt(make_certificate())


def test_an_ed25519_key_in_the_rsa_setting_is_refused(settings):
    settings.BADGE_RSA_SIGNING_KEY = (
        Ed25519PrivateKey.generate()
        .private_bytes(
            encoding=serialization.Encoding.PEM,
            format=serialization.PrivateFormat.PKCS8,
            encryption_algorithm=serialization.NoEncryption(),
        )
        .decode()
    )
    with pytest.raises(ImproperlyConfigured, match="RSA"):
        badges.rsa_key()


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

    assert badges.ed25519_jwk()["x"] == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    assert badges.ed25519_jwk()["kid"] == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_jwt_verifies_with_the_published_jwk():
    certificate = make_certificate()
    token = badges.credential_jwt(certificate)

    header = jwt.get_unverified_header(token)
    # OB 3.0 §8.2.3: "MUST be RS256 as a minimum".
    assert header["alg"] == "RS256"
    assert header["typ"] == "JWT"
    assert header["kid"] == f"{BASE}/certificaten/uitgever/sleutels.json#{badges.rsa_jwk()['kid']}"
    assert set(header) <= {"alg", "kid", "typ", "jwk"}  # OB 3.0 §8.2.3 allows no others

    payload = jwt.decode(token, published_key(), algorithms=["RS256"])
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
        jwt.decode(tampered, published_key(), algorithms=["RS256"])


def test_modified_payload_with_original_signature_fails():
    token = badges.credential_jwt(make_certificate())
    header, payload, signature = token.split(".")
    claims = b64url_json(payload)
    claims["credentialSubject"]["achievement"]["name"] = "Iets anders"
    tampered = ".".join([header, b64url_encode(claims), signature])

    with pytest.raises(badges.BadgeVerificationError):
        badges.credential_verify(tampered)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(tampered, published_key(), algorithms=["RS256"])


@pytest.mark.parametrize("algorithm", ["RS256", "EdDSA"])
def test_token_signed_by_another_key_fails(algorithm):
    certificate = make_certificate()
    payload = badges.credential_verify(badges.credential_jwt(certificate))
    if algorithm == "RS256":
        other_key = serialization.load_pem_private_key(rsa_pem().encode(), password=None)
        kid = badges.key_url(badges.rsa_jwk())
    else:
        other_key = Ed25519PrivateKey.generate()
        kid = badges.key_url(badges.ed25519_jwk())
    forged = jwt.encode(payload, other_key, algorithm=algorithm, headers={"kid": kid})

    with pytest.raises(badges.BadgeVerificationError):
        badges.credential_verify(forged)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, published_key(algorithm), algorithms=[algorithm])


def test_earlier_eddsa_tokens_still_verify():
    certificate = make_certificate()
    token = eddsa_token(certificate)

    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
    assert badges.credential_verify(token)["jti"] == badges.credential_id(certificate)
    assert jwt.decode(token, published_key("EdDSA"), algorithms=["EdDSA"])


def test_an_rsa_signature_under_the_eddsa_header_fails():
    """The key is chosen by the header's alg, and each alg has one key: no mixing."""
    token = badges.credential_jwt(make_certificate())
    header, payload, signature = token.split(".")
    relabelled = b64url_encode(b64url_json(header) | {"alg": "EdDSA"})
    with pytest.raises(badges.BadgeVerificationError):
        badges.credential_verify(".".join([relabelled, payload, signature]))


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
    shared = jwt.encode(payload, "gedeeld-geheim-van-minstens-32-tekens!", algorithm="HS256")
    # HMAC keyed with the public key's PEM: the classic RS256/HS256 confusion.
    public_pem = (
        badges.rsa_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    confused = hs256(payload, public_pem)

    for token in (unsigned, shared, confused):
        with pytest.raises(badges.BadgeVerificationError):
            badges.credential_verify(token)


def test_signed_claims_must_match_the_credential():
    payload = badges.credential_verify(badges.credential_jwt(make_certificate()))
    signed = jwt.encode(
        payload | {"sub": "urn:uuid:00000000-0000-0000-0000-000000000000"},
        badges.rsa_key(),
        algorithm="RS256",
    )

    with pytest.raises(badges.BadgeVerificationError, match="sub"):
        badges.credential_verify(signed)


def test_credential_is_an_open_badge_aligned_to_digcomp():
    certificate = make_certificate()
    credential = badges.credential(certificate)

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        # Defines 1EdTechRevocationList and 1EdTechJsonSchemaValidator2019 (OB 3.0 examples).
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
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


def test_signing_keys_from_settings_are_used_instead_of_files(settings):
    key = Ed25519PrivateKey.generate()
    settings.BADGE_SIGNING_KEY = key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode()
    pem = rsa_pem()
    # As pasted into a one-line environment variable.
    settings.BADGE_RSA_SIGNING_KEY = pem.replace("\n", "\\n")
    rsa_public = serialization.load_pem_private_key(pem.encode(), password=None).public_key()

    certificate = make_certificate()
    token = badges.credential_jwt(certificate)

    assert not settings.BADGE_SIGNING_KEY_FILE.exists()
    assert not settings.BADGE_RSA_SIGNING_KEY_FILE.exists()
    assert jwt.decode(token, rsa_public, algorithms=["RS256"])["iss"] == badges.issuer_id()
    assert badges.credential_verify(token)["jti"].startswith("urn:uuid:")
    legacy = eddsa_token(certificate)
    assert jwt.decode(legacy, key.public_key(), algorithms=["EdDSA"])["iss"] == badges.issuer_id()


def test_issuer_profile_publishes_the_key():
    profile = badges.issuer_profile()

    assert profile["id"] == f"{BASE}/certificaten/uitgever/"
    assert profile["type"] == ["Profile"]
    assert profile["url"] == f"{BASE}/"
    methods = {method["id"]: method for method in profile["verificationMethod"]}
    kid = jwt.get_unverified_header(badges.credential_jwt(make_certificate()))["kid"]
    assert methods[kid]["publicKeyJwk"] == badges.rsa_jwk()
    ed25519_url = badges.key_url(badges.ed25519_jwk())
    assert methods[ed25519_url]["publicKeyJwk"] == badges.ed25519_jwk()
    assert all(url.startswith(f"{BASE}/certificaten/uitgever/sleutels.json#") for url in methods)
    assert set(profile["assertionMethod"]) == set(methods)


def test_verification_url_uses_the_grouped_code():
    certificate = make_certificate(code="K7QM2WXD9TP4")
    assert badges.verification_url(certificate) == f"{BASE}/certificaten/controle/K7QM-2WXD-9TP4/"


# --- what an outside verifier sees --------------------------------------------------------


@pytest.fixture(scope="session")
def openbadges_schemas():
    """1EdTech's JSON schemas, in a registry that never reaches the network.

    Missing test data skips the tests here and fails them in CI, so a CI run can never
    pass without having validated a credential.
    """
    if not OPENBADGES.is_dir():
        message = f"Open Badges test data missing: {OPENBADGES} (see ../shared/README.md)"
        if env.ci():
            pytest.fail(message)
        pytest.skip(message)

    def no_network(uri):
        raise NoSuchResource(ref=uri)

    schemas = {
        name: json.loads((OPENBADGES / f"ob_v3p0_{name}_schema.json").read_text())
        for name in ("achievementcredential", "profile")
    }
    registry = Registry(retrieve=no_network).with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    return schemas, registry


def validate(document, schema, registry):
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(
        validator_class(schema, registry=registry).iter_errors(document),
        key=lambda error: list(error.path),
    )
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def achievement_schema(schemas):
    """OB 3.0's Achievement class, as the credential schema defines it ($defs)."""
    credential_schema = schemas["achievementcredential"]
    return {"$ref": f"{credential_schema['$id']}#/$defs/Achievement"}


def outsider_verify(client, token):
    """What a verifier that knows nothing of the platform does (OB 3.0 §8.2, verification).

    Another JOSE library than the one that signs; the key and the revocation list come from
    the addresses the token and the credential name. Returns (credential, revoked).
    """
    header = b64url_json(token.split(".")[0])
    assert header["alg"] in {"RS256", "EdDSA"}
    keys_url, _, kid = header["kid"].partition("#")
    keys_response = client.get(path_of(keys_url))
    assert keys_response["Content-Type"].startswith("application/json")
    key = jose_jwk.JWKSet.from_json(keys_response.content).get_key(kid)
    assert key is not None, kid
    assert key.get("alg") == header["alg"]

    signed = jose_jws.JWS()
    signed.allowed_algs = ["RS256", "EdDSA"]
    signed.deserialize(token)
    signed.verify(key, alg=header["alg"])  # raises InvalidJWSSignature
    credential = json.loads(signed.payload)

    status = credential["credentialStatus"]
    assert status["type"] == "1EdTechRevocationList"
    status_response = client.get(path_of(status["id"]), HTTP_ACCEPT="application/json")
    assert status_response.status_code == 200
    revocations = status_response.json()
    revoked = any(
        entry["id"] == credential["id"] and entry.get("revoked", True)
        for entry in revocations["revokedCredentials"]
    )
    return credential, revoked


def test_credential_validates_against_the_ob_3_0_schema(openbadges_schemas):
    schemas, registry = openbadges_schemas
    for name_printed in ("Marie", ""):
        certificate = make_certificate(name_printed=name_printed)
        validate(badges.credential(certificate), schemas["achievementcredential"], registry)
        # The JWT payload too: the credential plus the registered claims.
        payload = badges.credential_verify(badges.credential_jwt(certificate))
        validate(payload, schemas["achievementcredential"], registry)


def test_the_schema_check_catches_a_broken_credential(openbadges_schemas):
    """The validation above is real: a credential without a subject fails it."""
    schemas, registry = openbadges_schemas
    broken = badges.credential(make_certificate())
    del broken["credentialSubject"]["achievement"]["criteria"]
    with pytest.raises(AssertionError, match="criteria"):
        validate(broken, schemas["achievementcredential"], registry)


def test_issuer_profile_and_achievement_validate_against_the_ob_3_0_schemas(
    client, openbadges_schemas
):
    schemas, registry = openbadges_schemas
    certificate = make_certificate()
    validate(client.get("/certificaten/uitgever/").json(), schemas["profile"], registry)
    achievement_url = badges.credential(certificate)["credentialSubject"]["achievement"]["id"]
    validate(client.get(path_of(achievement_url)).json(), achievement_schema(schemas), registry)


def test_credential_names_the_revocation_list():
    credential = badges.credential(make_certificate())
    # 1EdTech Revocation List Status Method: id is the list's URL, type names the method.
    assert credential["credentialStatus"] == {
        "id": f"{BASE}/certificaten/uitgever/ingetrokken.json",
        "type": "1EdTechRevocationList",
    }


def test_credential_links_to_the_public_verification_page():
    certificate = make_certificate(code="K7QM2WXD9TP4")
    (evidence,) = badges.credential(certificate)["evidence"]
    assert evidence["id"] == f"{BASE}/certificaten/controle/K7QM-2WXD-9TP4/"
    assert evidence["type"] == ["Evidence"]
    assert evidence["name"]


def test_an_outsider_sees_a_revoked_badge_as_revoked(client, module, finished, openbadges_schemas):
    schemas, registry = openbadges_schemas
    certificate = services.certificate_issue(learner=finished, module=module, name_printed="Marie")
    other = make_certificate()
    token = badges.credential_jwt(certificate)

    credential, revoked = outsider_verify(client, token)
    assert not revoked
    assert credential["id"] == badges.credential_id(certificate)
    validate(credential, schemas["achievementcredential"], registry)

    services.certificate_revoke(
        certificate=certificate, by=UserFactory(), reason="Marie Peeters deed het examen niet"
    )

    # The same token, unchanged in the learner's wallet, now reads as revoked.
    _credential, revoked = outsider_verify(client, token)
    assert revoked
    listed = client.get("/certificaten/uitgever/ingetrokken.json").json()
    assert listed["revokedCredentials"] == [
        {"id": badges.credential_id(certificate), "revoked": True}
    ]
    assert badges.credential_id(other) not in json.dumps(listed)
    # Only ids: no name, no reason, no code, no date.
    text = json.dumps(listed)
    for secret in ("Marie", "Peeters", "examen", certificate.code, certificate.display_code):
        assert secret not in text
    # The signature itself still holds: revocation is a status, not a broken proof.
    assert badges.credential_verify(token)["jti"] == credential["id"]

    page = client.get(path_of(credential["evidence"][0]["id"]))
    assert "Dit certificaat is ingetrokken" in page.content.decode()


def test_an_outsider_verifies_earlier_eddsa_tokens_too(client):
    certificate = make_certificate()
    credential, revoked = outsider_verify(client, eddsa_token(certificate))
    assert credential["id"] == badges.credential_id(certificate)
    assert not revoked


def test_a_forged_token_fails_for_the_outsider(client):
    token = badges.credential_jwt(make_certificate())
    header, payload, signature = token.split(".")
    claims = b64url_json(payload)
    claims["credentialSubject"]["achievement"]["name"] = "Iets anders"
    with pytest.raises(jose_jws.InvalidJWSSignature):
        outsider_verify(client, ".".join([header, b64url_encode(claims), signature]))


def test_revocation_list_document():
    first, second = make_certificate(), make_certificate()
    services.certificate_revoke(certificate=second, by=None, reason="Fout")
    services.certificate_revoke(certificate=first, by=None, reason="Fout")
    document = badges.revocation_list(selectors.revoked_certificate_codes())
    assert document == {
        "id": f"{BASE}/certificaten/uitgever/ingetrokken.json",
        "issuer": f"{BASE}/certificaten/uitgever/",
        # Sorted by id, so the order says nothing about when or why.
        "revokedCredentials": sorted(
            [
                {"id": badges.credential_id(first), "revoked": True},
                {"id": badges.credential_id(second), "revoked": True},
            ],
            key=lambda entry: entry["id"],
        ),
    }


def test_achievement_id_answers_with_the_achievement(client, module):
    certificate = make_certificate(module=module, module_title=module.title)
    achievement = badges.credential(certificate)["credentialSubject"]["achievement"]
    assert achievement["id"] == f"{BASE}/certificaten/prestaties/{module.pk}/"

    response = client.get(path_of(achievement["id"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    served = response.json()
    assert served.pop("@context") == badges.CONTEXT
    assert served == achievement


def test_achievement_of_a_deleted_module_answers_under_its_slug(client):
    certificate = make_certificate(module=None, module_title="Veilig online betalen")
    achievement = badges.credential(certificate)["credentialSubject"]["achievement"]
    assert achievement["id"] == f"{BASE}/certificaten/prestaties/veilig-online-betalen/"

    response = client.get(path_of(achievement["id"]))

    assert response.status_code == 200
    assert response.json()["name"] == "Veilig online betalen"
    assert response.json()["id"] == achievement["id"]


@pytest.mark.parametrize("key", ["999999", "nog-nooit-uitgereikt"])
def test_unknown_achievement_is_not_found(client, key):
    make_certificate()
    assert client.get(f"/certificaten/prestaties/{key}/").status_code == 404


def test_public_badge_documents_allow_any_origin_without_credentials(client, module):
    certificate = make_certificate(module=module, module_title=module.title)
    achievement_url = badges.credential(certificate)["credentialSubject"]["achievement"]["id"]
    for path in (
        "/certificaten/uitgever/",
        "/certificaten/uitgever/sleutels.json",
        "/certificaten/uitgever/ingetrokken.json",
        path_of(achievement_url),
    ):
        response = client.get(path, HTTP_ORIGIN="https://verifier.example.org")
        assert response.status_code == 200, path
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert "Access-Control-Allow-Credentials" not in response, path
        assert response["Content-Type"].startswith("application/json"), path

    for private in ("/mijn/certificaten/", f"/mijn/certificaten/{certificate.code}/open-badge.jwt"):
        response = client.get(private, HTTP_ORIGIN="https://verifier.example.org")
        assert "Access-Control-Allow-Origin" not in response, private


def test_public_badge_documents_answer_the_cors_preflight(client, module):
    """A browser asks first when the GET carries other headers, e.g. an Accept with a profile."""
    certificate = make_certificate(module=module, module_title=module.title)
    achievement_url = badges.credential(certificate)["credentialSubject"]["achievement"]["id"]
    for path in (
        "/certificaten/uitgever/",
        "/certificaten/uitgever/sleutels.json",
        "/certificaten/uitgever/ingetrokken.json",
        path_of(achievement_url),
    ):
        response = client.options(
            path,
            HTTP_ORIGIN="https://verifier.example.org",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept",
        )
        assert response.status_code == 204, path
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert response["Access-Control-Allow-Methods"] == "GET", path
        assert response["Access-Control-Allow-Headers"] == "*", path
        assert "Access-Control-Allow-Credentials" not in response, path
        # Nothing but GET (and the preflight) is served.
        assert client.post(path).status_code == 405, path
