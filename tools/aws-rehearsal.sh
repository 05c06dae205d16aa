#!/usr/bin/env bash
# `./dev aws`: AWS mode rehearsed on one machine. Starts MariaDB (if needed) and the AWS
# emulator (moto, as the tests do: .ci/aws-peers.sh), creates what Terraform creates, named the
# way infra/ names it, then runs `web` and a separate `worker` in AWS mode against them:
#   bucket        <name>-media-<account>     (S3, moto's account 123456789012)
#   queues        <name>-jobs, <name>-jobs-dlq (SQS, redrive maxReceiveCount 3)
#   mail          SES identity of the sender's domain, configuration set <name>-mail
#   secret        <name>/app                 (Secrets Manager, the keys Terraform writes)
#   database      <db> with its own user     (MariaDB on 127.0.0.1:3306)
#   mail events   <name>-ses-events          (SQS queue of SES bounce/complaint events)
# where <name> is <project>-<environment> (CLIPCONTEST_PROJECT, default clipcontest;
# CLIPCONTEST_ENV, default rehearsal). Ctrl-C stops web, worker and the emulators.
#
#   ./dev aws            run until Ctrl-C
#   ./dev aws --smoke    walk the whole path once and exit 0/1: organizer, contest, upload
#                        (S3), job (SQS), conversion by the separate worker, HLS playlist,
#                        mail (SES), a bounce event suppressing the address (SES events queue)
#
# Env: PORT (web, default 8080), CLIPCONTEST_CACHE (moto venv, data folders),
# CLIPCONTEST_PROFILE (release, the default, or debug: the test build, much faster to build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

project="${CLIPCONTEST_PROJECT:-clipcontest}"
environment="${CLIPCONTEST_ENV:-rehearsal}"
name="$project-$environment"
account=123456789012 # moto's default account id
port="${PORT:-8080}"
cache="${CLIPCONTEST_CACHE:-$HOME/.cache/clipcontest}"
state="$cache/aws-rehearsal/$name"
db_name="$(echo "${project}_${environment}" | tr -c 'a-zA-Z0-9_\n' '_')"
db_user="${project}_app"
mail_from="Clipcontest <no-reply@example.org>"
log() { echo "dev aws: $*" >&2; }

for tool in mariadb curl ffmpeg; do
  command -v "$tool" >/dev/null 2>&1 || { log "$tool is missing (./dev test installs what the suites need)"; exit 1; }
done

smoke=false
[ "${1:-}" = "--smoke" ] && smoke=true
profile="${CLIPCONTEST_PROFILE:-release}"
case "$profile" in
  release) log "building web and worker (release)"; cargo build --release -q --locked -p web -p worker ;;
  debug) log "building web and worker (debug)"; cargo build -q --locked --workspace --bins ;;
  *) log "CLIPCONTEST_PROFILE must be release or debug"; exit 2 ;;
esac
bin="${CARGO_TARGET_DIR:-$root/target}/$profile"

# Peers already started by the caller (.ci/test-all) are reused and left running.
own_peers=false
if [ -z "${CLIPCONTEST_TEST_MOTO_URL:-}" ] || [ -z "${CLIPCONTEST_TEST_MOTO_MAIL_URL:-}" ]; then
  eval "$(bash .ci/aws-peers.sh start)"
  own_peers=true
fi
moto="$CLIPCONTEST_TEST_MOTO_URL"
moto_mail="$CLIPCONTEST_TEST_MOTO_MAIL_URL"
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if $own_peers; then bash .ci/aws-peers.sh stop; fi
  log "stopped"
}
trap cleanup EXIT INT TERM

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1

# The database and its own user (the app never uses root), as the release procedure sets up.
db_password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mariadb -h 127.0.0.1 -P 3306 -u root <<SQL
CREATE DATABASE IF NOT EXISTS \`$db_name\`;
CREATE USER IF NOT EXISTS '$db_user'@'127.0.0.1' IDENTIFIED BY '$db_password';
CREATE USER IF NOT EXISTS '$db_user'@'localhost' IDENTIFIED BY '$db_password';
ALTER USER '$db_user'@'127.0.0.1' IDENTIFIED BY '$db_password';
ALTER USER '$db_user'@'localhost' IDENTIFIED BY '$db_password';
GRANT ALL PRIVILEGES ON \`$db_name\`.* TO '$db_user'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`$db_name\`.* TO '$db_user'@'localhost';
SQL

session_key="$(head -c 96 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 96)"
base_url="http://127.0.0.1:$port"

# boto3 comes with moto's venv.
"$cache/venv-moto/bin/python" - "$moto" "$moto_mail" "$name" "$account" "$db_name" "$db_user" \
  "$db_password" "$mail_from" "$base_url" "$session_key" <<'PY'
import json, sys
import boto3

moto, moto_mail, name, account, db_name, db_user, db_password, mail_from, base_url, session_key = sys.argv[1:]
kw = dict(region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
s3 = boto3.client("s3", endpoint_url=moto, **kw)
sqs = boto3.client("sqs", endpoint_url=moto, **kw)
sm = boto3.client("secretsmanager", endpoint_url=moto, **kw)
ses = boto3.client("sesv2", endpoint_url=moto_mail, **kw)

bucket = f"{name}-media-{account}"
s3.create_bucket(Bucket=bucket)
dlq = sqs.create_queue(QueueName=f"{name}-jobs-dlq")["QueueUrl"]
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
events = sqs.create_queue(QueueName=f"{name}-ses-events")["QueueUrl"]
queue = sqs.create_queue(
    QueueName=f"{name}-jobs",
    Attributes={
        "VisibilityTimeout": "1800",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"}),
    },
)["QueueUrl"]
domain = mail_from.split("@")[1].rstrip(">")
try:
    ses.create_email_identity(EmailIdentity=domain)
except ses.exceptions.AlreadyExistsException:
    pass
try:
    ses.create_configuration_set(ConfigurationSetName=f"{name}-mail")
except ses.exceptions.AlreadyExistsException:
    pass
secret = {
    "db_host": "127.0.0.1", "db_port": 3306, "db_user": db_user, "db_password": db_password,
    "db_name": db_name, "s3_bucket": bucket, "sqs_queue_url": queue, "sqs_dlq_url": dlq,
    "ses_from": mail_from, "ses_configuration_set": f"{name}-mail", "base_url": base_url,
    "session_key": session_key, "ses_events_queue_url": events,
}
try:
    sm.create_secret(Name=f"{name}/app", SecretString=json.dumps(secret))
except sm.exceptions.ResourceExistsException:
    sm.put_secret_value(SecretId=f"{name}/app", SecretString=json.dumps(secret))
print(f"bucket {bucket}\nqueue  {queue}\ndlq    {dlq}\nevents {events}\nsecret {name}/app", file=sys.stderr)
PY

mkdir -p "$state/web" "$state/worker"
common=(
  APP_MODE=aws
  "APP_AWS__SECRET_ID=$name/app"
  "APP_AWS__ENDPOINT_URL=$moto"
  "APP_AWS__SES_ENDPOINT_URL=$moto_mail"
  APP_AWS__REGION=us-east-1
  # The secret's db_* keys mean TLS required (RDS); the local MariaDB speaks plain TCP.
  APP_AWS__DB_SSL_MODE=preferred
  "RUST_LOG=${RUST_LOG:-info}"
)
env "${common[@]}" APP_DATA_DIR="$state/worker" "$bin/worker" &
pids+=($!)
env "${common[@]}" APP_DATA_DIR="$state/web" APP_LISTEN="127.0.0.1:$port" APP_EMBEDDED_WORKER=false "$bin/web" &
pids+=($!)

up=false
for _ in $(seq 1 150); do
  if curl -fs -o /dev/null "$base_url/livez" 2>/dev/null; then up=true; break; fi
  sleep 0.2
done
$up || { log "web did not come up on $base_url"; exit 1; }
if $smoke; then
  "$cache/venv-moto/bin/python" tools/aws-smoke.py "$base_url" "$moto" "$moto_mail" "$name-ses-events"
  exit $?
fi
cat >&2 <<EOF

  Clipcontest in AWS mode: $base_url
  web and worker are separate processes; S3, SQS and Secrets Manager on $moto, SES on $moto_mail.
  Sent mail:        curl -s $moto_mail/moto-api/data.json   (ses → RawMessage)
  Dead letters:     $bin/worker dlq-redrive   (same APP_* environment)
  Ctrl-C stops everything.

EOF
wait -n "${pids[@]}" || true
log "a process exited; stopping the rest"
