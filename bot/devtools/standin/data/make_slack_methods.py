"""Derive slack_methods.json from Slack's published OpenAPI spec.

Usage: python bot/devtools/standin/data/make_slack_methods.py [SPEC] > bot/devtools/standin/data/slack_methods.json

For each method: its HTTP verbs and its required parameters, minus `token` (sent as a header).
"""

from __future__ import annotations

import json
import sys

DEFAULT_SPEC = "/work/shared/slack-api-specs/slack_web_openapi_v2_without_examples.json"


def derive(spec: dict) -> dict[str, dict[str, list[str]]]:
    methods: dict[str, dict[str, list[str]]] = {}
    for path, ops in spec["paths"].items():
        verbs = sorted(v.upper() for v in ops if v in ("get", "post"))
        required = sorted(
            {
                p["name"]
                for op in ops.values()
                if isinstance(op, dict)
                for p in op.get("parameters", [])
                if p.get("required") and p["name"] != "token"
            }
        )
        methods[path.lstrip("/")] = {"required": required, "verbs": verbs}
    return methods


def render(methods: dict[str, dict[str, list[str]]]) -> str:
    # One method per line keeps diffs readable when the spec is refreshed.
    lines = [f"{json.dumps(name)}: {json.dumps(methods[name], sort_keys=True)}" for name in sorted(methods)]
    return "{\n" + ",\n".join(lines) + "\n}\n"


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SPEC, encoding="utf-8") as f:
        sys.stdout.write(render(derive(json.load(f))))
