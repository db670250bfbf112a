/*
 * Unit tests: what a cron run tells its operator (spool/runnotes.c):
 * one line per note, only for inputs that were committed, and the
 * summary's invoices and payments.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "spool/runnotes.h"

/* The run's lines as one string (malloc'ed). */
static char *
lines_of(const struct runnotes *rn)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	cr_assert_not_null(fp);
	runnotes_print(rn, fp);
	fclose(fp);
	return text;
}

static void
suspense_payment(struct runnotes *rn, const char *source)
{
	const char *f[7] = { "unknown", "no-invoice", "65.43", "91277091",
	    "260103OP00000062", "MATTI M", source };

	runnotes_count(rn, "pay", 1, 1, 6543);
	runnotes_count(rn, "alloc-unknown", 1, 1, 6543);
	runnotes_note(rn, "payment", f, 7);
}

Test(runnotes, a_line_per_note_of_committed_inputs)
{
	struct runnotes *rn = runnotes_new();
	const char *inv[4] = { "S-002", "13", "due too soon", "b.xml:2" };
	char *text;

	suspense_payment(rn, "a.ktl:2");
	runnotes_accept(rn);
	/* a rejected input: its notes are dropped */
	suspense_payment(rn, "x.ktl:2");
	runnotes_drop(rn);
	runnotes_note(rn, "invoice", inv, 4);
	runnotes_accept(rn);
	cr_assert_eq(runnotes_nlines(rn), 2);
	text = lines_of(rn);
	cr_assert_str_eq(text, "reskontra: a.ktl:2: payment of 65.43, "
	    "reference 91277091, archive id 260103OP00000062, payer MATTI M: "
	    "booked to suspense (no-invoice)\n"
	    "reskontra: b.xml:2: invoice S-002 rejected, code 13: due too "
	    "soon; see out/rejected/\n");
	free(text);
	runnotes_free(rn);
}

Test(runnotes, summary_counts_invoices_and_payments)
{
	struct runnotes *rn = runnotes_new();
	struct sbuf b = SBUF_INIT;

	runnotes_summary(rn, &b);
	cr_assert_eq(b.len, 0, "nothing read, nothing said: %s", b.data);
	suspense_payment(rn, "a.ktl:2");
	runnotes_count(rn, "pay", 2, 1, 10000);
	runnotes_count(rn, "inv", 3, 1, 30000);
	runnotes_count(rn, "invoices-rejected", 1, 1, 10000);
	runnotes_accept(rn);
	runnotes_summary(rn, &b);
	cr_assert_str_eq(b.data, "; invoices: 3 read, 1 rejected; payments: "
	    "3 (165.43), 1 to suspense (65.43)");
	sbuf_free(&b);
	runnotes_free(rn);
}

/* Messages the reader set aside are in neither "read" nor "rejected":
 * said on their own, even when no invoice of the run was read. */
Test(runnotes, summary_says_messages_set_aside)
{
	struct runnotes *rn = runnotes_new();
	struct sbuf b = SBUF_INIT;

	runnotes_count(rn, "invoices-set-aside", 2, 0, 0);
	runnotes_accept(rn);
	runnotes_summary(rn, &b);
	cr_assert_str_eq(b.data, "; invoices: 0 read, 0 rejected, 2 set aside "
	    "by the reader");
	sbuf_reset(&b);
	runnotes_count(rn, "inv", 3, 1, 30000);
	runnotes_count(rn, "invoices-set-aside", 1, 0, 0);
	runnotes_accept(rn);
	runnotes_summary(rn, &b);
	cr_assert_str_eq(b.data, "; invoices: 3 read, 0 rejected, 3 set aside "
	    "by the reader");
	sbuf_free(&b);
	runnotes_free(rn);
}

Test(runnotes, a_name_is_shown_not_sent_raw)
{
	struct runnotes *rn = runnotes_new();
	char *text;

	suspense_payment(rn, "evil\x1b[2Jname.ktl:2");
	runnotes_accept(rn);
	text = lines_of(rn);
	cr_assert_null(strchr(text, '\x1b'), "%s", text);
	free(text);
	runnotes_free(rn);
}

/* Records the ledger would not take are in no figure of their own
 * kind: the summary line says how many, so it is not read as all well. */
Test(runnotes, summary_says_records_quarantined)
{
	struct runnotes *rn = runnotes_new();
	struct sbuf b = SBUF_INIT;

	runnotes_count(rn, "inv", 1, 1, 10000);
	runnotes_count(rn, "quarantined", 1, 0, 0);
	runnotes_accept(rn);
	runnotes_summary(rn, &b);
	cr_assert_str_eq(b.data, "; invoices: 1 read, 0 rejected; 1 record "
	    "set aside (quarantined)");
	sbuf_reset(&b);
	runnotes_count(rn, "quarantined", 2, 0, 0);
	runnotes_accept(rn);
	runnotes_summary(rn, &b);
	cr_assert_str_eq(b.data, "; invoices: 1 read, 0 rejected; 3 records "
	    "set aside (quarantined)");
	sbuf_free(&b);
	runnotes_free(rn);
}

/* Money out of a statement that went to suspense (a fee, a repayment
 * with nothing to take from) is said apart: neither a payment to
 * suspense nor a correction with nothing to undo. */
Test(runnotes, summary_says_money_out_to_suspense)
{
	struct runnotes *rn = runnotes_new();
	struct sbuf b = SBUF_INIT;

	runnotes_count(rn, "pay", 1, 1, 10000);
	runnotes_count(rn, "alloc-unknown", 3, 1, 10000 - 87069 - 150);
	runnotes_count(rn, "alloc-unknown-out", 2, 1, -87069 - 150);
	runnotes_accept(rn);
	runnotes_summary(rn, &b);
	cr_assert_str_eq(b.data, "; payments: 1 (100.00), 1 to suspense "
	    "(100.00); money out to suspense: 2 (-872.19)");
	sbuf_free(&b);
	runnotes_free(rn);
}

/* A correction read again is a repeat of money out, not one of the
 * payments' repeats: counted with the corrections, or alone. */
Test(runnotes, summary_says_repeats_of_money_out_apart)
{
	struct runnotes *rn = runnotes_new();
	struct sbuf b = SBUF_INIT;

	runnotes_count(rn, "pay", 2, 1, 46000);
	runnotes_count(rn, "alloc-duplicate", 1, 1, 36000);
	runnotes_count(rn, "pay-correction", 1, 1, 10000);
	runnotes_count(rn, "alloc-duplicate-out", 1, 1, -10000);
	runnotes_accept(rn);
	runnotes_summary(rn, &b);
	cr_assert_str_eq(b.data, "; payments: 2 (460.00), 0 to suspense "
	    "(0.00), 1 of them repeats (360.00) not booked again; "
	    "corrections: 1 (100.00), 1 of them repeats (-100.00) not "
	    "booked again");
	runnotes_free(rn);
	rn = runnotes_new();
	sbuf_reset(&b);
	runnotes_count(rn, "alloc-duplicate-out", 2, 1, -300);
	runnotes_accept(rn);
	runnotes_summary(rn, &b);
	cr_assert_str_eq(b.data, "; 2 repeats of money out (-3.00) not "
	    "booked again");
	sbuf_free(&b);
	runnotes_free(rn);
}
