#!/usr/bin/python3
"""Generates an organisation of git repositories for `leakstop org scan`
benchmarks and tests, fast (one `git fast-import` per repository), and
deterministic for a given seed.

usage: make_org.py OUT REPOS COMMITS_PER_REPO [--seed N] [--file-kb K]

Writes OUT/up/rNN (non-bare repositories, branch main) and OUT/repos.txt
(`file://OUT/up/rNN rNN` per line). Each commit changes a few text files;
every third repository gets a made-up Stripe-shaped live key in one commit,
and every sixth removes it again in a later one (so it ends resolved).
Prints one JSON line: {"repos", "commits", "planted"}.
"""
import argparse
import json
import os
import random
import string
import subprocess

WORDS = ("alpha beta gamma delta config server client request response cache token value "
         "index build deploy module handler route parser buffer stream ledger").split()


def made_up_key(rng):
    # Shaped like a live Stripe secret key (the shipped rules find it); random, so nobody's.
    return "sk_live_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(32))


def text(rng, kb):
    words = []
    size = 0
    while size < kb * 1024:
        line = " ".join(rng.choice(WORDS) for _ in range(10)) + "\n"
        words.append(line)
        size += len(line)
    return "".join(words)


def data(payload):
    raw = payload.encode()
    return b"data %d\n" % len(raw) + raw + b"\n"


def make_repo(path, name, commits, rng, kb, plant, remove):
    os.makedirs(path, exist_ok=True)
    subprocess.run(["git", "init", "-q", "--template=", "-b", "main", path], check=True)
    stream = []
    files = {f"src/{name}_{i}.txt": text(rng, kb) for i in range(3)}
    planted_at = rng.randrange(commits) if plant else -1
    removed_at = rng.randrange(planted_at + 1, commits) if remove and planted_at + 1 < commits else -1
    key = made_up_key(rng) if plant else ""
    when = 1700000000
    for c in range(commits):
        stream.append(b"commit refs/heads/main\n")
        stream.append(b"author Dev %d <dev%d@example.org> %d +0000\n" % (c % 5, c % 5, when + c * 3600))
        stream.append(b"committer Dev %d <dev%d@example.org> %d +0000\n" % (c % 5, c % 5, when + c * 3600))
        stream.append(data(f"{name} change {c}"))
        changed = files if c == 0 else {rng.choice(sorted(files)): None}
        for f in changed:
            files[f] = text(rng, kb) if c > 0 else files[f]
            stream.append(f"M 100644 inline {f}\n".encode() + data(files[f]))
        if c == planted_at:
            stream.append(b"M 100644 inline config/settings.py\n" + data(f"STRIPE_KEY = \"{key}\"\n"))
        if c == removed_at:
            stream.append(b"D config/settings.py\n")
        stream.append(b"\n")
    subprocess.run(["git", "-C", path, "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", path, "checkout", "-q", "-f", "main"], check=True)
    return 1 if plant else 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("repos", type=int)
    p.add_argument("commits", type=int)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--file-kb", type=int, default=2)
    a = p.parse_args()
    rng = random.Random(a.seed)
    out = os.path.abspath(a.out)
    planted = 0
    lines = []
    for i in range(a.repos):
        name = f"r{i:02d}"
        path = os.path.join(out, "up", name)
        planted += make_repo(path, name, a.commits, rng, a.file_kb, plant=i % 3 == 0, remove=i % 6 == 0)
        lines.append(f"file://{path} {name}\n")
    with open(os.path.join(out, "repos.txt"), "w", encoding="utf-8") as f:
        f.writelines(lines)
    print(json.dumps({"repos": a.repos, "commits": a.repos * a.commits, "planted": planted}))


if __name__ == "__main__":
    main()
