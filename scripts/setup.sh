#!/usr/bin/env bash
# Installs every build and test dependency from Debian packages.
# Idempotent and non-interactive; safe to run on every build. Needs root
# (or sudo) unless everything is already installed.
set -euo pipefail

PACKAGES=(
  # toolchain
  cmake ninja-build g++ pkg-config git
  clang libclang-rt-14-dev
  # RPC and base libraries
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # audio
  libpipewire-0.3-dev libspa-0.2-dev pipewire pipewire-bin sox libsox-fmt-all
  # config, logging, service integration
  libtinyxml2-dev
  # the timeline picture (audioctl timeline): cairo and the font it draws with
  libcairo2-dev libfontconfig-dev fonts-dejavu-core
  systemd  # systemd-analyze, -sysusers, -tmpfiles: tests/packaging checks the unit with them
  # other-language client check
  python3 python3-grpcio python3-grpc-tools
  # the WirePlumber coexistence test (tests/wireplumber): the session manager
  # and the private D-Bus session bus it needs
  wireplumber dbus-daemon
  # security tests: throwaway certificates, network namespaces for the split-ECU test
  openssl iproute2
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
echo "setup: done"
