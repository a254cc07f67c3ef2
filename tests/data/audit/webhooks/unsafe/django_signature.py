import hashlib
import hmac

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def mailer_events(request):
    token = request.POST.get("token", "")
    timestamp = request.POST.get("timestamp", "")
    signature = request.POST.get("signature", "")
    digest = hmac.new(
        key=settings.MAILER_SIGNING_KEY.encode(),
        msg=(timestamp + token).encode(),
        digestmod=hashlib.sha256,
    ).hexdigest()
    if digest == signature:
        record_event(request.POST)
        return HttpResponse("ok")
    return HttpResponseBadRequest("invalid")
