#!/bin/bash
# Runs on the Packer build instance (Debian 12) as root. Staged inputs:
#   /tmp/clipcontest/bin/{web,worker}   release binaries (from ami/build.sh)
#   /tmp/clipcontest/files/             units, scripts, logrotate config
set -euxo pipefail
export DEBIAN_FRONTEND=noninteractive

stage=/tmp/clipcontest
arch=amd64

apt-get update
apt-get -y upgrade
# ffmpeg/ffprobe for the worker; libssl3/ca-certificates for TLS clients;
# awscli for the lifecycle-hook and DB-bootstrap helpers; curl for IMDSv2;
# mariadb-client + python3 for clipcontest-db-bootstrap; openssl to check the
# RDS CA bundle; unattended-upgrades applies Debian security updates daily
# (the instances reach deb.debian.org / security.debian.org through NAT).
apt-get install -y --no-install-recommends \
  ffmpeg ca-certificates libssl3 openssl curl awscli logrotate unattended-upgrades \
  mariadb-client python3

# SSM agent (Session Manager instead of SSH) and CloudWatch agent are not in
# Debian: install AWS's packages (downloaded on the build instance, in AWS).
region=$(TOKEN=$(curl -sf -X PUT http://169.254.169.254/latest/api/token \
  -H 'X-aws-ec2-metadata-token-ttl-seconds: 60') && \
  curl -sf -H "X-aws-ec2-metadata-token: $TOKEN" \
  http://169.254.169.254/latest/meta-data/placement/region)
curl -sfL -o /tmp/amazon-ssm-agent.deb \
  "https://s3.${region}.amazonaws.com/amazon-ssm-${region}/latest/debian_${arch}/amazon-ssm-agent.deb"
curl -sfL -o /tmp/amazon-cloudwatch-agent.deb \
  "https://amazoncloudwatch-agent.s3.amazonaws.com/debian/${arch}/latest/amazon-cloudwatch-agent.deb"
apt-get install -y /tmp/amazon-ssm-agent.deb /tmp/amazon-cloudwatch-agent.deb
rm -f /tmp/amazon-ssm-agent.deb /tmp/amazon-cloudwatch-agent.deb
systemctl enable amazon-ssm-agent

# No SSH: instances are reached through SSM Session Manager only.
systemctl disable --now ssh.service ssh.socket 2>/dev/null || true

# Dedicated system user without a shell or home login.
if ! id clipcontest >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/clipcontest --no-create-home \
    --shell /usr/sbin/nologin clipcontest
fi
install -d -o root -g root -m 0755 /opt/clipcontest /opt/clipcontest/bin
install -o root -g root -m 0755 "$stage/bin/web" /opt/clipcontest/bin/web
install -o root -g root -m 0755 "$stage/bin/worker" /opt/clipcontest/bin/worker
install -o root -g root -m 0755 "$stage/files/clipcontest-firstboot" /opt/clipcontest/bin/
install -o root -g root -m 0755 "$stage/files/clipcontest-lifecycle-watch" /opt/clipcontest/bin/
install -o root -g root -m 0755 "$stage/files/clipcontest-db-bootstrap" /opt/clipcontest/bin/
install -o root -g root -m 0644 "$stage/files/clipcontest-web.service" \
  "$stage/files/clipcontest-worker.service" \
  "$stage/files/clipcontest-lifecycle.service" /etc/systemd/system/
install -o root -g root -m 0644 "$stage/files/clipcontest.logrotate" /etc/logrotate.d/clipcontest
install -d -o clipcontest -g clipcontest -m 0750 /var/lib/clipcontest
install -d -o root -g clipcontest -m 0750 /var/log/clipcontest /etc/clipcontest

# RDS CA bundle (all regions, all current CAs) at the fixed path the app
# verifies the database certificate with (db_ssl_mode=verify_identity,
# db_ssl_ca=/etc/clipcontest/rds-ca.pem). Refreshed with every image build.
curl -sfL -o /tmp/rds-ca.pem https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
[ "$(grep -c 'BEGIN CERTIFICATE' /tmp/rds-ca.pem)" -ge 1 ]
openssl x509 -in /tmp/rds-ca.pem -noout -subject
install -o root -g clipcontest -m 0644 /tmp/rds-ca.pem /etc/clipcontest/rds-ca.pem
rm -f /tmp/rds-ca.pem

# Security updates: unattended-upgrades with Debian's default origins
# (security suite), daily. The instances may only open HTTPS (443) to the
# outside (security groups), so APT must use HTTPS too: point every Debian
# source at https://deb.debian.org (which also serves debian-security) and
# check that it works while building.
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  sed -i -E 's#http://(cdn-aws\.)?deb\.debian\.org#https://deb.debian.org#g; s#http://security\.debian\.org#https://deb.debian.org#g' "$f"
done
if grep -rEq 'http://[^ ]*debian\.org' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
  echo "install.sh: an APT source still uses plain HTTP" >&2
  exit 1
fi
apt-get update
cat >/etc/apt/apt.conf.d/20auto-upgrades <<'APT'
APT::Periodic::Update-Package-Lists "1";
APT::Periodic::Unattended-Upgrade "1";
APT
if [ -f "$stage/files/BUILD_INFO" ]; then
  install -m 0644 "$stage/files/BUILD_INFO" /opt/clipcontest/BUILD_INFO
fi
cat >/opt/clipcontest/README <<'TXT'
Clipcontest image. Role (web|worker) is chosen at first boot by cloud-init:
  /opt/clipcontest/bin/clipcontest-firstboot web|worker
Settings: /etc/clipcontest/env (app), /etc/clipcontest/instance.env (deploy).
Logs: /var/log/clipcontest/*.log, shipped to CloudWatch Logs.
See infra/README.md in the repository.
TXT

# Sanity: the binaries must link against this image's libraries, and the
# units must parse. (Units are enabled at first boot, not here.)
ldd /opt/clipcontest/bin/web | (! grep -q 'not found')
ldd /opt/clipcontest/bin/worker | (! grep -q 'not found')
ffmpeg -hide_banner -version | head -n1
ffprobe -hide_banner -version | head -n1
systemctl daemon-reload
systemd-analyze verify /etc/systemd/system/clipcontest-web.service \
  /etc/systemd/system/clipcontest-worker.service \
  /etc/systemd/system/clipcontest-lifecycle.service

# Leave no build residue in the image.
rm -rf "$stage"
apt-get clean
rm -rf /var/lib/apt/lists/*
cloud-init clean --logs
