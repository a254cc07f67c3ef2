import base64
import hashlib
import hmac
import json

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


def _valid(body: bytes, received: str) -> bool:
    mac = hmac.new(settings.SHOP_WEBHOOK_KEY.encode(), body, hashlib.sha256)
    expected = base64.b64encode(mac.digest()).decode()
    return hmac.compare_digest(expected, received or "")


@csrf_exempt
@require_POST
def shop_webhook(request):
    if not _valid(request.body, request.headers.get("X-Shop-Hmac-Sha256")):
        return HttpResponseForbidden("invalid signature")
    order = json.loads(request.body)
    if order.get("financial_status") == "paid":
        fulfil(order["id"])
    return HttpResponse(status=200)
