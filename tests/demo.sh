#!/bin/sh
# SPDX-License-Identifier: MIT
# `make demo`: the main job on the embedded default machine (the in-process emulator of a
# factory-fresh AMT 16 corporate laptop). Needs no root and no hardware.
set -eu
TOPDIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOPDIR/$BUILD ;; esac
echo "\$ amtact --device sim info"
"$BUILD/amtact" --device sim info
