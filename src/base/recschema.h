/*
 * recschema: the record kinds and their columns in one place
 * (formats/records.md, reskontra-records(5)).
 *
 * Every module that reads or writes a record names its columns with the
 * COL_KIND_NAME constants below, never with a bare number: the constant
 * is the field's index in a record read by rec_read() (field 0 is the
 * kind).  The lists are the tables of formats/records.md in order, and a
 * unit test holds them against that file.  Columns are only appended
 * (before source, which is always the last field of a record that comes
 * from an input: read it with rec_source_field(), since a newer stream
 * may carry more columns than this build knows).
 *
 * The allocation outcomes (alloc.outcome) are an enum with one name
 * table, so that the matcher, the voucher writer and the run report
 * agree on them.
 *
 * Everything here is static data; nothing to free.
 */
#ifndef RESKONTRA_RECSCHEMA_H
#define RESKONTRA_RECSCHEMA_H

#include <stddef.h>

#include "base/record.h"

#define REC_COLUMNS_STMT(X) \
	X(COL_STMT_ACCOUNT_IBAN, "account_iban") \
	X(COL_STMT_BIC, "bic") \
	X(COL_STMT_STATEMENT_NO, "statement_no") \
	X(COL_STMT_FROM_DATE, "from_date") \
	X(COL_STMT_TO_DATE, "to_date") \
	X(COL_STMT_OPENING_BALANCE, "opening_balance") \
	X(COL_STMT_CURRENCY, "currency") \
	X(COL_STMT_OWNER_NAME, "owner_name") \
	X(COL_STMT_SOURCE, "source")

#define REC_COLUMNS_TXN(X) \
	X(COL_TXN_ACCOUNT_IBAN, "account_iban") \
	X(COL_TXN_ARCHIVE_ID, "archive_id") \
	X(COL_TXN_BOOKING_DATE, "booking_date") \
	X(COL_TXN_VALUE_DATE, "value_date") \
	X(COL_TXN_ENTRY_TYPE, "entry_type") \
	X(COL_TXN_BOOKING_CODE, "booking_code") \
	X(COL_TXN_BOOKING_TEXT, "booking_text") \
	X(COL_TXN_AMOUNT, "amount") \
	X(COL_TXN_COUNTERPARTY_NAME, "counterparty_name") \
	X(COL_TXN_COUNTERPARTY_ACCOUNT, "counterparty_account") \
	X(COL_TXN_REFERENCE, "reference") \
	X(COL_TXN_MESSAGE, "message") \
	X(COL_TXN_PAYMENT_DATE, "payment_date") \
	X(COL_TXN_LEVEL, "level") \
	X(COL_TXN_COUNTERPARTY_BIC, "counterparty_bic") \
	X(COL_TXN_WARNINGS, "warnings") \
	X(COL_TXN_ITEM_COUNT, "item_count") \
	X(COL_TXN_INVOICE_CUSTOMER, "invoice_customer") \
	X(COL_TXN_INVOICE_NO, "invoice_no") \
	X(COL_TXN_INVOICE_DATE, "invoice_date") \
	X(COL_TXN_CARD_NO, "card_no") \
	X(COL_TXN_CARD_ARCHIVE_ID, "card_archive_id") \
	X(COL_TXN_CORRECTED_ARCHIVE_ID, "corrected_archive_id") \
	X(COL_TXN_ORIGINAL_AMOUNT, "original_amount") \
	X(COL_TXN_ORIGINAL_CURRENCY, "original_currency") \
	X(COL_TXN_EXCHANGE_RATE, "exchange_rate") \
	X(COL_TXN_ORIGINATOR_INFO, "originator_info") \
	X(COL_TXN_BANK_INFO, "bank_info") \
	X(COL_TXN_REASON_CODE, "reason_code") \
	X(COL_TXN_REASON_TEXT, "reason_text") \
	X(COL_TXN_NAME_DETAIL, "name_detail") \
	X(COL_TXN_SEPA_REFERENCE, "sepa_reference") \
	X(COL_TXN_SEPA_CREDITOR_NAME, "sepa_creditor_name") \
	X(COL_TXN_SEPA_DEBTOR_NAME, "sepa_debtor_name") \
	X(COL_TXN_SEPA_ID, "sepa_id") \
	X(COL_TXN_SEPA_ARCHIVE_ID, "sepa_archive_id") \
	X(COL_TXN_SOURCE, "source")

#define REC_COLUMNS_BAL(X) \
	X(COL_BAL_ACCOUNT_IBAN, "account_iban") \
	X(COL_BAL_DATE, "date") \
	X(COL_BAL_BOOKED_BALANCE, "booked_balance") \
	X(COL_BAL_AVAILABLE_BALANCE, "available_balance") \
	X(COL_BAL_SOURCE, "source")

#define REC_COLUMNS_PAY(X) \
	X(COL_PAY_ACCOUNT_IBAN, "account_iban") \
	X(COL_PAY_ARCHIVE_ID, "archive_id") \
	X(COL_PAY_BOOKING_DATE, "booking_date") \
	X(COL_PAY_PAYMENT_DATE, "payment_date") \
	X(COL_PAY_REFERENCE, "reference") \
	X(COL_PAY_PAYER_NAME, "payer_name") \
	X(COL_PAY_AMOUNT, "amount") \
	X(COL_PAY_CURRENCY, "currency") \
	X(COL_PAY_CORRECTION, "correction") \
	X(COL_PAY_CHANNEL, "channel") \
	X(COL_PAY_RECORD_TYPE, "record_type") \
	X(COL_PAY_FEEDBACK, "feedback") \
	X(COL_PAY_WARNINGS, "warnings") \
	X(COL_PAY_SOURCE, "source")

#define REC_COLUMNS_BATCH(X) \
	X(COL_BATCH_ACCOUNT_IBAN, "account_iban") \
	X(COL_BATCH_CREATED, "created") \
	X(COL_BATCH_BANK_GROUP, "bank_group") \
	X(COL_BATCH_SERVICE_ID, "service_id") \
	X(COL_BATCH_PAYMENTS, "payments") \
	X(COL_BATCH_PAYMENTS_TOTAL, "payments_total") \
	X(COL_BATCH_CORRECTIONS, "corrections") \
	X(COL_BATCH_CORRECTIONS_TOTAL, "corrections_total") \
	X(COL_BATCH_FAILED, "failed") \
	X(COL_BATCH_FAILED_TOTAL, "failed_total") \
	X(COL_BATCH_SOURCE, "source")

#define REC_COLUMNS_INV(X) \
	X(COL_INV_INVOICE_NO, "invoice_no") \
	X(COL_INV_TYPE, "type") \
	X(COL_INV_INVOICE_DATE, "invoice_date") \
	X(COL_INV_DUE_DATE, "due_date") \
	X(COL_INV_SELLER_BUSINESS_ID, "seller_business_id") \
	X(COL_INV_BUYER_ID, "buyer_id") \
	X(COL_INV_BUYER_NAME, "buyer_name") \
	X(COL_INV_COUNTRY, "country") \
	X(COL_INV_CURRENCY, "currency") \
	X(COL_INV_TOTAL, "total") \
	X(COL_INV_PAYMENT_IBAN, "payment_iban") \
	X(COL_INV_REFERENCE, "reference") \
	X(COL_INV_CREDITED_INVOICE_NO, "credited_invoice_no") \
	X(COL_INV_LANGUAGE, "language") \
	X(COL_INV_PARTIAL_OK, "partial_ok") \
	X(COL_INV_STREET, "street") \
	X(COL_INV_POST_CODE, "post_code") \
	X(COL_INV_TOWN, "town") \
	X(COL_INV_ROWS, "rows") \
	X(COL_INV_WARNINGS, "warnings") \
	X(COL_INV_SOURCE, "source")

#define REC_COLUMNS_ID(X) \
	X(COL_ID_VALUE, "value") \
	X(COL_ID_KIND, "kind") \
	X(COL_ID_VALID, "valid") \
	X(COL_ID_NORMAL, "normal") \
	X(COL_ID_RF, "rf") \
	X(COL_ID_NATIONAL, "national") \
	X(COL_ID_IBAN, "iban") \
	X(COL_ID_BIC, "bic")

#define REC_COLUMNS_ALLOC(X) \
	X(COL_ALLOC_ARCHIVE_ID, "archive_id") \
	X(COL_ALLOC_INVOICE_NO, "invoice_no") \
	X(COL_ALLOC_REFERENCE, "reference") \
	X(COL_ALLOC_AMOUNT, "amount") \
	X(COL_ALLOC_OUTCOME, "outcome") \
	X(COL_ALLOC_OPEN_AFTER, "open_after") \
	X(COL_ALLOC_ACCOUNT_IBAN, "account_iban") \
	X(COL_ALLOC_BOOKING_DATE, "booking_date") \
	X(COL_ALLOC_PAYER_NAME, "payer_name") \
	X(COL_ALLOC_BUYER_ID, "buyer_id") \
	X(COL_ALLOC_REASON, "reason") \
	X(COL_ALLOC_REVERSES, "reverses") \
	X(COL_ALLOC_CREDIT_NOTE_NO, "credit_note_no") \
	X(COL_ALLOC_POSTING_DATE, "posting_date") \
	X(COL_ALLOC_SUGGESTION, "suggestion") \
	X(COL_ALLOC_SOURCE, "source")

#define REC_COLUMNS_VOUCHER(X) \
	X(COL_VOUCHER_NUMBER, "number") \
	X(COL_VOUCHER_DATE, "date") \
	X(COL_VOUCHER_TYPE, "type") \
	X(COL_VOUCHER_ACCOUNT, "account") \
	X(COL_VOUCHER_DEBIT, "debit") \
	X(COL_VOUCHER_CREDIT, "credit") \
	X(COL_VOUCHER_TEXT, "text") \
	X(COL_VOUCHER_INVOICE_NO, "invoice_no") \
	X(COL_VOUCHER_ARCHIVE_ID, "archive_id") \
	X(COL_VOUCHER_REFERENCE, "reference") \
	X(COL_VOUCHER_OUTCOME, "outcome") \
	X(COL_VOUCHER_SOURCE, "source")

#define REC_COLUMNS_ITEM(X) \
	X(COL_ITEM_INVOICE_NO, "invoice_no") \
	X(COL_ITEM_REFERENCE, "reference") \
	X(COL_ITEM_SERVICE, "service") \
	X(COL_ITEM_DUE_DATE, "due_date") \
	X(COL_ITEM_TOTAL, "total") \
	X(COL_ITEM_PAID, "paid") \
	X(COL_ITEM_OPEN_AMOUNT, "open_amount") \
	X(COL_ITEM_STATUS, "status") \
	X(COL_ITEM_TYPE, "type") \
	X(COL_ITEM_INVOICE_DATE, "invoice_date") \
	X(COL_ITEM_BUYER_ID, "buyer_id") \
	X(COL_ITEM_BUYER_NAME, "buyer_name") \
	X(COL_ITEM_CREDITED, "credited") \
	X(COL_ITEM_OVER, "over") \
	X(COL_ITEM_CREDITED_INVOICE_NO, "credited_invoice_no") \
	X(COL_ITEM_SOURCE, "source")

#define REC_COLUMNS_PAYMENT(X) \
	X(COL_PAYMENT_ACCOUNT_IBAN, "account_iban") \
	X(COL_PAYMENT_ARCHIVE_ID, "archive_id") \
	X(COL_PAYMENT_BOOKING_DATE, "booking_date") \
	X(COL_PAYMENT_PAYMENT_DATE, "payment_date") \
	X(COL_PAYMENT_REFERENCE, "reference") \
	X(COL_PAYMENT_PAYER_NAME, "payer_name") \
	X(COL_PAYMENT_AMOUNT, "amount") \
	X(COL_PAYMENT_CORRECTION, "correction") \
	X(COL_PAYMENT_STATE, "state") \
	X(COL_PAYMENT_SOURCE, "source")

#define REC_COLUMNS_ROUTE(X) \
	X(COL_ROUTE_INVOICE_NO, "invoice_no") \
	X(COL_ROUTE_INVOICE_DATE, "invoice_date") \
	X(COL_ROUTE_ACTION, "action") \
	X(COL_ROUTE_CODE, "code") \
	X(COL_ROUTE_REASON, "reason") \
	X(COL_ROUTE_SERVICE_REFERENCE, "service_reference") \
	X(COL_ROUTE_GROUP, "group") \
	X(COL_ROUTE_SERVICE, "service") \
	X(COL_ROUTE_REFERENCE, "reference") \
	X(COL_ROUTE_ASSIGNMENT, "assignment") \
	X(COL_ROUTE_LANGUAGE, "language") \
	X(COL_ROUTE_LOGIN_CODE, "login_code") \
	X(COL_ROUTE_SOURCE, "source")

#define REC_COLUMNS_FIN(X) \
	X(COL_FIN_EVENT, "event") \
	X(COL_FIN_DATE, "date") \
	X(COL_FIN_AMOUNT, "amount") \
	X(COL_FIN_ACCOUNT_IBAN, "account_iban") \
	X(COL_FIN_ARCHIVE_ID, "archive_id") \
	X(COL_FIN_INVOICE_NO, "invoice_no") \
	X(COL_FIN_REFERENCE, "reference") \
	X(COL_FIN_TEXT, "text") \
	X(COL_FIN_SOURCE, "source")

#define REC_COLUMNS_SI(X) \
	X(COL_SI_ACTION, "action") \
	X(COL_SI_MESSAGE_DATE, "message_date") \
	X(COL_SI_SENDER_INFO_ID, "sender_info_id") \
	X(COL_SI_SELLER_ID, "seller_id") \
	X(COL_SI_SELLER_NAME, "seller_name") \
	X(COL_SI_SENDER_ADDRESS, "sender_address") \
	X(COL_SI_INTERMEDIATOR, "intermediator") \
	X(COL_SI_PAYMENT_INSTRUCTION_ID, "payment_instruction_id") \
	X(COL_SI_IDENTIFIER_TYPE, "identifier_type") \
	X(COL_SI_ACCOUNTS, "accounts") \
	X(COL_SI_IDENTIFIER_TEXTS, "identifier_texts") \
	X(COL_SI_SERVICE_CODE, "service_code") \
	X(COL_SI_BANK, "bank") \
	X(COL_SI_RECEIVER, "receiver") \
	X(COL_SI_MESSAGE_ID, "message_id") \
	X(COL_SI_SOURCE, "source")

#define REC_COLUMNS_RI(X) \
	X(COL_RI_ACTION, "action") \
	X(COL_RI_ACTION_CODE, "action_code") \
	X(COL_RI_SENDER_INFO_ID, "sender_info_id") \
	X(COL_RI_SELLER_ID, "seller_id") \
	X(COL_RI_SENDER_ADDRESS, "sender_address") \
	X(COL_RI_PAYMENT_INSTRUCTION_ID, "payment_instruction_id") \
	X(COL_RI_IDENTIFIER, "identifier") \
	X(COL_RI_IDENTIFIER_TYPE, "identifier_type") \
	X(COL_RI_BUYER_NAME, "buyer_name") \
	X(COL_RI_RECIPIENT_ADDRESS, "recipient_address") \
	X(COL_RI_RECIPIENT_INTERMEDIATOR, "recipient_intermediator") \
	X(COL_RI_LANGUAGE, "language") \
	X(COL_RI_TIMESTAMP, "timestamp") \
	X(COL_RI_SERVICE_CODE, "service_code") \
	X(COL_RI_MESSAGE_ID, "message_id") \
	X(COL_RI_REF_TO_MESSAGE_ID, "ref_to_message_id") \
	X(COL_RI_SECOND_IDENTIFIER, "second_identifier") \
	X(COL_RI_SECOND_IDENTIFIER_TYPE, "second_identifier_type") \
	X(COL_RI_SOURCE, "source")

#define REC_COLUMN_ENUM(id, name) id,

/* One enum per kind; the first column is 1 (0 is the kind). */
enum col_stmt {
	COL_STMT_KIND_ = 0,
	REC_COLUMNS_STMT(REC_COLUMN_ENUM)
	COL_STMT_COUNT
};

enum col_txn {
	COL_TXN_KIND_ = 0,
	REC_COLUMNS_TXN(REC_COLUMN_ENUM)
	COL_TXN_COUNT
};

enum col_bal {
	COL_BAL_KIND_ = 0,
	REC_COLUMNS_BAL(REC_COLUMN_ENUM)
	COL_BAL_COUNT
};

enum col_pay {
	COL_PAY_KIND_ = 0,
	REC_COLUMNS_PAY(REC_COLUMN_ENUM)
	COL_PAY_COUNT
};

enum col_batch {
	COL_BATCH_KIND_ = 0,
	REC_COLUMNS_BATCH(REC_COLUMN_ENUM)
	COL_BATCH_COUNT
};

enum col_inv {
	COL_INV_KIND_ = 0,
	REC_COLUMNS_INV(REC_COLUMN_ENUM)
	COL_INV_COUNT
};

enum col_id {
	COL_ID_KIND_ = 0,
	REC_COLUMNS_ID(REC_COLUMN_ENUM)
	COL_ID_COUNT
};

enum col_alloc {
	COL_ALLOC_KIND_ = 0,
	REC_COLUMNS_ALLOC(REC_COLUMN_ENUM)
	COL_ALLOC_COUNT
};

enum col_voucher {
	COL_VOUCHER_KIND_ = 0,
	REC_COLUMNS_VOUCHER(REC_COLUMN_ENUM)
	COL_VOUCHER_COUNT
};

enum col_item {
	COL_ITEM_KIND_ = 0,
	REC_COLUMNS_ITEM(REC_COLUMN_ENUM)
	COL_ITEM_COUNT
};

enum col_payment {
	COL_PAYMENT_KIND_ = 0,
	REC_COLUMNS_PAYMENT(REC_COLUMN_ENUM)
	COL_PAYMENT_COUNT
};

enum col_route {
	COL_ROUTE_KIND_ = 0,
	REC_COLUMNS_ROUTE(REC_COLUMN_ENUM)
	COL_ROUTE_COUNT
};

enum col_fin {
	COL_FIN_KIND_ = 0,
	REC_COLUMNS_FIN(REC_COLUMN_ENUM)
	COL_FIN_COUNT
};

enum col_si {
	COL_SI_KIND_ = 0,
	REC_COLUMNS_SI(REC_COLUMN_ENUM)
	COL_SI_COUNT
};

enum col_ri {
	COL_RI_KIND_ = 0,
	REC_COLUMNS_RI(REC_COLUMN_ENUM)
	COL_RI_COUNT
};

/* A kind's columns: names[0] is the kind itself, names[i] column i. */
struct rec_kind {
	const char *kind;
	const char *const *names;
	size_t count;		/* fields including the kind */
	int has_source;		/* the last column is source */
};

/* The kinds, in the order of formats/records.md, ending with a zeroed
 * entry. */
extern const struct rec_kind rec_kinds[];

/* The kind named name, or NULL. */
const struct rec_kind *rec_kind_find(const char *name);

/* The source field of r: its last field ("" when it has none). */
const char *rec_source_field(const struct recin *r);

/* 1 when the pay record r is a failed direct debit (a feedback code
 * other than blank or 0, formats/ktl.md): no money moved. */
int pay_failed_dd(const struct recin *r);

/* 1 if the comma-separated list (a warnings field) has code. */
int rec_list_has(const char *list, const char *code);

/* 1 when the txn record r is a booked entry of its statement: level 0,
 * not an itemisation row, and not a notification (a KTO T80 row,
 * warnings `notification`: told, not booked; formats/kto.md). */
int txn_booked(const struct recin *r);

/* d for msg about record r: at the record's line of its stream, naming
 * its kind and source ("NAME:LINE: inv from b.xml:2: msg"), or, for a
 * held stream (r->held) with a source, at the source itself
 * ("b.xml:2: msg"). */
void rec_diag(const struct recin *r, struct diag *d, const char *msg);

/* alloc.outcome (formats/records.md "alloc"). */
enum alloc_outcome {
	OUTCOME_NONE = 0,	/* not an outcome name */
	OUTCOME_PAID,
	OUTCOME_PARTIAL,
	OUTCOME_OVER,
	OUTCOME_UNKNOWN,
	OUTCOME_DUPLICATE,
	OUTCOME_REVERSED,
	OUTCOME_BYPASS,
	OUTCOME_SETTLEMENT,
	OUTCOME_INTEREST,
	OUTCOME_REPAYMENT,
	OUTCOME_LOAN_INTEREST,
	OUTCOME_REMAINDER,
	OUTCOME_CREDIT,
	OUTCOME_COUNT
};

/* alloc.reason of the two allocations that re-classify an op-laskulaina
 * off-payment as remainder once OP's statement shows the money was
 * forwarded (formats/financing.md): the reversal of the bypass and the
 * remainder. */
#define ALLOC_REASON_FORWARDED "forwarded"

/* alloc.reason of the two allocations that give back to OP what an
 * op-laskulaina off-payment applied of an invoice that OP's repayment
 * or interest takes whole (the customer paid more than the invoice,
 * and the statement came after the remainder): the reversal of that
 * much of the bypass and an overpayment of it. */
#define ALLOC_REASON_TAKEN_BY_OP "taken-by-op"

/* How alloc.reason of a duplicate begins when the payment is its twin
 * from the bank's other file (a KTL payment and the camt.054 of it,
 * known by an archive id cut or whole, or by its place in a collective
 * entry): a company that receives both files is sent each payment
 * twice, so the repeat is expected and no one need look at it. */
#define ALLOC_REASON_TWIN "the same payment from the bank's other file"

/* The name of o ("" for OUTCOME_NONE). */
const char *outcome_name(enum alloc_outcome o);

/* The outcome named s, or OUTCOME_NONE. */
enum alloc_outcome outcome_parse(const char *s);

/* fin.event (formats/records.md "fin", formats/financing.md): a
 * financing event that is no payment of an invoice. */
enum fin_event {
	FIN_NONE = 0,		/* not an event name */
	FIN_LOAN_WITHDRAWAL,	/* op-laskulaina: withdrawal requested */
	FIN_LOAN_ARRIVAL,	/* op-laskulaina: it reached the bank */
	FIN_CREDIT_GRANTED,	/* kassavirta: financed share paid out */
	FIN_FINANCING_COST,	/* kassavirta: the cost of it */
	FIN_CREDIT_ADJUSTMENT,	/* kassavirta: a bypass payment's share */
	FIN_ADJUSTMENT_NETTED,	/* kassavirta: taken back from a payout */
	FIN_ADJUSTMENT_REVERSED,	/* kassavirta: its payment corrected */
	FIN_ADJUSTMENT_RETURNED,	/* kassavirta: so Noja pays it back */
	FIN_COUNT
};

const char *fin_event_name(enum fin_event e);
enum fin_event fin_event_parse(const char *s);

#endif
