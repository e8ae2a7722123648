#!/usr/bin/env bash
# Installs what Heimdall's tests and demo need on a fresh Debian machine. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || need_apt+=(prometheus)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)

if ((${#need_apt[@]})); then
    echo "setup: installing ${need_apt[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# npm packages used by the tests (real OpenID provider), pinned by the lock file.
if [ -f Heimdall.Tests/oidc/package.json ] && [ ! -d Heimdall.Tests/oidc/node_modules ]; then
    (cd Heimdall.Tests/oidc && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet restore Heimdall.slnx >/dev/null
echo "setup: ok ($(prometheus --version 2>&1 | head -1))"
