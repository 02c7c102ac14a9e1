// SPDX-License-Identifier: MIT
/* Reading, checking and atomically writing emulator state files; "set FIELD VALUE". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fw_int.h"

#define STATE_MAX_BYTES (1u << 20)

static const char *const objects[] = { "fqdn", "lan_wired", "lan_wireless", "remote_access",
				       "hello", "otp", "provisioning_server", "rules", "fw_status",
				       "faults", NULL };

static bool is_object_name(const char *k)
{
	size_t i;

	for (i = 0; objects[i]; i++)
		if (strcmp(objects[i], k) == 0)
			return true;
	return false;
}

static int bad(char *err, size_t errlen, const char *file, const char *field, const char *why)
{
	snprintf(err, errlen, "%s: field \"%s\": %s", file, field, why);
	return -EINVAL;
}

static int parse_hash(struct fw_hash *h, const cJSON *o, const char **why)
{
	const cJSON *handle = cJSON_GetObjectItemCaseSensitive(o, "handle");
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "name");
	const cJSON *alg = cJSON_GetObjectItemCaseSensitive(o, "algorithm");
	const cJSON *hex = cJSON_GetObjectItemCaseSensitive(o, "hash");
	const cJSON *def = cJSON_GetObjectItemCaseSensitive(o, "default");
	const cJSON *act = cJSON_GetObjectItemCaseSensitive(o, "active");
	size_t len;

	memset(h, 0, sizeof(*h));
	*why = "expected {handle, name, algorithm, hash, default, active}";
	if (!cJSON_IsNumber(handle) || !cJSON_IsString(name) || !cJSON_IsNumber(alg) ||
	    !cJSON_IsString(hex) || !cJSON_IsBool(def) || !cJSON_IsBool(act))
		return -1;
	*why = "handle out of range";
	if (handle->valuedouble < 0 || handle->valuedouble > 63)
		return -1;
	*why = "algorithm must be 0 (MD5), 1 (SHA-1) or 2 (SHA-256)";
	if (alg->valuedouble < 0 || alg->valuedouble > 2)
		return -1;
	h->algorithm = (uint8_t)alg->valueint;
	*why = "hash must be hex of the algorithm's length";
	if (fw_hex_decode(hex->valuestring, h->hash, sizeof(h->hash), &len) ||
	    len != fw_hash_len(h->algorithm))
		return -1;
	*why = "name longer than 32 bytes";
	if (strlen(name->valuestring) >= FW_NAME_MAX)
		return -1;
	memcpy(h->name, name->valuestring, strlen(name->valuestring));
	h->handle = (uint32_t)handle->valueint;
	h->is_default = cJSON_IsTrue(def);
	h->active = cJSON_IsTrue(act);
	return 0;
}

static int parse_hashes(struct fw *fw, const cJSON *arr, const char *file, char *err,
			size_t errlen)
{
	const size_t max = sizeof(fw->hashes) / sizeof(fw->hashes[0]);
	const cJSON *o;
	const char *why = "expected an array";
	char field[48];
	size_t i, j;

	if (!cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) > max)
		return bad(err, errlen, file, "cert_hashes",
			   cJSON_IsArray(arr) ? "more than 40 entries" : why);
	fw->hash_count = 0;
	cJSON_ArrayForEach(o, arr) {
		i = fw->hash_count;
		snprintf(field, sizeof(field), "cert_hashes[%zu]", i);
		if (parse_hash(&fw->hashes[i], o, &why))
			return bad(err, errlen, file, field, why);
		for (j = 0; j < i; j++)
			if (fw->hashes[j].handle == fw->hashes[i].handle)
				return bad(err, errlen, file, field, "duplicate handle");
		fw->hash_count++;
	}
	return 0;
}

static int walk(struct fw *fw, const cJSON *obj, const char *prefix, const char *file,
		char *err, size_t errlen)
{
	const cJSON *c;
	const char *why;
	char path[96];
	int ret;

	cJSON_ArrayForEach(c, obj) {
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", c->string);
		if (!*prefix && (strcmp(c->string, "generation") == 0 ||
				 strcmp(c->string, "cert_hashes") == 0))
			continue;
		if (!*prefix && is_object_name(c->string)) {
			if (!cJSON_IsObject(c))
				return bad(err, errlen, file, path, "expected an object");
			ret = walk(fw, c, c->string, file, err, errlen);
			if (ret)
				return ret;
			continue;
		}
		if (fw_state_apply(fw, path, c, &why))
			return bad(err, errlen, file, path, why);
	}
	return 0;
}

static const char *gen_of(const cJSON *root, const char **why)
{
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(root, "generation");

	*why = "expected a string";
	if (!g)
		return "16.1"; /* the built-in default machine's generation */
	return cJSON_IsString(g) ? g->valuestring : NULL;
}

int fw_state_from_json(struct fw *fw, const char *text, const char *file, char *err,
		       size_t errlen)
{
	const char *end = NULL, *gname, *why;
	const struct fw_gen *g;
	cJSON *root;
	char known[128];
	int ret = -EINVAL;

	root = cJSON_ParseWithOpts(text, &end, 1);
	if (!root) {
		snprintf(err, errlen, "%s: corrupt or truncated JSON near byte %zu", file,
			 end ? (size_t)(end - text) : (size_t)0);
		return -EINVAL;
	}
	if (!cJSON_IsObject(root)) {
		snprintf(err, errlen, "%s: expected a JSON object", file);
		goto out;
	}
	gname = gen_of(root, &why);
	if (!gname) {
		ret = bad(err, errlen, file, "generation", why);
		goto out;
	}
	g = fw_gen_find(gname);
	if (!g) {
		fw_gen_known_list(known, sizeof(known));
		snprintf(err, errlen, "%s: field \"generation\": unknown generation \"%s\" "
			 "(known: %s)", file, gname, known);
		goto out;
	}
	fw_defaults(fw, g);
	ret = walk(fw, root, "", file, err, errlen);
	if (ret == 0 && cJSON_GetObjectItemCaseSensitive(root, "cert_hashes"))
		ret = parse_hashes(fw, cJSON_GetObjectItemCaseSensitive(root, "cert_hashes"),
				   file, err, errlen);
	if (ret == 0 && !cJSON_GetObjectItemCaseSensitive(root, "cert_ready_at"))
		fw_key_first_power_on(fw);
out:
	cJSON_Delete(root);
	return ret;
}


int fw_load(struct fw **out, const char *path, char *err, size_t errlen)
{
	struct fw *fw = NULL;
	char *text = NULL;
	int ret;

	*out = NULL;
	if (!path)
		return fw_new(out, "16.1", err, errlen);
	ret = fw_file_read(path, STATE_MAX_BYTES, &text, err, errlen);
	if (ret)
		goto out;
	ret = -ENOMEM;
	fw = calloc(1, sizeof(*fw));
	if (!fw)
		goto out;
	ret = fw_state_from_json(fw, text, path, err, errlen);
	if (ret)
		goto out;
	fw->path = strdup(path);
	ret = fw->path ? 0 : -ENOMEM;
	if (ret == 0) {
		*out = fw;
		fw = NULL;
	}
out:
	free(text);
	fw_free(fw);
	return ret;
}

int fw_save(struct fw *fw, char *err, size_t errlen)
{
	char *text;
	int ret;

	if (!fw->path)
		return 0;
	text = fw_state_json(fw);
	ret = text ? fw_file_replace(fw->path, text, err, errlen) : -ENOMEM;
	if (ret == 0)
		fw->dirty = 0;
	free(text);
	return ret;
}

static int replace(cJSON *root, const char *path, cJSON *v)
{
	char obj[32];
	const char *dot = strchr(path, '.');
	cJSON *parent = root;

	if (dot) {
		snprintf(obj, sizeof(obj), "%.*s", (int)(dot - path), path);
		parent = cJSON_GetObjectItemCaseSensitive(root, obj);
		path = dot + 1;
	}
	if (!parent || !cJSON_GetObjectItemCaseSensitive(parent, path))
		return -1;
	return cJSON_ReplaceItemInObjectCaseSensitive(parent, path, v) ? 0 : -1;
}

static int set_value(struct fw *fw, const char *path, cJSON *v, char *err, size_t errlen)
{
	cJSON *root = fw_state_to_cjson(fw, true);
	struct fw *tmp = calloc(1, sizeof(*tmp));
	char *text = NULL;
	int ret = -ENOMEM;

	if (!root || !v || !tmp)
		goto out;
	if (strcmp(path, "generation") == 0) { /* the new generation's own defaults */
		cJSON_DeleteItemFromObjectCaseSensitive(root, "cert_hashes");
		cJSON_DeleteItemFromObjectCaseSensitive(root, "mkhi_version_blocks");
		cJSON_DeleteItemFromObjectCaseSensitive(root, "fw_status");
		cJSON_DeleteItemFromObjectCaseSensitive(root, "key_generation_s");
	}
	ret = -EINVAL;
	if (replace(root, path, v)) {
		snprintf(err, errlen, "field \"%s\": unknown field", path);
		goto out;
	}
	v = NULL;
	text = cJSON_PrintUnformatted(root);
	ret = text ? fw_state_from_json(tmp, text, "set", err, errlen) : -ENOMEM;
	if (ret)
		goto out;
	tmp->path = fw->path;
	tmp->epoch = fw->epoch;
	tmp->reset_until_ms = fw->reset_until_ms;
	tmp->last_latency_ms = fw->last_latency_ms;
	*fw = *tmp;
	fw->dirty = 1;
	memset(tmp, 0, sizeof(*tmp));
out:
	cJSON_Delete(v);
	cJSON_Delete(root);
	free(text);
	free(tmp);
	return ret;
}

/*
 * Apply "set PATH VALUE" by editing the state JSON and re-reading it with every check.
 * VALUE is JSON (2, true, [..]) or, if that does not fit the field, a plain string
 * ("16.1", 192.168.1.42).
 */
int fw_state_set(struct fw *fw, const char *path, const char *value, char *err,
		 size_t errlen)
{
	cJSON *v = cJSON_ParseWithOpts(value, NULL, 1);
	int ret;

	if (v && cJSON_IsString(v))
		return set_value(fw, path, v, err, errlen);
	if (v) {
		ret = set_value(fw, path, v, err, errlen);
		if (ret != -EINVAL || strstr(err, "unknown field"))
			return ret;
	}
	return set_value(fw, path, cJSON_CreateString(value), err, errlen);
}
