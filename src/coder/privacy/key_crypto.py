"""``KeySeal``: passphrase encryption of the key file (AES-256-GCM, key derived with scrypt)."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from typing import Any

from coder.errors import CoderError

CIPHER = "AES-256-GCM"
KDF = "scrypt"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True, slots=True)
class KeySeal:
    """scrypt parameters; the defaults follow the cryptography documentation's advice."""

    n: int = 2**15
    """CPU/memory cost."""
    r: int = 8
    """Block size."""
    p: int = 1
    """Parallelism."""

    def _derive(self, passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))

    def seal(self, plain: bytes, passphrase: str, header: dict[str, Any]) -> dict[str, Any]:
        """The encrypted envelope; ``header`` is stored in the clear and authenticated."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if not passphrase:
            raise CoderError("the passphrase is empty")
        salt, nonce = os.urandom(16), os.urandom(12)
        params = {"cipher": CIPHER, "kdf": KDF, "n": self.n, "r": self.r, "p": self.p}
        envelope = header | {"encryption": params | {"salt": _b64(salt), "nonce": _b64(nonce)}}
        key = self._derive(passphrase, salt, self.n, self.r, self.p)
        aad = json.dumps(envelope, sort_keys=True).encode("utf-8")
        ciphertext = AESGCM(key).encrypt(nonce, plain, aad)
        return envelope | {"ciphertext": _b64(ciphertext)}

    def open(self, envelope: dict[str, Any], passphrase: str, where: str) -> bytes:
        """The plain bytes; ``CoderError`` on a wrong passphrase or a damaged file."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            params = envelope["encryption"]
            if params.get("cipher") != CIPHER or params.get("kdf") != KDF:
                raise CoderError(f"{where}: unknown key encryption {params.get('cipher')!r}")
            salt = base64.b64decode(params["salt"])
            nonce = base64.b64decode(params["nonce"])
            ciphertext = base64.b64decode(envelope["ciphertext"])
            n, r, p = int(params["n"]), int(params["r"]), int(params["p"])
        except CoderError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise CoderError(f"{where}: damaged encrypted key ({exc})") from None
        header = {k: v for k, v in envelope.items() if k != "ciphertext"}
        aad = json.dumps(header, sort_keys=True).encode("utf-8")
        key = self._derive(passphrase, salt, n, r, p)
        try:
            return AESGCM(key).decrypt(nonce, ciphertext, aad)
        except InvalidTag:
            raise CoderError(
                f"{where}: wrong passphrase for the privacy key (or the file was altered). "
                "Nothing was changed."
            ) from None
