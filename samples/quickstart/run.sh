#!/usr/bin/env bash
# Heimdall's local demo on the embedded defaults: SQLite store, built-in policy evaluator, a development
# JWKS with minted tokens, and Debian's Prometheus with sample data as the upstream of two tenants.
# It starts everything on 127.0.0.1, shows real requests (a rewritten query, what two users get, the
# refusals), then stops what it started. Set KEEP=1 to leave the servers running for your own requests.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo="$PWD"
work="$repo/.tmp/quickstart"
rm -rf "$work" && mkdir -p "$work"
pids=()
cleanup() { if [ "${KEEP:-0}" != 1 ]; then for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; fi; }
trap cleanup EXIT
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Installing what is missing and building Heimdall"
bash scripts/setup.sh
dotnet build Heimdall.Host -c Release -v q -nologo >/dev/null
dll="$repo/Heimdall.Host/bin/Release/net10.0/heimdall.dll"
heimdall() { dotnet "$dll" "$@"; }
for port in 9091 9092 19190 19290; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "port $port is already in use (an earlier demo with KEEP=1?): stop that process first" >&2
        exit 1
    fi
done
heimdall --version

say "Starting one Prometheus per tenant with two hours of sample data (acme :19190, globex :19290)"
port_of() { case "$1" in acme) echo 19190;; globex) echo 19290;; esac; }
for tenant in acme globex; do
    bash samples/quickstart/generate-data.sh "$tenant" "$work/$tenant.om"
    promtool tsdb create-blocks-from openmetrics "$work/$tenant.om" "$work/$tenant-data" >/dev/null
    printf 'global:\n  scrape_interval: 1m\n' > "$work/prometheus.yml"
    prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/$tenant-data" \
        --storage.tsdb.retention.time=30d --web.listen-address="127.0.0.1:$(port_of "$tenant")" \
        >"$work/$tenant-prometheus.log" 2>&1 &
    pids+=($!)
done
for tenant in acme globex; do
    until curl -sf "http://127.0.0.1:$(port_of "$tenant")/-/ready" >/dev/null; do sleep 0.5; done
done

say "Creating a development signing key, the configuration, tenants and policies"
cd "$work"
heimdall token keygen --out dev.jwks.json
cat > config.yaml <<YAML
server:
  main: { addr: "127.0.0.1:9091" }
  bundle: { addr: "127.0.0.1:9092" }
  log_format: text
  log_level: warn
mimir:
  url: http://127.0.0.1:19190
  tenant_urls:
    acme: http://127.0.0.1:19190
    globex: http://127.0.0.1:19290
federation:
  strategy: fanout        # each tenant has its own Prometheus; Heimdall merges like Mimir's federation
jwt:
  jwks_file: dev.jwks.json
  issuer: heimdall-demo
  audience: heimdall
database:
  driver: sqlite
  dsn: heimdall.db
admin:
  group: admins
bundle:
  allow_anonymous: true   # demo only: production sets bundle.token
YAML
heimdall migrate >/dev/null
heimdall tenant create acme "Acme Corp"
heimdall tenant create globex "Globex Inc"
heimdall policy create "$repo/samples/quickstart/policies.json"

say "Starting heimdall serve (proxy 127.0.0.1:9091, bundle/metrics/health 127.0.0.1:9092)"
# Started directly (not through the shell function) so that $! is the server itself and cleanup stops it.
dotnet "$dll" serve --config config.yaml >"$work/heimdall.log" 2>&1 &
pids+=($!)
until curl -sf http://127.0.0.1:9092/readyz >/dev/null; do
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "heimdall serve exited:" >&2; cat "$work/heimdall.log" >&2; exit 1; }
    sleep 0.5
done
curl -s http://127.0.0.1:9092/readyz; echo

alice=$(heimdall token mint --jwks dev.jwks.json --sub alice@acme.com --groups developers --iss heimdall-demo --aud heimdall --ttl 1h)
bob=$(heimdall token mint --jwks dev.jwks.json --sub bob@example.com --groups sre --iss heimdall-demo --aud heimdall --ttl 1h)
query='sum by (env) (rate(http_requests_total[5m]))'
api=http://127.0.0.1:9091/prometheus/api/v1

say "How Heimdall rewrites '$query' for alice (explain: no upstream call)"
curl -s -H "Authorization: Bearer $alice" -H "X-Scope-OrgID: acme" --data-urlencode "query=$query" http://127.0.0.1:9091/heimdall/v1/explain; echo

say "alice queries tenant acme: only env=\"prod\" comes back"
curl -s -H "Authorization: Bearer $alice" -H "X-Scope-OrgID: acme" --data-urlencode "query=$query" "$api/query"; echo

say "bob (group sre) queries acme|globex: every series, each with __tenant_id__, merged like Mimir"
curl -s -H "Authorization: Bearer $bob" -H "X-Scope-OrgID: acme|globex" --data-urlencode "query=$query" "$api/query"; echo

say "alice asks for globex: refused (403), never silently dropped"
curl -s -w ' (HTTP %{http_code})' -H "Authorization: Bearer $alice" -H "X-Scope-OrgID: globex" --data-urlencode "query=up" "$api/query"; echo

say "No token: 401 with WWW-Authenticate"
curl -s -w ' (HTTP %{http_code})' --data-urlencode "query=up" "$api/query"; echo

say "A query that does not parse is refused (400), never forwarded"
curl -s -w ' (HTTP %{http_code})' -H "Authorization: Bearer $alice" -H "X-Scope-OrgID: acme" --data-urlencode "query=sum(rate(x[5m]" "$api/query"; echo

say "Rewriting offline with the CLI"
heimdall promql inject --matcher 'env="prod"' --matcher 'team=~"payments|search"' "$query"

if [ "${KEEP:-0}" = 1 ]; then
    say "Servers left running (KEEP=1). Tokens: export ALICE=$alice BOB=$bob"
else
    say "Done; stopping the demo servers"
fi
