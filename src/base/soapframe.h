/*
 * soapframe: the SOAP/ebXML transmission frame ("sanomakehys") before a
 * Finvoice, SI or RI message (reference finvoice.md section b,
 * formats/si.md): read from the frame part the splitter (base/fvsplit.h)
 * hands out, and written for a new message.
 *
 * Only what reskontra uses is kept: the four parties (sender and its
 * intermediator, receiver and its intermediator, in the mandatory order
 * From Sender, From Intermediator, To Receiver, To Intermediator), the
 * message id, its timestamp and RefToMessageId.  A value longer than its
 * field is cut (the fields are longer than the schemas allow).
 *
 * Ownership: plain values, nothing to free; soapframe_write appends to
 * the caller's buffer.
 */
#ifndef RESKONTRA_SOAPFRAME_H
#define RESKONTRA_SOAPFRAME_H

#include <stddef.h>

#include "base/diag.h"
#include "base/util.h"

#define SOAPFRAME_FIELD 72

struct soapframe {
	int found;			/* the part held an Envelope */
	char from[SOAPFRAME_FIELD];	/* From, Role Sender */
	char from_int[SOAPFRAME_FIELD];	/* From, Role Intermediator */
	char to[SOAPFRAME_FIELD];	/* To, Role Receiver */
	char to_int[SOAPFRAME_FIELD];	/* To, Role Intermediator */
	char message_id[SOAPFRAME_FIELD];
	char timestamp[SOAPFRAME_FIELD];
	char ref_to[SOAPFRAME_FIELD];	/* RefToMessageId */
};

/*
 * The frame in data[0..len) (a frame part: envelopes, blanks, prologs),
 * named name at file line `line` for messages.  0 with fr filled
 * (fr->found 0 when the part holds no Envelope, e.g. only blanks), or
 * -1 with d when an Envelope is there but cannot be parsed.
 */
int soapframe_parse(const char *data, size_t len, const char *name,
    long line, struct soapframe *fr, struct diag *d);

/*
 * Append a frame for one message to out: fr's four parties (all must be
 * given), CPAId yoursandmycpa, Service Routing, Action ProcessInvoice,
 * fr's message id and timestamp (and RefToMessageId when given), and a
 * manifest that refers to the message id with schema version `version`.
 * Each line ends in eol ("\n", "\r\n" or "\r").  The frame is ASCII: -1
 * with d when a value is not printable ASCII (special characters are
 * escaped).
 */
int soapframe_write(struct sbuf *out, const struct soapframe *fr,
    const char *version, const char *eol, struct diag *d);

#endif
