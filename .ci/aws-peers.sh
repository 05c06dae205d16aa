#!/usr/bin/env bash
# Protocol peers for the AWS-mode tests (shared/tests/aws_backends.rs): two moto servers
# (one for S3/SQS/Secrets Manager, one for SES, because moto's /moto-api/data.json answers 500
# once an S3 multipart upload happened on the same server) and MariaDB.
#
#   eval "$(bash .ci/aws-peers.sh start)"   # prints export lines for the tests
#   cargo test -p shared --test aws_backends
#   bash .ci/aws-peers.sh stop
#
# Env: CLIPCONTEST_CACHE (venv location, default ~/.cache/clipcontest),
#      CLIPCONTEST_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306).
# Diagnostics go to stderr; only export lines go to stdout.
set -euo pipefail

MOTO_VERSION=5.2.5 # 5.2.1 answers CompleteMultipartUpload with the wrong XML root
CACHE="${CLIPCONTEST_CACHE:-$HOME/.cache/clipcontest}"
VENV="$CACHE/venv-moto"
RUN="$CACHE/run"
MYSQL_URL="${CLIPCONTEST_TEST_MYSQL_URL:-mysql://root@127.0.0.1:3306}"

log() { echo "aws-peers: $*" >&2; }

ensure_moto() {
  if [ -x "$VENV/bin/moto_server" ] && "$VENV/bin/python" -c "import moto,sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
    return
  fi
  log "installing moto[server]==$MOTO_VERSION into $VENV"
  mkdir -p "$CACHE"
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q "moto[server]==$MOTO_VERSION" >&2
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_moto NAME: starts one server, writes NAME.pid / NAME.port, waits for /moto-api/.
start_moto() {
  local name=$1 port pid
  if [ -f "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then
    port=$(cat "$RUN/$name.port")
    log "$name already running on port $port"
  else
    port=$(free_port)
    "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$RUN/$name.log" 2>&1 &
    pid=$!
    echo "$pid" >"$RUN/$name.pid"
    echo "$port" >"$RUN/$name.port"
    log "$name started (pid $pid, port $port)"
  fi
  for _ in $(seq 1 60); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/moto-api/"; then
      echo "$port"
      return
    fi
    sleep 0.5
  done
  log "$name did not answer on port $port; see $RUN/$name.log"
  exit 1
}

mysql_reachable() {
  local hostport=${MYSQL_URL#*://}
  hostport=${hostport#*@}
  hostport=${hostport%%/*}
  local host=${hostport%%:*} port=${hostport##*:}
  [ "$port" = "$hostport" ] && port=3306
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

ensure_mariadb() {
  mysql_reachable && return
  log "MariaDB not reachable at $MYSQL_URL; trying to start it"
  service mariadb start >&2 2>&1 || start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >&2 2>&1 || true
  for _ in $(seq 1 30); do
    mysql_reachable && return
    sleep 1
  done
  log "MariaDB is still not reachable at $MYSQL_URL (apt-get install -y mariadb-server; service mariadb start)"
  exit 1
}

# Test databases (cc_*) a test process could not drop before it exited. Names carry the test
# process's pid (cc_<what>_p<pid>_<random>): a database of a process still running (another
# agent's tests, a CI run beside this one) is left alone.
drop_test_databases() {
  command -v mariadb >/dev/null 2>&1 || return 0
  local hostport=${MYSQL_URL#*://} user=root
  case "$hostport" in *@*) user=${hostport%%@*}; hostport=${hostport#*@} ;; esac
  hostport=${hostport%%/*}
  local host=${hostport%%:*} port=${hostport##*:}
  [ "$port" = "$hostport" ] && port=3306
  local dbs
  dbs=$(timeout 20 mariadb -h "$host" -P "$port" -u "$user" -N -e "SHOW DATABASES LIKE 'cc\\_%'" 2>/dev/null) || return 0
  local kept=0 dropped=0 pid
  for db in $dbs; do
    pid=$(printf '%s\n' "$db" | sed -n 's/^cc_[a-z]*_p\([0-9][0-9]*\)_.*/\1/p')
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kept=$((kept + 1))
      continue
    fi
    dropped=$((dropped + 1))
    # A connection of a test process that hangs could hold a metadata lock: never wait for it.
    timeout 20 mariadb -h "$host" -P "$port" -u "$user" \
      -e "SET SESSION lock_wait_timeout = 5; DROP DATABASE IF EXISTS \`$db\`" 2>/dev/null || true
  done
  [ "$dropped" -gt 0 ] && log "dropped $dropped leftover test database(s)"
  [ "$kept" -gt 0 ] && log "kept $kept test database(s) of running processes"
  return 0
}

stop() {
  drop_test_databases
  for name in moto moto-mail; do
    if [ -f "$RUN/$name.pid" ]; then
      kill "$(cat "$RUN/$name.pid")" 2>/dev/null || true
      rm -f "$RUN/$name.pid" "$RUN/$name.port"
      log "$name stopped"
    fi
  done
}

case "${1:-start}" in
  start)
    mkdir -p "$RUN"
    ensure_moto
    ensure_mariadb
    port=$(start_moto moto)
    mail_port=$(start_moto moto-mail)
    echo "export CLIPCONTEST_TEST_MOTO_URL=http://127.0.0.1:$port"
    echo "export CLIPCONTEST_TEST_MOTO_MAIL_URL=http://127.0.0.1:$mail_port"
    echo "export CLIPCONTEST_TEST_MYSQL_URL=$MYSQL_URL"
    ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
