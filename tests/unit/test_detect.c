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

/* The account of a file's first statement (read/reader.c
 * statement_account()), which the spool orders OP's virtual statements
 * by. */
static int
account_of(const char *s, char *iban)
{
	return statement_account(format_detect(s, strlen(s)), s, strlen(s),
	    iban);
}

Test(detect, statement_account)
{
	char iban[40];

	cr_assert_eq(account_of("T00322100500015200000810022609142609", iban),
	    0);
	cr_assert_str_eq(iban, "FI1350001520000081");
	cr_assert_eq(account_of("<Document><BkToCstmrStmt><Stmt><Id>1</Id>"
	    "<Acct><Id><IBAN>FI21 1234 5600 0007 85</IBAN></Id></Acct>",
	    iban), 0);
	cr_assert_str_eq(iban, "FI2112345600000785");
	/* a KTL of the virtual account: its first payment record's */
	cr_assert_eq(account_of("0260914120051234567891\r\n"
	    "350001520000081260914260914", iban), 0);
	cr_assert_str_eq(iban, "FI1350001520000081");
	/* an account given as Othr/Id (OP's virtual statement gives its
	 * 14-digit BBAN): its IBAN, as the camt reader takes it; not the
	 * IBAN of the first entry's payer that follows */
	cr_assert_eq(account_of("<Document><BkToCstmrStmt><Stmt><Acct><Id>"
	    "<Othr><Id>50001520000081</Id></Othr></Id></Acct><Ntry><NtryDtls>"
	    "<TxDtls><RltdPties><DbtrAcct><Id><IBAN>FI2112345600000785</IBAN>"
	    "</Id></DbtrAcct>", iban), 0);
	cr_assert_str_eq(iban, "FI1350001520000081");
	cr_assert_eq(account_of("<s:Document><s:BkToCstmrStmt><s:Stmt>"
	    "<s:Acct><s:Id><s:Othr><s:Id>500015-281</s:Id></s:Othr></s:Id>"
	    "</s:Acct>", iban), 0);
	cr_assert_str_eq(iban, "FI1350001520000081");
	/* another bank's own account number: as given */
	cr_assert_eq(account_of("<Document><BkToCstmrStmt><Stmt><Acct><Id>"
	    "<Othr><Id>ACC-77</Id></Othr></Id></Acct>", iban), 0);
	cr_assert_str_eq(iban, "ACC-77");
	/* a bad BBAN, a KTL without payments, a camt Acct without IBAN
	 * or Othr (the payer's IBAN after it is not taken), an Acct cut
	 * off by the end of the peek, a cut-off T00 */
	cr_assert_eq(account_of("T00322100500015200000820022609142609",
	    iban), -1);
	cr_assert_eq(account_of("02609160000NDEAFIHH", iban), -1);
	cr_assert_eq(account_of("<Document><BkToCstmrStmt><Stmt><Acct><Ccy>"
	    "EUR</Ccy></Acct><Ntry><DbtrAcct><Id><IBAN>FI2112345600000785"
	    "</IBAN></Id></DbtrAcct>", iban), -1);
	cr_assert_eq(account_of("<Document><BkToCstmrStmt><Stmt><Acct><Id>"
	    "<Othr><Id>50001520000081</Id></Othr>", iban), -1);
	cr_assert_eq(account_of("T00322100500015", iban), -1);
}
