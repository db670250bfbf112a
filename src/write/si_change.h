/*
 * si_change: the CHANGE messages of a company's invoicer notifications
 * (Finvoice SI, root FinvoiceSenderInfo) for its receivables service
 * (DESIGN.md step 7, spec/services.md section 7, formats/si.md).
 *
 * A file of SI messages (framed or bare, one or many, UTF-8 or
 * ISO-8859-15) is read a message at a time (base/fvsplit.h).  Each
 * message is parsed (xml_parse_safe), validated against
 * FinvoiceSenderInfo.xsd, changed in the tree and written back in its
 * own declared encoding (finvoice_serialize), and the result is parsed
 * and validated again before it is kept: a message that is invalid,
 * lacks a part, is a DELETE or would not be valid once changed is
 * rejected with a message naming the field, and nothing of it is
 * written.  What changes, and nothing else:
 *  - MessageActionCode becomes CHANGE and MessageDate today;
 *  - every SellerAccountDetails block is kept and gets NewSellerAccountID
 *    and NewSellerBic repeating its account (the CHANGE's complete new
 *    account list), unless it has them; a block for the service account
 *    (SellerAccountID, SellerBic and the same in the New* elements) is
 *    added after the last one, unless the account is listed already;
 *  - each SellerInvoiceIdentifierText of type 01 (national reference) or
 *    02 (RF) gets the type identifier_type and a text in its language
 *    that tells the consumer what to enter; its length limits (they were
 *    the reference's) are removed.  Other types stay as they are.
 *
 * The receiving bank of a message is the frame's To Intermediator, or
 * for a bare message the InvoiceSenderIntermediatorAddress; every CHANGE
 * gets a new frame addressed to SENDERINFO at that bank.  The messages of
 * one bank are held in memory and handed to emit once the file is read,
 * one call per bank in the order the banks were first met.
 *
 * Ownership: the caller owns the input and every string of struct
 * si_change; the data passed to emit and the diag passed to reject are
 * valid during the call only.
 */
#ifndef RESKONTRA_SI_CHANGE_H
#define RESKONTRA_SI_CHANGE_H

#include <stddef.h>

#include "base/config.h"
#include "base/date.h"
#include "base/diag.h"
#include "base/ident.h"
#include "base/input.h"
#include "base/util.h"

struct si_change {
	const char *iban;		/* the service account, normalised */
	const char *bic;		/* its BIC */
	const char *identifier_type;	/* 08, 09 or 99 */
	const char *business_id;	/* the company's: an SI of another
					 * seller is not changed */
	day_t today;
	const char *schema_dir;		/* NULL: the built-in schemas */
	/* One bank's CHANGE messages with their frames: 0, or -1 with d
	 * (stops the file). */
	int (*emit)(void *arg, const char *bank, const char *data, size_t len,
	    struct diag *d);
	/* A message that was not changed, and why (FILE:LINE). */
	void (*reject)(void *arg, const struct diag *md);
	void *arg;
	/* RI messages (root FinvoiceReceiverInfo) are passed over, not
	 * rejected: the caller maps them (reskontra run) */
	int skip_ri;
};

struct si_change_counts {
	long messages;		/* SI messages in the file */
	long changed;		/* CHANGE messages written */
	long kept_type;		/* of them: identifier type left as it was */
	long rejected;
	long banks;		/* emit calls */
	long skipped_ri;	/* RI messages passed over (skip_ri) */
};

/* The service's part of sc from conf: iban, bic (bic_buf holds one
 * derived from the IBAN's bank code when [service] bic is not given),
 * identifier_type.  0, or -1 with d naming the key when there is no
 * [service] iban or no BIC for it. */
int si_change_init(struct si_change *sc, const struct config *conf,
    char bic_buf[BIC_BUFSZ], struct diag *d);

/* Change every SI message of in (named name in messages).  0 when the
 * file was read (some messages may have been rejected: counts say how
 * many), 1 when it holds no SI message or cannot be split (d), -1 on a
 * read error or when emit failed (d). */
int si_change_file(const struct si_change *sc, struct input *in,
    const char *name, struct si_change_counts *counts, struct diag *d);

/* The name of the output for bank made from an input named base:
 * base less a final ".gz" and ".xml" (any case), '.', the BIC, ".xml"
 * -- so "si.xml" and "si.xml.gz" give "si.NDEAFIHH.xml".  Made safe for a file name
 * (sbuf_add_name_part); appended to out. */
void si_change_output_name(const char *base, const char *bank,
    struct sbuf *out);

/* The text that tells the consumer what to enter for identifier type
 * `type` (08, 09, 99) in language `lang` (FI, SV, SE, EN, any case);
 * NULL when there is none. */
const char *si_identifier_text(const char *type, const char *lang);

#endif
