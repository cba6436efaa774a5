"""The SOAP document service driven by zeep, built from the hub's own WSDL (issue 6).

Usage: zeep_documents.py CONFIG.json  — prints a JSON object of step outcomes.

CONFIG: url, source {accessKey, secretKey} (a legacy document system), destination {…},
document (path of an edXML file), unknownRecipient (path of an edXML file to an unknown organ),
foreignSender (path of an edXML file whose From is another organ),
status03 / status06 (paths of edXML status packets), restPacket (an id a REST source sent to the
destination, or null), hostile [{name, path}] (raw envelopes to POST), bigDocument / hugeDocument
(sizes in bytes of generated documents beyond the limits).
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

NS = "http://lgsp.vn/soap/documents/1"
config = json.load(open(sys.argv[1]))
url = config["url"]
wsdl = url + "/soap/documents?wsdl"
out = {}


def fault_code(fault):
    detail = fault.detail
    if detail is None:
        return None
    found = detail.find(".//{%s}Code" % NS)
    return found.text if found is not None else None


def step(name, call):
    try:
        value = call()
        out[name] = {"ok": True, "value": value}
        return value
    except Fault as fault:
        out[name] = {"ok": False, "code": fault_code(fault), "faultcode": str(fault.code), "message": fault.message}
    except Exception as error:  # noqa: BLE001 - reported as data
        out[name] = {"ok": False, "error": repr(error)}
    return None


def client(credential, password=None):
    return Client(wsdl, wsse=UsernameToken(credential["accessKey"], password or credential["secretKey"], use_digest=True))


source = client(config["source"])
destination = client(config["destination"]).bind("LGSPDocumentService", "DocumentsSoap12")
document = open(config["document"], "rb").read()

sent = step("send", lambda: dict(source.service.SendDocument(Document=document).__values__))
document_id = sent["DocumentId"] if sent else None
step("sendAgain", lambda: dict(source.service.SendDocument(Document=document).__values__))


def pending():
    result = destination.GetPendingDocumentIds()
    return list(result or [])


step("pending", pending)


def get_document():
    answer = destination.GetDocument(DocumentId=document_id)
    return {
        "sameBytes": answer.Document == document, "sha256": answer.Sha256, "actualSha256": hashlib.sha256(answer.Document).hexdigest(),
        "from": answer.From, "subject": answer.Subject, "priority": answer.Priority,
    }


step("get", get_document)
step("confirm", lambda: dict(destination.ConfirmReceived(DocumentId=document_id).__values__))
step("pendingAfter", pending)
for code in ("03", "06"):
    status = open(config["status" + code], "rb").read()
    step("trace" + code, lambda: dict(destination.UpdateTraces(DocumentId=document_id, StatusDocument=status).__values__))


def traces():
    answer = source.service.GetTraces(DocumentId=document_id)
    return [{"organId": t.OrganId, "status": t.StatusCode, "name": t.StatusName} for t in (answer.Trace or [])]


step("traces", traces)

# Refusals, each a SOAP fault with the hub's code.
step("wrongPassword", lambda: client(config["source"], password="not-the-secret").service.GetPendingDocumentIds())
step("unknownRecipient", lambda: source.service.SendDocument(Document=open(config["unknownRecipient"], "rb").read()))
step("foreignSender", lambda: source.service.SendDocument(Document=open(config["foreignSender"], "rb").read()))
step("notRecipient", lambda: source.service.GetDocument(DocumentId=document_id))
big = b"<x>" + b"A" * config["bigDocument"] + b"</x>"
step("bigDocument", lambda: source.service.SendDocument(Document=big))
huge = b"<x>" + b"A" * config["hugeDocument"] + b"</x>"
step("hugeDocument", lambda: source.service.SendDocument(Document=huge))


# The same UsernameToken twice: the second is a replay.
def raw_token(credential, nonce, created, password=None, digest=True):
    secret = password or credential["secretKey"]
    value = base64.b64encode(hashlib.sha1(nonce + created.encode() + secret.encode()).digest()).decode() if digest else secret
    kind = "PasswordDigest" if digest else "PasswordText"
    return f"""<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:d="{NS}"><soap:Header>
<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
 xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken>
<wsse:Username>{credential["accessKey"]}</wsse:Username>
<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#{kind}">{value}</wsse:Password>
<wsse:Nonce>{base64.b64encode(nonce).decode()}</wsse:Nonce><wsu:Created>{created}</wsu:Created>
</wsse:UsernameToken></wsse:Security></soap:Header><soap:Body><d:GetPendingDocumentIds/></soap:Body></soap:Envelope>""".encode()


def post(body, content_type="text/xml; charset=utf-8"):
    response = requests.post(url + "/soap/documents", data=body, headers={"Content-Type": content_type}, timeout=30)
    code = None
    try:
        found = etree.fromstring(response.content, etree.XMLParser(resolve_entities=False, no_network=True)).find(".//{%s}Code" % NS)
        code = found.text if found is not None else None
    except etree.XMLSyntaxError:
        pass
    return {"status": response.status_code, "code": code, "contentType": response.headers.get("content-type")}


now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
nonce = os.urandom(16)
out["rawFirst"] = post(raw_token(config["destination"], nonce, now))
out["rawReplay"] = post(raw_token(config["destination"], nonce, now))
out["rawOld"] = post(raw_token(config["destination"], os.urandom(16), "2020-01-01T00:00:00Z"))
out["rawPasswordText"] = post(raw_token(config["destination"], os.urandom(16), now, digest=False))
out["rawNoToken"] = post(f'<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:d="{NS}"><soap:Body><d:GetPendingDocumentIds/></soap:Body></soap:Envelope>'.encode(),
                         "application/soap+xml; charset=utf-8")

if config.get("restPacket"):
    def rest_packet():
        answer = destination.GetDocument(DocumentId=config["restPacket"])
        confirmed = destination.ConfirmReceived(DocumentId=config["restPacket"])
        traced = destination.UpdateTraces(DocumentId=config["restPacket"], StatusDocument=open(config["status03"], "rb").read())
        return {"bytes": len(answer.Document), "sha256": answer.Sha256, "confirmed": confirmed.State, "traced": traced.State}
    step("restPacket", rest_packet)

for item in config.get("hostile", []):
    out["hostile:" + item["name"]] = post(open(item["path"], "rb").read())

out["documentId"] = document_id
print(json.dumps(out, default=str))
