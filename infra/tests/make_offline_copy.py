#!/usr/bin/env python3
"""Copy infra/ to DEST for offline `terraform validate` / `terraform test`.

Only the hashicorp/aws provider is available offline on the project's
machines (a filesystem mirror), not hashicorp/random. This copy drops the
random provider requirement and replaces each random_password with a constant
local; everything else is byte-identical.

usage: make_offline_copy.py SRC_INFRA_DIR DEST_DIR
"""
import pathlib
import re
import shutil
import sys

src, dest = map(pathlib.Path, sys.argv[1:3])
if dest.exists():
    shutil.rmtree(dest)
shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".terraform", "*.tfstate*", ".terraform.lock.hcl"))

versions = dest / "versions.tf"
text, n = re.subn(r"\n    random = \{[^}]*\}\n", "\n", versions.read_text())
assert n == 1, "random provider block not found in versions.tf"
versions.write_text(text)

main = dest / "main.tf"
text = main.read_text()
names = re.findall(r'resource "random_password" "(\w+)" \{', text)
assert "db" in names, "random_password.db not found in main.tf"
for name in names:
    text, n = re.subn(r'resource "random_password" "%s" \{.*?\n\}\n' % name,
                      'locals {\n  offline_%s = "offline-validation-only"\n}\n' % name,
                      text, flags=re.S)
    assert n == 1, name
    text = text.replace("random_password.%s.result" % name, "local.offline_%s" % name)
assert "random_" not in text, "other random_* references left in main.tf"
main.write_text(text)
print(f"offline copy of {src} in {dest}")
