"""An S3 stand-in (moto) on a free loopback port, for the S3 blob store tests.

usage: moto_s3.py [--auth]
Prints one JSON line when it answers: {"url": "http://127.0.0.1:PORT"}; with --auth, moto checks
every request's SigV4 signature against IAM, and the line also carries the access key and secret of
an IAM user allowed s3:*. Serves until its standard input closes (the test process ended or closed it).
"""
import json
import os
import sys

auth = "--auth" in sys.argv[1:]
if auth:
    # moto lets this many requests through unsigned (the IAM set-up below), then checks every signature.
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"

from moto.server import ThreadedMotoServer  # noqa: E402  (the setting above must come first)

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
_, port = server.get_host_and_port()
url = f"http://127.0.0.1:{port}"
answer = {"url": url}
if auth:
    import botocore.session

    iam = botocore.session.get_session().create_client(
        "iam", endpoint_url=url, region_name="us-east-1", aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
    iam.create_user(UserName="lgsp-hub")
    key = iam.create_access_key(UserName="lgsp-hub")["AccessKey"]
    iam.put_user_policy(
        UserName="lgsp-hub", PolicyName="content",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    answer.update(accessKey=key["AccessKeyId"], secretKey=key["SecretAccessKey"])
print(json.dumps(answer), flush=True)
sys.stdin.read()
server.stop()
