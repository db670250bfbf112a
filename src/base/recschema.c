/*
 * recschema: the column name tables and the outcome names (recschema.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/recschema.h"

#define REC_COLUMN_NAME(id, name) name,

static const char *const stmt_names[] = {
	"stmt",
	REC_COLUMNS_STMT(REC_COLUMN_NAME)
};

static const char *const txn_names[] = {
	"txn",
	REC_COLUMNS_TXN(REC_COLUMN_NAME)
};

static const char *const bal_names[] = {
	"bal",
	REC_COLUMNS_BAL(REC_COLUMN_NAME)
};

static const char *const pay_names[] = {
	"pay",
	REC_COLUMNS_PAY(REC_COLUMN_NAME)
};

static const char *const batch_names[] = {
	"batch",
	REC_COLUMNS_BATCH(REC_COLUMN_NAME)
};

static const char *const inv_names[] = {
	"inv",
	REC_COLUMNS_INV(REC_COLUMN_NAME)
};

static const char *const id_names[] = {
	"id",
	REC_COLUMNS_ID(REC_COLUMN_NAME)
};

static const char *const alloc_names[] = {
	"alloc",
	REC_COLUMNS_ALLOC(REC_COLUMN_NAME)
};

static const char *const voucher_names[] = {
	"voucher",
	REC_COLUMNS_VOUCHER(REC_COLUMN_NAME)
};

static const char *const item_names[] = {
	"item",
	REC_COLUMNS_ITEM(REC_COLUMN_NAME)
};

static const char *const payment_names[] = {
	"payment",
	REC_COLUMNS_PAYMENT(REC_COLUMN_NAME)
};

static const char *const route_names[] = {
	"route",
	REC_COLUMNS_ROUTE(REC_COLUMN_NAME)
};

static const char *const fin_names[] = {
	"fin",
	REC_COLUMNS_FIN(REC_COLUMN_NAME)
};

static const char *const si_names[] = {
	"si",
	REC_COLUMNS_SI(REC_COLUMN_NAME)
};

static const char *const ri_names[] = {
	"ri",
	REC_COLUMNS_RI(REC_COLUMN_NAME)
};

const struct rec_kind rec_kinds[] = {
	{ "stmt", stmt_names, COL_STMT_COUNT, 1 },
	{ "txn", txn_names, COL_TXN_COUNT, 1 },
	{ "bal", bal_names, COL_BAL_COUNT, 1 },
	{ "pay", pay_names, COL_PAY_COUNT, 1 },
	{ "batch", batch_names, COL_BATCH_COUNT, 1 },
	{ "inv", inv_names, COL_INV_COUNT, 1 },
	{ "id", id_names, COL_ID_COUNT, 0 },
	{ "alloc", alloc_names, COL_ALLOC_COUNT, 1 },
	{ "voucher", voucher_names, COL_VOUCHER_COUNT, 1 },
	{ "item", item_names, COL_ITEM_COUNT, 1 },
	{ "payment", payment_names, COL_PAYMENT_COUNT, 1 },
	{ "route", route_names, COL_ROUTE_COUNT, 1 },
	{ "fin", fin_names, COL_FIN_COUNT, 1 },
	{ "si", si_names, COL_SI_COUNT, 1 },
	{ "ri", ri_names, COL_RI_COUNT, 1 },
	{ NULL, NULL, 0, 0 }
};

static const char *const outcome_names[OUTCOME_COUNT] = {
	[OUTCOME_NONE] = "",
	[OUTCOME_PAID] = "paid",
	[OUTCOME_PARTIAL] = "partial",
	[OUTCOME_OVER] = "over",
	[OUTCOME_UNKNOWN] = "unknown",
	[OUTCOME_DUPLICATE] = "duplicate",
	[OUTCOME_REVERSED] = "reversed",
	[OUTCOME_BYPASS] = "bypass",
	[OUTCOME_SETTLEMENT] = "settlement",
	[OUTCOME_INTEREST] = "interest",
	[OUTCOME_REPAYMENT] = "repayment",
	[OUTCOME_LOAN_INTEREST] = "loan-interest",
	[OUTCOME_REMAINDER] = "remainder",
	[OUTCOME_CREDIT] = "credit",
};

const struct rec_kind *
rec_kind_find(const char *name)
{
	const struct rec_kind *k;

	for (k = rec_kinds; k->kind != NULL; k++)
		if (strcmp(k->kind, name) == 0)
			return k;
	return NULL;
}

const char *
rec_source_field(const struct recin *r)
{
	return r->nfields > 1 ? r->fields[r->nfields - 1] : "";
}

int
pay_failed_dd(const struct recin *r)
{
	const char *s = rec_field(r, COL_PAY_FEEDBACK);

	return *s != '\0' && strcmp(s, "0") != 0;
}

int
rec_list_has(const char *list, const char *code)
{
	size_t k = strlen(code);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, code, k) == 0 && (p[k] == ',' || p[k] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return 0;
}

int
txn_booked(const struct recin *r)
{
	const char *level = rec_field(r, COL_TXN_LEVEL);

	return (*level == '\0' || strcmp(level, "0") == 0) &&
	    !rec_list_has(rec_field(r, COL_TXN_WARNINGS), "notification");
}

void
rec_diag(const struct recin *r, struct diag *d, const char *msg)
{
	const char *src = rec_source_field(r), *colon = strrchr(src, ':');
	char *end;
	long line;

	if (r->held && colon != NULL && colon > src && colon[1] >= '0' &&
	    colon[1] <= '9') {
		line = strtol(colon + 1, &end, 10);
		if (*end == '\0' && line > 0) {
			memset(d, 0, sizeof *d);
			snprintf(d->file, sizeof d->file, "%.*s",
			    (int)(colon - src), src);
			d->line = line;
			snprintf(d->msg, sizeof d->msg, "%s", msg);
			return;
		}
	}
	diag_set(d, r->name, r->line, 0, "%s from %s: %s", r->nfields > 0 ?
	    r->fields[0] : "", src, msg);
}

const char *
outcome_name(enum alloc_outcome o)
{
	return (unsigned)o < OUTCOME_COUNT ? outcome_names[o] : "";
}

enum alloc_outcome
outcome_parse(const char *s)
{
	int o;

	for (o = OUTCOME_NONE + 1; o < OUTCOME_COUNT; o++)
		if (strcmp(outcome_names[o], s) == 0)
			return (enum alloc_outcome)o;
	return OUTCOME_NONE;
}

static const char *const fin_event_names[FIN_COUNT] = {
	[FIN_NONE] = "",
	[FIN_LOAN_WITHDRAWAL] = "loan-withdrawal",
	[FIN_LOAN_ARRIVAL] = "loan-arrival",
	[FIN_CREDIT_GRANTED] = "credit-granted",
	[FIN_FINANCING_COST] = "financing-cost",
	[FIN_CREDIT_ADJUSTMENT] = "credit-adjustment",
	[FIN_ADJUSTMENT_NETTED] = "adjustment-netted",
	[FIN_ADJUSTMENT_REVERSED] = "adjustment-reversed",
	[FIN_ADJUSTMENT_RETURNED] = "adjustment-returned",
};

const char *
fin_event_name(enum fin_event e)
{
	return (unsigned)e < FIN_COUNT ? fin_event_names[e] : "";
}

enum fin_event
fin_event_parse(const char *s)
{
	int e;

	for (e = FIN_NONE + 1; e < FIN_COUNT; e++)
		if (strcmp(fin_event_names[e], s) == 0)
			return (enum fin_event)e;
	return FIN_NONE;
}
