#!/bin/sh
# Usage: sh scripts/install-system-deps.sh [--for-tests | --for-bench]
# Installs with apt-get the Debian packages the gate runs on (and, with --for-tests, the
# ones the test suite and the benchmark use; with --for-bench, only the benchmark's), only
# those missing; does nothing otherwise.
set -eu

runtime_packages="nginx libnginx-mod-stream orthanc orthanc-dicomweb openssl"
test_packages="dcmtk imagemagick chromium wrk iproute2 unzip postgresql orthanc-postgresql kubernetes-client"
bench_packages="dcmtk imagemagick wrk chromium postgresql util-linux"

case "${1:-}" in
  "") wanted="$runtime_packages" ;;
  --for-tests) wanted="$runtime_packages $test_packages" ;;
  --for-bench) wanted="$runtime_packages $bench_packages" ;;
  *) echo "usage: sh scripts/install-system-deps.sh [--for-tests | --for-bench]" >&2; exit 2 ;;
esac

is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Debian's kubernetes-client conflicts with the other packages of kubectl (Kubernetes' own, Google
# Cloud's): any kubectl on the PATH will do.
is_present() {
  case "$1" in
    kubernetes-client) command -v kubectl >/dev/null 2>&1 && return 0 ;;
  esac
  is_installed "$1"
}

missing=""
for package in $wanted; do
  is_present "$package" || missing="$missing $package"
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "pacsgate needs these Debian packages:$missing" >&2
  echo "Install them as root: sudo sh scripts/install-system-deps.sh ${1:-}" >&2
  exit 1
fi

echo "Installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# $missing is a list of package names: split on purpose.
# shellcheck disable=SC2086
apt-get install -y -q $missing

# On a machine with systemd, Debian starts its own Orthanc (8042, 4242) and Nginx (80):
# the stack runs its own, so say how to turn those off rather than fighting over ports.
if command -v systemctl >/dev/null 2>&1; then
  for service in orthanc nginx; do
    if systemctl is-active --quiet "$service" 2>/dev/null; then
      echo "note: Debian started its own $service service; if its ports clash with pacsgate's: systemctl disable --now $service" >&2
    fi
  done
fi
