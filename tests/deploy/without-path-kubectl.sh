#!/usr/bin/env bash
# Runs tools/check-deploy with a kubectl first on the PATH that fails whenever it is called:
# the check must render with the pinned kubectl that tools/install-deps.sh unpacks, and so
# pass on a plain Debian machine that has no kubectl (or an old one) on its PATH.
set -euo pipefail
shim=$(mktemp -d)
trap 'rm -rf "$shim"' EXIT
printf '#!/bin/sh\necho "kubectl from the PATH was called: $*" >&2\nexit 97\n' >"$shim/kubectl"
chmod 755 "$shim/kubectl"
PATH="$shim:$PATH" bash "$(dirname "$0")/../../tools/check-deploy" "$@"
