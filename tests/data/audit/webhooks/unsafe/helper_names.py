import hashlib
import hmac
import os

from flask import Blueprint, request

bp = Blueprint("partner", __name__)
KEY = os.environ["PARTNER_KEY"].encode()


def _verify(body: bytes, header: str) -> bool:
    good = hmac.new(KEY, body, hashlib.sha256).hexdigest()
    return good == header


@bp.post("/partner/callback")
def callback():
    if not _verify(request.get_data(), request.headers.get("X-Partner-Auth", "")):
        return "", 401
    return "", 204
