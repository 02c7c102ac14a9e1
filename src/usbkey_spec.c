// SPDX-License-Identifier: MIT
/* The JSON spec of a USB key (amtact(8), USB KEYS): what `usbkey write --spec` reads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fileio.h"
#include "os.h"
#include "usbkey.h"

#define SPEC_MAX (64 * 1024)

static int only_keys(const cJSON *obj, const char *const *keys, const char *where,
		     struct amt_err *e)
{
	for (const cJSON *it = obj->child; it; it = it->next) {
		size_t i = 0;

		while (keys[i] && strcmp(keys[i], it->string))
			i++;
		if (!keys[i])
			return err_set(e, -EINVAL, "%s\"%s\": unknown key", where, it->string);
	}
	return 0;
}

static int get_string(const cJSON *obj, const char *key, char *out, size_t cap,
		      const char *where, struct amt_err *e)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!it)
		return 0;
	if (!cJSON_IsString(it) || !it->valuestring[0] || strlen(it->valuestring) >= cap)
		return err_set(e, -EINVAL, "%s\"%s\": expected a string of 1 to %zu characters",
			       where, key, cap - 1);
	memcpy(out, it->valuestring, strlen(it->valuestring) + 1);
	return 1;
}

static int get_bool(const cJSON *obj, const char *key, bool *out, struct amt_err *e)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!it)
		return 0;
	if (!cJSON_IsBool(it))
		return err_set(e, -EINVAL, "\"%s\": expected true or false", key);
	*out = cJSON_IsTrue(it);
	return 0;
}

static int load_hashes(const cJSON *arr, struct usbkey_spec *s, struct amt_err *e)
{
	static const char *const keys[] = { "algorithm", "hash", "name", NULL };
	char algo[8], hex[100], name[SETUPBIN_CERT_NAME_MAX + 1], arg[160];
	const cJSON *it;
	int ret;

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > (int)USBKEY_HASHES_MAX)
		return err_set(e, -EINVAL, "\"pki\".\"hashes\": expected a list of at most %u "
			       "hashes", USBKEY_HASHES_MAX);
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsObject(it) || only_keys(it, keys, "\"pki\".\"hashes\": ", e) < 0)
			return err_set(e, -EINVAL, "\"pki\".\"hashes\" %zu: expected an object with "
				       "\"algorithm\", \"hash\" and \"name\"", s->hash_count + 1);
		if (get_string(it, "algorithm", algo, sizeof(algo), "hash: ", e) != 1 ||
		    get_string(it, "hash", hex, sizeof(hex), "hash: ", e) != 1 ||
		    get_string(it, "name", name, sizeof(name), "hash: ", e) != 1)
			return err_set(e, -EINVAL, "\"pki\".\"hashes\" %zu: \"algorithm\", \"hash\" "
				       "and \"name\" are strings (name: 1 to 32 characters)",
				       s->hash_count + 1);
		snprintf(arg, sizeof(arg), "%s:%s:%s", algo, hex, name);
		ret = usbkey_hash_parse(arg, &s->hashes[s->hash_count], e);
		if (ret < 0)
			return ret;
		s->hash_count++;
	}
	return 0;
}

static int load_pki(const cJSON *pki, struct usbkey_spec *s, struct amt_err *e)
{
	static const char *const keys[] = { "suffix", "server", "address", "port", "hashes",
					    NULL };
	const cJSON *it;
	char addr[16];
	int ret;

	if (!cJSON_IsObject(pki))
		return err_set(e, -EINVAL, "\"pki\": expected an object");
	ret = only_keys(pki, keys, "\"pki\": ", e);
	if (ret == 0 && get_string(pki, "suffix", s->suffix, sizeof(s->suffix), "\"pki\": ", e) < 0)
		ret = -EINVAL;
	if (ret == 0 && get_string(pki, "server", s->server_fqdn, sizeof(s->server_fqdn),
				   "\"pki\": ", e) < 0)
		ret = -EINVAL;
	if (ret == 0) {
		ret = get_string(pki, "address", addr, sizeof(addr), "\"pki\": ", e);
		if (ret == 1 && usbkey_ipv4_parse(addr, s->address) < 0)
			return err_set(e, -EINVAL, "\"pki\": \"address\": \"%s\" is not an IPv4 "
				       "address", addr);
		s->have_address = ret == 1;
		ret = ret < 0 ? ret : 0;
	}
	it = cJSON_GetObjectItemCaseSensitive(pki, "port");
	if (ret == 0 && it) {
		if (!cJSON_IsNumber(it) || it->valuedouble < 1 || it->valuedouble > 65535 ||
		    it->valuedouble != (double)it->valueint)
			return err_set(e, -EINVAL, "\"pki\": \"port\": expected 1 to 65535");
		s->port = (uint16_t)it->valueint;
	}
	it = cJSON_GetObjectItemCaseSensitive(pki, "hashes");
	if (ret == 0 && it)
		ret = load_hashes(it, s, e);
	s->pki = true;
	return ret;
}

static int load_doc(const cJSON *doc, struct usbkey_spec *s, struct amt_err *e)
{
	static const char *const keys[] = { "amt", "file_version", "consume", "scramble",
					    "enable_amt", "psk_file", "mebx_password_file", "pki",
					    NULL };
	char amt[16], ver[8];
	bool consume = true;
	int ret;

	if (!cJSON_IsObject(doc))
		return err_set(e, -EINVAL, "expected a JSON object");
	ret = only_keys(doc, keys, "", e);
	if (ret < 0)
		return ret;
	if (get_string(doc, "amt", amt, sizeof(amt), "", e) == 1) {
		char *end;
		unsigned long major = strtoul(amt, &end, 10);

		if (end == amt || (*end && *end != '.') || major < 2 || major > 99)
			return err_set(e, -EINVAL, "\"amt\": \"%s\" is not an AMT version (2.0 to "
				       "99)", amt);
		s->amt_major = (unsigned)major;
	}
	if (get_string(doc, "file_version", ver, sizeof(ver), "", e) == 1 &&
	    usbkey_version_parse(ver, &s->type, &s->minor) < 0)
		return err_set(e, -EINVAL, "\"file_version\": \"%s\" (1, 2.0, 2.1, 3 or 4)", ver);
	if (get_string(doc, "psk_file", s->psk_file, sizeof(s->psk_file), "", e) < 0 ||
	    get_string(doc, "mebx_password_file", s->password_file, sizeof(s->password_file),
		       "", e) < 0 ||
	    get_bool(doc, "consume", &consume, e) < 0 || get_bool(doc, "scramble", &s->scramble, e) < 0 ||
	    get_bool(doc, "enable_amt", &s->enable_amt, e) < 0)
		return -EINVAL;
	s->no_consume = !consume;
	if (cJSON_GetObjectItemCaseSensitive(doc, "pki"))
		return load_pki(cJSON_GetObjectItemCaseSensitive(doc, "pki"), s, e);
	return 0;
}

int usbkey_spec_load(const char *path, struct usbkey_spec *s, struct amt_err *e)
{
	char *text = malloc(SPEC_MAX + 1);
	cJSON *doc = NULL;
	size_t len = 0;
	int fd = -1, ret;

	if (!text)
		return err_set(e, -ENOMEM, "out of memory");
	fd = os_open(path, OS_RDONLY | OS_FOLLOW);
	if (fd < 0) {
		ret = err_set(e, fd, "%s: %s", path, strerror(-fd));
		goto out;
	}
	ret = fileio_read_all(fd, text, SPEC_MAX + 1, &len);
	if (ret == 0 && len > SPEC_MAX)
		ret = -EFBIG;
	if (ret < 0) {
		err_set(e, ret, "%s: cannot read it (%s)", path, strerror(-ret));
		goto out;
	}
	text[len] = 0;
	doc = cJSON_ParseWithLength(text, len);
	if (!doc) {
		ret = err_set(e, -EINVAL, "%s: not JSON (near byte %ld)", path,
			      (long)(cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() - text : 0));
		goto out;
	}
	ret = load_doc(doc, s, e);
	if (ret < 0)
		err_prefix(e, "%s", path);
out:
	cJSON_Delete(doc);
	if (fd >= 0)
		os_close(fd);
	free(text);
	return ret;
}
