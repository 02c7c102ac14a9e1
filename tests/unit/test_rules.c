// SPDX-License-Identifier: MIT
/* The agent's firmware rules (src/rules.c) on facts the emulator cannot produce. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "amt_status.h"
#include "me.h"
#include "rules.h"

/* A 16.1 box with AMT off: the WD client announces SetAmtOperationalState, change allowed. */
static void amt_off_161(struct me_info *b)
{
	memset(b, 0, sizeof(*b));
	b->amthi_state = -1;
	b->amt_disabled = true;
	b->wd_item.state = ME_ITEM_OK;
	b->wd.new_interface = true;
	b->wd.change_allowed = true;
	b->wd.amt_enabled = false;
	b->prov_state_item.state = ME_ITEM_UNREAD;
}

/*
 * SetAmtOperationalState only while unprovisioned (Intel AMT SDK, MHC_SetAmtOperationalState):
 * a box known to be in or after provisioning is refused with INVALID_AMT_MODE; an
 * unprovisioned one, or one whose state cannot be read (AMT off), is allowed.
 */
static void test_enable_amt_only_unprovisioned(void **state)
{
	static const enum amt_prov_state refused[] = { AMT_PROV_STATE_IN, AMT_PROV_STATE_POST };
	struct rule_result r;
	struct me_info b;

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		amt_off_161(&b);
		b.prov_state_item.state = ME_ITEM_OK;
		b.prov_state = refused[i];
		rules_check(OP_ENABLE_AMT, &b, NULL, &r);
		assert_int_equal(r.verdict, RULE_REFUSE);
		assert_int_equal(r.expected_status, AMT_STATUS_INVALID_AMT_MODE);
		assert_non_null(strstr(r.source, "MHC_SetAmtOperationalState"));
		assert_non_null(strstr(r.rule, "unprovisioned"));
	}
	amt_off_161(&b);
	b.prov_state_item.state = ME_ITEM_OK;
	b.prov_state = AMT_PROV_STATE_PRE;
	rules_check(OP_ENABLE_AMT, &b, NULL, &r);
	assert_int_equal(r.verdict, RULE_ALLOW);
	amt_off_161(&b);
	rules_check(OP_ENABLE_AMT, &b, NULL, &r);
	assert_int_equal(r.verdict, RULE_ALLOW);
	/* the lock still refuses an unprovisioned box */
	amt_off_161(&b);
	b.wd.change_allowed = false;
	rules_check(OP_ENABLE_AMT, &b, NULL, &r);
	assert_int_equal(r.verdict, RULE_REFUSE);
	assert_int_equal(r.expected_status, AMT_STATUS_NOT_PERMITTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enable_amt_only_unprovisioned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
