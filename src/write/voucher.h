/*
 * voucher: allocations to balanced double-entry posting vouchers
 * (formats/vouchers.md, DESIGN.md "post").
 *
 * The allocations of one payment (consecutive alloc records with the same
 * source and archive id) become one voucher of type MS, dated with the
 * booking date and numbered sequentially from a first number:
 *
 *   paid, partial   debit bank        credit receivables
 *   over            debit bank        credit overpayments
 *   unknown         debit bank        credit suspense
 *                   (a correction with nothing to reverse, negative
 *                   amount: debit suspense, credit bank)
 *   reversed        debit the account the undone allocation was
 *                   credited to (receivables, overpayments, suspense),
 *                   credit bank
 *   duplicate, credit   no voucher: no money moved
 *
 * With [service] type amili or kassavirta also (other services refuse
 * them, as they never make them):
 *
 *   settlement, bypass  debit bank    credit receivables
 *   interest            debit bank    credit interest income
 *   reversed            of these: the same accounts the other way round
 *
 * The bank account is [accounts] bank, or the [factoring NAME] account
 * when the payment reached that section's IBAN.  Every voucher balances
 * to the cent; one that would not is an internal error, never written.
 *
 * Output is in one of the layouts of [output] vouchers (base/config.h):
 * the record stream (voucher records); a spreadsheet file (base/csv.h:
 * ';' separated, decimal comma, CRLF line ends, a header line, a byte
 * order mark unless [output] bom = no); or Netvisor's accounting data
 * import (formats/vouchers.md "Netvisor").  voucher records fed in are
 * finished vouchers: written in the writer's layout as they are, with
 * their numbers and sources, so that `post --csv` converts a voucher
 * file.
 *
 * Ownership: voucher_new() borrows the configuration and the FILE;
 * voucher_free() frees the writer only.
 */
#ifndef RESKONTRA_VOUCHER_H
#define RESKONTRA_VOUCHER_H

#include <stdio.h>

#include "base/config.h"
#include "base/diag.h"
#include "base/record.h"

struct voucher_writer;

struct voucher_writer *voucher_new(const struct config *c, long first,
    enum voucher_format format, FILE *out);

/* Sources NAME:LINE of the vouchers posted from now on name path (the
 * input as it is filed, e.g. done/2026-09-16/KTL.txt.1) instead: path:
 * LINE.  Sources of other files (a payment of an earlier input moved
 * from suspense) are kept.  NULL: as the allocations say.  Copied. */
void voucher_set_source_path(struct voucher_writer *v, const char *name,
    const char *path);
void voucher_free(struct voucher_writer *v);

/* Feed one record: alloc records are posted, voucher records written in
 * the writer's layout, others ignored.  0 ok,
 * 1 record quarantined (d says why; nothing written for it), -1 internal
 * error (d filled). */
int voucher_feed(struct voucher_writer *v, const struct recin *r,
    struct diag *d);

/* Write the last pending voucher.  0 or -1. */
int voucher_flush(struct voucher_writer *v, struct diag *d);

/* After the last record: 1 with d when the last voucher converted from
 * voucher records does not balance (each earlier one is said by the
 * voucher_feed() of the line after it), else 0. */
int voucher_convert_done(struct voucher_writer *v, struct diag *d);

/* Vouchers written so far and the sum of their debits (cents). */
long voucher_count(const struct voucher_writer *v);

#endif
