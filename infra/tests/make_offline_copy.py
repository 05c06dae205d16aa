#!/usr/bin/env python3
"""Copy infra/ to DEST for offline `terraform validate` / `terraform test`.

Only the hashicorp/aws provider is available offline on the project's
machines (a filesystem mirror), not hashicorp/random. This copy drops the
random provider requirement and replaces random_password.db with a constant
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
text, n = re.subn(r'resource "random_password" "db" \{.*?\n\}\n',
                  'locals {\n  offline_db_password = "offline-validation-only"\n}\n',
                  main.read_text(), flags=re.S)
assert n == 1, "random_password.db not found in main.tf"
text = text.replace("random_password.db.result", "local.offline_db_password")
assert "random_" not in text, "other random_* references left in main.tf"
main.write_text(text)
print(f"offline copy of {src} in {dest}")
