/*
 * reskontra explain: why a payment went where it went, and the open
 * invoices it may have meant (man reskontra-explain).  The facts come
 * from ledger/suspense.h; this file words them for an operator.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/exitcode.h"
#include "base/money.h"
#include "cmd/cmd.h"
#include "ledger/ledger.h"
#include "ledger/suspense.h"

#define EXPLAIN_CANDIDATES 5

static const char usage[] =
    "usage: reskontra explain -l LEDGER ID\n"
    "\n"
    "Say why the payment ID (its archive id, or #N its ledger number)\n"
    "went where it went, where its money is now, and which open invoices\n"
    "it may have meant (same amount, a reference one digit away, the same\n"
    "payer), best first, with the command that would place it.\n"
    "\n"
    "  -l, --ledger FILE   the ledger database\n"
    "\n"
    "Exit status: 0 ok, 1 no such payment, 2 usage, 3 ledger error.\n";

/* What the reason of an unknown allocation means. */
static const char *
reason_text(const char *reason)
{
	static const struct {
		const char *reason, *text;
	} texts[] = {
		{ "no-reference", "it carried no reference" },
		{ "bad-reference", "its reference has a wrong check digit" },
		{ "no-invoice", "no invoice in the ledger carried its "
		    "reference (it is matched when that invoice arrives)" },
		{ "ambiguous", "several invoices carry its reference; "
		    "which one is never guessed" },
		{ "currency", "it is not in euros" },
		{ "nothing-to-reverse", "a bank's correction with no "
		    "payment to undo" },
		{ "unallocated", "moved back by reskontra unallocate" },
	};
	size_t i;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (strcmp(reason, texts[i].reason) == 0)
			return texts[i].text;
	return reason;
}

/* One line of the payment's history. */
static int
history_line(void *arg, const struct ledger_alloc *a)
{
	char date[DATE_BUFSZ], amount[MONEY_BUFSZ], open[MONEY_BUFSZ];
	const char *o = a->outcome;

	date_format(a->posting_date != DAY_NONE ? a->posting_date :
	    a->booking_date, date);
	money_format(a->amount, amount);
	money_format(a->open_after, open);
	printf("  %s  %-9s %10s  ", date, o, amount);
	if (strcmp(o, "unknown") == 0)
		printf("to suspense: %s\n", reason_text(a->reason));
	else if (strcmp(o, "reversed") == 0 &&
	    strcmp(a->reverses, "unknown") == 0)
		printf("out of suspense\n");
	else if (strcmp(o, "reversed") == 0)
		printf("undoes %s%s%s\n", a->reverses,
		    *a->invoice_no ? " on invoice " : "", a->invoice_no);
	else if (strcmp(o, "over") == 0)
		printf("overpayment of invoice %s\n", a->invoice_no);
	else if (*a->invoice_no)
		printf("to invoice %s, %s left open\n", a->invoice_no, open);
	else
		printf("%s\n", *a->reason ? a->reason : "");
	(void)arg;
	return 0;
}

static void
print_payment(const struct suspense_payment *p)
{
	char amount[MONEY_BUFSZ], booked[DATE_BUFSZ], paid[DATE_BUFSZ];

	printf("payment %s (#%lld): %s%s on %s, booked %s, paid %s\n",
	    *p->archive_id ? p->archive_id : "without archive id",
	    (long long)p->id, p->correction ? "a correction of " : "",
	    money_format(p->amount, amount), p->account_iban,
	    date_format(p->booking_date, booked),
	    date_format(p->payment_date, paid));
	printf("payer: %s\nreference: %s\nsource: %s\n", p->payer_name,
	    *p->reference ? p->reference : "(none)", p->source);
}

/* The ranked candidates for what is in suspense, each with the service
 * it was routed to, and the command that would place the money on the
 * best one allocate takes: not one routed to a service (a bypass
 * payment, which the service must be told of), save a factoring
 * invoice, which takes the financier's money from its own account. */
static int
print_candidates(struct ledger *l, const struct suspense_payment *p,
    struct diag *d)
{
	struct suspense_candidate c[EXPLAIN_CANDIDATES];
	char amount[MONEY_BUFSZ], open[MONEY_BUFSZ], due[DATE_BUFSZ];
	char why[96], svc[EXPLAIN_CANDIDATES][64], id[SUSPENSE_TEXT + 32];
	int n, i, r, best = -1, factored = -1;

	n = suspense_candidates(l, p, p->in_suspense, c, EXPLAIN_CANDIDATES,
	    d);
	if (n < 0)
		return -1;
	if (n == 0) {
		printf("candidates: none (no open invoice of %s, with a "
		    "reference one digit away or of the same payer)\n",
		    money_format(p->in_suspense, amount));
		return 0;
	}
	printf("candidates for %s:\n", money_format(p->in_suspense, amount));
	for (i = 0; i < n; i++) {
		if ((r = suspense_routed_to(l, &c[i].inv, svc[i],
		    sizeof svc[i], d)) < 0)
			return -1;
		if (r == 0)
			svc[i][0] = '\0';
		if (best < 0 && r == 0)
			best = i;
		if (factored < 0 && r == 1 && strcmp(svc[i], "factoring") == 0)
			factored = i;
		printf("  %d. invoice %s  open %s  due %s  reference %s  "
		    "%s: %s%s%s\n", i + 1, c[i].inv.invoice_no,
		    money_format(c[i].inv.open_amount, open),
		    date_format(c[i].inv.due_date, due),
		    *c[i].inv.reference ? c[i].inv.reference : "(none)",
		    *c[i].buyer_name ? c[i].buyer_name : c[i].inv.buyer_id,
		    suspense_why_text(c[i].why, why, sizeof why),
		    *svc[i] ? "; routed to " : "", svc[i]);
	}
	/* the payment as allocate takes it */
	if (*p->archive_id)
		snprintf(id, sizeof id, "%s", p->archive_id);
	else
		snprintf(id, sizeof id, "'#%lld'", (long long)p->id);
	if (best >= 0)
		printf("to place it: reskontra allocate -l LEDGER -c CONF %s "
		    "%s\n", id, c[best].inv.invoice_no);
	else if (factored >= 0)
		printf("to place it, if the money came to the financier's "
		    "factoring account: reskontra allocate -l LEDGER -c CONF "
		    "%s %s\n(to the company's own account it is a bypass "
		    "payment of a factored invoice: forward it to the "
		    "financier)\n", id, c[factored].inv.invoice_no);
	else
		printf("to place it: not with allocate; %s routed to a "
		    "service, so the payment is a bypass payment: tell %s of "
		    "it and clear the suspense by hand\n", n == 1 ?
		    "the invoice was" : "each invoice was", n == 1 ? svc[0] :
		    "the service");
	return 0;
}

/* The whole explanation.  0, or -1 with d. */
static int
explain(struct ledger *l, const struct suspense_payment *p, struct diag *d)
{
	char amount[MONEY_BUFSZ];

	print_payment(p);
	printf("history:\n");
	if (suspense_each_alloc(l, p, history_line, NULL, d) < 0)
		return -1;
	if (p->reversed)
		printf("now: undone by a bank's correction\n");
	else if (p->in_suspense > 0)
		printf("now: %s in suspense\n", money_format(p->in_suspense,
		    amount));
	else if (p->in_suspense < 0)
		/* money out (a fee, a correction with nothing to undo):
		 * debited to suspense, not a payment to place */
		printf("now: %s in suspense (money out, debited to the "
		    "suspense account; not placed on an invoice: clear it by "
		    "hand)\n", money_format(p->in_suspense, amount));
	else
		printf("now: nothing in suspense\n");
	if (p->correction || p->reversed || p->in_suspense <= 0)
		return 0;
	return print_candidates(l, p, d);
}

int
cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ledger", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL;
	struct suspense_payment p;
	struct ledger *l = NULL;
	struct diag d;
	int ch, got, rc = EXIT_OK;

	if (wants_help(argc, argv, usage))
		return finish_stdout(EXIT_OK);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "l:", longopts, NULL)) != -1) {
		if (ch != 'l')
			return usage_error(argv[0], "unknown option");
		path = optarg;
	}
	if (path == NULL)
		return usage_error(argv[0], "-l LEDGER is required");
	if (optind + 1 != argc)
		return usage_error(argv[0], "one payment ID, please");
	if ((rc = open_existing_ledger(path, &l)) != EXIT_OK)
		return rc;
	got = suspense_find(l, argv[optind], &p, &d);
	if (got == 0) {
		fprintf(stderr, "%s: no payment '%s' in %s\n", progname,
		    argv[optind], path);
		rc = EXIT_REJECTED;
	} else if (got == 2) {
		diag_print(stderr, &d);
		rc = EXIT_REJECTED;
	} else if (got < 0 || explain(l, &p, &d) < 0) {
		diag_print(stderr, &d);
		rc = EXIT_SYSTEM;
	}
	ledger_close(l);
	return finish_stdout(rc);
}
