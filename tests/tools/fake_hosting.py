#!/usr/bin/env python3
"""A stand-in for the GitHub and GitLab REST APIs, for tests/test_hosting_cli.cpp.

This is the only fake in those tests: it answers the two endpoints leakstop
documents, as the services do (paginated JSON arrays, Link and X-Next-Page
headers, rate-limit headers, 401/404 with a JSON message), and records every
request it receives, so that a test can check what reached it.

    fake_hosting.py PORT CONFIG.json

CONFIG: {"log": "requests.jsonl", "token": "..." or null, "page_size": 2,
         "github": {"ORG": [repo, ...]}, "gitlab": [project, ...],
         "rate_limit": {"github": 2, "gitlab": 2},  # the page answered once with a rate limit
         "rate_limit_seconds": 2,                   # how far ahead its reset lies
         "bad_json": ["ORG"], "foreign_next": ["ORG"]}
GitHub: GET /orgs/ORG/repos?page=N (the repos of CONFIG.github.ORG, page_size a
page, Link rel="next"/"last"). GitLab: GET /api/v4/groups/ID/projects?page=N
(ID a path, URL-encoded; the projects whose namespace is the group, or under
it with include_subgroups=true; X-Next-Page). A request without the
configured token ("Authorization: Bearer TOKEN") gets 401.
"""

import json
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as f:
    CONFIG = json.load(f)
BASE = f"http://127.0.0.1:{PORT}"
LIMITED = set()  # (service, page) already answered with a rate limit


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, status):
        with open(CONFIG["log"], "a", encoding="utf-8") as log:
            log.write(json.dumps({"path": self.path, "status": status,
                                  "headers": {k.lower(): v for k, v in self.headers.items()}}) + "\n")

    def answer(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.record(status)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def rate_limited(self, service, page):
        if CONFIG.get("rate_limit", {}).get(service) != page or (service, page) in LIMITED:
            return False
        LIMITED.add((service, page))
        reset = int(time.time()) + CONFIG.get("rate_limit_seconds", 2)
        if service == "github":
            self.answer(403, {"message": "API rate limit exceeded"},
                        [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", str(reset))])
        else:
            self.answer(429, {"message": "Retry later"},
                        [("RateLimit-Remaining", "0"), ("RateLimit-Reset", str(reset))])
        return True

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        page = int(query.get("page", "1"))
        token = CONFIG.get("token")
        if token and self.headers.get("Authorization") != f"Bearer {token}":
            return self.answer(401, {"message": "Bad credentials"})
        parts = url.path.split("/")
        size = min(CONFIG.get("page_size", 100), int(query.get("per_page", "30")))
        if len(parts) == 4 and parts[1] == "orgs" and parts[3] == "repos":
            return self.github(parts[2], page, size, query)
        if len(parts) == 6 and parts[1:4] == ["api", "v4", "groups"] and parts[5] == "projects":
            return self.gitlab(urllib.parse.unquote(parts[4]), page, size, query)
        return self.answer(404, {"message": "Not Found"})

    def github(self, org, page, size, query):
        if org in CONFIG.get("bad_json", []):
            return self.answer(200, b'[{"full_name": "x", ')
        repos = CONFIG.get("github", {}).get(org)
        if repos is None:
            return self.answer(404, {"message": "Not Found"})
        if self.rate_limited("github", page):
            return None
        last = max(1, -(-len(repos) // size))
        links = []
        if page < last:
            query = dict(query, page=str(page + 1))
            host = "http://198.51.100.7" if org in CONFIG.get("foreign_next", []) else BASE
            links.append(f'<{host}/orgs/{org}/repos?{urllib.parse.urlencode(query)}>; rel="next"')
        links.append(f'<{BASE}/orgs/{org}/repos?{urllib.parse.urlencode(dict(query, page=str(last)))}>; rel="last"')
        return self.answer(200, repos[(page - 1) * size:page * size], [("Link", ", ".join(links))])

    def gitlab(self, group, page, size, query):
        projects = CONFIG.get("gitlab", [])
        known = {p["path_with_namespace"].rsplit("/", 1)[0] for p in projects}
        if not any(n == group or n.startswith(group + "/") for n in known):
            return self.answer(404, {"message": "404 Group Not Found"})
        if self.rate_limited("gitlab", page):
            return None
        subgroups = query.get("include_subgroups") == "true"
        mine = [p for p in projects
                if p["path_with_namespace"].rsplit("/", 1)[0] == group
                or (subgroups and p["path_with_namespace"].startswith(group + "/"))]
        last = max(1, -(-len(mine) // size))
        headers = [("X-Page", str(page)), ("X-Total-Pages", str(last)),
                   ("X-Next-Page", str(page + 1) if page < last else "")]
        return self.answer(200, mine[(page - 1) * size:page * size], headers)


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
