#!/usr/bin/env bash
# SMTP pass-through bench: Postfix's smtp-source pushes N messages of SIZE_KB through Sealgate
# (inbound from the internet to an own domain, relayed to the next hop; the crypto step finds no
# S/MIME layer and only strips forged stamps) into smtp-sink, then the same through a plain
# Postfix relay on loopback, and prints messages per second for both and their ratio.
#
#   bench/smtp/run.sh [N=3000] [SIZE_KB=10] [SESSIONS=20]
#   SKIP_BUILD=1 bench/smtp/run.sh ...   (reuse the jar of an earlier build)
#   DB=postgres bench/smtp/run.sh ...    (PostgreSQL at 127.0.0.1:5432, database test, a fresh
#                                        schema per run, instead of the embedded H2)
#   EXTRA_ARGS='--spring.datasource.url=...' bench/smtp/run.sh ...  (more arguments for the service,
#                                        e.g. to try database settings)
#   JFR=1 bench/smtp/run.sh ...          (record a JFR profile of the gateway to bench/out/smtp,
#                                        and print the top frames of its execution samples)
#   MODE=smime bench/smtp/run.sh [N=1000] [SIZE_KB=50] [SESSIONS=20]
#                                        signed+encrypted outbound mail instead of pass-through:
#                                        a company server (127.0.0.1) sends from an own address to
#                                        a partner with an RSA-3072 certificate (imported, its CA an
#                                        anchor), the sender's RSA-3072 key enrolled from the local
#                                        CA during a warm-up message (checked signed+encrypted);
#                                        compared with `openssl cms -sign | openssl cms -encrypt`,
#                                        two at a time, and with the JMH engine rate
#                                        (SignEncryptBenchmark, -t 2) when bench/jmh is built
#                                        (the script builds it unless SKIP_BUILD=1).
#
# Time is measured from the first connection of smtp-source until smtp-sink has received all N
# messages (end to end, spool and delivery included). Everything runs on 127.0.0.1 on free high
# ports; no daemon listens on port 25 at any time, and everything started here is stopped on exit.
# Output and data go to bench/out/smtp (git-ignored). Not a test: numbers depend on the machine.
set -euo pipefail

MODE=${MODE:-relay}
if [[ $MODE == smime ]]; then
  N=${1:-1000}
  SIZE_KB=${2:-50}
else
  N=${1:-3000}
  SIZE_KB=${2:-10}
fi
SESSIONS=${3:-20}
DB=${DB:-h2}
if [[ $MODE != relay && $MODE != smime ]]; then
  echo "MODE is relay (default) or smime, not $MODE" >&2
  exit 2
fi
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
OUT="$ROOT/bench/out/smtp"
SMTP_SOURCE=/usr/sbin/smtp-source
SMTP_SINK=/usr/sbin/smtp-sink
POSTFIX=/usr/sbin/postfix
TIMEOUT=600

if [[ ! -x $SMTP_SOURCE || ! -x $SMTP_SINK || ! -x $POSTFIX ]]; then
  echo "installing postfix (for smtp-source, smtp-sink and the reference relay)..." >&2
  # policy-rc.d keeps the package's own postfix service from starting on port 25.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null
  rm -f /usr/sbin/policy-rc.d
  trap - EXIT
fi

rm -rf "$OUT"
mkdir -p "$OUT"
PIDS=()
POSTFIX_CONF=""
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  done
  if [[ -n $POSTFIX_CONF ]]; then
    "$POSTFIX" -c "$POSTFIX_CONF" stop >/dev/null 2>&1 || true
  fi
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

await_port() {
  local port=$1 seconds=$2
  for ((i = 0; i < seconds * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$port after ${seconds}s" >&2
  return 1
}

FROM=bench@sender.example
TO=rcpt@bench.example
if [[ $MODE == smime ]]; then
  FROM=bench@bench.example
  TO=rcpt@partner.example
fi

# Sends WARMUP messages (default 500; 0 for none) through $1 into a sink on $2 first, untimed: the
# gateway's JIT compiles its hot paths (AES-GCM's GHASH intrinsic among them) as any long-running
# instance has; Postfix gets the same messages first.
if [[ $MODE == smime ]]; then WARMUP=${WARMUP:-200}; else WARMUP=${WARMUP:-500}; fi
warm_up() {
  local target_port=$1 sink_port=$2 label=$3
  ((WARMUP > 0)) || return 0
  "$SMTP_SINK" -u nobody -M "$WARMUP" "127.0.0.1:$sink_port" 256 >"$OUT/sink-warm-$label.log" 2>&1 &
  local sink_pid=$!
  PIDS+=("$sink_pid")
  await_port "$sink_port" 10
  "$SMTP_SOURCE" -s "$SESSIONS" -m "$WARMUP" -l $((SIZE_KB * 1024)) -f "$FROM" -t "$TO" \
    "127.0.0.1:$target_port" >"$OUT/source-warm-$label.log" 2>&1
  for ((i = 0; i < TIMEOUT * 10; i++)); do
    kill -0 "$sink_pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "$label: the warm-up did not get through within ${TIMEOUT}s" >&2
  return 1
}

# Runs smtp-source against $1 into a fresh smtp-sink on $2; prints elapsed seconds. With $4, the
# sink appends every message it gets to that file.
push_through() {
  local target_port=$1 sink_port=$2 label=$3 dump=${4:-}
  local sink_args=(-u nobody -M "$N")
  [[ -n $dump ]] && sink_args+=(-D "$dump")
  "$SMTP_SINK" "${sink_args[@]}" "127.0.0.1:$sink_port" 256 >"$OUT/sink-$label.log" 2>&1 &
  local sink_pid=$!
  PIDS+=("$sink_pid")
  await_port "$sink_port" 10
  local start end
  start=$(date +%s.%N)
  "$SMTP_SOURCE" -s "$SESSIONS" -m "$N" -l $((SIZE_KB * 1024)) -f "$FROM" -t "$TO" \
    "127.0.0.1:$target_port" >"$OUT/source-$label.log" 2>&1
  for ((i = 0; i < TIMEOUT * 10; i++)); do
    kill -0 "$sink_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$sink_pid" 2>/dev/null; then
    echo "$label: smtp-sink did not get all $N messages within ${TIMEOUT}s" >&2
    return 1
  fi
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

# --- Sealgate -----------------------------------------------------------------------------
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  echo "building the service jar..." >&2
  (cd "$ROOT" && mvn -B -q -pl addin-api -am -DskipTests package)
  if [[ $MODE == smime ]]; then
    (cd "$ROOT" && mvn -B -q -Pbench -pl bench/jmh -am -DskipTests package)
  fi
fi
JAR="$ROOT/addin-api/target/sealgate.jar"
DB_ARGS=()
if [[ $DB == postgres ]]; then
  SCHEMA="bench_$(date +%s)_$$"
  psql -h 127.0.0.1 -U postgres -d test -q -c "CREATE SCHEMA $SCHEMA" >/dev/null
  DB_ARGS=(--spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$SCHEMA"
    --spring.datasource.username=postgres --spring.datasource.password= --spring.flyway.schemas="$SCHEMA")
fi
SINK_PORT=$(free_port)
SMTP_PORT=$(free_port)
HTTP_PORT=$(free_port)
MODE_ARGS=()
API_KEY=""
if [[ $MODE == smime ]]; then
  API_KEY=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  MODE_ARGS=(--sealgate.company-servers=127.0.0.1/32 --sealgate.admin.api-key="$API_KEY")
fi
java -jar "$JAR" "${DB_ARGS[@]}" "${MODE_ARGS[@]}" \
  --sealgate.data-dir="$OUT/sealgate-data" \
  --server.port="$HTTP_PORT" \
  --sealgate.smtp.port="$SMTP_PORT" \
  --sealgate.smtp.bind-address=127.0.0.1 \
  --sealgate.smtp.max-recipients=1000 \
  --sealgate.domains=bench.example \
  --sealgate.relay.outbound-smarthost="127.0.0.1:$SINK_PORT" \
  --sealgate.relay.inbound-next-hop="127.0.0.1:$SINK_PORT" \
  --sealgate.queue.poll-interval=200ms \
  --sealgate.smtp.limits.connections-per-client=10000 \
  --sealgate.smtp.limits.connections-per-minute=1000000 \
  --sealgate.smtp.limits.messages-per-minute=1000000 \
  --sealgate.smtp.limits.recipients-per-minute=1000000 \
  --logging.file.name="$OUT/sealgate.log" ${EXTRA_ARGS:-} >"$OUT/sealgate.out" 2>&1 &
SEALGATE_PID=$!
PIDS+=("$SEALGATE_PID")
await_port "$SMTP_PORT" 120
sleep 2

# --- S/MIME set-up: partner certificate and CA, policy, sender key (warm-up message) ------------
if [[ $MODE == smime ]]; then
  PKI="$OUT/pki"
  mkdir -p "$PKI" "$OUT/dump"
  chmod 777 "$OUT/dump" # smtp-sink writes its dumps as nobody
  ossl() { openssl "$@" 2>>"$PKI/openssl.log"; }
  ossl req -x509 -newkey rsa:3072 -nodes -days 30 -keyout "$PKI/ca.key" -out "$PKI/ca.pem" -subj "/CN=Bench Partner CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  leaf() { # name address
    ossl req -newkey rsa:3072 -nodes -keyout "$PKI/$1.key" -out "$PKI/$1.csr" -subj "/CN=$1/emailAddress=$2"
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\nsubjectAltName=email:%s\n' "$2" >"$PKI/$1.ext"
    ossl x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -CAcreateserial -days 30 -extfile "$PKI/$1.ext" -out "$PKI/$1.pem"
  }
  leaf partner "$TO"
  leaf signer "$FROM" # for the openssl pipeline only; the gateway enrolls its own key for $FROM
  api() { # method path [json]
    curl -fsS -X "$1" -H "X-Api-Key: $API_KEY" -H "Content-Type: application/json" ${3:+--data "$3"} \
      "http://127.0.0.1:$HTTP_PORT/api/v1/admin/$2"
  }
  await_port "$HTTP_PORT" 60
  api POST certificates "$(jq -Rs '{content: ., kind: "ANCHOR"}' "$PKI/ca.pem")" >/dev/null
  api POST certificates "$(jq -Rs '{content: ., kind: "PARTNER"}' "$PKI/partner.pem")" >/dev/null
  api PUT policies/partner.example '{"outboundEncryption": "MANDATORY", "missingCertificate": "REJECT"}' >/dev/null
  api PUT policies/bench.example '{"outboundSigning": "ALWAYS"}' >/dev/null
  # one message first: enrolls the sender's key (the mail waits meanwhile) and proves the mail
  # leaves signed and encrypted
  WARM_PORT=$SINK_PORT
  "$SMTP_SINK" -u nobody -M 1 -D "$OUT/dump/warm-up.eml" "127.0.0.1:$WARM_PORT" 16 >"$OUT/sink-warm-up.log" 2>&1 &
  WARM_SINK=$!
  PIDS+=("$WARM_SINK")
  await_port "$WARM_PORT" 10
  "$SMTP_SOURCE" -m 1 -l $((SIZE_KB * 1024)) -f "$FROM" -t "$TO" "127.0.0.1:$SMTP_PORT" >"$OUT/source-warm-up.log" 2>&1
  for ((i = 0; i < 1200; i++)); do kill -0 "$WARM_SINK" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$WARM_SINK" 2>/dev/null; then
    echo "smime: the warm-up message did not arrive within 120 s (see $OUT/sealgate.log)" >&2
    exit 1
  fi
  if ! grep -qi 'application/pkcs7-mime' "$OUT/dump/warm-up.eml"; then
    echo "smime: the warm-up message left unencrypted ($OUT/dump/warm-up.eml)" >&2
    exit 1
  fi
  # signed inside: decrypt with the partner's key and look for the signature
  openssl cms -decrypt -recip "$PKI/partner.pem" -inkey "$PKI/partner.key" -in "$OUT/dump/warm-up.eml" \
    -out "$OUT/dump/warm-up.decrypted.eml" 2>>"$PKI/openssl.log" || true
  if ! grep -qi 'application/pkcs7-signature\|signed-data' "$OUT/dump/warm-up.decrypted.eml" 2>/dev/null; then
    echo "smime: the warm-up message is not signed inside its encryption ($OUT/dump/warm-up.eml)" >&2
    exit 1
  fi
  echo "smime: warm-up message left signed and encrypted" >&2
fi
# CPU time (user + system, clock ticks) of a process and its children from /proc/<pid>/stat
cpu_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)
warm_up "$SMTP_PORT" "$SINK_PORT" sealgate
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
CPU_BEFORE=$(cpu_ticks "$SEALGATE_PID")
if [[ ${JFR:-0} == 1 ]]; then
  # from here on only: start-up would otherwise dominate the profile
  jcmd "$SEALGATE_PID" JFR.start name=bench settings=profile >/dev/null
fi
SEALGATE_SECONDS=$(push_through "$SMTP_PORT" "$SINK_PORT" sealgate)
SEALGATE_CPU_MS=$(echo "scale=2; ($(cpu_ticks "$SEALGATE_PID") - $CPU_BEFORE) * 1000 / $TICK / $N" | bc -l)
if [[ ${JFR:-0} == 1 ]]; then
  jcmd "$SEALGATE_PID" JFR.stop name=bench filename="$OUT/sealgate.jfr" >/dev/null
fi
kill "$SEALGATE_PID" 2>/dev/null || true
wait "$SEALGATE_PID" 2>/dev/null || true
if [[ $DB == postgres ]]; then
  PGOPTIONS="-c client_min_messages=warning" psql -h 127.0.0.1 -U postgres -d test -q -c "DROP SCHEMA $SCHEMA CASCADE" >/dev/null
fi

if [[ $MODE == relay ]]; then
# --- Postfix as a plain relay -------------------------------------------------------------
  POSTFIX_CONF="$OUT/postfix/conf"
  RELAY_PORT=$(free_port)
  SINK_PORT=$(free_port)
  mkdir -p "$POSTFIX_CONF" "$OUT/postfix/queue" "$OUT/postfix/data"
  sed -E -e 's/^(\S+\s+(inet|unix|unix-dgram|fifo|pass)\s+\S+\s+\S+\s+)y(\s)/\1n\3/' \
    -e "s/^smtp\s+inet\s.*/127.0.0.1:$RELAY_PORT inet n - n - - smtpd/" /etc/postfix/master.cf >"$POSTFIX_CONF/master.cf"
  cat >"$POSTFIX_CONF/main.cf" <<CF
compatibility_level = 3.6
queue_directory = $OUT/postfix/queue
data_directory = $OUT/postfix/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = bench-relay.localdomain
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$SINK_PORT
smtpd_relay_restrictions = permit_mynetworks, reject
CF
  chown -R postfix "$OUT/postfix/data"
  "$POSTFIX" -c "$POSTFIX_CONF" check >/dev/null
  "$POSTFIX" -c "$POSTFIX_CONF" start >/dev/null
  await_port "$RELAY_PORT" 30
  # Postfix runs as many processes (master, smtpd, cleanup, qmgr, smtp): sum the private master
  # and its children still alive at the end (short-lived helpers that exited are not counted).
  postfix_ticks() {
    local total=0 pid
    local master
    master=$(tr -d ' ' <"$OUT/postfix/queue/pid/master.pid")
    for pid in "$master" $(pgrep -P "$master"); do
      [[ -r /proc/$pid/stat ]] && total=$((total + $(cpu_ticks "$pid")))
    done
    echo "$total"
  }
  warm_up "$RELAY_PORT" "$SINK_PORT" postfix
  POSTFIX_SECONDS=$(push_through "$RELAY_PORT" "$SINK_PORT" postfix)
  # warm-up included (a process's ticks cannot be split), so divided by all messages it relayed
  POSTFIX_CPU_MS=$(echo "scale=2; $(postfix_ticks) * 1000 / $TICK / ($N + $WARMUP)" | bc -l)
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- S/MIME: the openssl pipeline and the engine alone --------------------------------------
smime_compare() {
  # the message as smtp-source sends it (headers and SIZE_KB of body), a file per run
  "$SMTP_SINK" -u nobody -M 1 -D "$OUT/dump/plain.eml" "127.0.0.1:$SINK_PORT" 16 >/dev/null 2>&1 &
  local sink=$!
  PIDS+=("$sink")
  await_port "$SINK_PORT" 10
  # the sink quits after the one message, which smtp-source may report as an error
  "$SMTP_SOURCE" -m 1 -l $((SIZE_KB * 1024)) -f "$FROM" -t "$TO" "127.0.0.1:$SINK_PORT" >/dev/null 2>&1 || true
  for ((i = 0; i < 100; i++)); do kill -0 "$sink" 2>/dev/null || break; sleep 0.1; done
  if [[ ! -s $OUT/dump/plain.eml ]]; then
    echo "smime: could not capture the message smtp-source sends" >&2
    exit 1
  fi
  OPENSSL_N=${OPENSSL_N:-$((N / 4 > 50 ? N / 4 : 50))}
  local start end
  start=$(date +%s.%N)
  seq "$OPENSSL_N" | xargs -P 2 -I{} sh -c 'openssl cms -sign -signer "$1/signer.pem" -inkey "$1/signer.key" -in "$2" \
      | openssl cms -encrypt -aes256 -out /dev/null "$1/partner.pem"' _ "$PKI" "$OUT/dump/plain.eml"
  end=$(date +%s.%N)
  OPENSSL_RATE=$(echo "scale=1; $OPENSSL_N / ($end - $start)" | bc -l)
  ENGINE_RATE=""
  local jmh="$ROOT/bench/jmh/target/benchmarks.jar"
  if [[ -f $jmh ]]; then
    java -jar "$jmh" -f 1 -wi 3 -w 3s -i 3 -r 3s -t 2 -p sizeKb="$SIZE_KB" -rf json -rff "$OUT/jmh.json" \
      SignEncryptBenchmark.signThenEncrypt >"$OUT/jmh.log" 2>&1
    ENGINE_RATE=$(jq -r '.[0].primaryMetric.score | . * 10 | round / 10' "$OUT/jmh.json")
  fi
}

# --- Report -------------------------------------------------------------------------------
rate() { echo "scale=1; $N / $1" | bc -l; }
SEALGATE_RATE=$(rate "$SEALGATE_SECONDS")
printf '%s messages of %s KB, %s sessions, end to end into smtp-sink; Sealgate on %s, mode %s\n' "$N" "$SIZE_KB" "$SESSIONS" "$DB" "$MODE"
if [[ $MODE == relay ]]; then
  POSTFIX_RATE=$(rate "$POSTFIX_SECONDS")
  RATIO=$(echo "scale=2; $SEALGATE_RATE / $POSTFIX_RATE" | bc -l)
  printf 'Sealgate (pass-through): %8.1f s  %8s msg/s  %6s ms CPU/msg\n' "$SEALGATE_SECONDS" "$SEALGATE_RATE" "$SEALGATE_CPU_MS"
  printf 'Postfix (plain relay):   %8.1f s  %8s msg/s  %6s ms CPU/msg (long-lived daemons only)\n' "$POSTFIX_SECONDS" "$POSTFIX_RATE" "$POSTFIX_CPU_MS"
  printf 'Sealgate / Postfix:      %s\n' "$RATIO"
else
  smime_compare
  printf 'Sealgate (sign+encrypt, end to end): %8.1f s  %8s msg/s  %6s ms CPU/msg\n' "$SEALGATE_SECONDS" "$SEALGATE_RATE" "$SEALGATE_CPU_MS"
  printf 'openssl cms -sign | -encrypt, 2 at a time: %s msg/s (%s messages)\n' "$OPENSSL_RATE" "$OPENSSL_N"
  printf 'Sealgate / openssl pipeline: %s\n' "$(echo "scale=2; $SEALGATE_RATE / $OPENSSL_RATE" | bc -l)"
  if [[ -n $ENGINE_RATE ]]; then
    printf 'Engine alone (JMH SignEncryptBenchmark, 2 threads): %s msg/s\n' "$ENGINE_RATE"
    printf 'Sealgate / engine: %s\n' "$(echo "scale=2; $SEALGATE_RATE / $ENGINE_RATE" | bc -l)"
  else
    echo "Engine alone: bench/jmh/target/benchmarks.jar not built (mvn -B -q -Pbench -pl bench/jmh -am package -DskipTests)"
  fi
fi
printf 'Load average before / after: %s / %s\n' "$LOAD_BEFORE" "$LOAD_AFTER"
if [[ ${JFR:-0} == 1 ]]; then
  echo "Top frames of the gateway's execution samples ($OUT/sealgate.jfr):"
  python3 "$ROOT/bench/jfr-summary.py" "$OUT/sealgate.jfr"
fi
printf 'Machine: %s CPUs, %s; %s\n' "$(nproc)" "$(lscpu | sed -n 's/^Model name:\s*//p')" "$(java -version 2>&1 | head -1)"
