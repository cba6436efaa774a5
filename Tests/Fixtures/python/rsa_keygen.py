"""Writes a fresh 2048-bit RSA private key (PKCS#8 PEM) for the interop tests and prints its public key.

usage: rsa_keygen.py PRIVATE_KEY_PATH
Prints the SubjectPublicKeyInfo PEM (what the hub registers as the app's rsaPublicKey).
"""
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def main():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with open(sys.argv[1], "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    sys.stdout.write(key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode())


if __name__ == "__main__":
    main()
