import hashlib
import hmac
import os

from flask import Flask, abort, request

app = Flask(__name__)
SECRET = os.environ["GITHUB_WEBHOOK_SECRET"].encode()


@app.post("/github")
def github_webhook():
    header = request.headers.get("X-Hub-Signature-256", "")
    if not header.startswith("sha256="):
        abort(400)
    digest = hmac.new(SECRET, request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(header[len("sha256="):], digest):
        abort(401)
    event = request.headers.get("X-GitHub-Event")
    if event == "ping":
        return {"pong": True}
    return {"ok": True}
