/*
 * opflow: op-laskulaina, the money of each reference that passed OP's
 * virtual account, and what of it the company's account took as the
 * remainder (formats/financing.md "Payments on the company's account",
 * formats/ledger.md table `op_flow`).
 *
 * `match` notes every virtual-statement row with a reference (the
 * customer's payment, what OP took out of it, what OP forwarded) and
 * the part of each company-account payment it took as remainder.  What
 * OP forwarded for a reference is the sum of its TILITYS rows; when the
 * statements had none, the customer's payments less what OP took out.
 * A company-account payment is remainder up to what was forwarded by
 * its booking day and not taken yet; a row of a payment the bank
 * corrected no longer counts.
 *
 * The module works on the ledger's connection and transaction
 * (ledger_db()).  Functions return 0 and -1 with d filled on a database
 * error.
 */
#ifndef RESKONTRA_OPFLOW_H
#define RESKONTRA_OPFLOW_H

#include <stdint.h>

#include "base/date.h"
#include "base/diag.h"
#include "ledger/ledger.h"

enum opflow_kind { OPFLOW_IN, OPFLOW_OUT, OPFLOW_FORWARD, OPFLOW_REMAINDER };

/* Note amount (positive) of kind for the reference whose match key is
 * key, made by payment payment_id. */
int opflow_add(struct ledger *l, int64_t payment_id, const char *key,
    enum opflow_kind kind, int64_t amount, struct diag *d);

/* What OP forwarded for key by day upto (the virtual-statement rows
 * booked on or before it: money OP sent later cannot be in a payment of
 * that day) into *forwarded, and what of it the company's account has
 * not taken as remainder yet (*left, never negative). */
int opflow_left(struct ledger *l, const char *key, day_t upto,
    int64_t *forwarded, int64_t *left, struct diag *d);

#endif
