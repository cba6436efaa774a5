"""Drives a live lgsp hub with requests signed by oauthlib through requests-oauthlib (OAuth 1.0a,
RFC 5849, two-legged: consumer key = access key, consumer secret = secret key), clients we did not write.

usage: oauth1_flow.py CONFIG_JSON
CONFIG_JSON: {"url", "unit", "standard": {"accessKey", "secretKey"} (an app without SHA-1),
              "legacy": {"accessKey", "secretKey", "privateKey" (path)} (SHA-1 allowed, RSA key registered)}
Prints one JSON object: for each signature method, the status (and problem code) of every step.
"""
import hashlib
import json
import sys
import time

import requests
from requests_oauthlib import OAuth1


class Client:
    def __init__(self, url, method, key, secret=None, rsa_key=None):
        self.url, self.method, self.key, self.secret, self.rsa_key = url, method, key, secret, rsa_key
        self.session = requests.Session()
        self.last_problem = {}

    def auth(self, secret=None, rsa_key=None, include_body=False, timestamp=None):
        return OAuth1(self.key, client_secret=secret or self.secret, signature_method=self.method,
                      rsa_key=rsa_key or self.rsa_key, signature_type="AUTH_HEADER", force_include_body=include_body,
                      timestamp=timestamp)

    def prepare(self, method, path, body=None, headers=None, **auth):
        url = path if path.startswith("http") else self.url + path
        request = requests.Request(method, url, data=body, headers=headers or {},
                                   auth=self.auth(include_body=body is not None and "json" in str(headers), **auth)).prepare()
        # oauthlib hands the body back as text; send the signed bytes.
        if isinstance(request.body, str):
            request.body = request.body.encode("utf-8")
        return request

    def send(self, request):
        response = self.session.send(request)
        code = None
        if response.status_code >= 400:
            try:
                self.last_problem = response.json()
                code = self.last_problem.get("code")
            except ValueError:
                code = response.text[:200]
        return response, code

    def call(self, *args, **kwargs):
        return self.send(self.prepare(*args, **kwargs))


def authorization(request):
    """The Authorization header as text (requests-oauthlib sets it as bytes)."""
    value = request.headers.get("Authorization", "")
    return value.decode() if isinstance(value, bytes) else value


def outcome(response, code):
    return {"status": response.status_code, "code": code}


def flow(url, unit, client, wrong):
    out = {}
    out["inbox"] = outcome(*client.call("GET", "/v1/inbox?limit=5"))

    content = ("Công văn OAuth " + client.method).encode("utf-8") * 40
    create = json.dumps({
        "to": [unit], "subject": "OAuth 1.0a " + client.method, "dataType": "edoc",
        "content": {"size": len(content), "sha256": hashlib.sha256(content).hexdigest(), "mediaType": "text/plain"},
    }).encode()
    json_headers = {"Content-Type": "application/json"}
    request = client.prepare("POST", "/v1/packets", body=create, headers=json_headers)
    out["bodyHashSent"] = "oauth_body_hash" in authorization(request)
    response, code = client.send(request)
    out["create"] = outcome(response, code)
    packet = response.json() if response.status_code == 201 else {}
    out["packetId"] = packet.get("id")
    if packet.get("upload"):
        response, code = client.call("PUT", packet["upload"]["url"], body=content, headers={"Content-Type": "application/octet-stream"})
        out["upload"] = outcome(response, code)
        out["uploadComplete"] = response.json().get("complete") if response.status_code == 200 else None

    # Tampering after signing.
    tampered = json.loads(create)
    tampered["subject"] = tampered["subject"].upper()
    request = client.prepare("POST", "/v1/packets", body=create, headers=json_headers)
    request.body = json.dumps(tampered).encode()
    request.prepare_content_length(request.body)
    out["tamperedBody"] = outcome(*client.send(request))

    request = client.prepare("GET", "/v1/inbox?limit=5")
    header = authorization(request)
    start = header.index('oauth_timestamp="') + len('oauth_timestamp="')
    end = header.index('"', start)
    request.headers["Authorization"] = header[:start] + str(int(header[start:end]) - 1) + header[end:]
    out["tamperedHeader"] = outcome(*client.send(request))

    request = client.prepare("GET", "/v1/inbox?limit=5")
    request.url = url + "/v1/packets?limit=5"
    out["tamperedPath"] = outcome(*client.send(request))
    out["tamperedPathBase"] = "signatureBase" in (client.last_problem.get("details") or {})

    out["oldTimestamp"] = outcome(*client.call("GET", "/v1/inbox?limit=5", timestamp=str(int(time.time()) - 3600)))
    out["oldTimestampServerTime"] = (client.last_problem.get("details") or {}).get("serverTime")

    request = client.prepare("GET", "/v1/inbox?limit=5")
    out["firstUse"] = outcome(*client.send(request))
    out["replayed"] = outcome(*client.send(request))

    out["wrongKey"] = outcome(*client.call("GET", "/v1/inbox?limit=5", **wrong))
    return out


def main():
    config = json.load(open(sys.argv[1]))
    url, unit = config["url"], config["unit"]
    standard, legacy = config["standard"], config["legacy"]
    with open(legacy["privateKey"]) as pem:
        rsa_key = pem.read()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    results = {
        "HMAC-SHA256": flow(url, unit, Client(url, "HMAC-SHA256", standard["accessKey"], standard["secretKey"]), {"secret": "not-the-secret"}),
        "HMAC-SHA1": flow(url, unit, Client(url, "HMAC-SHA1", legacy["accessKey"], legacy["secretKey"]), {"secret": "not-the-secret"}),
        "RSA-SHA1": flow(url, unit, Client(url, "RSA-SHA1", legacy["accessKey"], rsa_key=rsa_key), {"rsa_key": other}),
        "RSA-SHA256": flow(url, unit, Client(url, "RSA-SHA256", legacy["accessKey"], rsa_key=rsa_key), {"rsa_key": other}),
    }
    # SHA-1 from an app not allowed it.
    client = Client(url, "HMAC-SHA1", standard["accessKey"], standard["secretKey"])
    results["sha1NotAllowed"] = outcome(*client.call("GET", "/v1/inbox?limit=5"))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
