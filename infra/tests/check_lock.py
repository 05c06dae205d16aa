#!/usr/bin/env python3
"""The committed infra/.terraform.lock.hcl pins every provider that an
offline `terraform init` selected, at the same version and with the same
hashes (so the checks run what a deployment will run).

usage: check_lock.py COMMITTED_LOCK GENERATED_LOCK
"""
import re
import sys


def blocks(path):
    text = open(path).read()
    out = {}
    for m in re.finditer(r'provider "([^"]+)" \{(.*?)\n\}', text, flags=re.S):
        body = m.group(2)
        version = re.search(r'version\s*=\s*"([^"]+)"', body)
        out[m.group(1)] = (version.group(1) if version else None, set(re.findall(r'"(h1:[^"]+|zh:[^"]+)"', body)))
    return out


committed, generated = blocks(sys.argv[1]), blocks(sys.argv[2])
failed = 0
for name, (version, hashes) in sorted(generated.items()):
    c = committed.get(name)
    ok = c is not None and c[0] == version and hashes <= c[1]
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} lock pins {name} {version}" + ("" if ok else f" (committed: {c and c[0]})"))
print(f"{len(generated) - failed} passed, {failed} failed")
sys.exit(1 if failed or not generated else 0)
