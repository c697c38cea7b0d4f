"""WeCom callback crypto (WXBizMsgCrypt): SHA1 signatures and AES-256-CBC message envelopes.

signature = SHA1 of the sorted concatenation of token, timestamp, nonce and the
encrypted text. The key is Base64(EncodingAESKey + "="), the IV its first 16
bytes; plaintext = 16 random bytes + 4-byte big-endian length + message +
receive id, PKCS#7-padded to 32-byte blocks. Checked against Tencent's vectors.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class WeComCryptoError(Exception):
    """A signature that does not match, or an envelope that does not decrypt to our corp."""


class WeComCrypto:
    def __init__(self, token: str, encoding_aes_key: str, receive_id: str) -> None:
        try:
            self._key = base64.b64decode(encoding_aes_key + "=")
        except binascii.Error as exc:
            raise ValueError("EncodingAESKey is not valid Base64") from exc
        if len(self._key) != 32:
            raise ValueError("EncodingAESKey must decode to 32 bytes")
        self._token = token
        self._receive_id = receive_id.encode()

    def signature(self, timestamp: str, nonce: str, encrypted: str) -> str:
        return hashlib.sha1("".join(sorted([self._token, timestamp, nonce, encrypted])).encode()).hexdigest()

    def check(self, signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        if not hmac.compare_digest(self.signature(timestamp, nonce, encrypted).encode(), (signature or "").encode()):
            raise WeComCryptoError("signature mismatch")

    def decrypt(self, encrypted: str) -> str:
        try:
            cipher = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16])).decryptor()
            padded = cipher.update(base64.b64decode(encrypted, validate=True)) + cipher.finalize()
        except (binascii.Error, ValueError) as exc:
            raise WeComCryptoError("ciphertext is not valid") from exc
        pad = padded[-1] if padded else 0
        if not 1 <= pad <= BLOCK or len(padded) < 20 + pad:
            raise WeComCryptoError("bad padding")
        content = padded[16:-pad]
        (length,) = struct.unpack(">I", content[:4])
        message, receive_id = content[4:4 + length], content[4 + length:]
        if len(message) != length or not hmac.compare_digest(receive_id, self._receive_id):
            raise WeComCryptoError("message is not for this corp")
        try:
            return message.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WeComCryptoError("message is not UTF-8") from exc

    def encrypt(self, message: str, random16: bytes | None = None) -> str:
        body = message.encode("utf-8")
        plain = (random16 or os.urandom(16)) + struct.pack(">I", len(body)) + body + self._receive_id
        pad = BLOCK - len(plain) % BLOCK
        cipher = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16])).encryptor()
        return base64.b64encode(cipher.update(plain + bytes([pad]) * pad) + cipher.finalize()).decode()

    def open(self, signature: str, timestamp: str, nonce: str, encrypted: str) -> str:
        """Check the signature, then decrypt: the one way in for URL checks and messages."""
        self.check(signature, timestamp, nonce, encrypted)
        return self.decrypt(encrypted)
