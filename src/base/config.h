/*
 * config: reskontra.conf(5), the one configuration file every command reads.
 *
 * INI syntax: "[section]" or "[section NAME]", "key = value", lines whose
 * first non-blank is '#' or ';' are comments, blank lines are ignored.  A
 * '#' preceded by a blank ends the value (an inline comment), so a value
 * cannot contain " #".  Values are trimmed.  Sections and keys are those
 * of spec/config.md; an unknown section or key, a repeated key or a value
 * of the wrong form is an error naming FILE:LINE and the key, and nothing
 * is returned.  An empty value ("key =") leaves the default.
 *
 * [customers] file = ... names a TAB-separated table (header line "id code
 * factoring group flags"); relative paths are relative to the directory of
 * the configuration file.  The table is read whole into memory when the
 * configuration is loaded.
 *
 * Both files are read whole, so their size is bounded: a configuration
 * larger than CONFIG_MAX_SIZE or a customers table larger than
 * CONFIG_MAX_CUSTOMERS_SIZE is an error, and so is a device (-c /dev/zero
 * would never end).  A configuration must have a [company] section with
 * name and business_id.
 *
 * Ownership: config_load() allocates a struct config; config_free()
 * releases it and every string in it.
 */
#ifndef RESKONTRA_CONFIG_H
#define RESKONTRA_CONFIG_H

#include <stddef.h>

#include "base/date.h"
#include "base/diag.h"

enum service_type {
	SERVICE_NONE,
	SERVICE_FACTORING,
	SERVICE_AMILI,
	SERVICE_KASSAVIRTA,
	SERVICE_OP_LASKULAINA
};

/* [output] vouchers: the layout of out/vouchers files (formats/vouchers.md) */
enum voucher_format {
	VOUCHERS_TSV,		/* the record stream */
	VOUCHERS_CSV,		/* spreadsheet: ';', decimal comma, header */
	VOUCHERS_NETVISOR	/* Netvisor's accounting data import */
};

/* [output] report: the layout of the run report */
enum report_format {
	REPORT_TSV,
	REPORT_CSV
};

enum financier {
	FINANCIER_NORDEA,
	FINANCIER_OP,
	FINANCIER_GUIDA,
	FINANCIER_OTHER
};

#define CONFIG_MAX_SIZE ((size_t)1 << 20)		/* 1 MiB */
#define CONFIG_MAX_CUSTOMERS_SIZE ((size_t)64 << 20)	/* 64 MiB */

#define ACCOUNT_BUFSZ 16	/* ledger account number: 1-15 digits */
#define FACTORING_NAME_MAX 64	/* bytes of NAME in [factoring NAME] */

/* Customer flags (customers.tsv column "flags"). */
#define CUSTOMER_TEMP		0x01
#define CUSTOMER_GROUP_COMPANY	0x02
#define CUSTOMER_CONSUMER	0x04

struct conf_factoring {
	char *name;		/* NAME of [factoring NAME] */
	long line;		/* where the section starts */
	enum financier financier;
	int financier_set;
	char *iban;		/* Finnish IBAN, normalised */
	char *contract;		/* digits, at most 12 */
	char *clause_fi, *clause_sv, *clause_en;
	char account[ACCOUNT_BUFSZ];	/* default 1717 */
	char *party;		/* name: the financier as printed, or NULL */
	long contract_line;	/* where contract is given */
	uint64_t given;		/* keys written with a value, right or not */
};

/* A factoring customer code (1-7 digits) with its NUL, and room. */
#define CUSTOMER_CODE_BUFSZ 16

struct conf_customer {
	char *id;		/* business id or ERP customer number */
	char *code;		/* factoring customer code or NULL */
	char *factoring;	/* [factoring NAME] or NULL */
	char *group;		/* premium, vip, nomonitor or NULL */
	unsigned flags;		/* CUSTOMER_* */
	long line;		/* line in the customers file */
};

struct config {
	char *path;		/* as given to config_load */
	/* the lines of [company] and [service] (0: not in the file), where
	 * a setting they lack is said to be missing */
	long company_line, service_line;

	/* [company] */
	char *company_name;
	char *company_business_id;
	char **company_iban;	/* normalised; first is printed on invoices */
	size_t company_niban;
	/* per company_iban: the ledger account of "IBAN : ACCOUNT", or ""
	 * for [accounts] bank */
	char (*company_iban_account)[ACCOUNT_BUFSZ];
	char *company_bic;
	char *company_contact;

	/* [service] */
	enum service_type service;
	day_t start_date;	/* DAY_NONE if not given */
	char *service_iban;
	char *service_bic;
	char *service_name;
	char *payer_name;
	char *reference_prefix;	/* digits */
	int own_account;	/* yes/no, default no */
	char *phone;
	char *portal_url;
	char *clause_fi, *clause_sv, *clause_en;
	char *identifier_type;	/* 08, 09 or 99; default 08 */
	int b2c;		/* yes/no, default yes */
	int financing_rate_bp;	/* hundredths of a percent 0-10000,
				 * default 8000 (80 %) */
	int min_banking_days;	/* default 4 */
	long financing_rate_line, b2c_line;	/* where given, or 0 */
	char *virtual_iban;	/* op-laskulaina: the virtual account's
				 * IBAN when it is not [service] iban */

	/* [accounts] */
	struct conf_accounts {
		char sales[ACCOUNT_BUFSZ];
		char receivables[ACCOUNT_BUFSZ];
		char bank[ACCOUNT_BUFSZ];
		char transit[ACCOUNT_BUFSZ];
		char overpayments[ACCOUNT_BUFSZ];
		char suspense[ACCOUNT_BUFSZ];
		char interest_income[ACCOUNT_BUFSZ];
		char factoring[ACCOUNT_BUFSZ];
		char service_receivables[ACCOUNT_BUFSZ];
		char financing_liability[ACCOUNT_BUFSZ];
		char financing_expenses[ACCOUNT_BUFSZ];
		char loan[ACCOUNT_BUFSZ];
		char loan_interim[ACCOUNT_BUFSZ];
		char loan_interest[ACCOUNT_BUFSZ];
		char virtual_account[ACCOUNT_BUFSZ];
	} accounts;

	/* [factoring NAME] sections, in file order */
	struct conf_factoring *factoring;
	size_t nfactoring;

	/* [customers] */
	char *customers_file;	/* resolved path, NULL if none */
	struct conf_customer *customers;	/* sorted by id */
	size_t ncustomers;

	/* [output] */
	enum voucher_format vouchers;	/* default tsv */
	int bom;		/* yes/no, default yes: a CSV file starts with
				 * a UTF-8 byte order mark */
	enum report_format report;	/* default tsv */
};

/* Read and check the file at path.  Returns a new config, or NULL with d
 * naming FILE:LINE and the key (or the customers file and its line):
 * the first error of the file. */
struct config *config_load(const char *path, struct diag *d);

/* Every error of a configuration file, in the order found: a wrong line
 * does not stop the reading, so an operator sees them all at once.  At
 * most CONFIG_MAX_ERRORS are kept; count says how many there were. */
#define CONFIG_MAX_ERRORS 50
struct config_errors {
	struct diag *d;
	size_t n;
	size_t count;
};

/* config_load() with every error: NULL with e->n >= 1; free e with
 * config_errors_free() either way. */
struct config *config_load_all(const char *path, struct config_errors *e);
void config_errors_free(struct config_errors *e);
void config_free(struct config *c);

/* A configuration of nothing but the defaults (reskontra.conf(5)): for
 * a command whose -c is optional.  Freed with config_free(). */
struct config *config_defaults(void);

/* "tsv", "csv", "netvisor" */
const char *config_voucher_format_name(enum voucher_format f);
/* The format named s: 0 with *f set, -1 when s names none. */
int config_voucher_format_parse(const char *s, enum voucher_format *f);

/* "none", "factoring", ... */
const char *config_service_name(enum service_type t);

/* "nordea", "op", "guida", "other". */
const char *config_financier_name(enum financier f);

/* The customer with this id, or NULL (binary search). */
const struct conf_customer *config_customer(const struct config *c,
    const char *id);

/*
 * The ledger account money on the account iban (normalised) is booked
 * to: the company IBAN's own ("iban = FI... : 1911"), a factoring
 * account's, [accounts] virtual_account for the op-laskulaina virtual
 * account, else [accounts] bank.  Points into c.
 */
const char *config_bank_account(const struct config *c, const char *iban);

/*
 * Whether iban (normalised) is one of the company's: [company] iban,
 * [service] iban or a [factoring NAME] iban.  A configuration that names
 * no [company] iban takes every account for the company's (nothing to
 * check against).
 */
int config_own_account(const struct config *c, const char *iban);
/* op-laskulaina: the IBAN of the virtual account whose statement
 * splits customer payments ([service] virtual_iban, else [service]
 * iban); NULL for any other service or when neither is given. */
const char *config_virtual_iban(const struct config *c);

/* The [factoring NAME] section, or NULL. */
const struct conf_factoring *config_factoring(const struct config *c,
    const char *name);

/* The [factoring NAME] section whose iban is iban, or NULL. */
const struct conf_factoring *config_factoring_of_iban(const struct config *c,
    const char *iban);

#endif
