#!/usr/bin/env python3
"""Static checks for infra/ IAM (plain python3, no dependencies).

1. infra/iam-actions.json is well formed: top-level keys "web", "worker",
   "support"; each maps service -> list of "service:Action" strings whose
   prefix is the service key; no duplicates; no wildcards.
2. The iam module really builds its policies from that file: it reads it with
   jsondecode(file(".../iam-actions.json")), feeds the generated statements to
   the policy documents, has a resource mapping for every service of every
   role, and contains no hard-coded action strings for the services in the
   file (s3:, sqs:, ses:, secretsmanager:, autoscaling:, logs:, kms:).
3. Nothing under infra/ attaches a *FullAccess policy or allows "Action": "*"
   (JSON or HCL spelling), and every checkov skip carries a reason.

Run from anywhere: python3 infra/tests/check_iam.py
Exit status 0 when all checks pass; prints one line per check.
"""
import json
import pathlib
import re
import sys

INFRA = pathlib.Path(__file__).resolve().parent.parent
SPEC = INFRA / "iam-actions.json"
IAM_MODULE = INFRA / "modules" / "iam"
ROLES = ("web", "worker")
ACTION_RE = re.compile(r"^([a-z0-9-]+):([A-Za-z0-9]+)$")

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}{': ' + detail if detail else ''}")


def tf_files(root):
    return sorted(p for p in root.rglob("*.tf") if ".terraform" not in p.parts)


def strip_comments(text):
    # Drop HCL comments (# ..., // ..., /* ... */) so prose cannot trip checks.
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(re.sub(r"(^|\s)(#|//).*$", "", line) for line in text.splitlines())


# --- 1. the spec file ---------------------------------------------------------
spec = json.loads(SPEC.read_text())
check("iam-actions.json: top-level keys are web, worker, support",
      set(spec) == {"web", "worker", "support"}, f"got {sorted(spec)}")
check("iam-actions.json: support has web and worker",
      set(spec.get("support", {})) <= set(ROLES), f"got {sorted(spec.get('support', {}))}")

sections = {}
for role in ROLES:
    sections[f"{role}"] = spec.get(role, {})
    sections[f"support.{role}"] = spec.get("support", {}).get(role, {})

bad = []
for where, services in sections.items():
    if not isinstance(services, dict):
        bad.append(f"{where} is not an object")
        continue
    for svc, actions in services.items():
        if not isinstance(actions, list) or not actions:
            bad.append(f"{where}.{svc} must be a non-empty list")
            continue
        if len(set(actions)) != len(actions):
            bad.append(f"{where}.{svc} has duplicates")
        for a in actions:
            m = ACTION_RE.match(a) if isinstance(a, str) else None
            if not m:
                bad.append(f"{where}.{svc}: {a!r} is not service:Action (no wildcards)")
            elif m.group(1) != svc:
                bad.append(f"{where}.{svc}: {a!r} belongs to another service")
check("iam-actions.json: actions are explicit service:Action under their service",
      not bad, "; ".join(bad))

required = {
    "web": {"s3", "sqs", "secretsmanager"},
    "worker": {"s3", "sqs", "ses", "secretsmanager", "autoscaling"},
}
for role, svcs in required.items():
    check(f"iam-actions.json: {role} lists {sorted(svcs)}",
          svcs <= set(spec.get(role, {})), f"got {sorted(spec.get(role, {}))}")

# --- 2. the iam module is generated from the spec -----------------------------
iam_src = "\n".join(strip_comments(p.read_text()) for p in tf_files(IAM_MODULE))
check("modules/iam reads iam-actions.json with jsondecode(file(...))",
      re.search(r'jsondecode\(\s*file\(\s*"\$\{path\.module\}/\.\./\.\./iam-actions\.json"\s*\)\s*\)', iam_src)
      is not None)
check("modules/iam builds statements from the decoded spec for both roles",
      re.search(r"local\.spec\[role\]", iam_src) is not None
      and re.search(r"local\.spec\.support", iam_src) is not None
      and re.search(r"for\s+s\s+in\s+local\.statements\[role\]", iam_src) is not None)

all_services = set()
for services in sections.values():
    all_services |= set(services)
prefixes = sorted(all_services | {"s3", "sqs", "ses"})
hardcoded = re.findall(r'"((?:%s):[A-Za-z*]+)"' % "|".join(map(re.escape, prefixes)), iam_src)
check("modules/iam has no hard-coded actions for " + ", ".join(p + ":" for p in prefixes),
      not hardcoded, ", ".join(hardcoded))

# Every (role, service) in the spec must have a resource mapping; otherwise
# the plan fails with "Invalid index" (better to know here).
m = re.search(r"resources\s*=\s*\{(.*?)\n  \}\n", iam_src, flags=re.S)
mapping = {}
if m:
    for rm in re.finditer(r"\n    (\w+)\s*=\s*\{(.*?)\n    \}", m.group(1), flags=re.S):
        mapping[rm.group(1)] = set(re.findall(r"^\s*([a-z0-9]+)\s*=", rm.group(2), flags=re.M))
missing = []
for where, services in sections.items():
    role = where.split(".")[-1]
    for svc in services:
        if svc not in mapping.get(role, set()):
            missing.append(f"{where}.{svc}")
check("modules/iam maps resources for every service in the spec",
      bool(mapping) and not missing, "missing: " + ", ".join(missing) if missing else "no resources map found")

# --- 3. repository-wide bans ----------------------------------------------------
full_access, star_action, bare_skips = [], [], []
for p in sorted(INFRA.rglob("*")):
    if not p.is_file() or ".terraform" in p.parts or p.suffix not in {".tf", ".json", ".hcl", ".tpl", ".tftpl"}:
        continue
    raw = p.read_text()
    code = strip_comments(raw) if p.suffix != ".json" else raw
    rel = p.relative_to(INFRA)
    if re.search(r"arn:[^\"]*:policy/[^\"]*FullAccess", code) or re.search(r"policy/\w*FullAccess", code):
        full_access.append(str(rel))
    if re.search(r'"Action"\s*:\s*(\[\s*)?"\*"', code) or re.search(r'\bAction\s*=\s*(\[\s*)?"\*"', code) \
            or re.search(r'\bactions\s*=\s*\[\s*"\*"\s*\]', code):
        star_action.append(str(rel))
    for line in raw.splitlines():
        sm = re.search(r"checkov:skip=([A-Z0-9_]+)(?::(.*))?", line)
        if sm and len((sm.group(2) or "").strip()) < 15:
            bare_skips.append(f"{rel}: {sm.group(1)}")
check("no *FullAccess managed policy anywhere in infra/", not full_access, ", ".join(full_access))
check('no "Action": "*" anywhere in infra/', not star_action, ", ".join(star_action))
check("every checkov skip has a justification", not bare_skips, ", ".join(bare_skips))

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
