#!/usr/bin/python3
"""Reads integrations/github/org-scan.yml and prints, as JSON, what a test
needs to run it as GitHub Actions would:

{"shards": env.SHARDS, "matrix": the scan job's matrix.shard list,
 "schedule": the cron, "merge_needs": the merge job's needs, "merge_if": its if,
 "scan": [steps of the scan job], "merge": [steps of the merge job]}

where a step is {"name", "if", "run" or "uses", "with", "env"}. Install
steps (install.sh) are left out. Every `run` script must take its inputs
from `env` alone (a `${{ }}` expression inside a script is how workflows
get injected): the tool fails if one does.

usage: gha_org_commands.py FILE
"""
import json
import sys

import yaml


def step(s):
    if "run" in s and "${{" in s["run"]:
        sys.exit(f"step {s.get('name')!r}: an expression inside run; pass it through env")
    return {"name": s.get("name", ""), "if": str(s.get("if", "")), "run": s.get("run", ""),
            "uses": s.get("uses", ""), "with": s.get("with", {}), "env": s.get("env", {}), "id": s.get("id", "")}


def steps(job):
    return [step(s) for s in job["steps"] if "install.sh" not in s.get("run", "")]


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    # YAML 1.1 reads the key `on` as True.
    on = doc.get("on", doc.get(True))
    scan, merge = doc["jobs"]["scan"], doc["jobs"]["merge"]
    print(json.dumps({"shards": doc["env"]["SHARDS"], "matrix": scan["strategy"]["matrix"]["shard"],
                      "fail_fast": scan["strategy"].get("fail-fast", True),
                      "schedule": on["schedule"][0]["cron"], "dispatch_inputs": sorted(on["workflow_dispatch"]["inputs"]),
                      "merge_needs": merge["needs"], "merge_if": str(merge.get("if", "")),
                      "scan": steps(scan), "merge": steps(merge)}))


if __name__ == "__main__":
    main()
