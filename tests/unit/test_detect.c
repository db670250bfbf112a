/*
 * Unit tests: which reader a file goes to (read/reader.c format_detect):
 * the first root element decides, never a root's name in text, a
 * comment or CDATA, nor one after the first.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "read/reader.h"

static enum format
detect(const char *s)
{
	return format_detect(s, strlen(s));
}

Test(detect, xml_roots)
{
	cr_assert_eq(detect("<?xml version=\"1.0\"?>\n<Finvoice Version="
	    "\"3.0\"><SellerPartyDetails/></Finvoice>"), FMT_FINVOICE);
	cr_assert_eq(detect("\xef\xbb\xbf<Document xmlns=\"urn:iso:std:iso:"
	    "20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"), FMT_CAMT053);
	cr_assert_eq(detect("<Document><BkToCstmrDbtCdtNtfctn>"),
	    FMT_CAMT054);
	cr_assert_eq(detect("<FinvoiceSenderInfo Version=\"2.0\">"), FMT_SI);
	cr_assert_eq(detect("<FinvoiceReceiverInfo>"), FMT_RI);
	cr_assert_eq(detect("<html><body>Finvoice</body></html>"),
	    FMT_UNKNOWN);
}

Test(detect, framed_message)
{
	cr_assert_eq(detect("<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"x\">"
	    "<SOAP-ENV:Header><eb:MessageHeader><eb:Action>"
	    "FinvoiceSenderInfo</eb:Action></eb:MessageHeader>"
	    "</SOAP-ENV:Header><SOAP-ENV:Body/></SOAP-ENV:Envelope>\n"
	    "<?xml version=\"1.0\"?><Finvoice>"), FMT_FINVOICE);
	cr_assert_eq(detect("<s:Envelope><s:Body/></s:Envelope>"
	    "<fi:FinvoiceSenderInfo>"), FMT_SI);
}

/* An invoice whose free text, a comment or CDATA names another root
 * is still an invoice; so is one followed by anything. */
Test(detect, names_in_text_do_not_count)
{
	cr_assert_eq(detect("<?xml version=\"1.0\"?><!-- <BkToCstmrStmt> -->"
	    "<![CDATA[<FinvoiceSenderInfo>]]><!DOCTYPE x>"
	    "<Finvoice><InvoiceFreeText>BkToCstmrStmt &lt;"
	    "FinvoiceReceiverInfo&gt;</InvoiceFreeText>"), FMT_FINVOICE);
	cr_assert_eq(detect("<Finvoice/><FinvoiceSenderInfo/>"),
	    FMT_FINVOICE);
	cr_assert_eq(detect("<FinvoiceX><Finvoicer>"), FMT_UNKNOWN);
	cr_assert_eq(detect("<!-- never closed <Finvoice>"), FMT_UNKNOWN);
}

Test(detect, fixed_formats)
{
	cr_assert_eq(detect("T00322100123456"), FMT_KTO);
	cr_assert_eq(detect("0260916120051234567891"), FMT_KTL);
	cr_assert_eq(detect("0260916x"), FMT_UNKNOWN);
}
