# Throwaway services for the test suite, sourced by scripts/test.sh: a PostgreSQL cluster and an
# S3-compatible server (moto) that checks AWS Signature Version 4, each on a free loopback port.
# start_services exports where they are; stop_services (run on exit) stops them and removes their files.

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

postgres_bin() {
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    done
    dirname "$(command -v initdb)"
}

# Runs a command as the unprivileged owner of the cluster (initdb refuses to run as root).
as_cluster_owner() {
    if [ "$(id -u)" = 0 ]; then
        su nobody -s /bin/sh -c "$1"
    else
        sh -c "$1"
    fi
}

start_postgres() {
    local bin port
    bin=$(postgres_bin)
    port=$(free_port)
    TEST_PG_DIR=$(mktemp -d /tmp/billing-alert-pg.XXXXXX)
    chmod 755 "$TEST_PG_DIR"
    [ "$(id -u)" = 0 ] && chown nobody "$TEST_PG_DIR"
    as_cluster_owner "'$bin/initdb' -D '$TEST_PG_DIR/data' -U postgres --auth=trust -E UTF8 >'$TEST_PG_DIR/initdb.log' 2>&1" ||
        { cat "$TEST_PG_DIR/initdb.log" >&2; return 1; }
    as_cluster_owner "'$bin/pg_ctl' -D '$TEST_PG_DIR/data' -l '$TEST_PG_DIR/server.log' -w -o \"-p $port -k '$TEST_PG_DIR' -h 127.0.0.1 -c fsync=off -c max_connections=200\" start >/dev/null" ||
        { cat "$TEST_PG_DIR/server.log" >&2; return 1; }
    TEST_PG_BIN=$bin
    export BILLING_ALERT_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
    echo "test PostgreSQL on 127.0.0.1:$port" >&2
}

start_s3() {
    local port credentials
    port=$(free_port)
    TEST_S3_LOG=$(mktemp /tmp/billing-alert-s3.XXXXXX)
    # The first three requests (IAM user, key, policy) go unchecked; every later one must be signed.
    INITIAL_NO_AUTH_ACTION_COUNT=3 python3 scripts/s3_test_server.py -H 127.0.0.1 -p "$port" >"$TEST_S3_LOG" 2>&1 &
    TEST_S3_PID=$!
    credentials=$(python3 - "$port" <<'PYTHON'
import json, socket, sys, time
import boto3
port = int(sys.argv[1])
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        break
    except OSError:
        time.sleep(0.1)
iam = boto3.client("iam", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                   aws_access_key_id="setup", aws_secret_access_key="setup")
iam.create_user(UserName="billing-alert-test")
key = iam.create_access_key(UserName="billing-alert-test")["AccessKey"]
iam.put_user_policy(UserName="billing-alert-test", PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
print(key["AccessKeyId"], key["SecretAccessKey"])
PYTHON
    ) || { cat "$TEST_S3_LOG" >&2; return 1; }
    export BILLING_ALERT_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
    export BILLING_ALERT_TEST_S3_ACCESS_KEY="${credentials% *}"
    export BILLING_ALERT_TEST_S3_SECRET_KEY="${credentials#* }"
    echo "test S3 (moto, SigV4 checked) on 127.0.0.1:$port" >&2
}

start_services() {
    start_postgres
    start_s3
}

stop_services() {
    if [ -n "${TEST_S3_PID:-}" ]; then kill "$TEST_S3_PID" 2>/dev/null || true; fi
    if [ -n "${TEST_PG_DIR:-}" ]; then
        as_cluster_owner "'$TEST_PG_BIN/pg_ctl' -D '$TEST_PG_DIR/data' -m immediate stop >/dev/null 2>&1" || true
        rm -rf "$TEST_PG_DIR"
    fi
    [ -n "${TEST_S3_LOG:-}" ] && rm -f "$TEST_S3_LOG"
    return 0
}
