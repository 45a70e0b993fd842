"""Encrypting Slack tokens at rest: the keys from TOKEN_ENCRYPTION_KEYS and what they do to one stored value.

The keys are Fernet keys (AES-128-CBC with an HMAC-SHA256, from `cryptography`). The first key encrypts; every
key decrypts (MultiFernet), so a new key goes first and the old ones stay behind it until `followthrough keys
rotate` has re-encrypted every stored token with the new one.

A stored value is ciphertext when it starts the way every Fernet token does (version byte 0x80, then a 64-bit
timestamp whose high bytes stay zero until 2106). Slack's tokens (`xox…`) and webhook URLs (`https://…`) never
do, so a value written in plain text before encryption was turned on is read back as it is.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

FERNET_PREFIX = "gAAAAA"
KEY_HELP = "make one with `followthrough keys new`"


class UndecryptableToken(Exception):
    """A stored token is ciphertext that none of the configured keys opens."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def parse_keys(setting: str) -> list[str]:
    """The keys in a TOKEN_ENCRYPTION_KEYS value; ValueError (never quoting a key) when one is malformed."""
    keys = [key.strip() for key in setting.split(",")]
    if not any(keys):
        raise ValueError(f"no key given; {KEY_HELP}")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            where = f"key {position} of {len(keys)}" if len(keys) > 1 else "the key"
            raise ValueError(f"{where} is not a Fernet key (32 url-safe base64-encoded bytes); {KEY_HELP}") from None
    return keys


def is_encrypted(stored: str) -> bool:
    return stored.startswith(FERNET_PREFIX)


class TokenCipher:
    """Encrypts with the first key; decrypts with any; passes plain text (rows from before encryption) through."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ValueError("at least one key is needed")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    @classmethod
    def from_setting(cls, setting: str) -> TokenCipher:
        return cls(parse_keys(setting))

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, stored: str) -> str:
        return self._open(stored) if is_encrypted(stored) else stored

    def reencrypt(self, stored: str) -> str:
        """The value encrypted with the first key, whichever key (or none) it was stored under."""
        return self.encrypt(self.decrypt(stored))

    def _open(self, stored: str) -> str:
        try:
            return self._fernet.decrypt(stored.encode()).decode()
        except InvalidToken:
            raise UndecryptableToken(
                "a stored Slack token does not decrypt with any key in TOKEN_ENCRYPTION_KEYS "
                "(was the key that encrypted it dropped before `followthrough keys rotate` ran?)"
            ) from None
