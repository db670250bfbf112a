/*
 * Unit tests: factoring batches in the ledger (ledger/fbatch.c): numbers
 * per account, taken with the invoices in one transaction, never taken
 * twice once committed; the other financier's invoices get none.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/util.h"
#include "ledger/assign.h"
#include "ledger/fbatch.h"
#include "ledger/ledger.h"

static char dir[] = "/tmp/reskontra-fbatch.XXXXXX";
static char path[256];
static struct ledger *l;
static struct assign *a;
static struct config conf;
static struct conf_factoring accounts[3];

static void
setup(void)
{
	struct diag d;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/ledger.db", dir);
	cr_assert_eq(ledger_open(path, &l, &d), 0, "%s", d.msg);
	cr_assert_eq(assign_open(l, &a, &d), 0, "%s", d.msg);
	memset(&conf, 0, sizeof conf);
	memset(accounts, 0, sizeof accounts);
	accounts[0].name = "nordea";
	accounts[0].financier = FINANCIER_NORDEA;
	accounts[0].contract = "12345678";
	accounts[1].name = "op";
	accounts[1].financier = FINANCIER_OP;
	accounts[1].contract = "0087654321";
	accounts[2].name = "muu";
	accounts[2].financier = FINANCIER_OTHER;
	accounts[2].contract = "555";
	conf.factoring = accounts;
	conf.nfactoring = 3;
	conf.path = "test.conf";
}

static void
teardown(void)
{
	char cmd[300];

	assign_close(a);
	ledger_close(l);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(fbatch, .init = setup, .fini = teardown);

/* A routed factoring invoice of account acct. */
static void
add(const char *acct, const char *no, int64_t cents)
{
	struct assignment x;
	struct fbatch_invoice fi;
	struct diag d;

	memset(&x, 0, sizeof x);
	snprintf(x.invoice_no, sizeof x.invoice_no, "%s", no);
	x.invoice_date = DAY_NONE;
	snprintf(x.service, sizeof x.service, "factoring");
	snprintf(x.action, sizeof x.action, "route");
	snprintf(x.source, sizeof x.source, "t.xml:1");
	cr_assert_eq(assign_add(a, &x, &d), 0, "%s", d.msg);
	memset(&fi, 0, sizeof fi);
	fi.assignment = x.id;
	fi.account = acct;
	fi.unbatched = strcmp(acct, "muu") == 0;
	fi.invoice_no = no;
	fi.customer_code = "1";
	fi.recipient = "Ostaja Oy";
	fi.invoice_date = fi.due_date = DAY_NONE;
	fi.amount = cents;
	fi.reference = "";
	cr_assert_eq(fbatch_add(l, &fi, &d), 0, "%s", d.msg);
}

static int
take(struct fbatch *b)
{
	struct diag d;
	int n = fbatch_take(l, &conf, 20000, 0, b, 3, &d);

	cr_assert_geq(n, 0, "%s", d.msg);
	return n;
}

static void
begin(void)
{
	struct diag d;

	cr_assert_eq(ledger_begin(l, &d), 0, "%s", d.msg);
}

static void
commit(void)
{
	struct diag d;

	cr_assert_eq(ledger_commit(l, &d), 0, "%s", d.msg);
}

Test(fbatch, numbers_per_account_and_never_twice)
{
	struct fbatch b[3];
	struct fbatch_ref ref;
	struct diag d;

	begin();
	add("op", "1", 100);
	add("nordea", "2", 200);
	add("nordea", "3", -50);
	add("muu", "4", 400);
	cr_assert_eq(take(b), 2);
	/* in name order; the other financier's invoice has no batch */
	cr_assert_str_eq(b[0].account, "nordea");
	cr_assert_eq(b[0].batch, 1);
	cr_assert_eq(b[0].count, 2);
	cr_assert_eq(b[0].total, 150);
	cr_assert_str_eq(b[0].contract, "12345678");
	cr_assert_str_eq(b[1].account, "op");
	cr_assert_eq(b[1].batch, 1);
	cr_assert_str_eq(b[1].financier, "op");
	commit();
	/* nothing new: no batch */
	begin();
	cr_assert_eq(take(b), 0);
	commit();
	/* a batch taken and rolled back was never there ... */
	begin();
	add("nordea", "5", 500);
	cr_assert_eq(take(b), 1);
	cr_assert_eq(b[0].batch, 2);
	ledger_rollback(l);
	/* ... so the next one is 2 again; once committed, never again */
	begin();
	add("nordea", "6", 600);
	cr_assert_eq(take(b), 1);
	cr_assert_eq(b[0].batch, 2);
	commit();
	begin();
	add("nordea", "7", 700);
	cr_assert_eq(take(b), 1);
	cr_assert_eq(b[0].batch, 3);
	cr_assert_eq(b[0].count, 1);
	commit();
	cr_assert_eq(fbatch_of_assignment(l, 4, &ref, &d), 1, "%s", d.msg);
	cr_assert_str_eq(ref.account, "muu");
	cr_assert_eq(ref.batch, 0);
	cr_assert_eq(fbatch_of_assignment(l, 999, &ref, &d), 0);
}

Test(fbatch, an_account_gone_from_the_configuration_is_an_error)
{
	struct fbatch b[3];
	struct diag d;

	begin();
	add("danske", "1", 100);
	cr_assert_eq(fbatch_take(l, &conf, 20000, 0, b, 3, &d), -1);
	cr_assert_not_null(strstr(d.msg, "[factoring danske]"), "%s", d.msg);
	ledger_rollback(l);
}

static void
collect(void *arg, const struct fbatch *b, const struct fbatch_row *r)
{
	struct sbuf *s = arg;

	sbuf_addf(s, "%s/%lld/%s ", b->account, (long long)b->batch,
	    r->invoice_no);
}

Test(fbatch, each_newest_batch_first_and_filtered)
{
	struct fbatch b[3];
	struct fbatch_filter f;
	struct sbuf s = SBUF_INIT;
	struct diag d;

	begin();
	add("nordea", "1", 100);
	add("nordea", "2", 100);
	take(b);
	add("op", "3", 100);
	take(b);
	add("nordea", "4", 100);
	take(b);
	commit();
	memset(&f, 0, sizeof f);
	f.from = f.to = DAY_NONE;
	cr_assert_eq(fbatch_each(l, &f, collect, &s, &d), 4, "%s", d.msg);
	cr_assert_str_eq(s.data, "nordea/2/4 op/1/3 nordea/1/1 nordea/1/2 ");
	sbuf_reset(&s);
	f.account = "nordea";
	f.batch = 1;
	cr_assert_eq(fbatch_each(l, &f, collect, &s, &d), 2);
	cr_assert_str_eq(s.data, "nordea/1/1 nordea/1/2 ");
	sbuf_reset(&s);
	f.account = NULL;
	f.batch = 0;
	f.invoice_no = "3";
	cr_assert_eq(fbatch_each(l, &f, collect, &s, &d), 1);
	cr_assert_str_eq(s.data, "op/1/3 ");
	sbuf_free(&s);
}

/* One batch per run: the first input opens the account's batch, later
 * ones join it (their own count and total in b, the whole in the
 * ledger), the hold key stays the same until the batches are closed,
 * and after that the next input opens the next number. */
Test(fbatch, open_batches_are_joined_until_closed)
{
	struct fbatch b[3], *o;
	struct sbuf key = SBUF_INIT, again = SBUF_INIT;
	struct diag d;

	begin();
	cr_assert_eq(fbatch_hold_key(l, &key, &d), 0, "%s", d.msg);
	cr_assert_eq(key.len, 0);
	add("nordea", "1", 100);
	cr_assert_eq(fbatch_take(l, &conf, 20000, 1, b, 3, &d), 1, "%s",
	    d.msg);
	cr_assert_eq(b[0].batch, 1);
	cr_assert_eq(b[0].joined, 0);
	cr_assert_eq(fbatch_hold_key(l, &key, &d), 1, "%s", d.msg);
	commit();
	/* the second input of the run, a day later: joins nordea 1, opens
	 * op 1; the batch keeps the day it was opened */
	begin();
	add("nordea", "2", 250);
	add("nordea", "3", -50);
	add("op", "4", 400);
	cr_assert_eq(fbatch_take(l, &conf, 20001, 1, b, 3, &d), 2, "%s",
	    d.msg);
	cr_assert_str_eq(b[0].account, "nordea");
	cr_assert_eq(b[0].batch, 1);
	cr_assert_eq(b[0].joined, 1);
	cr_assert_eq(b[0].count, 2);
	cr_assert_eq(b[0].total, 200);
	cr_assert_str_eq(b[1].account, "op");
	cr_assert_eq(b[1].joined, 0);
	cr_assert_eq(fbatch_hold_key(l, &again, &d), 1, "%s", d.msg);
	cr_assert_str_eq(again.data, key.data);
	commit();
	cr_assert_eq(fbatch_open_batches(l, &o, &d), 2, "%s", d.msg);
	cr_assert_str_eq(o[0].account, "nordea");
	cr_assert_eq(o[0].batch, 1);
	cr_assert_eq(o[0].count, 3);
	cr_assert_eq(o[0].total, 300);
	cr_assert_eq(o[0].created, 20000);
	cr_assert_str_eq(o[1].account, "op");
	cr_assert_eq(o[1].count, 1);
	free(o);
	begin();
	cr_assert_eq(fbatch_close_open(l, &d), 0, "%s", d.msg);
	commit();
	cr_assert_eq(fbatch_open_batches(l, &o, &d), 0, "%s", d.msg);
	cr_assert_null(o);
	sbuf_reset(&again);
	cr_assert_eq(fbatch_hold_key(l, &again, &d), 0, "%s", d.msg);
	/* the next run: nordea 2, a new hold */
	begin();
	add("nordea", "5", 500);
	cr_assert_eq(fbatch_take(l, &conf, 20002, 1, b, 3, &d), 1, "%s",
	    d.msg);
	cr_assert_eq(b[0].batch, 2);
	cr_assert_eq(b[0].joined, 0);
	cr_assert_eq(fbatch_hold_key(l, &again, &d), 1, "%s", d.msg);
	cr_assert_str_neq(again.data, key.data);
	commit();
	/* a filter's batch (keep_open 0) never joins and is closed at
	 * once: op 2 and nordea 3, and the open nordea 2 is still the only
	 * open one, with its one invoice */
	begin();
	add("op", "6", 600);
	add("nordea", "7", 700);
	cr_assert_eq(fbatch_take(l, &conf, 20002, 0, b, 3, &d), 2, "%s",
	    d.msg);
	cr_assert_eq(b[0].batch, 3);
	cr_assert_eq(b[0].joined, 0);
	cr_assert_eq(b[1].batch, 2);
	commit();
	cr_assert_eq(fbatch_open_batches(l, &o, &d), 1, "%s", d.msg);
	cr_assert_str_eq(o[0].account, "nordea");
	cr_assert_eq(o[0].batch, 2);
	cr_assert_eq(o[0].count, 1);
	free(o);
	sbuf_free(&key);
	sbuf_free(&again);
}
