"""Listens to a live lgsp hub's event stream with a third-party client, requests signed by botocore.

usage: stream_client.py ws|sse HUB_URL ACCESS_KEY SECRET_KEY COUNT TIMEOUT [LAST_EVENT_ID]
Prints one JSON line per message: the snapshot first ({"type": "snapshot", ...}), then each event
({"type", "id", "packetId"}), until COUNT events arrived or TIMEOUT seconds passed; exits 0.
"""
import asyncio
import json
import sys
import time

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def signed_headers(url, access_key, secret_key, extra):
    request = AWSRequest(method="GET", url=url, headers=extra)
    SigV4Auth(Credentials(access_key, secret_key), "lgsp", "vn").add_auth(request)
    return {k: v for k, v in request.headers.items() if k.lower() != "host"}


def emit(obj):
    print(json.dumps(obj, ensure_ascii=False), flush=True)


async def websocket(hub, access_key, secret_key, count, timeout, last_event_id):
    import websockets

    path = "/v1/stream" + (f"?lastEventId={last_event_id}" if last_event_id is not None else "")
    url = hub + path
    headers = signed_headers(url, access_key, secret_key, {})
    seen = 0
    deadline = time.monotonic() + timeout
    async with websockets.connect(url.replace("http", "ws", 1), additional_headers=headers) as socket:
        while seen < count and time.monotonic() < deadline:
            try:
                raw = await asyncio.wait_for(socket.recv(), timeout=max(0.1, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                break
            message = json.loads(raw)
            if message["type"] == "snapshot":
                emit({"type": "snapshot", "lastEventId": message["lastEventId"], "inbox": [i["id"] for i in message["data"]["inbox"]]})
            elif message["type"] != "heartbeat":
                emit({"type": message["type"], "id": message["id"], "packetId": message["data"].get("packetId")})
                seen += 1


def server_sent_events(hub, access_key, secret_key, count, timeout, last_event_id):
    import requests
    import sseclient

    url = hub + "/v1/events"
    extra = {"Accept": "text/event-stream"}
    if last_event_id is not None:
        extra["Last-Event-ID"] = str(last_event_id)
    headers = signed_headers(url, access_key, secret_key, extra)
    response = requests.get(url, headers=headers, stream=True, timeout=(5, timeout))
    if response.status_code != 200:
        emit({"type": "error", "status": response.status_code, "body": response.text})
        return
    seen = 0
    deadline = time.monotonic() + timeout
    try:
        for event in sseclient.SSEClient(response).events():
            data = json.loads(event.data) if event.data else {}
            if event.event == "snapshot":
                emit({"type": "snapshot", "lastEventId": data["lastEventId"], "inbox": [i["id"] for i in data["inbox"]]})
            else:
                emit({"type": event.event, "id": int(event.id), "packetId": data.get("packetId")})
                seen += 1
            if seen >= count or time.monotonic() > deadline:
                break
    except requests.exceptions.ReadTimeout:
        pass
    response.close()


def main():
    mode, hub, access_key, secret_key, count, timeout = sys.argv[1:7]
    last_event_id = int(sys.argv[7]) if len(sys.argv) > 7 else None
    if mode == "ws":
        asyncio.run(websocket(hub, access_key, secret_key, int(count), float(timeout), last_event_id))
    else:
        server_sent_events(hub, access_key, secret_key, int(count), float(timeout), last_event_id)


if __name__ == "__main__":
    main()
