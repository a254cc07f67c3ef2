#!/usr/bin/env python3
"""Writes a git fast-import stream of a repository built from real text on
this machine (headers and documentation), with a few thousand commits that
edit, add, rename and delete files, side branches merged back, and secrets
planted in known commits. Deterministic for a given file list and seed.

    make_history_repo.py FILE_LIST COMMITS PLANTED_OUT > stream

FILE_LIST holds one source file per line. PLANTED_OUT receives one line per
planted secret: the secret, the commit number and whether it survives to HEAD.
"""
import random
import string
import sys

def main():
    file_list, commits, planted_out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = random.Random(20240501)
    pool = []
    for name in open(file_list, encoding="utf-8", errors="surrogateescape").read().splitlines():
        try:
            with open(name, "rb") as f:
                data = f.read()
        except OSError:
            continue
        if b"\0" in data or not data:
            continue
        pool.append((name.rsplit("/", 1)[-1], data.splitlines(keepends=True)))
    out = sys.stdout.buffer
    files = {}  # path -> list of lines (bytes)
    next_pool = [0]
    path_serial = [0]

    def new_path(base):
        path_serial[0] += 1
        return "src/%02d/%02d/%s.%d" % (path_serial[0] % 12, path_serial[0] // 12 % 10, base, path_serial[0])

    def take_pool():
        base, lines = pool[next_pool[0] % len(pool)]
        next_pool[0] += 1
        return base, list(lines)

    initial = min(len(pool) // 2, 4000)
    for _ in range(initial):
        base, lines = take_pool()
        files[new_path(base)] = lines

    planted = []  # [secret, commit number, path, alive]
    when = 1_600_000_000
    mark = [0]

    def emit_commit(number, branch, parent_marks, changes, author):
        nonlocal when
        when += 3600
        mark[0] += 1
        name = "Developer %d" % author
        msg = b"change %d\n" % number
        out.write(b"commit refs/heads/%s\nmark :%d\n" % (branch.encode(), mark[0]))
        out.write(b"author %s <dev%d@example.org> %d +0000\n" % (name.encode(), author, when))
        out.write(b"committer %s <dev%d@example.org> %d +0000\n" % (name.encode(), author, when))
        out.write(b"data %d\n%s" % (len(msg), msg))
        if parent_marks:
            out.write(b"from :%d\n" % parent_marks[0])
            for p in parent_marks[1:]:
                out.write(b"merge :%d\n" % p)
        for op, path in changes:
            if op == "D":
                out.write(b"D %s\n" % path.encode())
            else:
                data = b"".join(files[path])
                out.write(b"M 100644 inline %s\ndata %d\n" % (path.encode(), len(data)))
                out.write(data)
                out.write(b"\n")
        return mark[0]

    def edit(path):
        lines = files[path]
        _, donor = pool[rng.randrange(len(pool))]
        at = rng.randrange(len(lines) + 1)
        cut = rng.randrange(0, 12)
        start = rng.randrange(len(donor)) if donor else 0
        lines[at:at + cut] = donor[start:start + rng.randrange(1, 20)]
        if not lines:
            lines.append(b"\n")

    def plant(number, path):
        secret = "sk_live_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(32))
        lines = files[path]
        lines.insert(rng.randrange(len(lines) + 1), b"STRIPE_KEY = '%s'\n" % secret.encode())
        planted.append([secret, number, path, True])

    def unplant(path):
        for p in planted:
            if p[2] == path and p[3]:
                files[path] = [l for l in files[path] if p[0].encode() not in l]
                p[3] = False
                return True
        return False

    head = emit_commit(0, "main", [], [("M", p) for p in sorted(files)], 0)
    n = 1
    while n < commits:
        side = n % 250 == 0
        branch_marks = []
        side_paths = set()
        for k in range(6 if side else 1):
            changes = []
            paths = sorted(files)
            for path in rng.sample(paths, rng.randrange(1, 12)):
                edit(path)
                changes.append(("M", path))
            r = rng.random()
            live = [p[2] for p in planted if p[3] and p[2] in files]
            if n % 97 == 50 and live:
                r, forced = 0.0, live[-1]  # a file holding a secret moves
            else:
                forced = None
            if r < 0.08:
                old = forced or rng.choice(paths)
                if old not in dict(changes):
                    new = new_path(old.rsplit("/", 1)[-1].rsplit(".", 1)[0])
                    files[new] = files.pop(old)
                    for p in planted:
                        if p[2] == old and p[3]:
                            p[2] = new
                    changes += [("D", old), ("M", new)]
            elif r < 0.14:
                old = rng.choice(paths)
                if old not in dict(changes) and not any(p[2] == old and p[3] for p in planted):
                    del files[old]
                    changes.append(("D", old))
            elif r < 0.30:
                base, lines = take_pool()
                path = new_path(base)
                files[path] = lines
                changes.append(("M", path))
            if n % 61 == 7:
                path = changes[0][1]
                plant(n, path)
            elif n % 61 == 40:
                # Not a file this commit moved: the secret was committed
                # at its old path only, and that is where it must be found.
                touched = {c[1] for c in changes}
                live = [p for p in planted if p[3] and p[2] in files and p[2] not in touched]
                if live and unplant(live[0][2]):
                    changes.append(("M", live[0][2]))
            changes = [c for c in changes if c[0] == "D" or c[1] in files]
            parent = [branch_marks[-1]] if branch_marks else [head]
            m = emit_commit(n, "side" if side else "main", parent, changes, n % 17)
            if side:
                branch_marks.append(m)
                side_paths.update(c[1] for c in changes)
            else:
                head = m
            n += 1
        if side:
            merged = [("M" if p in files else "D", p) for p in sorted(side_paths)]
            head = emit_commit(n, "main", [head, branch_marks[-1]], merged, 1)
            n += 1
    with open(planted_out, "w") as f:
        for secret, number, path, alive in planted:
            f.write("%s %d %s %s\n" % (secret, number, path, "head" if alive else "history"))

main()
