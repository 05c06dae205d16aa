#!/usr/bin/env bash
# Checks for the AWS deployment material (infra/, ami/). Run from anywhere;
# called by .ci/run. Installs what it needs (checkov in a cached venv, packer
# from apt) and talks to no cloud API.
#
#   checkov -d infra           (pinned version; every skip justified inline)
#   terraform fmt -check       (when terraform is installed)
#   terraform validate + test  (mocked provider; when the aws provider is in
#                               the offline plugin mirror $TF_PLUGIN_DIR),
#                               boot-ordering checks on `terraform graph`
#   .terraform.lock.hcl        matches the providers the configuration needs
#   packer fmt -check / validate on ami/clipcontest.pkr.hcl (dummy binaries)
#   python3 infra/tests/check_iam.py
#   bash -n on the ami/ shell scripts, systemd-analyze verify on the units
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cache="${CLIPCONTEST_CACHE:-$HOME/.cache/clipcontest}"
checkov_version="${CHECKOV_VERSION:-3.3.30}"
venv="$cache/venv-checkov"
plugin_dir="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 PACKER_NO_COLOR=1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
failures=()
step() { # step NAME CMD...
  local name="$1"; shift
  echo "::: infra-check: $name"
  if "$@"; then
    passed=$((passed + 1)); echo "::: ok: $name"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "::: FAILED: $name"
  fi
}

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
  }
}

# --- tools ------------------------------------------------------------------
mkdir -p "$cache"
if ! "$venv/bin/checkov" --version 2>/dev/null | grep -qx "$checkov_version"; then
  echo "::: installing checkov $checkov_version into $venv (takes a few minutes)"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    apt_install python3-venv
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install -q --disable-pip-version-check "checkov==$checkov_version"
fi
if ! command -v packer >/dev/null 2>&1; then
  echo "::: installing packer (apt)"
  apt_install packer
fi

# --- checks -------------------------------------------------------------------
run_checkov() {
  # --skip-download: no guideline/policy download from the vendor's API.
  # HCL_PARSE_TIMEOUT_SEC: checkov's default 10 s per file includes building
  # its HCL grammar on the first file, which a loaded CI machine can exceed
  # (the file is then reported as a parsing error and silently not checked).
  HCL_PARSE_TIMEOUT_SEC=120 "$venv/bin/checkov" -d infra --quiet --compact --skip-download \
    | tee "$work/checkov.log" || return 1
  # A file checkov could not parse is not checked at all: fail on it.
  ! grep -q 'Parsing errors: [1-9]' "$work/checkov.log"
}
step "checkov -d infra" run_checkov

if command -v terraform >/dev/null 2>&1; then
  step "terraform fmt -check -recursive infra" terraform fmt -check -recursive -diff infra
  tfvars_example_fmt() {
    cp infra/terraform.tfvars.example "$work/example.tfvars" &&
      terraform fmt -check -diff "$work/example.tfvars"
  }
  step "terraform fmt -check infra/terraform.tfvars.example" tfvars_example_fmt
  if [ -d "$plugin_dir/registry.terraform.io/hashicorp/aws" ]; then
    tf_offline() {
      python3 infra/tests/make_offline_copy.py infra "$work/infra" >/dev/null || return 1
      (
        cd "$work/infra" || exit 1
        export TF_CLI_CONFIG_FILE=/dev/null TF_DATA_DIR="$work/tfdata"
        if ! terraform init -backend=false -input=false -no-color -plugin-dir="$plugin_dir" >"$work/init.log" 2>&1; then
          cat "$work/init.log"
          exit 1
        fi
        terraform validate -no-color || exit 1
        # The committed lock pins the aws provider this mirror provides
        # (random is absent offline; see infra/README.md, "Provider lock").
        python3 "$root/infra/tests/check_lock.py" "$root/infra/.terraform.lock.hcl" .terraform.lock.hcl || exit 1
        # Boot ordering (depends_on and friends) on the resource graph.
        terraform graph >"$work/graph.dot" || exit 1
        python3 "$root/infra/tests/check_graph.py" <"$work/graph.dot" || exit 1
        terraform test -no-color
      )
    }
    step "terraform validate + test (mocked aws provider, offline copy)" tf_offline
  else
    echo "::: skipped: terraform validate/test ($plugin_dir has no hashicorp/aws provider; none can be downloaded)"
  fi
else
  echo "::: skipped: terraform fmt/validate (terraform not installed)"
fi

run_packer() {
  mkdir -p "$work/bin"
  printf '#!/bin/sh\n' >"$work/bin/web"
  printf '#!/bin/sh\n' >"$work/bin/worker"
  packer fmt -check ami/ &&
    packer validate -var "web_binary=$work/bin/web" -var "worker_binary=$work/bin/worker" \
      ami/clipcontest.pkr.hcl
}
step "packer fmt -check + validate ami/clipcontest.pkr.hcl" run_packer

step "python3 infra/tests/check_iam.py" python3 infra/tests/check_iam.py

shell_syntax() {
  local f
  for f in ami/build.sh ami/scripts/install.sh ami/files/clipcontest-firstboot \
    ami/files/clipcontest-lifecycle-watch ami/files/clipcontest-db-bootstrap .ci/infra-check.sh; do
    bash -n "$f" || return 1
  done
  if command -v shellcheck >/dev/null 2>&1; then
    shellcheck ami/build.sh ami/scripts/install.sh ami/files/clipcontest-firstboot \
      ami/files/clipcontest-lifecycle-watch ami/files/clipcontest-db-bootstrap .ci/infra-check.sh
  fi
}
step "shell syntax of ami/ scripts" shell_syntax

if command -v systemd-analyze >/dev/null 2>&1; then
  verify_units() {
    # ExecStart points at /opt/clipcontest/bin/*, which exists only on the
    # image: verify copies that run /bin/true. Any message is a failure
    # (systemd-analyze exits 0 on unknown or malformed directives).
    local u out
    mkdir -p "$work/units"
    for u in ami/files/*.service; do
      sed 's#/opt/clipcontest/bin/[a-z-]*#/bin/true#' "$u" >"$work/units/$(basename "$u")"
    done
    out="$(systemd-analyze verify "$work"/units/*.service 2>&1)" || { echo "$out"; return 1; }
    [ -z "$out" ] || { echo "$out"; return 1; }
  }
  step "systemd-analyze verify ami/files/*.service" verify_units
else
  echo "::: skipped: systemd unit verification (systemd-analyze not installed)"
fi

if [ "$failed" -gt 0 ]; then
  printf '::: failed step: %s\n' "${failures[@]}"
fi
echo "infra-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
