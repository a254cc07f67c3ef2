import hashlib
import hmac
import os
import time

from fastapi import FastAPI, Header, HTTPException, Request

app = FastAPI()
SIGNING_SECRET = os.environ["CHAT_SIGNING_SECRET"]


@app.post("/chat/events")
async def chat_events(request: Request, x_timestamp: str = Header(...), x_signature: str = Header(...)):
    if abs(time.time() - int(x_timestamp)) > 60 * 5:
        raise HTTPException(status_code=400, detail="stale")
    body = await request.body()
    basestring = b"v0:" + x_timestamp.encode() + b":" + body
    computed = "v0=" + hmac.new(SIGNING_SECRET.encode(), basestring, hashlib.sha256).hexdigest()
    if len(computed) != len(x_signature) or not hmac.compare_digest(computed, x_signature):
        raise HTTPException(status_code=401, detail="bad signature")
    payload = await request.json()
    if payload.get("type") == "url_verification":
        return {"challenge": payload["challenge"]}
    return {"ok": True}
