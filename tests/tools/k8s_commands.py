#!/usr/bin/python3
"""Reads integrations/kubernetes/org-scan.yaml and prints, as JSON, what a
test needs to run it as Kubernetes would: {"scan": the scan pod's command
and args, "shards": the Indexed Job's completions, "parallelism": its
parallelism, "mode": its completionMode, "merge": the merge Job's shell
command}.

usage: k8s_commands.py FILE
"""
import json
import sys

import yaml


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    cron = next(d for d in docs if d["kind"] == "CronJob")
    merge = next(d for d in docs if d["kind"] == "Job")
    job = cron["spec"]["jobTemplate"]["spec"]
    scan = job["template"]["spec"]["containers"][0]
    merger = merge["spec"]["template"]["spec"]["containers"][0]
    print(json.dumps({"scan": scan["command"] + scan["args"], "shards": job["completions"],
                      "parallelism": job["parallelism"], "mode": job["completionMode"],
                      "merge": merger["args"][0]}))


if __name__ == "__main__":
    main()
