"""A webhook receiver as an app would write it: verifies the hub's signature with the standard library.

usage: webhook_receiver.py FOLDER
Listens on 127.0.0.1 (a free port, written to FOLDER/port). A push to /hook/NAME/FAIL answers 503 to
the first FAIL requests for NAME, then 204. The secret for NAME is read from FOLDER/NAME.secret when a
request arrives. Every request is appended to FOLDER/NAME.jsonl as one JSON line:
{"attempt", "eventId", "type", "packetId", "valid", "fresh", "answered"}.
`valid` is the HMAC-SHA256 check of X-LGSP-Signature (t=<unix>,v1=<hex>) over "<t>.<body>";
`fresh` says whether t is within 5 minutes of this machine's clock.
"""
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FOLDER = sys.argv[1]
COUNTS = {}


def verify(secret, header, body):
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    timestamp, signature = parts.get("t", ""), parts.get("v1", "")
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
    return hmac.compare_digest(expected, signature), fresh


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        parts = self.path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "hook":
            self.send_response(404)
            self.end_headers()
            return
        name, fail = parts[1], int(parts[2])
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            with open(os.path.join(FOLDER, name + ".secret")) as handle:
                secret = handle.read().strip()
        except FileNotFoundError:
            secret = ""
        valid, fresh = verify(secret, self.headers.get("X-LGSP-Signature", ""), body)
        COUNTS[name] = COUNTS.get(name, 0) + 1
        status = 503 if COUNTS[name] <= fail else 204
        event = json.loads(body)
        record = {
            "attempt": int(self.headers.get("X-LGSP-Delivery-Attempt", "0")),
            "eventId": int(self.headers.get("X-LGSP-Event-Id", "0")),
            "type": self.headers.get("X-LGSP-Event-Type"),
            "bodyType": event.get("type"),
            "packetId": event.get("data", {}).get("packetId"),
            "valid": valid,
            "fresh": fresh,
            "answered": status,
        }
        with open(os.path.join(FOLDER, name + ".jsonl"), "a") as handle:
            handle.write(json.dumps(record) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(os.path.join(FOLDER, "port.tmp"), "w") as handle:
        handle.write(str(server.server_address[1]))
    os.rename(os.path.join(FOLDER, "port.tmp"), os.path.join(FOLDER, "port"))
    server.serve_forever()


if __name__ == "__main__":
    main()
