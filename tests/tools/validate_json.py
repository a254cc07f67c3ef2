#!/usr/bin/python3
"""Validates a leakstop JSON report against docs/report-schema.json.

usage: validate_json.py SCHEMA FILE [json|jsonl|baseline|audit|audit-log|org_report|org-jsonl]

Exit 0 when valid; 1 with every error listed otherwise. Uses Debian's
python3-jsonschema (draft 2020-12).
"""
import json
import sys

import jsonschema


def main():
    schema_file, report_file = sys.argv[1], sys.argv[2]
    shape = sys.argv[3] if len(sys.argv) > 3 else "json"
    with open(schema_file, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    with open(report_file, encoding="utf-8") as f:
        text = f.read()
    if shape in ("jsonl", "audit-log", "org-jsonl"):
        documents = [json.loads(line) for line in text.splitlines() if line.strip()]
        definition = {"jsonl": "finding", "audit-log": "audit_log", "org-jsonl": "org_finding"}[shape]
        target = dict(schema, **{"$ref": "#/$defs/" + definition})
        target.pop("type")
        target.pop("items")
    elif shape in ("baseline", "audit", "org_report"):
        documents = [json.loads(text)]
        target = dict(schema, **{"$ref": "#/$defs/" + shape})
        target.pop("type")
        target.pop("items")
    else:
        documents = [json.loads(text)]
        target = schema
    validator = jsonschema.Draft202012Validator(target)
    errors = [f"document {i}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
              for i, doc in enumerate(documents) for e in validator.iter_errors(doc)]
    for error in errors:
        print(error)
    print(f"{report_file}: {len(documents)} document(s), {len(errors)} schema error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
