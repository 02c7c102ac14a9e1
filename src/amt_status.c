// SPDX-License-Identifier: MIT
/* The one table of AMT status codes (doc/firmware.md section 5): names, meanings, hints. */
#include <stddef.h>

#include "amt_status.h"

/* Sorted by code; names drop the AMT_STATUS_ / PT_STATUS_ prefixes. */
static const struct amt_status_info table[] = {
	{ 0x000, "SUCCESS", "the command succeeded", "" },
	{ 0x001, "INTERNAL_ERROR", "the firmware hit an internal error",
	  "retry once; if it persists, reset the ME (power-cycle the machine)" },
	{ 0x002, "NOT_READY", "the firmware has not finished initialising",
	  "wait a few seconds and retry; right after boot the ME may need up to a minute" },
	{ 0x003, "INVALID_AMT_MODE", "not permitted in the current provisioning state",
	  "check the provisioning state and control mode first (ACM cannot be unprovisioned "
	  "from the host; STOP_CONFIGURATION needs state IN)" },
	{ 0x004, "INVALID_MESSAGE_LENGTH", "the firmware refused the request length",
	  "the firmware does not support this request form; report it as an amtact bug" },
	{ 0x005, "TABLE_FINGERPRINT_NOT_AVAILABLE", "table fingerprint not available", "" },
	{ 0x006, "INTEGRITY_CHECK_FAILED", "an integrity check failed", "" },
	{ 0x007, "UNSUPPORTED_ISVS_VERSION", "unsupported ISV storage version", "" },
	{ 0x008, "APPLICATION_NOT_REGISTERED", "the application is not registered", "" },
	{ 0x009, "INVALID_REGISTRATION_DATA", "invalid registration data", "" },
	{ 0x00A, "APPLICATION_DOES_NOT_EXIST", "the application does not exist", "" },
	{ 0x00B, "NOT_ENOUGH_STORAGE", "not enough firmware storage", "" },
	{ 0x00C, "INVALID_NAME", "invalid name", "" },
	{ 0x00D, "BLOCK_DOES_NOT_EXIST", "the storage block does not exist", "" },
	{ 0x00E, "INVALID_BYTE_OFFSET", "invalid byte offset", "" },
	{ 0x00F, "INVALID_BYTE_COUNT", "invalid byte count", "" },
	{ 0x010, "NOT_PERMITTED", "the operation is not permitted",
	  "the firmware policy or state forbids it; check the provisioning state" },
	{ 0x011, "NOT_OWNER", "the caller does not own the object", "" },
	{ 0x012, "BLOCK_LOCKED_BY_OTHER", "the block is locked by another owner", "" },
	{ 0x013, "BLOCK_NOT_LOCKED", "the block is not locked", "" },
	{ 0x014, "INVALID_GROUP_PERMISSIONS", "invalid group permissions", "" },
	{ 0x015, "GROUP_DOES_NOT_EXIST", "the group does not exist", "" },
	{ 0x016, "INVALID_MEMBER_COUNT", "invalid member count", "" },
	{ 0x017, "MAX_LIMIT_REACHED", "a firmware limit was reached",
	  "too many entries already exist; remove one first" },
	{ 0x018, "INVALID_AUTH_TYPE", "invalid authentication type", "" },
	{ 0x019, "AUTHENTICATION_FAILED", "authentication failed", "" },
	{ 0x01A, "INVALID_DHCP_MODE", "invalid DHCP mode", "" },
	{ 0x01B, "INVALID_IP_ADDRESS", "invalid IP address", "" },
	{ 0x01C, "INVALID_DOMAIN_NAME", "the firmware refused the domain name",
	  "use a plain DNS name: letters, digits, '-' and '.'" },
	{ 0x01D, "UNSUPPORTED_VERSION", "unsupported version", "" },
	{ 0x01E, "REQUEST_UNEXPECTED", "the request was not expected now",
	  "the firmware is in the middle of something else; wait and retry" },
	{ 0x01F, "INVALID_TABLE_TYPE", "invalid table type", "" },
	{ 0x020, "INVALID_PROVISIONING_STATE", "not possible in the current provisioning state",
	  "read the provisioning state; unprovision first if the device is already provisioned" },
	{ 0x021, "UNSUPPORTED_OBJECT", "unsupported object", "" },
	{ 0x022, "INVALID_TIME", "invalid time", "" },
	{ 0x023, "INVALID_INDEX", "the index or handle is out of range",
	  "re-enumerate (e.g. hash handles) and use a current index" },
	{ 0x024, "INVALID_PARAMETER", "the firmware refused a parameter",
	  "check the value sent (e.g. OTP length 8..32, DNS suffix syntax)" },
	{ 0x025, "INVALID_NETMASK", "invalid netmask", "" },
	{ 0x026, "FLASH_WRITE_LIMIT_EXCEEDED", "the flash write limit was exceeded",
	  "the firmware throttles flash writes; wait before changing settings again" },
	{ 0x027, "INVALID_IMAGE_LENGTH", "invalid image length", "" },
	{ 0x028, "INVALID_IMAGE_SIGNATURE", "invalid image signature", "" },
	{ 0x029, "PROPOSE_ANOTHER_VERSION", "the firmware proposes another version", "" },
	{ 0x02A, "INVALID_PID_FORMAT", "invalid PID format", "" },
	{ 0x02B, "INVALID_PPS_FORMAT", "invalid PPS format", "" },
	{ 0x02C, "BIST_COMMAND_BLOCKED", "built-in self-test command blocked", "" },
	{ 0x02D, "CONNECTION_FAILED", "connection failed", "" },
	{ 0x02E, "CONNECTION_TOO_MANY", "too many connections", "" },
	{ 0x02F, "RNG_GENERATION_IN_PROGRESS", "random seed generation is in progress",
	  "wait a few seconds and retry" },
	{ 0x030, "RNG_NOT_READY", "the random number generator is not seeded yet",
	  "wait a few seconds and retry" },
	{ 0x031, "CERTIFICATE_NOT_READY",
	  "the firmware is still generating its key; counts as started; may take minutes",
	  "configuration has started: read the provisioning state again later" },
	{ 0x200, "REMOTE_ACCESS_NOT_GRANTED", "remote access not granted", "" },
	{ 0x201, "REMOTE_ACCESS_HOST_VPN_IS_DISABLED", "remote access over host VPN is disabled",
	  "" },
	{ 0x202, "REMOTE_ACCESS_GRANTED_WITHOUT_DDNS", "remote access granted without DDNS", "" },
	{ 0x203, "REMOTE_ACCESS_GRANTED_WITH_DDNS", "remote access granted with DDNS", "" },
	{ 0x400, "DISABLED_BY_POLICY", "disabled by firmware policy",
	  "the feature is turned off in MEBx or by the OEM; enable it there" },
	{ 0x800, "NETWORK_IF_ERROR_BASE", "network interface error", "" },
	{ 0x801, "UNSUPPORTED_OEM_NUMBER", "unsupported OEM number", "" },
	{ 0x802, "UNSUPPORTED_BOOT_OPTION", "unsupported boot option", "" },
	{ 0x803, "INVALID_COMMAND", "the firmware does not know this command",
	  "this firmware version lacks the command; nothing to retry" },
	{ 0x804, "INVALID_SPECIAL_COMMAND", "invalid special command", "" },
	{ 0x805, "INVALID_HANDLE", "the handle is not valid",
	  "re-enumerate the handles and retry" },
	{ 0x806, "INVALID_PASSWORD", "invalid password", "" },
	{ 0x807, "INVALID_REALM", "invalid realm", "" },
	{ 0x808, "STORAGE_ACL_ENTRY_IN_USE", "storage ACL entry in use", "" },
	{ 0x809, "DATA_MISSING", "required data is missing",
	  "set the prerequisite first (e.g. the DNS suffix or OTP)" },
	{ 0x80A, "DUPLICATE", "the entry already exists", "" },
	{ 0x80B, "EVENTLOG_FROZEN", "the event log is frozen", "" },
	{ 0x80C, "PKI_MISSING_KEYS", "PKI keys are missing", "" },
	{ 0x80D, "PKI_GENERATING_KEYS", "the firmware is generating PKI keys",
	  "wait a minute and retry" },
	{ 0x80E, "INVALID_KEY", "invalid key", "" },
	{ 0x80F, "INVALID_CERT", "invalid certificate", "" },
	{ 0x810, "CERT_KEY_NOT_MATCH", "the certificate does not match the key", "" },
	{ 0x811, "MAX_KERB_DOMAIN_REACHED", "maximum Kerberos domains reached", "" },
	{ 0x812, "UNSUPPORTED", "not supported by this firmware",
	  "this firmware version or SKU lacks the feature" },
	{ 0x813, "INVALID_PRIORITY", "invalid priority", "" },
	{ 0x814, "NOT_FOUND", "not found", "" },
	{ 0x815, "INVALID_CREDENTIALS", "invalid credentials", "" },
	{ 0x816, "INVALID_PASSPHRASE", "invalid passphrase", "" },
	{ 0x818, "NO_ASSOCIATION", "no association", "" },
	{ 0x81B, "AUDIT_FAIL", "audit failure", "" },
	{ 0x81C, "BLOCKING_COMPONENT", "an ME component is not ready for unprovisioning",
	  "wait and retry; if it persists, power-cycle the machine and try again" },
	/* Not in doc/firmware.md 5; Intel's LMS status definitions name it (2501). */
	{ 0x9C5, "INTERFACE_DOES_NOT_EXIST", "this machine has no such network interface",
	  "" },
	{ 0, NULL, NULL, NULL },
};

static const struct amt_status_info unknown = {
	0, "UNKNOWN", "a status code amtact does not know", "",
};

const struct amt_status_info *amt_status_lookup(uint32_t code)
{
	size_t lo = 0, hi = sizeof(table) / sizeof(table[0]) - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (table[mid].code == code)
			return &table[mid];
		if (table[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &unknown;
}

const char *amt_status_name(uint32_t code)
{
	return amt_status_lookup(code)->name;
}

const struct amt_status_info *amt_status_table(void)
{
	return table;
}
