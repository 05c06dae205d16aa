#!/bin/bash
# Build the Clipcontest AMI: compile the release binaries, then `packer build`.
#
#   ami/build.sh [--skip-cargo] [-- extra packer args...]
#
# Environment:
#   CARGO_TARGET_DIR   honored (defaults to <repo>/target)
#   AWS_REGION         build region (default us-east-1); AWS credentials come
#                      from the standard chain (profile, SSO, env, role)
#   PACKER_VARS        extra `-var k=v` arguments, space separated (optional)
#
# The binaries must be built on glibc <= 2.36 (Debian 12), e.g. on a Debian 12
# host or container, so that they run on the image. install.sh checks `ldd`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
skip_cargo=0
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-cargo) skip_cargo=1; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in
  /*) ;;
  *) target_dir="$root/$target_dir" ;; # cargo resolves it relative to the cwd
esac

if [ "$skip_cargo" -eq 0 ]; then
  cargo build --release -p web -p worker
fi

web_bin="$target_dir/release/web"
worker_bin="$target_dir/release/worker"
for b in "$web_bin" "$worker_bin"; do
  [ -x "$b" ] || { echo "missing binary: $b" >&2; exit 1; }
done

command -v packer >/dev/null || { echo "packer not found (apt-get install -y packer)" >&2; exit 1; }

rev="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git -C "$root" diff --quiet HEAD -- 2>/dev/null; then rev="${rev}-dirty"; fi

# shellcheck disable=SC2086
packer validate \
  -var "region=${AWS_REGION:-us-east-1}" \
  -var "web_binary=$web_bin" -var "worker_binary=$worker_bin" \
  -var "git_revision=$rev" ${PACKER_VARS:-} \
  "$here/clipcontest.pkr.hcl"

# shellcheck disable=SC2086
packer build \
  -var "region=${AWS_REGION:-us-east-1}" \
  -var "web_binary=$web_bin" -var "worker_binary=$worker_bin" \
  -var "git_revision=$rev" ${PACKER_VARS:-} \
  "$@" "$here/clipcontest.pkr.hcl"

echo "AMI id: see $here/manifest.json (artifact_id is region:ami-id);"
echo "set ami_id in infra/terraform.tfvars, then terraform apply."
