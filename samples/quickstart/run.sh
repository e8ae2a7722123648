#!/usr/bin/env bash
# Heimdall's local demo on the embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup.sh >/dev/null
dotnet build Heimdall.Host -c Release -v q -nologo >/dev/null
heimdall() { dotnet Heimdall.Host/bin/Release/net10.0/heimdall.dll "$@"; }
heimdall --version
heimdall --help
