#!/usr/bin/env python3
"""Regenerates the pack, pack_entry, delta, tree and commit seeds of
tests/fuzz/corpus from a tiny repository made with the real git and
repacked with deltas. The other targets' seeds are written by hand."""

import os
import pathlib
import subprocess
import sys
import tempfile
import zlib

SEPARATOR = b"\n#LSFUZZ#\n"  # fuzz_util.hpp's k_separator
CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"


def git(repo, *args, data=None):
    env = dict(os.environ, GIT_AUTHOR_NAME="Fuzz", GIT_AUTHOR_EMAIL="fuzz@example.com",
               GIT_COMMITTER_NAME="Fuzz", GIT_COMMITTER_EMAIL="fuzz@example.com",
               GIT_AUTHOR_DATE="1700000000 +0100", GIT_COMMITTER_DATE="1700000000 +0100")
    return subprocess.run(["git", "-C", str(repo), *args], input=data, env=env, check=True,
                          stdout=subprocess.PIPE).stdout


def make_repo(repo):
    git(repo, "init", "-q", "-b", "main")
    config = "".join(f"key_{i} = value number {i}\n" for i in range(40))
    for n in range(4):
        (repo / "config.ini").write_text(config + f"aws_access_key_id = AKIAIOSFODNN7EXAMPL{n}\n")
        (repo / "src").mkdir(exist_ok=True)
        (repo / "src" / "main.c").write_text("int main(void) {\n" + "  return 0;\n" * (n + 1) + "}\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"change {n}")
    git(repo, "repack", "-a", "-d", "-q", "--depth=10", "--window=10")


def entries(repo, pack):
    """(offset, end, type, base offset) of every object, in pack order."""
    rows = []
    for line in git(repo, "verify-pack", "-v", str(pack)).decode().splitlines():
        f = line.split()
        if len(f) >= 5 and len(f[0]) == 40 and f[1] in ("commit", "tree", "blob", "tag"):
            rows.append((int(f[4]), int(f[3]), f[0], f[6] if len(f) == 7 else None))
    rows.sort()
    return rows


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def header_length(data):
    i = 1
    while data[i - 1] & 0x80:
        i += 1
    kind = (data[0] >> 4) & 7
    if kind == 6:
        while data[i] & 0x80:
            i += 1
        i += 1
    elif kind == 7:
        i += 20
    return i


def main():
    with tempfile.TemporaryDirectory() as tmp:
        repo = pathlib.Path(tmp)
        make_repo(repo)
        pack = next((repo / ".git/objects/pack").glob("*.pack"))
        idx_bytes = pack.with_suffix(".idx").read_bytes()
        pack_bytes = pack.read_bytes()
        write("pack", "repo", idx_bytes + SEPARATOR + pack_bytes)
        # Every offset in the 64-bit table, as in packs over 2 GiB.
        large = repo / "large.idx"
        git(repo, "index-pack", "--index-version=2,0", "-o", str(large), str(pack))
        write("pack", "repo-large-offsets", large.read_bytes() + SEPARATOR + pack_bytes)
        by_id = {}
        for offset, length, oid, base in entries(repo, pack):
            raw = pack_bytes[offset:offset + length]
            by_id[oid] = (raw, base)
            kind = (raw[0] >> 4) & 7
            write("pack_entry", f"{oid[:12]}-type{kind}", raw)
            if base:
                delta = zlib.decompress(raw[header_length(raw):])
                base_bytes = git(repo, "cat-file", "--batch", data=base.encode() + b"\n")
                base_bytes = base_bytes[base_bytes.index(b"\n") + 1:-1]
                write("delta", oid[:12], base_bytes + SEPARATOR + delta)
        for oid, kind in (line.split() for line in git(repo, "cat-file", "--batch-all-objects",
                                                           "--batch-check=%(objectname) %(objecttype)").decode().splitlines()):
            if kind in ("tree", "commit"):
                write(kind, oid[:12], git(repo, "cat-file", kind, oid))


if __name__ == "__main__":
    sys.exit(main())
