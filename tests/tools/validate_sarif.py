#!/usr/bin/python3
"""Validates a SARIF file with Microsoft's SARIF Multitool, as GitHub code
scanning would read it, and against the SARIF 2.1.0 JSON schema shipped in
the same npm package.

usage: validate_sarif.py MULTITOOL FILE

The Multitool (5.7.0) exits 0 even when it finds errors: they are read from
its output log. It also skips, silently, a file its object model cannot
load (an unknown enum value, for one): the schema check catches those.
Exit 0 when both find no error; 1 otherwise, with each error printed.
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema


def multitool_errors(multitool, sarif_file):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "validation.sarif")
        run = subprocess.run([multitool, "validate", sarif_file, "--output", out, "--log", "ForceOverwrite",
                              "--rule-kind", "Sarif;Ghas"], capture_output=True, text=True, timeout=300)
        console = run.stdout + run.stderr
        errors = [line for line in console.splitlines() if ": error " in line]
        if run.returncode != 0:
            errors.append(f"multitool exited {run.returncode}: {console}")
        if not os.path.exists(out):
            return errors + [f"multitool wrote no validation log: {console}"]
        with open(out, encoding="utf-8") as f:
            log = json.load(f)
    for run_ in log.get("runs", []):
        for result in run_.get("results", []):
            if result.get("level") == "error":
                errors.append(f"{result.get('ruleId')}: {result.get('message', {}).get('text', '')}")
        for invocation in run_.get("invocations", []):
            if not invocation.get("executionSuccessful", False):
                errors.append(f"multitool did not run to completion: {invocation}")
    return sorted(set(errors))


def schema_errors(multitool, sarif_file):
    schema_file = os.path.join(os.path.dirname(os.path.realpath(multitool)), "sarif-2.1.0.json")
    with open(schema_file, encoding="utf-8") as f:
        schema = json.load(f)
    with open(sarif_file, encoding="utf-8") as f:
        document = json.load(f)
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"schema: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


def main():
    multitool, sarif_file = sys.argv[1], sys.argv[2]
    if not os.access(multitool, os.X_OK):
        print(f"SARIF Multitool not found at {multitool}: run ./install.sh --test, which installs it")
        return 1
    errors = multitool_errors(multitool, sarif_file) + schema_errors(multitool, sarif_file)
    for error in errors:
        print(error)
    print(f"{sarif_file}: {len(errors)} SARIF error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
