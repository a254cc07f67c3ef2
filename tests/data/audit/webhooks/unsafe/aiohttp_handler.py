import hashlib
import hmac
import os

from aiohttp import web

SECRET = os.environ.get("REPO_HOOK_SECRET", "").encode()


def is_valid(body: bytes, header: str) -> bool:
    return "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest() == header


async def handle(request: web.Request) -> web.Response:
    body = await request.read()
    if not is_valid(body, request.headers.get("X-Hub-Signature-256", "")):
        raise web.HTTPUnauthorized()
    return web.json_response({"ok": True})


app = web.Application()
app.router.add_post("/hook", handle)
