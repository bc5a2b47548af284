#!/usr/bin/env python3
"""Independent known-answer vectors for package keyring.

Computes, with Python's hmac/hashlib and the pyca/cryptography package
(tested with 48.0.0), what keyring_test.go expects:

  - AccountKey and Tag under the pepper 00 01 .. 1f,
  - a deterministic DataKey.Seal under the data key 40 41 .. 5f,
  - an HPKE-wrapped data key (MLKEM768-X25519, HKDF-SHA256, AES-256-GCM) to
    the KEM key pair with seed 10 11 .. 2f, written to wrapped-python.hex.

HPKE encryption is randomised, so rerunning it gives a different but
equally valid wrapped-python.hex.

Run: python3 kat.py
"""
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def mac(key, msg):
    return hmac.new(key, msg, hashlib.sha256).digest()


pepper = bytes(range(0x00, 0x20))
for kind, value in [(1, b"alice@example.com"), (2, b"alice@example.com"),
                    (3, b"+15550100199"), (1, b"")]:
    msg = b"leakwatch/account-key/v1\x00" + bytes([kind]) + value
    print("AccountKey", kind, value, mac(pepper, msg)[:16].hex())
label = b"breach-domain"
msg = b"leakwatch/tag/v1\x00" + bytes([len(label)]) + label + b"example.com"
print("Tag", label, mac(pepper, msg)[:16].hex())

# DataKey: HKDF-Expand with a 32-byte output is a single HMAC block.
secret = bytes(range(0x40, 0x60))
seal_key = mac(secret, b"leakwatch/data-key/v1/aes-256-gcm\x01")
nonce_key = mac(secret, b"leakwatch/data-key/v1/synthetic-nonce\x01")
seed = bytes(range(0xA0, 0xB0))
aad = b"record:v1"
pt = b"Adobe,LinkedIn,2013-10-04"
nonce = mac(nonce_key, struct.pack(">Q", len(seed)) + seed +
            struct.pack(">Q", len(aad)) + aad + pt)[:12]
sealed = bytes([1]) + struct.pack(">I", 7) + nonce + AESGCM(seal_key).encrypt(nonce, pt, aad)
print("Seal", sealed.hex())

# X-Wing private key expansion (draft-connolly-cfrg-xwing-kem):
# SHAKE256(seed, 96) = ML-KEM-768 seed (d || z) || X25519 private key.
kem_seed = bytes(range(0x10, 0x30))
ex = hashlib.shake_256(kem_seed).digest(96)
sk = hpke.MLKEM768X25519PrivateKey(
    mlkem.MLKEM768PrivateKey.from_seed_bytes(ex[:64]),
    x25519.X25519PrivateKey.from_private_bytes(ex[64:96]))
info = b"leakwatch/keyring/v1/wrap-data-key\x00" + struct.pack(">II", 1, 7)
suite = hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
blob = suite.encrypt(secret, sk.public_key(), info=info)
assert suite.decrypt(blob, sk, info=info) == secret
with open("wrapped-python.hex", "w") as f:
    f.write(blob.hex() + "\n")
print("Wrapped", len(blob), "bytes (enc || ciphertext) -> wrapped-python.hex")
