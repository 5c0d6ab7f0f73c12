#!/usr/bin/env bash
# Runs every test project in Release (the same build the ./crossfeed wrapper uses).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
exec dotnet test Crossfeed.slnx -c Release --nologo "$@"
