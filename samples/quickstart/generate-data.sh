#!/usr/bin/env bash
# Writes two hours of sample metrics for one demo tenant in OpenMetrics text, for
# `promtool tsdb create-blocks-from openmetrics`. Usage: generate-data.sh TENANT OUT_FILE
set -euo pipefail
tenant="$1"; out="$2"
end=$(( $(date +%s) / 60 * 60 - 60 ))
start=$(( end - 2 * 3600 ))
awk -v tenant="$tenant" -v start="$start" -v end="$end" 'BEGIN {
    split("prod staging dev", envs, " ")
    split("payments search", teams, " ")
    print "# HELP http_requests_total Requests served."
    print "# TYPE http_requests_total counter"
    for (e = 1; e <= 3; e++) for (t = 1; t <= 2; t++) for (code = 200; code <= 500; code += 300) {
        rate = (e * 3 + t) * (code == 200 ? 10 : 1)
        for (ts = start; ts <= end; ts += 60)
            printf "http_requests_total{env=\"%s\",team=\"%s\",code=\"%d\",service=\"%s-api\"} %d %d\n", envs[e], teams[t], code, tenant, (ts - start) / 60 * rate, ts
    }
    print "# HELP node_memory_used_bytes Memory in use."
    print "# TYPE node_memory_used_bytes gauge"
    for (e = 1; e <= 3; e++) for (i = 1; i <= 2; i++)
        for (ts = start; ts <= end; ts += 60)
            printf "node_memory_used_bytes{env=\"%s\",instance=\"%s-node-%d\"} %d %d\n", envs[e], tenant, i, (e * 1000 + i * 100 + (ts / 60) % 50) * 1048576, ts
    print "# EOF"
}' > "$out"
