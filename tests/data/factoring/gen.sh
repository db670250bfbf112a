#!/bin/sh
# Makes the Finvoice inputs of the factoring tests from the public sample
# invoice (../finvoice/gobl-invoice-3.0.xml: dated 2026-09-01, due
# 2026-09-15, total 1088,36) and credit note (../finvoice/
# gobl-credit-note-3.0.xml, total -56,75): each invoice gets a number,
# a buyer of customers.tsv and its own national reference.  Run from
# this directory; the output is committed.
set -eu
base=../finvoice/gobl-invoice-3.0.xml
credit=../finvoice/gobl-credit-note-3.0.xml

# [lang=XX] mk NAME NUMBER BUYER REFERENCE [SED-EXPRESSION...]
mk() {
	name=$1 no=$2 buyer=$3 ref=$4
	shift 4
	sed -e "s|<InvoiceNumber>2026-1001</InvoiceNumber>|<InvoiceNumber>$no</InvoiceNumber>|" \
	    -e "s|<BuyerPartyIdentifier>0112038-9<|<BuyerPartyIdentifier>$buyer<|" \
	    -e "s|RF18539007547034|$ref|g" -e 's|IdentificationSchemeName="ISO"|IdentificationSchemeName="SPY"|' \
	    -e '/^  <BuyerPartyDetails>/i \  <InvoiceRecipientLanguageCode>'"${lang:-FI}"'</InvoiceRecipientLanguageCode>' \
	    "$@" "$base" >"$name"
}

# nordea customer (code 100), op customer (code 200, Swedish), a
# customer of no factoring account, a customer of the other financier
mk f-1001.xml 1001 0112038-9 1000012
lang=SV mk f-1002.xml 1002 4567890-7 1000025 -e "s|<BuyerOrganisationName>Ostaja Oy<|<BuyerOrganisationName>Köpare Ab<|"
mk f-1003.xml 1003 0737546-2 1000038
lang=EN mk f-1004.xml 1004 2871186-7 1000041 -e "s|<BuyerOrganisationName>Ostaja Oy<|<BuyerOrganisationName>Buyer Ltd<|"
# a second nordea invoice, for the second batch
mk f-1005.xml 1005 0112038-9 1000054
# rejected: a number of 9 characters, a street of 2, a post code of 2,
# a town of 1, a number that is not digits
mk f-123456789.xml 123456789 0112038-9 1000067
mk f-street.xml 1006 0112038-9 1000070 -e 's|<BuyerStreetName>Testitie 2<|<BuyerStreetName>Ab<|' -e '/<BuyerStreetName>3. kerros</d'
mk f-post.xml 1007 0112038-9 1000083 -e 's|<BuyerPostCodeIdentifier>02100<|<BuyerPostCodeIdentifier>12<|'
mk f-town.xml 1008 0112038-9 1000096 -e 's|<BuyerTownName>Espoo<|<BuyerTownName>E<|'
mk f-alpha.xml A-1009 0112038-9 1000106
# credit note of the nordea customer for invoice 1001
sed -e 's|<OriginalInvoiceNumber>2026-1001<|<OriginalInvoiceNumber>1001<|' \
    -e 's|<InvoiceNumber>2026-1002<|<InvoiceNumber>9001<|' "$credit" >c-9001.xml
