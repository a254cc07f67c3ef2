#!/usr/bin/python3
"""Runs one job of integrations/github/org-scan.yml on this machine the way
a GitHub Actions runner would, for the tests: `run` steps through `bash -e`
with the step's env (expressions resolved), `if` conditions, step outputs,
and the few actions the workflow uses played by local directories:
actions/cache/restore and /save (STATE/cache/KEY, restore-keys by prefix,
newest first), actions/upload-artifact and /download-artifact
(STATE/artifacts/RUN_ID/NAME). actions/checkout is a no-op (the test's working
directory holds repos.txt). Anything else, an unknown action, expression or
condition, fails the run: the workflow may not silently drift from what the
test runs. Install steps (install.sh) are skipped: the test puts the built
leakstop on PATH.

usage: gha_run.py WORKFLOW JOB WORKDIR STATE RUN_ID [name=value ...]
  name=value: matrix.shard=0, inputs.fingerprint=..., env.SHARDS etc.

Prints JSON: {"steps": [{"name", "ran", "rc"}], "outputs": {step id: {...}},
"rc": the job's exit code (that of its first failed step, else 0)}.
"""
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class Context:
    def __init__(self, doc, run_id, given):
        self.values = {"github.run_id": run_id}
        for k, v in doc.get("env", {}).items():
            self.values[f"env.{k}"] = str(v)
        self.values.update(given)
        self.outputs = {}

    def lookup(self, name):
        if name in self.values:
            return self.values[name]
        if name.startswith(("secrets.", "vars.", "inputs.")):
            return ""  # not set for this run
        sys.exit(f"gha_run: unknown expression ${{{{ {name} }}}}")

    def expand(self, text):
        return EXPR.sub(lambda m: self.lookup(m.group(1)), str(text))

    def condition(self, cond, failed):
        """The conditions the workflow uses; anything else is an error."""
        cond = EXPR.sub(lambda m: m.group(1), str(cond)).strip()
        if cond == "":
            return not failed
        if cond == "!cancelled()":
            return True
        always = cond.startswith("always() && ")
        if always:
            cond = cond[len("always() && "):]
        elif cond == "always()":
            return True
        m = re.fullmatch(r"(steps\.(\w+)\.outputs\.(\w+)|inputs\.(\w+)) (==|!=) '([^']*)'", cond)
        if not m:
            sys.exit(f"gha_run: unknown condition {cond!r}")
        if m.group(2):
            value = self.outputs.get(m.group(2), {}).get(m.group(3), "")
        else:
            value = self.lookup(f"inputs.{m.group(4)}")
        holds = (value == m.group(6)) == (m.group(5) == "==")
        return holds and (always or not failed)


def copy(src, dst):
    if os.path.isdir(src):
        shutil.copytree(src, dst, dirs_exist_ok=True)
    else:
        os.makedirs(os.path.dirname(dst) or ".", exist_ok=True)
        shutil.copy2(src, dst)


def action(uses, args, workdir, state, run_id):
    name = uses.split("@")[0]
    cache = os.path.join(state, "cache")
    artifacts = os.path.join(state, "artifacts", run_id)  # an artifact belongs to its run
    if name == "actions/checkout":
        return 0
    if name == "actions/cache/restore":
        keys = [args["key"]] + [k for k in str(args.get("restore-keys", "")).splitlines() if k]
        saved = sorted(os.listdir(cache), key=lambda k: os.path.getmtime(os.path.join(cache, k)),
                       reverse=True) if os.path.isdir(cache) else []
        for key in keys:
            hit = next((k for k in saved if k == key or (key != args["key"] and k.startswith(key))), None)
            if hit:
                copy(os.path.join(cache, hit), os.path.join(workdir, args["path"]))
                break
        return 0
    if name == "actions/cache/save":
        target = os.path.join(cache, args["key"])
        if not os.path.exists(target):  # a key is written once
            copy(os.path.join(workdir, args["path"]), target)
        return 0
    if name == "actions/upload-artifact":
        src = os.path.join(workdir, args["path"].split("#")[0].strip())
        dst = os.path.join(artifacts, args["name"])
        copy(src, dst if os.path.isdir(src) else os.path.join(dst, os.path.basename(src)))
        return 0
    if name == "actions/download-artifact":
        for a in sorted(os.listdir(artifacts)) if os.path.isdir(artifacts) else []:
            if fnmatch.fnmatch(a, args["pattern"]):
                copy(os.path.join(artifacts, a), os.path.join(workdir, args["path"], a))
        return 0
    sys.exit(f"gha_run: the workflow uses {uses}, which this runner does not play")


def main():
    path, job_name, workdir, state, run_id = sys.argv[1:6]
    state = os.path.abspath(state)
    os.makedirs(state, exist_ok=True)
    given = dict(a.split("=", 1) for a in sys.argv[6:])
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    job = doc["jobs"][job_name]
    ctx = Context(doc, run_id, given)
    result = {"steps": [], "outputs": ctx.outputs, "rc": 0}
    for step in job["steps"]:
        name = step.get("name", step.get("uses", ""))
        if "install.sh" in step.get("run", ""):
            continue
        if not ctx.condition(step.get("if", ""), result["rc"] != 0):
            result["steps"].append({"name": name, "ran": False, "rc": 0})
            continue
        if "uses" in step:
            rc = action(step["uses"], {k: ctx.expand(v) for k, v in step.get("with", {}).items()}, workdir, state,
                        run_id)
        else:
            if "${{" in step["run"]:
                sys.exit(f"gha_run: step {name!r} has an expression inside run; pass it through env")
            env = dict(os.environ)
            env.update({k: ctx.expand(v) for k, v in doc.get("env", {}).items()})
            env.update({k: ctx.expand(v) for k, v in step.get("env", {}).items()})
            out_file = os.path.join(state, "github_output")
            open(out_file, "w").close()
            env["GITHUB_OUTPUT"] = out_file
            rc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workdir, env=env,
                                stdout=sys.stderr).returncode
            with open(out_file, encoding="utf-8") as f:
                outputs = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
            if step.get("id"):
                ctx.outputs[step["id"]] = outputs
        result["steps"].append({"name": name, "ran": True, "rc": rc})
        if rc != 0 and result["rc"] == 0:
            result["rc"] = rc
    print(json.dumps(result))


if __name__ == "__main__":
    main()
