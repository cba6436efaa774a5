"""A TCP proxy on loopback that cuts the first connection after it has carried CUT bytes from the
client, as a dropped network would; later connections pass through untouched.

usage: cutting_proxy.py TARGET_PORT CUT_BYTES [--total]   (prints the port it listens on, then serves)

With --total, CUT_BYTES counts the client bytes of every connection together, and the connection
carrying byte CUT_BYTES is the one cut (for clients that open a connection per request).
"""
import socket
import sys
import threading

target_port, cut = int(sys.argv[1]), int(sys.argv[2])
total = "--total" in sys.argv[3:]
state = {"cut_done": False, "carried": 0}
lock = threading.Lock()


def pipe(source, destination, limit, counted=False):
    carried = 0
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            if counted:
                with lock:
                    room = None if state["cut_done"] else cut - state["carried"]
                    state["carried"] += len(data)
                    state["cut_done"] = state["cut_done"] or len(data) > room
                if room is not None and len(data) > room:
                    destination.sendall(data[:room])
                    raise ConnectionAbortedError
            if limit is not None and carried + len(data) > limit:
                destination.sendall(data[: limit - carried])
                raise ConnectionAbortedError
            destination.sendall(data)
            carried += len(data)
    except OSError:
        pass
    finally:
        for s in (source, destination):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def handle(client):
    upstream = socket.create_connection(("127.0.0.1", target_port))
    if total:
        threading.Thread(target=pipe, args=(upstream, client, None), daemon=True).start()
        pipe(client, upstream, None, counted=True)
        return
    with lock:
        limit = None if state["cut_done"] else cut
        state["cut_done"] = True
    threading.Thread(target=pipe, args=(upstream, client, None), daemon=True).start()
    pipe(client, upstream, limit)


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(16)
print(listener.getsockname()[1], flush=True)
while True:
    connection, _ = listener.accept()
    threading.Thread(target=handle, args=(connection,), daemon=True).start()
