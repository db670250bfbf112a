/*
 * latin9: ISO-8859-15 to and from UTF-8, for libxml2; ISO-8859-1 to
 * UTF-8 as the program reads it everywhere.
 *
 * libxml2 converts ISO-8859-15 documents through iconv, opening a
 * converter for every document it parses or saves; for Finvoice files
 * of thousands of small messages that is much of the work.  These two
 * functions have libxml2's xmlCharEncodingInputFunc and
 * xmlCharEncodingOutputFunc contract, and xmlsafe.c registers them as
 * the "ISO-8859-15" handler: no converter is opened.
 *
 * latin9_to_utf8: the bytes of in[0..*inlen) into out[0..*outlen) as
 * UTF-8; *inlen and *outlen become what was consumed and written (it
 * stops where out is full); returns *outlen.
 *
 * latin9_from_utf8: UTF-8 in[0..*inlen) into ISO-8859-15 out; an
 * incomplete sequence at the end of in is left for the next call.
 * Returns the bytes written, or -2 at a character ISO-8859-15 does not
 * have (libxml2 then writes it as a character reference) or at bytes
 * that are not UTF-8, with *inlen and *outlen the progress up to it.
 */
/*
 * latin1_code_point: the code point of byte b in text labelled
 * ISO-8859-1: b itself, except that 0x80-0x9f are windows-1252's letters
 * and signs (0x80 the euro sign, 0x8a S-caron, 0x96 an en dash, 0x92 a
 * right single quotation mark), as the Encoding Standard reads that
 * label; 0x81 0x8d 0x8f 0x90 0x9d, undefined there, stay C1 controls.
 * latin1_to_utf8: so for libxml2, with latin9_to_utf8's contract;
 * xmlsafe.c makes it the decoder of every ISO-8859-1 label (the encoder
 * stays libxml2's own, which writes code points above 0xff as character
 * references).
 */
#ifndef RESKONTRA_LATIN9_H
#define RESKONTRA_LATIN9_H

int latin9_to_utf8(unsigned char *out, int *outlen, const unsigned char *in,
    int *inlen);
int latin9_from_utf8(unsigned char *out, int *outlen,
    const unsigned char *in, int *inlen);

unsigned latin1_code_point(unsigned char b);
int latin1_to_utf8(unsigned char *out, int *outlen, const unsigned char *in,
    int *inlen);

#endif
