"""Drives a live lgsp hub with requests signed by the PyPI `http-message-signatures` package (RFC 9421),
a client we did not write, with hmac-sha256, rsa-v1_5-sha256 and rsa-pss-sha512.

usage: http_message_signatures_flow.py CONFIG_JSON
CONFIG_JSON: {"url", "unit" (a recipient unit), "hmac": {"accessKey", "secretKey"}, "rsa": {"accessKey", "privateKey" (path)}}
Prints one JSON object: for each algorithm, the status (and problem code) of every step.
"""
import datetime
import hashlib
import json
import sys
import uuid

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from http_message_signatures import ContentDigest, HTTPMessageSigner, HTTPSignatureKeyResolver, algorithms

BASE_COMPONENTS = ("@method", "@authority", "@target-uri")


class Keys(HTTPSignatureKeyResolver):
    def __init__(self, key):
        self.key = key

    def resolve_private_key(self, key_id):
        return self.key

    def resolve_public_key(self, key_id):
        return None


class SHA512Digest(ContentDigest):
    algorithm = "sha-512"


class SHA512Signer(HTTPMessageSigner):
    content_digest_class = SHA512Digest


class Client:
    def __init__(self, url, algorithm, key_id, key):
        self.url, self.algorithm, self.key_id, self.key = url, algorithm, key_id, key
        self.session = requests.Session()

    def prepare(self, method, path, body=None, headers=None, components=BASE_COMPONENTS, created=None, nonce=None,
                key=None, signer_class=HTTPMessageSigner):
        url = path if path.startswith("http") else self.url + path
        request = requests.Request(method, url, data=body, headers=headers or {}).prepare()
        signer = signer_class(signature_algorithm=self.algorithm, key_resolver=Keys(key or self.key))
        signer.sign(request, key_id=self.key_id, covered_component_ids=components, created=created,
                    nonce=nonce or uuid.uuid4().hex, body=body)
        return request

    def send(self, request):
        response = self.session.send(request)
        code = None
        if response.status_code >= 400:
            try:
                problem = response.json()
                code = problem.get("code")
                self.last_problem = problem
            except ValueError:
                code = response.text[:200]
        return response, code

    def call(self, *args, **kwargs):
        return self.send(self.prepare(*args, **kwargs))


def outcome(response, code):
    return {"status": response.status_code, "code": code}


def flow(url, unit, algorithm, key_id, key, wrong_key):
    client = Client(url, algorithm, key_id, key)
    out = {}
    response, code = client.call("GET", "/v1/inbox?limit=5")
    out["inbox"] = outcome(response, code)

    response, code = client.call("GET", "/v1/inbox?limit=5", components=("@method", "@authority", "@path", "@query"))
    out["pathAndQuery"] = outcome(response, code)

    content = ("Báo cáo kinh tế - xã hội " + algorithm.algorithm_id).encode("utf-8") * 50
    create = json.dumps({
        "to": [unit], "subject": "RFC 9421 " + algorithm.algorithm_id, "dataType": "edoc",
        "content": {"size": len(content), "sha256": hashlib.sha256(content).hexdigest(), "mediaType": "text/plain"},
    }).encode()
    json_headers = {"Content-Type": "application/json"}
    response, code = client.call("POST", "/v1/packets", body=create, headers=json_headers)
    out["create"] = outcome(response, code)
    packet = response.json() if response.status_code == 201 else {}
    out["packetId"] = packet.get("id")
    if packet.get("upload"):
        response, code = client.call("PUT", packet["upload"]["url"], body=content,
                                     headers={"Content-Type": "application/octet-stream"})
        out["upload"] = outcome(response, code)
        out["uploadComplete"] = response.json().get("complete") if response.status_code == 200 else None

    # The same JSON request with a sha-512 Content-Digest.
    create512 = json.loads(create)
    create512["subject"] += " sha-512"
    create512["content"] = {"size": 5, "sha256": hashlib.sha256(b"12345").hexdigest(), "mediaType": "text/plain"}
    response, code = client.call("POST", "/v1/packets", body=json.dumps(create512).encode(), headers=json_headers,
                                 signer_class=SHA512Signer)
    out["createSha512"] = outcome(response, code)

    # Tampering after signing.
    tampered = json.loads(create)
    tampered["subject"] += " (sửa)"
    request = client.prepare("POST", "/v1/packets", body=create, headers=json_headers)
    request.body = json.dumps(tampered).encode()
    request.prepare_content_length(request.body)
    out["tamperedBody"] = outcome(*client.send(request))

    request = client.prepare("POST", "/v1/packets", body=create, headers=json_headers,
                             components=BASE_COMPONENTS + ("content-type",))
    request.headers["Content-Type"] = "application/json; charset=latin-1"
    out["tamperedHeader"] = outcome(*client.send(request))

    request = client.prepare("GET", "/v1/inbox?limit=5")
    request.url = url + "/v1/packets?limit=5"
    out["tamperedPath"] = outcome(*client.send(request))
    out["tamperedPathBase"] = "signatureBase" in (getattr(client, "last_problem", {}).get("details") or {})

    old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    response, code = client.call("GET", "/v1/inbox?limit=5", created=old)
    out["oldTimestamp"] = outcome(response, code)
    out["oldTimestampServerTime"] = (client.last_problem.get("details") or {}).get("serverTime") if code else None

    request = client.prepare("GET", "/v1/inbox?limit=5", nonce="replay-" + uuid.uuid4().hex)
    out["firstUse"] = outcome(*client.send(request))
    out["replayed"] = outcome(*client.send(request))

    response, code = client.call("GET", "/v1/inbox?limit=5", key=wrong_key)
    out["wrongKey"] = outcome(response, code)

    response, code = client.call("GET", "/v1/inbox?limit=5", components=("@method", "@authority", "@path"))
    out["pathWithoutQuery"] = outcome(response, code)
    return out


def main():
    config = json.load(open(sys.argv[1]))
    url, unit = config["url"], config["unit"]
    with open(config["rsa"]["privateKey"], "rb") as pem:
        rsa_key = serialization.load_pem_private_key(pem.read(), password=None)
    other_rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    hmac_key = config["hmac"]["secretKey"].encode()
    results = {
        "hmac-sha256": flow(url, unit, algorithms.HMAC_SHA256, config["hmac"]["accessKey"], hmac_key, b"not-the-secret"),
        "rsa-v1_5-sha256": flow(url, unit, algorithms.RSA_V1_5_SHA256, config["rsa"]["accessKey"], rsa_key, other_rsa),
        "rsa-pss-sha512": flow(url, unit, algorithms.RSA_PSS_SHA512, config["rsa"]["accessKey"], rsa_key, other_rsa),
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
