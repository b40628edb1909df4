"""A passkey in software, for tests of allauth's WebAuthn: it answers the options a page gives
the browser with what a browser would send back, signed with a real key, so the server's own
checks (challenge, origin, relying party, flags, signature) run unchanged."""

import json
import re
import secrets
from hashlib import sha256

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

FLAGS = AuthenticatorData.FLAG


def page_js_data(response) -> dict:
    """The options a page hands its WebAuthn script (allauth's `js_data` JSON script)."""
    match = re.search(
        r'<script id="js_data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page carries no WebAuthn options"
    return json.loads(match.group(1))


class SoftPasskey:
    """One credential on an authenticator that verifies its holder (a PIN or biometrics)."""

    def __init__(self, *, origin: str = "https://testserver", user_verified: bool = True):
        self.origin = origin
        self.flags = FLAGS.UP | (FLAGS.UV if user_verified else 0)
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(16)
        self.user_handle = b""
        self.counter = 0

    def create(self, creation_options: dict) -> str:
        """The credential a browser returns from navigator.credentials.create()."""
        options = creation_options["publicKey"]
        self.user_handle = options["user"]["id"]
        credential = AttestedCredentialData.create(
            Aaguid.NONE, self.credential_id, ES256.from_cryptography_key(self.key.public_key())
        )
        authenticator_data = AuthenticatorData.create(
            sha256(options["rp"]["id"].encode()).digest(), self.flags | FLAGS.AT, 0, credential
        )
        client_data = CollectedClientData.create(
            CollectedClientData.TYPE.CREATE, options["challenge"], self.origin
        )
        attestation = AttestationObject.create("none", authenticator_data, {})
        return self._json(
            response={
                "clientDataJSON": client_data.b64,
                "attestationObject": websafe_encode(attestation),
                "transports": ["internal"],
            },
            clientExtensionResults={"credProps": {"rk": True}},
        )

    def get(self, request_options: dict) -> str:
        """The assertion a browser returns from navigator.credentials.get()."""
        options = request_options["publicKey"]
        self.counter += 1
        authenticator_data = AuthenticatorData.create(
            sha256(options["rpId"].encode()).digest(), self.flags, self.counter
        )
        client_data = CollectedClientData.create(
            CollectedClientData.TYPE.GET, options["challenge"], self.origin
        )
        signature = self.key.sign(authenticator_data + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return self._json(
            response={
                "clientDataJSON": client_data.b64,
                "authenticatorData": websafe_encode(authenticator_data),
                "signature": websafe_encode(signature),
                "userHandle": self.user_handle,
            },
            clientExtensionResults={},
        )

    def _json(self, **fields) -> str:
        credential_id = websafe_encode(self.credential_id)
        return json.dumps(
            {
                "id": credential_id,
                "rawId": credential_id,
                "type": "public-key",
                "authenticatorAttachment": "platform",
                **fields,
            }
        )
