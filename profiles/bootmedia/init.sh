#!/bin/sh
# SPDX-License-Identifier: MIT
# The init of the amtact boot medium (busybox sh, PID 1). It loads the Intel ME and network
# drivers, brings the wired network up by DHCP, shows what it found, asks for the system
# name, runs `amtact run` with /etc/amtact/profile.json and says, in large plain words,
# whether the PC is ready or what to tell IT. It never leaves the person at a shell.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
umask 022

PROFILE=/etc/amtact/profile.json
NET_WAIT=${NET_WAIT:-40}  # seconds for a cable and a DHCP lease
MEI_WAIT=10               # seconds for /dev/mei0 once the driver is loaded
DEVICE=""                 # amtact --device; empty: /dev/mei0
NAME=""
IFACE=""
STATUS_IP=""

mount_all() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev 2>/dev/null
	mount -t tmpfs -o mode=1777 tmpfs /tmp
	mount -t tmpfs -o mode=0755 tmpfs /run
	mkdir -p /var/lib/amtact /var/spool/amtact
	chmod 0700 /var/lib/amtact /var/spool/amtact
}

# The kernel command line's amtact.* words.
cmdline_has() {
	for w in $(cat /proc/cmdline); do
		[ "$w" = "$1" ] && return 0
	done
	return 1
}

line() { echo "------------------------------------------------------------------------"; }

# big WORD: the word in letters five lines high (READY and FAILED only).
big() {
	case $1 in
	READY) cat <<'EOF'

    ######   #######     ###     ######    ##  ##
    ##   ##  ##         ## ##    ##   ##   ##  ##
    ######   #####     ##   ##   ##   ##    ####
    ##  ##   ##        #######   ##   ##     ##
    ##   ##  #######   ##   ##   ######      ##

EOF
	;;
	FAILED) cat <<'EOF'

    #######    ###     ######  ##       #######  ######
    ##        ## ##      ##    ##       ##       ##   ##
    #####    ##   ##     ##    ##       #####    ##   ##
    ##       #######     ##    ##       ##       ##   ##
    ##       ##   ##   ######  #######  #######  ######

EOF
	;;
	esac
}

# --- 1. drivers and network ------------------------------------------------------------------
# Every device's driver (twice: a bus driver loaded in the first pass, such as virtio or a USB
# host controller, shows its own devices only then), and the ME's in any case.
load_drivers() {
	for pass in 1 2; do
		find /sys/devices -name modalias 2>/dev/null | while read -r f; do
			modprobe -q -b "$(cat "$f")" 2>/dev/null
		done
		[ "$pass" = 1 ] && sleep 1
	done
	for m in mei_me xhci_pci ehci_pci ohci_pci uhci_hcd usbhid hid_generic; do
		modprobe -q "$m" 2>/dev/null
	done
}

wait_mei() {
	if cmdline_has amtact.sim=1 && [ -f /usr/share/amtact/sim-machine.json ]; then
		cp /usr/share/amtact/sim-machine.json /run/sim-machine.json
		DEVICE=sim:/run/sim-machine.json
		echo "Test mode: an emulated Intel AMT machine stands in for the Intel ME."
		return 0
	fi
	echo "Waiting for the Intel ME driver (/dev/mei0, up to $MEI_WAIT s)..."
	i=0
	while [ ! -e /dev/mei0 ] && [ "$i" -lt "$MEI_WAIT" ]; do
		sleep 1
		i=$((i + 1))
	done
	[ -e /dev/mei0 ] && return 0
	echo "No Intel ME device appeared (the driver found no Intel ME on this PC)."
	return 1
}

# The first wired interface: not loopback, not wireless, not virtual.
wired_ifaces() {
	for d in /sys/class/net/*; do
		n=${d##*/}
		[ "$n" = lo ] && continue
		[ -d "$d/wireless" ] || [ -d "$d/phy80211" ] && continue
		[ -e "$d/device" ] || continue
		echo "$n"
	done
}

bring_network_up() {
	echo "Waiting for a wired network with a DHCP address (up to $NET_WAIT s)."
	echo "Make sure the network cable is plugged in."
	end=$(($(date +%s) + NET_WAIT))
	while [ "$(date +%s)" -lt "$end" ]; do
		for n in $(wired_ifaces); do
			ip link set "$n" up 2>/dev/null
			[ "$(cat "/sys/class/net/$n/carrier" 2>/dev/null)" = 1 ] || continue
			echo "  cable found on $n, asking for an address..."
			if udhcpc -i "$n" -n -q -t 4 -T 2 -s /usr/share/amtact/udhcpc.script \
				>/tmp/udhcpc.log 2>&1; then
				IFACE=$n
				STATUS_IP=$(cat /run/amtact-ip 2>/dev/null)
				echo "  $n has the address $STATUS_IP"
				return 0
			fi
		done
		sleep 1
	done
	if [ -z "$(wired_ifaces)" ]; then
		echo "No wired network card was found (a USB network adapter may need another"
		echo "port, or this card is not supported by this medium)."
	else
		echo "No cable with a DHCP server was found on: $(wired_ifaces | tr '\n' ' ')"
	fi
	return 1
}

# --- 2. what was found -----------------------------------------------------------------------
dmi() { cat "/sys/class/dmi/id/$1" 2>/dev/null | tr -d '\n'; }

# The keyboards the kernel knows (a USB keyboard shows only with the USB drivers loaded).
keyboards() {
	sed -n 's/^N: Name="\(.*[Kk]eyboard.*\)"$/\1/p' /proc/bus/input/devices 2>/dev/null |
		sort -u | tr '\n' ';' | sed 's/;$//; s/;/, /g'
}

# The value of one "  key   value" line of `amtact info`.
info_line() { sed -n "s/^  $1  *//p" /tmp/info.txt | head -n 1; }

show_found() {
	line
	echo "This PC"
	echo "  model         $(dmi sys_vendor) $(dmi product_name)"
	echo "  serial        $(dmi product_serial)"
	echo "  SMBIOS UUID   $(dmi product_uuid)"
	echo "  keyboard      $(keyboards)"
	[ -n "$IFACE" ] && echo "  network       $IFACE, MAC $(cat "/sys/class/net/$IFACE/address")," \
		"address $STATUS_IP"
	# shellcheck disable=SC2086
	amtact ${DEVICE:+--device "$DEVICE"} info >/tmp/info.txt 2>/tmp/info.err
	if [ -s /tmp/info.txt ]; then
		echo "  AMT version   $(info_line 'AMT version')"
		echo "  AMT           $(info_line 'operational state')"
		echo "  AMT state     $(info_line state), control mode $(info_line 'control mode')"
		echo "  ME UUID       $(info_line UUID)"
	else
		echo "  AMT           could not be read: $(tail -n 1 /tmp/info.err)"
	fi
	line
}

# --- 3. the system name ----------------------------------------------------------------------
# A DNS label: 1..63 letters, digits and hyphens, not starting or ending with a hyphen.
name_ok() {
	[ -n "$1" ] && [ "${#1}" -le 63 ] || return 1
	case $1 in
	-* | *- | *[!A-Za-z0-9-]*) return 1 ;;
	esac
	return 0
}

ask_name() {
	while :; do
		echo
		echo "Type the system name from your e-mail (letters, digits and '-')"
		printf "and press Enter: "
		read -r NAME || NAME=""
		if name_ok "$NAME"; then
			printf "The system name is \"%s\". Correct? [Y/n] " "$NAME"
			read -r yn || yn=""
			case $yn in n* | N*) continue ;; esac
			return 0
		fi
		echo "\"$NAME\" cannot be a system name: use 1 to 63 letters (a-z), digits and"
		echo "'-', no spaces, not starting or ending with '-'. Please type it again."
	done
}

# --- 4. and 5. the run and its outcome -------------------------------------------------------
# What an exit code of `amtact run` means for the person at the PC.
explain() {
	case $1 in
	network) echo "The PC could not get on the wired network (cable, DHCP)." ;;
	3) echo "This PC has no Intel ME driver or device that amtact can use." ;;
	4) echo "The files on this medium have wrong permissions (the medium is damaged)." ;;
	5) echo "The Intel ME was busy; restart the PC from the medium to try again." ;;
	6) echo "The Intel ME did not answer properly." ;;
	7) echo "Intel AMT is missing on this PC or switched off in the BIOS setup." ;;
	8) echo "The profile on this medium is not usable (IT must rebuild the medium)." ;;
	9) echo "The Intel ME refused a setting the profile asks for." ;;
	15) echo "The provisioning server could not be reached or did not accept the report." ;;
	*) echo "amtact stopped with an unexpected error (exit code $1)." ;;
	esac
}

run_amtact() {
	echo
	echo "Activating Intel AMT for \"$NAME\"... (this takes up to a few minutes)"
	# shellcheck disable=SC2086
	amtact ${DEVICE:+--device "$DEVICE"} run --profile "$PROFILE" --system-name "$NAME" \
		>/tmp/run.out 2>/tmp/run.err </dev/null
	RC=$?
	cat /tmp/run.out
}

say_ready() {
	big READY
	echo "ready: you can remove the stick and restart"
	echo
	echo "Intel AMT on this PC is set up for \"$NAME\". Take out the CD or USB stick and"
	echo "restart the PC (hold the power button, or press Ctrl+Alt+Del)."
}

say_failed() {
	big FAILED
	echo "Something went wrong: the PC is NOT ready yet."
	explain "$1"
	echo
	if [ -s "${2:-/tmp/run.err}" ]; then
		echo "What went wrong, in detail:"
		tail -n 5 "${2:-/tmp/run.err}" | sed 's/^/  /'
	fi
	echo
	echo "Tell IT, by phone or e-mail:"
	echo "  system name   ${NAME:-(not typed yet)}"
	echo "  SMBIOS UUID   $(dmi product_uuid)"
	echo "  serial        $(dmi product_serial)"
	echo "  error code    $1"
}

# Bring everything up; on a failure let the person try again, never a shell.
main() {
	mount_all
	dmesg -n 1 2>/dev/null
	exec </dev/console >/dev/console 2>&1
	clear
	echo "amtact boot medium: Intel AMT activation"
	line
	load_drivers
	while ! wait_mei; do
		say_failed 3 /dev/null
		echo "Press Enter to try again."
		read -r _
		load_drivers
	done
	while ! bring_network_up; do
		say_failed network /tmp/udhcpc.log
		echo "Plug in the network cable and press Enter to try again."
		read -r _
		load_drivers
	done
	load_drivers
	show_found
	ask_name
	while :; do
		run_amtact
		if [ "$RC" = 0 ]; then
			say_ready
			break
		fi
		if [ "$RC" = 2 ]; then
			echo "amtact did not accept that name: $(tail -n 1 /tmp/run.err)"
			ask_name
			continue
		fi
		say_failed "$RC"
		echo "Press Enter to try again (the system name stays \"$NAME\")."
		read -r _
	done
	while :; do
		sleep 3600
	done
}

trap '' INT QUIT TSTP
main
