"""moto's S3-compatible server for the tests, checking AWS Signature Version 4 on the request as sent.

moto's server hands its handlers and its signature check the URL as werkzeug rebuilds it, with
characters such as '=' decoded, so a correctly signed request for a key like raw/year=2026/... (or a
list with prefix=raw/) fails its check, for boto3 as for this project. Real S3 checks the request
target as sent, and moto's in-process mock sees it as sent; this gives the server's handlers that raw
target too. Usage: python3 s3_test_server.py -H HOST -p PORT
"""
import sys

import flask
from moto.server import main

_rebuilt_url = flask.Request.url


def _url_as_sent(request):
    raw = request.environ.get("RAW_URI")
    return request.host_url.rstrip("/") + raw if raw else _rebuilt_url.__get__(request)


flask.Request.url = property(_url_as_sent)

if __name__ == "__main__":
    main(sys.argv[1:])
