#!/usr/bin/python3
"""Reads a CI file of integrations/ and prints, as JSON, what a test needs
to run it: the leakstop commands it contains and where its report goes.

usage: ci_commands.py github|gitlab FILE

GitHub workflow: {"commands": [run steps naming leakstop, install step
excepted], "report": the upload-sarif step's sarif_file, "upload_if": its
`if`, "upload_uses": its `uses`, "permissions": the workflow's}.
GitLab job: {"commands": the job's script, "report":
artifacts:reports:secret_detection, "when": artifacts:when}.
"""
import json
import sys

import yaml


def github(doc):
    steps = [s for job in doc["jobs"].values() for s in job["steps"]]
    commands = [s["run"] for s in steps
                if "run" in s and "leakstop " in s["run"] and "install.sh" not in s["run"]]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif"))
    return {"commands": commands, "report": upload["with"]["sarif_file"], "upload_if": upload.get("if", ""),
            "upload_uses": upload["uses"], "permissions": doc.get("permissions", {})}


def gitlab(doc):
    jobs = [v for k, v in doc.items() if isinstance(v, dict) and "script" in v]
    job = jobs[0]
    return {"commands": job["script"], "report": job["artifacts"]["reports"]["secret_detection"],
            "when": job["artifacts"].get("when", "")}


def main():
    kind, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    print(json.dumps(github(doc) if kind == "github" else gitlab(doc)))


if __name__ == "__main__":
    main()
