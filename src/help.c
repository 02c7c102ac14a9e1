// SPDX-License-Identifier: MIT
/* `amtact help COMMAND` and `COMMAND --help`: each command's options, defaults, examples. */
#include <string.h>

#include "help.h"

#define WRITE_OPTS \
	"--dry-run            show the HECI command that would be sent (secrets redacted)\n" \
	"                     and the expected change; send nothing\n" \
	"--force              send even when the firmware's rules predict a refusal\n" \
	"--json               one result document on standard output\n"

static const struct help_entry entries[] = {
	{ "info", "amtact info [--json]",
	  "Show everything the ME tells about AMT: versions, SKU, UUID, provisioning state and\n"
	  "mode, zero touch, PKI DNS suffix, network, root certificate hashes. Exit 0 when\n"
	  "every answer was read, 6 when some could not be (the rest is still shown).",
	  "--json               a document with stable keys instead of text\n",
	  "amtact info\n"
	  "amtact --device sim info --json\n" },
	{ "status", "amtact status [--json]",
	  "The provisioning state as an exit code: 0 provisioned, 10 not provisioned,\n"
	  "11 in provisioning, 7 no AMT or AMT disabled; other codes: the state could not be\n"
	  "read. Prints one word, or a small document with --json.",
	  "--json               {schema_version, status, provisioning_state, control_mode,\n"
	  "                     exit_code}\n",
	  "amtact status; echo $?\n" },
	{ "run",
	  "amtact run --profile NAME|FILE [--system-name NAME] [--dry-run] [--json]",
	  "The boot-time job: read the ME, do what the profile asks in the state found, read\n"
	  "the state again and report to the interim server. Never prompts unless the profile\n"
	  "asks the technician for the system name and standard input is a terminal.",
	  "-p, --profile NAME|FILE  the profile (required): a name in /etc/amtact/profiles\n"
	  "                     (or $AMTACT_PROFILE_DIR), or a path (has a slash or ends\n"
	  "                     in .json)\n"
	  "-n, --system-name NAME  the system name to report instead of the profile's\n"
	  "                     (a DNS label, at most 63 bytes)\n"
	  "-d, --dry-run        read and decide; send nothing to the firmware or the server,\n"
	  "                     save no state\n"
	  "-j, --json           one result document on standard output\n",
	  "amtact run --profile rcfg-delayed\n"
	  "amtact run --profile technician --system-name pc-0042\n"
	  "amtact --device sim run --profile ./test.json --dry-run --json\n" },
	{ "profile-check", "amtact profile-check NAME|FILE [--connect] [--json]",
	  "Check a profile the way run will, without touching the ME: every field, the owner\n"
	  "and mode of the file (as root or SYSTEM), and every file it names. Prints the\n"
	  "profile as run will use it, defaults filled in. Exit 0 usable, 8 not, 4 unsafe\n"
	  "owner or mode.",
	  "--connect            then try the profile's server as a run would (TLS, CA, pin,\n"
	  "                     client certificate, token) without sending a report\n"
	  "--json               {schema_version, valid, profile[, connect]}\n",
	  "amtact profile-check rcfg-delayed\n"
	  "amtact profile-check rcfg-delayed --connect\n"
	  "amtact profile-check /tmp/new.json --json\n" },
	{ "set-otp",
	  "amtact set-otp --otp-file FILE|- [--dry-run] [--force] [--json]\n"
	  "amtact set-otp --otp-env VAR [--dry-run] [--force] [--json]\n"
	  "amtact set-otp --generate [--length N] (--show | --otp-out FILE) [--dry-run]\n"
	  "               [--force] [--json]",
	  "Give the firmware the provisioning server's one-time password (8 to 32 printable\n"
	  "characters). Never from the command line, where every user can read it.",
	  "--otp-file FILE      read the OTP from FILE; - reads standard input (on a\n"
	  "                     terminal: asked twice, not shown)\n"
	  "--otp-env VAR        read it from the environment variable VAR (then removed)\n"
	  "--generate           generate one (the system's random generator)\n"
	  "--length N           length of a generated OTP, 8 to 32 (default 16)\n"
	  "--show               print the generated OTP\n"
	  "--otp-out FILE       write the generated OTP to FILE (new, mode 0600) first\n"
	  WRITE_OPTS,
	  "printf '%s' \"$OTP\" | amtact set-otp --otp-file -\n"
	  "amtact set-otp --generate --otp-out /root/otp.txt\n" },
	{ "set-suffix", "amtact set-suffix SUFFIX [--dry-run] [--force] [--json]",
	  "Set the PKI DNS suffix the firmware compares with the provisioning server's\n"
	  "certificate: a DNS name of at most 223 bytes; a trailing dot is dropped.",
	  WRITE_OPTS,
	  "amtact set-suffix corp.example.com\n" },
	{ "start-config", "amtact start-config [--wait[=SECONDS]] [--dry-run] [--force] [--json]",
	  "Restart the remote-configuration hello packets. While the firmware still generates\n"
	  "its key (which may take minutes) this counts as started.",
	  "--wait[=SECONDS]     wait for the key to be ready (default 600, at most 3600)\n"
	  WRITE_OPTS,
	  "amtact start-config --wait\n" },
	{ "stop-config", "amtact stop-config [--dry-run] [--force] [--json]",
	  "Stop a remote configuration in progress.", WRITE_OPTS,
	  "amtact stop-config --dry-run\n" },
	{ "zero-touch", "amtact zero-touch enable|disable [--dry-run] [--force] [--json]",
	  "Switch remote configuration (zero touch) on or off. Since ME 12 the host may only\n"
	  "switch it off.",
	  WRITE_OPTS, "amtact zero-touch disable\n" },
	{ "enable-amt", "amtact enable-amt [--dry-run] [--force] [--json]",
	  "Switch AMT's operational state on where the firmware supports it (ME 16.1+).",
	  WRITE_OPTS, "amtact enable-amt --dry-run\n" },
	{ "unprovision", "amtact unprovision [--dry-run] [--force] [--json]",
	  "Return a client-control-mode box to pre-provisioning.", WRITE_OPTS,
	  "amtact unprovision\n" },
	{ "report",
	  "amtact report --flush [--spool DIR] --server URL [options]\n"
	  "amtact report --flush --profile NAME|FILE\n"
	  "amtact report --submit FILE|- --id ID [--spool DIR] --server URL [options]\n"
	  "amtact report --list [--spool DIR]\n"
	  "amtact report --requeue ID|all [--spool DIR | --profile NAME|FILE]",
	  "Send the reports waiting in the spool (run does this itself), put a ready report in\n"
	  "the spool and send it, or list what waits. A value of 0 means the default.",
	  "--flush              send the waiting reports, oldest first\n"
	  "--profile NAME|FILE  with --flush: the spool and server of a profile, under its\n"
	  "                     run lock (what amtact-flush@NAME.service runs)\n"
	  "--submit FILE|-      spool this report body (JSON, at most 1 MiB) and send\n"
	  "--id ID              the report's id for --submit (1 to 64 of A-Z a-z 0-9 . _ -)\n"
	  "--list               show what waits and what the server refused\n"
	  "--requeue ID|all     move a refused report (or all) back into the queue\n"
	  "--spool DIR          the spool (default $AMTACT_SPOOL, else /var/spool/amtact)\n"
	  "--server URL         the interim server (https:// only)\n"
	  "--ca FILE            PEM certificates the server must chain to (default: system)\n"
	  "--pin SHA256         the server's public key hash (base64, hex or sha256//...)\n"
	  "--cert FILE          client certificate (PEM) for mutual TLS\n"
	  "--key FILE           its key (PEM)\n"
	  "--token-file FILE    a file holding a bearer token\n"
	  "--proxy URL          a proxy (default: https_proxy and no_proxy)\n"
	  "--connect-timeout MS  connection limit (default 10000)\n"
	  "--timeout MS         whole-request limit (default 90000); after report this is\n"
	  "                     the request's, not the firmware's\n"
	  "--attempts N         attempts per report (default 4)\n"
	  "--backoff MS         first delay between attempts (default 500)\n"
	  "--backoff-max MS     largest delay (default 30000)\n"
	  "--retry-after-max MS  longest Retry-After honoured (default 60000)\n"
	  "--max-count N        spool limit in reports (default 1000)\n"
	  "--max-bytes N        spool limit in bytes (default 16 MiB)\n"
	  "--json               the result as JSON\n",
	  "amtact report --list\n"
	  "amtact report --flush --profile corp\n"
	  "amtact report --flush --server https://interim.example.com/report --ca /etc/amtact/ca.pem\n" },
	{ "diagnose", "amtact diagnose [--cert-chain FILE] [--server-fqdn NAME] [--json]",
	  "Explain why this box can or cannot be provisioned: the DNS suffixes side by side and\n"
	  "which one the firmware uses, whether ProvisionServer.<suffix> resolves, and the\n"
	  "provisioning certificate chain against the firmware's rules. See amtact-diagnose(8).",
	  "-c, --cert-chain FILE  the provisioning certificate chain (PEM) to check\n"
	  "-s, --server-fqdn NAME  the provisioning server's certificate name, checked to be\n"
	  "                     under the suffix the firmware uses\n"
	  "-j, --json           the findings as JSON\n",
	  "amtact diagnose\n"
	  "amtact diagnose --cert-chain prov.pem --json\n" },
	{ "usbkey",
	  "amtact usbkey write (--out FILE | --key TARGET) [--spec FILE]\n"
	  "              [--amt VERSION | --file-version V]\n"
	  "              [--psk FILE] --mebx-password FILE [--suffix NAME]\n"
	  "              [--server NAME|ADDRESS]... [--port N] [--hash ALGO:HEX:NAME]...\n"
	  "              [--enable-amt] [--scramble] [--no-consume] [--force] [--log FILE]\n"
	  "              [--json]\n"
	  "amtact usbkey show FILE [--show-secrets] [--json]",
	  "Write a USB provisioning key (setup.bin) that the BIOS (MEBx) applies at power-on,\n"
	  "or decode one. See amtact-usbkey(8).",
	  "--out FILE           where to write (a file; on a mounted key, its setup.bin)\n"
	  "--key TARGET         write setup.bin at the root of a USB key, named by its mount\n"
	  "                     point or its /dev name (mounted)\n"
	  "--spec FILE          read the options from a JSON file (the command line wins)\n"
	  "--amt VERSION        the AMT version of the systems: picks the file version\n"
	  "--file-version V     the file version itself: 1, 2.0, 2.1, 3 or 4\n"
	  "--psk FILE           PID/PPS pairs, one per line (PSK systems)\n"
	  "--mebx-password FILE  the new MEBx password (required; - reads standard input;\n"
	  "                      on a terminal: asked twice, not shown)\n"
	  "--suffix NAME        the PKI DNS suffix\n"
	  "--server NAME|ADDRESS  the provisioning server\n"
	  "--port N             the provisioning server's port\n"
	  "--hash ALGO:HEX:NAME  a certificate hash the firmware trusts\n"
	  "--enable-amt         also select AMT as the manageability feature\n"
	  "--scramble           write the records scrambled\n"
	  "--no-consume         every system applies the first record; none is marked used\n"
	  "--force              overwrite an existing file\n"
	  "--log FILE           append which file got which records (never a PPS)\n"
	  "--show-secrets       show: print the passwords and PPS too\n"
	  "--json               one JSON document on standard output\n",
	  "amtact usbkey write --amt 2.6 --psk pairs.txt --mebx-password mebx.txt \\\n"
	  "    --out /media/AMT-SETUP/setup.bin\n"
	  "amtact usbkey show /media/AMT-SETUP/setup.bin\n" },
	{ "install-task", "amtact install-task --profile NAME [--print] [--json]",
	  "Windows: register the boot-time run of a profile as a scheduled task that runs as\n"
	  "SYSTEM at every start-up once the network is up (task amtact\\NAME), the task that\n"
	  "retries queued reports every 5 minutes (amtact\\NAME flush), and the Event Log\n"
	  "source. On Linux the same jobs are the amtact@NAME.service and\n"
	  "amtact-flush@NAME.timer units.",
	  "-p, --profile NAME   the profile (required), by its name in the profile folder\n"
	  "-P, --print          show the tasks' XML and the equivalent schtasks lines;\n"
	  "                     change nothing\n"
	  "-j, --json           one result document on standard output\n",
	  "amtact install-task --profile corp\n"
	  "amtact install-task --profile corp --print\n" },
	{ "uninstall-task", "amtact uninstall-task --profile NAME [--print] [--json]",
	  "Windows: remove the scheduled tasks that install-task registered for a profile, and\n"
	  "the Event Log source.",
	  "-p, --profile NAME   the profile whose tasks to remove (required)\n"
	  "-P, --print          show the equivalent schtasks lines; change nothing\n"
	  "-j, --json           one result document on standard output\n",
	  "amtact uninstall-task --profile corp\n" },
	{ "help", "amtact help [COMMAND]", "Show the commands, or one command's help.", NULL,
	  "amtact help run\n" },
	{ "version", "amtact version", "Show the version.", NULL, "amtact version\n" },
};

const struct help_entry *help_find(const char *name)
{
	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (strcmp(entries[i].name, name) == 0)
			return &entries[i];
	return NULL;
}

/* Print a block of lines, each indented by two spaces. */
static void indented(FILE *f, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");

		fprintf(f, "  %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

void help_print(FILE *f, const struct help_entry *h)
{
	fputs("usage: ", f);
	for (const char *p = h->usage; *p;) {
		size_t n = strcspn(p, "\n");

		fprintf(f, "%s%.*s\n", p == h->usage ? "" : "       ", (int)n, p);
		p += n + (p[n] == '\n');
	}
	fprintf(f, "\n%s\n", h->what);
	if (h->options) {
		fputs("\nOptions:\n", f);
		indented(f, h->options);
	}
	fputs("\nGlobal options (before or after the command):\n", f);
	indented(f, "--device DEV         /dev/meiN, sim or sim:FILE (default $AMTACT_DEVICE,\n"
		    "                     else /dev/mei0)\n"
		    "--timeout MS         wait per firmware reply (default 5000)\n"
		    "--json               JSON on standard output\n"
		    "-v, --verbose        more messages; twice: every HECI message in hex\n");
	fputs("\nExamples:\n", f);
	indented(f, h->examples);
	fputs("\nSee amtact(8) for the exit codes and the JSON documents.\n", f);
}
