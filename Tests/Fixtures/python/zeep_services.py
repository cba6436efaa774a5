"""SOAP service calls through the hub driven by zeep, built from the hub's WSDL for the service (issue 6).

Usage: zeep_services.py CONFIG.json  — prints a JSON object of step outcomes.

CONFIG: url, unit, service (mapped: the citizen lookup example), passthrough (a soap service
without mappings), granted {accessKey, secretKey} (an app with a grant for both services),
ungranted {…}, session (a session token for the mapped service, from POST /v1/auth/sessions),
personalId.
"""
import base64
import hashlib
import json
import os
import sys
from datetime import datetime, timezone

import requests
from lxml import etree
from zeep import Client
from zeep.exceptions import Fault
from zeep.wsse.username import UsernameToken

ERR = "http://lgsp.vn/soap/documents/1"
CD = "http://lgsp.vn/soap/services/tra-cuu-cong-dan"
config = json.load(open(sys.argv[1]))
endpoint = "%s/soap/services/%s/%s" % (config["url"], config["unit"], config["service"])
passthrough = "%s/soap/services/%s/%s" % (config["url"], config["unit"], config["passthrough"])
out = {}


def step(name, call):
    try:
        out[name] = {"ok": True, "value": call()}
    except Fault as fault:
        found = fault.detail.find(".//{%s}Code" % ERR) if fault.detail is not None else None
        out[name] = {"ok": False, "code": found.text if found is not None else None, "message": fault.message}
    except Exception as error:  # noqa: BLE001 - reported as data
        out[name] = {"ok": False, "error": repr(error)}


def client(credential):
    return Client(endpoint + "?wsdl", wsse=UsernameToken(credential["accessKey"], credential["secretKey"], use_digest=True))


def security(credential):
    nonce = os.urandom(16)
    created = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = base64.b64encode(hashlib.sha1(nonce + created.encode() + credential["secretKey"].encode()).digest()).decode()
    return f"""<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
 xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken>
<wsse:Username>{credential["accessKey"]}</wsse:Username>
<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">{digest}</wsse:Password>
<wsse:Nonce>{base64.b64encode(nonce).decode()}</wsse:Nonce><wsu:Created>{created}</wsu:Created>
</wsse:UsernameToken></wsse:Security>"""


def post(target, body, content_type="text/xml; charset=utf-8"):
    response = requests.post(target, data=body.encode(), headers={"Content-Type": content_type, "SOAPAction": '"%s/TraCuuCongDan"' % CD}, timeout=30)
    code = None
    try:
        found = etree.fromstring(response.content, etree.XMLParser(resolve_entities=False, no_network=True)).find(".//{%s}Code" % ERR)
        code = found.text if found is not None else None
    except etree.XMLSyntaxError:
        pass
    return {"status": response.status_code, "code": code, "contentType": response.headers.get("content-type"), "body": response.text}


def envelope(header, body, soap="http://schemas.xmlsoap.org/soap/envelope/"):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="{soap}" xmlns:lgsp="http://lgsp.vn/soap/services/1" xmlns:cd="{CD}">
<soap:Header>{header}</soap:Header><soap:Body>{body}</soap:Body></soap:Envelope>"""


granted = config["granted"]
lookup = f"<cd:TraCuuCongDan><cd:SoDinhDanh>{config['personalId']}</cd:SoDinhDanh></cd:TraCuuCongDan>"

step("lookup11", lambda: dict(client(granted).service.TraCuuCongDan(SoDinhDanh=config["personalId"]).__values__))
step("lookup12", lambda: dict(
    client(granted).bind("CitizenLookupService", "CitizenLookupSoap12").TraCuuCongDan(SoDinhDanh=config["personalId"]).__values__))
step("ungranted", lambda: dict(client(config["ungranted"]).service.TraCuuCongDan(SoDinhDanh=config["personalId"]).__values__))
out["withSession"] = post(endpoint, envelope(security(granted) + f"<lgsp:Session>{config['session']}</lgsp:Session>", lookup))
out["foreignSession"] = post(endpoint, envelope(security(config["ungranted"]) + f"<lgsp:Session>{config['session']}</lgsp:Session>", lookup))
out["malformed"] = post(endpoint, envelope(security(granted), "<cd:TraCuuCongDan><cd:SoDinhDanh>1</cd:TraCuuCongDan>"))
out["emptyBody"] = post(endpoint, envelope(security(granted), ""))
out["missingField"] = post(endpoint, envelope(security(granted), "<cd:TraCuuCongDan/>"))
out["unauthenticated"] = post(endpoint, envelope("", lookup), "application/soap+xml; charset=utf-8")
soap12 = "http://www.w3.org/2003/05/soap-envelope"
out["unauthenticated12"] = post(endpoint, envelope("", lookup, soap12), "application/soap+xml; charset=utf-8")
out["passthrough"] = post(passthrough, envelope(security(granted), lookup))
out["wsdl"] = {"body": requests.get(endpoint + "?wsdl", timeout=30).text}
print(json.dumps(out, ensure_ascii=False))
