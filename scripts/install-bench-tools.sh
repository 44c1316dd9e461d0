#!/usr/bin/env bash
# Installs the Debian encoders `qtk bench` compares against (cjpeg/djpeg, cwebp/dwebp). Optional: the bench skips
# codecs whose tools are missing, and no test needs them.
set -euo pipefail
need=()
command -v cjpeg >/dev/null || need+=(libjpeg-turbo-progs)
command -v cwebp >/dev/null || need+=(webp)
[ ${#need[@]} -eq 0 ] && { echo "bench tools present"; exit 0; }
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
