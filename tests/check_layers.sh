#!/bin/sh
# SPDX-License-Identifier: MIT
# The layer rule, checked on the sources (README.md, "Layers"): a file includes only the
# headers of its own layer and the public headers of the layers below it
#   wire (heci/wire) < emulator (heci/emu) < transport (heci) < agent (src, include)
#   amtsim (heci/fuse): wire + emulator
# no project header by a path ("../x.h", "emu/fw.h"), libcurl only in the report module,
# OpenSSL only in the crypto and secret modules, FUSE only in amtsim, cJSON in no agent
# header but the renderers'.
# Usage: check_layers.sh [TOPDIR]. Prints FILE:LINE: reason for each violation; exits 1 if
# there is any, 0 if none, 2 if TOPDIR is not a source tree.
set -u
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" 2>/dev/null && [ -d src ] && [ -d heci ] || {
	echo "check_layers: $top is not an amtact source tree" >&2
	exit 2
}

# Folders a file in DIR may take quoted headers from (own folders first).
visible() {
	case $1 in
	heci/wire) echo "heci/wire" ;;
	heci/emu/include) echo "heci/emu/include heci/wire" ;;
	heci/emu) echo "heci/emu heci/emu/include heci/wire" ;;
	heci/include) echo "heci/include heci/emu/include heci/wire" ;;
	heci) echo "heci heci/include heci/emu/include heci/wire" ;;
	heci/fuse) echo "heci/fuse heci/emu/include heci/wire" ;;
	include) echo "include heci/include heci/wire" ;;
	src) echo "src include heci/include heci/wire" ;;
	src/os) echo "src/os include heci/include heci/wire" ;;
	esac
}

layer_name() {
	case $1 in
	heci/wire) echo "the wire layer" ;;
	heci/emu*) echo "the emulator" ;;
	heci/fuse) echo "amtsim" ;;
	heci | heci/include) echo "the transport" ;;
	*) echo "the agent" ;;
	esac
}

# Files allowed a library's headers (<curl/...>, <openssl/...>, <fuse...>), and why.
#   report.c     HTTPS delivery: libcurl, and OpenSSL's verify codes and digests for its TLS
#                (with report_curl.c/.h, what its transfers share, and report_fetch.c, the
#                server's OTP)
#   certcheck.c  X.509 checks of the provisioning certificate chain (the module amtact-crypto.so)
#   seal.c       CMS sealing of secrets (the module amtact-crypto.so)
#   usb_libusb.c a USB key's descriptors through libusb (the module amtact-usb.so)
allowed_lib() {
	case $1 in
	curl/*)
		case $2 in
		src/report.c | src/report_curl.[ch] | src/report_fetch.c) return 0 ;;
		esac ;;
	openssl/*)
		case $2 in
		src/report.c | src/report_curl.c | src/report_fetch.c | src/certcheck.c | \
			src/seal.c) return 0 ;;
		esac ;;
	fuse*) case $2 in heci/fuse/*) return 0 ;; esac ;;
	libusb.h | libusb-1.0/*) case $2 in src/usb_libusb.c) return 0 ;; esac ;;
	cjson/*)
		# Results are data: of the agent's headers only the renderers' carry cJSON types.
		case $2 in
		include/*_json.h | include/json_out.h | include/op_render.h) return 0 ;;
		include/*) return 1 ;;
		esac
		return 0 ;;
	*) return 0 ;;
	esac
	return 1
}

# The operating system's headers: the agent reaches the OS only through the port layer.
os_header() {
	case $1 in
	fcntl.h | unistd.h | dirent.h | syslog.h | termios.h | glob.h | netdb.h | ifaddrs.h) ;;
	sys/stat.h | sys/file.h | sys/random.h | sys/socket.h | sys/types.h | sys/ioctl.h) ;;
	arpa/* | net/* | netinet/* | linux/*) ;;
	windows.h | winsock2.h | ws2tcpip.h | iphlpapi.h | bcrypt.h | aclapi.h | sddl.h) ;;
	io.h | direct.h | conio.h | shlobj.h | winternl.h) ;;
	setupapi.h | cfgmgr32.h | winioctl.h | devpkey.h | devguid.h | ntddstor.h) ;;
	*) return 1 ;;
	esac
}

# The transport (heci/) is its own layer with per-OS backends; in the agent only src/os/.
os_header_allowed() {
	case $1 in
	src/os/* | heci/*) return 0 ;;
	esac
	return 1
}

# A project header of that name in any layer folder (so <heci.h> counts as "heci.h").
project_header() {
	for d in heci/wire heci/emu/include heci/emu heci/include heci heci/fuse include src src/os; do
		[ -f "$d/$1" ] && return 0
	done
	return 1
}

bad=0
report() { # FILE LINE TEXT...
	rf=$1 rn=$2
	shift 2
	echo "$rf:$rn: $*"
	bad=1
}

check_include() { # FILE LINE DIR QUOTE NAME
	f=$1 n=$2 dir=$3 q=$4 name=$5
	if [ "$q" = '<' ] && os_header "$name" && ! os_header_allowed "$f"; then
		report "$f" "$n" "includes <$name>: the agent reaches the operating system only" \
			"through the port layer (include/os.h, src/os/)"
		return
	fi
	case $name in
	*/*)
		if [ "$q" = '"' ]; then
			report "$f" "$n" "includes \"$name\" by a path; name the header alone (the" \
				"include path of $(layer_name "$dir") decides what it may see)"
			return
		fi
		allowed_lib "$name" "$f" ||
			report "$f" "$n" "includes <$name>: only $(lib_owner "$name") may"
		return ;;
	esac
	if [ "$q" = '<' ]; then
		project_header "$name" || {
			allowed_lib "$name" "$f" ||
				report "$f" "$n" "includes <$name>: only $(lib_owner "$name") may"
			return
		}
	fi
	for d in $(visible "$dir"); do
		[ -f "$d/$name" ] && return
	done
	[ "$q" = '<' ] && shown="<$name>" || shown="\"$name\""
	report "$f" "$n" "includes $shown: $(layer_name "$dir") ($dir/) may include only" \
		"headers from $(visible "$dir" | sed 's|\([^ ]*\)|\1/|g')"
}

lib_owner() {
	case $1 in
	curl/*) echo "the report module (src/report.c, report_curl.c, report_fetch.c)" ;;
	openssl/*) echo "the crypto and secret modules (certcheck, otp, report, seal, secret)" ;;
	cjson/*) echo "the renderers' headers (include/*_json.h, json_out.h, op_render.h)" ;;
	libusb*) echo "the USB library module (src/usb_libusb.c)" ;;
	*) echo "amtsim (heci/fuse/)" ;;
	esac
}

list=$(mktemp "${TMPDIR:-/tmp}/check_layers.XXXXXX") || exit 2
trap 'rm -f "$list"' EXIT
for dir in heci/wire heci/emu/include heci/emu heci/include heci heci/fuse include src src/os; do
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -f "$f" ] || continue
		# "LINE QUOTE NAME" for every #include line.
		awk '/^[ \t]*#[ \t]*include/ && match($0, /[<"][^>"]*[>"]/) {
			print FNR, substr($0, RSTART, 1), substr($0, RSTART + 1, RLENGTH - 2) }' \
			"$f" >"$list"
		while read -r n q name; do
			check_include "$f" "$n" "$dir" "$q" "$name"
		done <"$list"
	done
done
exit $bad
