"""Drives a live lgsp hub with requests signed by botocore's SigV4Auth (AWS Signature V4,
region "vn", service "lgsp"), a client we did not write.

usage: botocore_flow.py HUB_URL SOURCE_AK SOURCE_SK RECEIVER_AK RECEIVER_SK RECIPIENT_UNIT
Prints one JSON object with what each step returned; exits non-zero on an unexpected status.
"""
import hashlib
import json
import sys
import urllib.error
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def call(url, access_key, secret_key, method, path, body=b"", headers=None):
    request = AWSRequest(method=method, url=url + path, data=body, headers=headers or {})
    SigV4Auth(Credentials(access_key, secret_key), "lgsp", "vn").add_auth(request)
    prepared = request.prepare()
    raw = urllib.request.Request(prepared.url, data=body if body else None, method=method, headers=dict(prepared.headers))
    try:
        with urllib.request.urlopen(raw) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def main():
    url, source_ak, source_sk, receiver_ak, receiver_sk, unit = sys.argv[1:7]
    content = "Báo cáo tình hình kinh tế - xã hội tháng 11".encode("utf-8") * 100
    digest = hashlib.sha256(content).hexdigest()
    out = {}

    create = json.dumps({
        "to": [unit], "subject": "Báo cáo tháng 11 (botocore)", "dataType": "edoc",
        "content": {"size": len(content), "sha256": digest, "mediaType": "text/plain"},
    }).encode()
    status, body = call(url, source_ak, source_sk, "POST", "/v1/packets", create, {"content-type": "application/json"})
    out["create"] = status
    packet = json.loads(body)
    packet_id = packet["id"]
    upload_path = packet["upload"]["url"][len(url):]

    status, body = call(url, source_ak, source_sk, "PUT", upload_path, content)
    out["upload"] = status
    out["uploadComplete"] = json.loads(body).get("complete")

    status, body = call(url, receiver_ak, receiver_sk, "GET", "/v1/inbox?limit=10")
    out["inbox"] = status
    out["inboxIds"] = [item["id"] for item in json.loads(body)["items"]]

    status, body = call(url, receiver_ak, receiver_sk, "POST", f"/v1/packets/{packet_id}/accept")
    out["accept"] = status
    download_path = json.loads(body)["download"]["url"][len(url):]

    status, body = call(url, receiver_ak, receiver_sk, "GET", download_path)
    out["download"] = status
    out["downloadSha256"] = hashlib.sha256(body).hexdigest()

    ack = json.dumps({"sha256": out["downloadSha256"]}).encode()
    status, body = call(url, receiver_ak, receiver_sk, "POST", f"/v1/packets/{packet_id}/ack", ack, {"content-type": "application/json"})
    out["ack"] = status
    out["ackState"] = json.loads(body).get("state")

    # Tampering: a signed request whose body is changed after signing must be refused.
    request = AWSRequest(method="POST", url=url + f"/v1/packets/{packet_id}/reject", data=b'{"reason": "a"}',
                         headers={"content-type": "application/json"})
    SigV4Auth(Credentials(receiver_ak, receiver_sk), "lgsp", "vn").add_auth(request)
    prepared = request.prepare()
    raw = urllib.request.Request(prepared.url, data=b'{"reason": "b"}', method="POST", headers=dict(prepared.headers))
    try:
        urllib.request.urlopen(raw)
        out["tampered"] = 200
    except urllib.error.HTTPError as error:
        out["tampered"] = error.code
        out["tamperedCode"] = json.loads(error.read())["code"]

    out["packetId"] = packet_id
    out["sha256"] = digest
    print(json.dumps(out))


if __name__ == "__main__":
    main()
