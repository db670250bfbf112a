#!/bin/sh
# Makes the Finvoice inputs of the service payment tests from the public
# sample invoice (../finvoice/gobl-invoice-3.0.xml: dated 2026-09-01,
# due 2026-09-15, total 1088,36, buyer 0112038-9, group premium in
# ../route/customers.tsv) and credit note (../finvoice/
# gobl-credit-note-3.0.xml): each invoice gets its own number and its
# own national reference.  Run from this directory; the output is
# committed.
set -eu
base=../finvoice/gobl-invoice-3.0.xml
credit=../finvoice/gobl-credit-note-3.0.xml

# mk NAME NUMBER REFERENCE [SED-EXPRESSION...]
mk() {
	name=$1 no=$2 ref=$3
	shift 3
	sed -e "s|<InvoiceNumber>2026-1001</InvoiceNumber>|<InvoiceNumber>$no</InvoiceNumber>|" \
	    -e "s|RF18539007547034|$ref|g" -e 's|IdentificationSchemeName="ISO"|IdentificationSchemeName="SPY"|' \
	    -e '/^  <BuyerPartyDetails>/i \  <InvoiceRecipientLanguageCode>FI</InvoiceRecipientLanguageCode>' \
	    "$@" "$base" >"$name"
}

mk s-001.xml S-001 1000012
mk s-002.xml S-002 1000025
mk s-003.xml S-003 1000038
mk s-004.xml S-004 1000041
# customer in group nomonitor: passed, paid to the company as usual
mk n-001.xml N-001 1000054 -e 's|<BuyerPartyIdentifier>0112038-9<|<BuyerPartyIdentifier>0737546-2<|'
sed -e 's|<OriginalInvoiceNumber>2026-1001<|<OriginalInvoiceNumber>S-004<|' \
    -e 's|<InvoiceNumber>2026-1002<|<InvoiceNumber>S-904<|' "$credit" >s-904.xml
