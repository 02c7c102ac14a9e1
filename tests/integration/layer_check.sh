#!/bin/sh
# SPDX-License-Identifier: MIT
# The layer check (tests/check_layers.sh) passes on the real tree and fails on a copy with
# forbidden includes planted in it, naming each file and line; amtsim links no libcurl and
# no OpenSSL.
. "$(dirname "$0")/lib.sh"
CHECK=$TOPDIR/tests/check_layers.sh

check "the sources keep the layer rule" sh "$CHECK" "$TOPDIR"

cp -r "$TOPDIR/src" "$TOPDIR/include" "$TOPDIR/heci" "$WORK/" || fail "copying the sources"
check "an unchanged copy passes" sh "$CHECK" "$WORK"
# The port layer itself may include the system's headers.
grep -q '^#include <fcntl.h>' "$WORK/src/os/posix.c" || fail "src/os/posix.c: no <fcntl.h>?"

# plant FILE AFTER-LINE TEXT: insert an #include line, so it lands on line AFTER-LINE + 1.
plant() { sed -i "$2a $3" "$WORK/$1" || fail "planting into $1"; }
plant heci/heci.c 3 '#include "msg.h"'                  # transport -> agent logger
plant heci/emu/fw_gen.c 3 '#include "heci.h"'           # emulator -> transport
plant heci/wire/buf.c 3 '#include <amt.h>'              # wire -> agent, angle brackets
plant heci/fuse/nsexec.c 3 '#include "backend.h"'       # amtsim -> transport private
plant heci/sim.c 3 '#include "fw_int.h"'                # transport -> emulator private
plant heci/include/heci.h 3 '#include "backend.h"'      # public header -> private one
plant src/amt.c 3 '#include "../heci/emu/fw_int.h"'     # a path reaching across
plant src/cmd_info.c 3 '#include <curl/curl.h>'         # libcurl outside the report module
plant src/op.c 3 '#include <openssl/evp.h>'             # OpenSSL outside the crypto modules
plant src/otp.c 3 '#include <fuse_lowlevel.h>'          # FUSE outside amtsim
plant include/me.h 3 '#include <cjson/cJSON.h>'         # cJSON in a core header
plant src/spool.c 3 '#include <fcntl.h>'                # the OS outside the port layer
plant src/msg.c 3 '#include <windows.h>'                # Win32 outside the port layer
plant src/cmd_usbkey.c 3 '#include <libusb.h>'          # libusb outside its module

sh "$CHECK" "$WORK" >"$WORK/out" 2>&1
rc=$?
sed 's/^/    | /' "$WORK/out"
[ "$rc" = 1 ] || fail "the check exited $rc on planted includes, expected 1"
ok "planted includes: exit 1"
for at in heci/heci.c:4 heci/emu/fw_gen.c:4 heci/wire/buf.c:4 heci/fuse/nsexec.c:4 \
	heci/sim.c:4 heci/include/heci.h:4 src/amt.c:4 src/cmd_info.c:4 src/op.c:4 src/otp.c:4 \
	include/me.h:4 src/spool.c:4 src/msg.c:4 src/cmd_usbkey.c:4; do
	grep -q "^$at: includes " "$WORK/out" || fail "the check did not name $at"
done
ok "every planted include named by file and line"
[ "$(wc -l <"$WORK/out")" = 14 ] || fail "the check reported other lines than the 14 planted"
ok "nothing else reported"

sh "$CHECK" "$WORK/nonexistent" >/dev/null 2>&1
[ $? = 2 ] || fail "a missing tree must exit 2"
ok "a missing tree: exit 2"

# amtsim is the emulator on a FUSE device: no HTTPS client, no crypto library.
[ -x "$AMTSIM" ] || fail "$AMTSIM is not built"
if command -v ldd >/dev/null 2>&1; then
	ldd "$AMTSIM" >"$WORK/libs" 2>&1 || fail "ldd $AMTSIM failed"
else
	readelf -d "$AMTSIM" >"$WORK/libs" 2>&1 || fail "readelf -d $AMTSIM failed"
fi
grep -q 'libfuse3' "$WORK/libs" || fail "amtsim: no libfuse3 in its libraries (wrong binary?)"
if grep -E 'libcurl|libssl|libcrypto' "$WORK/libs"; then
	fail "amtsim links libcurl or OpenSSL"
fi
ok "amtsim links no libcurl and no OpenSSL"
