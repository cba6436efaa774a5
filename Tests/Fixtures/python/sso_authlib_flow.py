"""An OpenID Connect relying party written with authlib (PyPI), driving the hub's SSO as a business app would.

Usage: sso_authlib_flow.py CONFIG.json, where the configuration gives the hub's URL, the `lgsp` binary and
the hub's data folder (for the administrator credential), an official's login and password, and a second
official to lock out. The script starts a loopback listener for back-channel logout, registers itself with
`lgsp sso client add --json`, then runs the flows and prints one JSON object of what it saw.
"""

import html
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken

config = json.load(open(sys.argv[1]))
result = {}
received = []


class Listener(BaseHTTPRequestHandler):
    """The app's back-channel logout endpoint (and a landing page for redirects)."""

    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        received.append({"path": self.path, "contentType": self.headers.get("content-type", ""),
                         "body": self.rfile.read(length).decode()})
        self.send_response(200)
        self.send_header("content-length", "0")
        self.send_header("cache-control", "no-store")
        self.end_headers()

    def do_GET(self):
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Listener)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = "http://127.0.0.1:%d" % server.server_address[1]
redirect_uri = base + "/cb"
logout_uri = base + "/logged-out"

# Registration through the CLI, as an administrator would.
cli = subprocess.run(
    [config["binary"], "sso", "client", "add", "--name", "Một cửa điện tử (authlib)", "--redirect-uri", redirect_uri,
     "--logout-uri", logout_uri, "--backchannel-logout-uri", base + "/backchannel", "--json"],
    env=dict(os.environ, LGSP_URL=config["url"], LGSP_DATA=config["data"]), capture_output=True, text=True)
if cli.returncode != 0:
    print(json.dumps({"cliError": cli.stderr}))
    sys.exit(0)
registered = json.loads(cli.stdout)
client_id, client_secret = registered["clientId"], registered["clientSecret"]
result["registered"] = {"clientId": client_id, "hasSecret": len(client_secret) >= 32,
                        "discovery": registered["endpoints"]["discovery"]}

discovery = requests.get(registered["endpoints"]["discovery"]).json()
issuer = discovery["issuer"]
result["discovery"] = {k: discovery.get(k) for k in (
    "issuer", "code_challenge_methods_supported", "token_endpoint_auth_methods_supported", "end_session_endpoint",
    "backchannel_logout_supported", "id_token_signing_alg_values_supported")}
keys = JsonWebKey.import_key_set(requests.get(discovery["jwks_uri"]).json())


def relying_party():
    return OAuth2Session(client_id, client_secret, scope="openid profile", redirect_uri=redirect_uri,
                         code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic")


def hidden_fields(page):
    return {html.unescape(name): html.unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page)}


def start(browser, **extra):
    """Builds the authorization URL (PKCE S256, nonce) and opens it in `browser`."""
    rp = relying_party()
    verifier = generate_token(64)
    nonce = generate_token(20)
    uri, state = rp.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce, **extra)
    page = browser.get(uri, allow_redirects=False)
    return rp, verifier, nonce, state, page


def submit(browser, page, username, password):
    fields = hidden_fields(page.text)
    fields.update({"username": username, "password": password})
    return browser.post(discovery["authorization_endpoint"], data=fields, allow_redirects=False)


def query(location):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))


def outcome(response):
    try:
        body = response.json()
    except ValueError:
        body = {}
    return {"status": response.status_code, "error": body.get("error"), "location": response.headers.get("location")}


# 1. Sign in: the login page, the form posted with requests, the redirect with the code.
browser = requests.Session()
rp, verifier, nonce, state, page = start(browser)
result["loginPage"] = {"status": page.status_code, "vietnamese": "Đăng nhập" in page.text,
                       "fields": 'name="username"' in page.text and 'name="password"' in page.text}
answer = submit(browser, page, config["username"], config["password"])
location = answer.headers.get("location", "")
params = query(location)
result["login"] = {"status": answer.status_code, "toRedirectURI": location.startswith(redirect_uri + "?"),
                   "hasCode": "code" in params, "stateMatches": params.get("state") == state, "iss": params.get("iss") == issuer,
                   "ssoCookie": any(cookie.name == "lgsp_sso" and cookie.value for cookie in browser.cookies)}

# 2. The code exchanged by authlib (client_secret_basic + code_verifier).
token = rp.fetch_token(discovery["token_endpoint"], authorization_response=location, code_verifier=verifier, state=state)
claims = jwt.decode(token["id_token"], keys, claims_cls=CodeIDToken,
                    claims_options={"iss": {"essential": True, "value": issuer}, "aud": {"essential": True, "value": client_id}},
                    claims_params={"nonce": nonce, "client_id": client_id})
claims.validate()
result["idToken"] = {"valid": True, "alg": claims.header.get("alg"), "nonce": claims["nonce"] == nonce, "aud": claims["aud"],
                     "iss": claims["iss"] == issuer, "sub": claims["sub"], "sid": claims.get("sid"),
                     "preferred_username": claims.get("preferred_username"), "name": claims.get("name"), "roles": claims.get("roles"),
                     "unit_code": claims.get("unit_code"), "auth_time": isinstance(claims.get("auth_time"), int)}

# 3. Userinfo with the access token.
info = rp.get(discovery["userinfo_endpoint"])
result["userinfo"] = {"status": info.status_code, **({k: info.json().get(k) for k in ("sub", "preferred_username", "roles", "unit_code")}
                                                    if info.status_code == 200 else {})}

# 4. A second authorization in the same browser is answered from the SSO session, without the form.
rp2, verifier2, nonce2, state2, again = start(browser)
result["silent"] = {"status": again.status_code, "hasCode": "code" in query(again.headers.get("location", ""))}
second = rp2.fetch_token(discovery["token_endpoint"], authorization_response=again.headers.get("location", ""),
                         code_verifier=verifier2, state=state2)
result["secondUserinfo"] = rp2.get(discovery["userinfo_endpoint"]).status_code

# 5. The same code again: invalid_grant, and the tokens issued from it stop working.
code2 = query(again.headers["location"])["code"]
replay = requests.post(discovery["token_endpoint"], auth=(client_id, client_secret), data={
    "grant_type": "authorization_code", "code": code2, "redirect_uri": redirect_uri, "code_verifier": verifier2})
result["replay"] = outcome(replay)
result["afterReplayUserinfo"] = rp2.get(discovery["userinfo_endpoint"]).status_code

# 6. A wrong redirect URI: at the authorization endpoint an error page, never a redirect to it; at the
#    token endpoint (a fresh code exchanged with another redirect_uri) invalid_grant.
evil = relying_party()
evil.redirect_uri = base + "/not-registered"
evil_uri, _ = evil.create_authorization_url(discovery["authorization_endpoint"], code_verifier=generate_token(64), nonce="n")
wrong = browser.get(evil_uri, allow_redirects=False)
result["wrongRedirect"] = {"status": wrong.status_code, "location": wrong.headers.get("location"),
                           "errorPage": "không hợp lệ" in wrong.text}
rp3, verifier3, nonce3, state3, third = start(browser)
code3 = query(third.headers.get("location", "")).get("code", "")
mismatch = requests.post(discovery["token_endpoint"], auth=(client_id, client_secret), data={
    "grant_type": "authorization_code", "code": code3, "redirect_uri": base + "/elsewhere", "code_verifier": verifier3})
result["tokenWrongRedirect"] = outcome(mismatch)

# 7. A wrong password: the form again with a Vietnamese message, no code.
stranger = requests.Session()
_, _, _, _, page = start(stranger)
refused = submit(stranger, page, config["username"], config["password"] + "-sai")
result["wrongPassword"] = {"status": refused.status_code, "location": refused.headers.get("location"),
                           "message": "Tên đăng nhập hoặc mật khẩu không đúng" in refused.text, "formAgain": 'name="password"' in refused.text}

# 8. Lockout: after five wrong passwords even the right one is refused.
attempts = []
for _ in range(5):
    _, _, _, _, page = start(stranger)
    attempts.append(submit(stranger, page, config["lockUser"], "khong-dung-" + generate_token(6)).status_code)
_, _, _, _, page = start(stranger)
locked = submit(stranger, page, config["lockUser"], config["lockPassword"])
result["lockout"] = {"attempts": attempts, "status": locked.status_code, "location": locked.headers.get("location"),
                     "message": "tạm thời bị khóa" in locked.text}

# 9. Logout through the end-session endpoint; an unregistered address is refused first.
bad_logout = browser.get(discovery["end_session_endpoint"], params={
    "id_token_hint": token["id_token"], "post_logout_redirect_uri": base + "/somewhere-else"}, allow_redirects=False)
result["badLogout"] = {"status": bad_logout.status_code, "location": bad_logout.headers.get("location")}
logout = browser.get(discovery["end_session_endpoint"], params={
    "id_token_hint": token["id_token"], "post_logout_redirect_uri": logout_uri, "state": "da-dang-xuat"}, allow_redirects=False)
result["logout"] = {"status": logout.status_code, "location": logout.headers.get("location")}
deadline = time.time() + 10
while not received and time.time() < deadline:
    time.sleep(0.05)
if received:
    posted = received[0]
    logout_token = dict(urllib.parse.parse_qsl(posted["body"]))["logout_token"]
    logout_claims = jwt.decode(logout_token, keys)
    logout_claims.validate()
    result["backchannel"] = {"path": posted["path"], "contentType": posted["contentType"], "count": len(received),
                             "iss": logout_claims["iss"] == issuer, "aud": logout_claims["aud"],
                             "sid": logout_claims.get("sid") == claims.get("sid"), "sub": logout_claims.get("sub") == claims["sub"],
                             "event": "http://schemas.openid.net/event/backchannel-logout" in logout_claims.get("events", {}),
                             "noNonce": "nonce" not in logout_claims, "hasJti": bool(logout_claims.get("jti"))}
else:
    result["backchannel"] = None
result["afterLogoutUserinfo"] = rp.get(discovery["userinfo_endpoint"]).status_code
_, _, _, _, after = start(browser)
result["afterLogoutAuthorize"] = {"status": after.status_code, "form": 'name="password"' in after.text}

server.shutdown()
print(json.dumps(result, ensure_ascii=False))
