#!/bin/sh
# Makes the routing test invoices from the public sample invoice
# (../finvoice/gobl-invoice-3.0.xml, invoice 2026-1001 of 2026-09-01, due
# 2026-09-15, buyer 0112038-9): each file changes one thing, named in
# the list below.  Run from this directory; the output is committed.
set -eu
base=../finvoice/gobl-invoice-3.0.xml
credit=../finvoice/gobl-credit-note-3.0.xml

# mk NAME NUMBER SED-EXPRESSION...
mk() {
	name=$1 no=$2
	shift 2
	sed -e "s|<InvoiceNumber>2026-1001</InvoiceNumber>|<InvoiceNumber>$no</InvoiceNumber>|" "$@" "$base" >"$name"
}
lang() {
	printf '%s' "/^  <BuyerPartyDetails>/i \\  <InvoiceRecipientLanguageCode>$1</InvoiceRecipientLanguageCode>"
}
due() {
	echo "s|<InvoiceDueDate Format=\"CCYYMMDD\">20260915<|<InvoiceDueDate Format=\"CCYYMMDD\">$1<|;s|<EpiDateOptionDate Format=\"CCYYMMDD\">20260915<|<EpiDateOptionDate Format=\"CCYYMMDD\">$1<|"
}
buyer() {
	echo "s|<BuyerPartyIdentifier>0112038-9<|<BuyerPartyIdentifier>$1<|"
}

mk ok-fi.xml R-001 -e 's|x|x|'
# no XML declaration: the root element at the first byte
tail -n +2 ok-fi.xml >nodecl-fi.xml
mk ok-sv.xml R-002 -e "$(lang SV)"
mk ok-en.xml R-003 -e "$(lang EN)"
mk ok-de.xml R-004 -e "$(lang DE)"
mk addr.xml R-005 -e 's|<BuyerPostCodeIdentifier>02100<|<BuyerPostCodeIdentifier>0210<|'
mk dup.xml R-001 -e 's|x|x|'
mk dup-date.xml R-001 -e 's|<InvoiceDate Format="CCYYMMDD">20260901<|<InvoiceDate Format="CCYYMMDD">20260902<|'
mk due.xml R-013 -e "$(due 20260904)"
mk due-ok.xml R-014 -e "$(due 20260907)"
mk total.xml R-020 -e 's|<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier="EUR">1088,36<|<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier="EUR">1088,46<|'
mk ref.xml R-021 -e 's|RF18539007547034|RF18539007547035|g'
mk sek.xml R-030 -e 's|AmountCurrencyIdentifier="EUR"|AmountCurrencyIdentifier="SEK"|g'
mk foreign.xml R-040 -e 's|<CountryCode>FI</CountryCode>\(.*\)$|<CountryCode>FI</CountryCode>\1|' -e '/<BuyerPostalAddressDetails>/,/<\/BuyerPostalAddressDetails>/s|<CountryCode>FI<|<CountryCode>SE<|'
mk nomonitor.xml R-041 -e "$(buyer 0737546-2)"
mk early.xml R-042 -e 's|<InvoiceDate Format="CCYYMMDD">20260901<|<InvoiceDate Format="CCYYMMDD">20251231<|'
mk temp.xml R-050 -e "$(buyer 1234734-3)"
mk group.xml R-051 -e "$(buyer 2871186-7)"
mk consumer.xml R-052 -e "$(buyer C-1001)"
mk vatid.xml R-053 -e "$(buyer FI01120389)"
mk due-today.xml R-054 -e "$(due 20260901)"
mk barcode.xml R-060 -e '0,/^  <InvoiceRow>/s|^  <InvoiceRow>|  <VirtualBankBarcode>521123456000007850010883618000000000539007547034260915</VirtualBankBarcode>\
  <InvoiceRow>|'
sed -e 's|<OriginalInvoiceNumber>2026-1001<|<OriginalInvoiceNumber>R-001<|' "$credit" >credit.xml
sed -e 's|<OriginalInvoiceNumber>2026-1001<|<OriginalInvoiceNumber>R-999<|' -e 's|<InvoiceNumber>2026-1002<|<InvoiceNumber>R-998<|' "$credit" >credit-unlinked.xml
