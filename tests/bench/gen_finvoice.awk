# Generate a Finvoice transmission file of n framed 3.0 invoices on stdout:
# each message is a SOAP envelope followed by its own XML declaration and
# Finvoice document, ISO-8859-15, rows + total consistent, valid references.
#   awk -v n=100000 [-v first=1] -f tests/bench/gen_finvoice.awk > big.xml
# Invoice i has number B-i, three rows and total 3 * (i % 900 + 100) * 1.255.
function ref(base,    i, s, w, d) {
	s = 0
	for (i = length(base); i >= 1; i--) {
		w = (length(base) - i) % 3
		d = substr(base, i, 1) + 0
		s += d * (w == 0 ? 7 : w == 1 ? 3 : 1)
	}
	return base "" ((10 - s % 10) % 10)
}
function amt(c,    s) {
	s = (c < 0) ? "-" : ""
	if (c < 0) c = -c
	return s int(c / 100) "," sprintf("%02d", c % 100)
}
BEGIN {
	if (n == "") n = 1000
	if (first == "") first = 1
	for (i = first; i < first + n; i++) {
		id = "MSG-" i
		print "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:eb=\"http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd\">"
		print "<SOAP-ENV:Header>"
		print "<eb:MessageHeader SOAP-ENV:mustUnderstand=\"1\" eb:version=\"2.0\">"
		print "<eb:From><eb:PartyId>003712345671</eb:PartyId><eb:Role>Sender</eb:Role></eb:From>"
		print "<eb:From><eb:PartyId>OKOYFIHH</eb:PartyId><eb:Role>Intermediator</eb:Role></eb:From>"
		print "<eb:To><eb:PartyId>003798765436</eb:PartyId><eb:Role>Receiver</eb:Role></eb:To>"
		print "<eb:To><eb:PartyId>NDEAFIHH</eb:PartyId><eb:Role>Intermediator</eb:Role></eb:To>"
		print "<eb:CPAId>yoursandmycpa</eb:CPAId>"
		print "<eb:Service>Routing</eb:Service>"
		print "<eb:Action>ProcessInvoice</eb:Action>"
		print "<eb:MessageData><eb:MessageId>" id "</eb:MessageId><eb:Timestamp>2026-10-01T10:00:00+03:00</eb:Timestamp></eb:MessageData>"
		print "</eb:MessageHeader>"
		print "</SOAP-ENV:Header>"
		print "<SOAP-ENV:Body><eb:Manifest eb:id=\"Manifest\" eb:version=\"2.0\"><eb:Reference eb:id=\"Finvoice\" xlink:href=\"" id "\"><eb:schema eb:location=\"http://www.finvoice.info/finvoice.xsd\" eb:version=\"3.0\"/></eb:Reference></eb:Manifest></SOAP-ENV:Body>"
		print "</SOAP-ENV:Envelope>"
		print "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>"
		print "<?xml-stylesheet type=\"text/xsl\" href=\"Finvoice.xsl\"?>"
		print "<Finvoice Version=\"3.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"Finvoice3.0.xsd\">"
		print "<SellerPartyDetails>"
		print "<SellerPartyIdentifier>1234567-1</SellerPartyIdentifier>"
		print "<SellerOrganisationName>Myyj\344 Oy</SellerOrganisationName>"
		print "<SellerPostalAddressDetails><SellerStreetName>Kauppakatu 1</SellerStreetName><SellerTownName>Helsinki</SellerTownName><SellerPostCodeIdentifier>00100</SellerPostCodeIdentifier><CountryCode>FI</CountryCode></SellerPostalAddressDetails>"
		print "</SellerPartyDetails>"
		print "<BuyerPartyDetails>"
		print "<BuyerPartyIdentifier>0112038-9</BuyerPartyIdentifier>"
		print "<BuyerOrganisationName>Ostaja " i " Oy</BuyerOrganisationName>"
		print "<BuyerPostalAddressDetails><BuyerStreetName>M\344kitie " (i % 90 + 1) "</BuyerStreetName><BuyerTownName>Espoo</BuyerTownName><BuyerPostCodeIdentifier>02100</BuyerPostCodeIdentifier><CountryCode>FI</CountryCode></BuyerPostalAddressDetails>"
		print "</BuyerPartyDetails>"
		unit = (i % 900 + 100) * 100
		vat = int((unit * 255 + 500) / 1000)
		total = 3 * (unit + vat)
		print "<InvoiceDetails>"
		print "<InvoiceTypeCode>INV01</InvoiceTypeCode>"
		print "<InvoiceTypeText>LASKU</InvoiceTypeText>"
		print "<OriginCode>Original</OriginCode>"
		print "<InvoiceNumber>B-" i "</InvoiceNumber>"
		print "<InvoiceDate Format=\"CCYYMMDD\">20261001</InvoiceDate>"
		print "<InvoiceTotalVatExcludedAmount AmountCurrencyIdentifier=\"EUR\">" amt(3 * unit) "</InvoiceTotalVatExcludedAmount>"
		print "<InvoiceTotalVatAmount AmountCurrencyIdentifier=\"EUR\">" amt(3 * vat) "</InvoiceTotalVatAmount>"
		print "<InvoiceTotalVatIncludedAmount AmountCurrencyIdentifier=\"EUR\">" amt(total) "</InvoiceTotalVatIncludedAmount>"
		print "<PaymentTermsDetails><PaymentTermsFreeText>14 pv netto</PaymentTermsFreeText><InvoiceDueDate Format=\"CCYYMMDD\">20261015</InvoiceDueDate></PaymentTermsDetails>"
		print "</InvoiceDetails>"
		for (r = 1; r <= 3; r++) {
			print "<InvoiceRow>"
			print "<ArticleName>Ty\366 " r "</ArticleName>"
			print "<InvoicedQuantity QuantityUnitCode=\"h\">1</InvoicedQuantity>"
			print "<UnitPriceAmount AmountCurrencyIdentifier=\"EUR\">" amt(unit) "</UnitPriceAmount>"
			print "<RowVatRatePercent>25,5</RowVatRatePercent>"
			print "<RowVatAmount AmountCurrencyIdentifier=\"EUR\">" amt(vat) "</RowVatAmount>"
			print "<RowVatExcludedAmount AmountCurrencyIdentifier=\"EUR\">" amt(unit) "</RowVatExcludedAmount>"
			print "<RowAmount AmountCurrencyIdentifier=\"EUR\">" amt(unit + vat) "</RowAmount>"
			print "</InvoiceRow>"
		}
		rf = ref(1000 + i)
		print "<EpiDetails>"
		print "<EpiIdentificationDetails><EpiDate Format=\"CCYYMMDD\">20261001</EpiDate><EpiReference>" rf "</EpiReference></EpiIdentificationDetails>"
		print "<EpiPartyDetails><EpiBfiPartyDetails><EpiBfiIdentifier IdentificationSchemeName=\"BIC\">NDEAFIHH</EpiBfiIdentifier></EpiBfiPartyDetails>"
		print "<EpiBeneficiaryPartyDetails><EpiNameAddressDetails>Myyj\344 Oy</EpiNameAddressDetails><EpiAccountID IdentificationSchemeName=\"IBAN\">FI2112345600000785</EpiAccountID></EpiBeneficiaryPartyDetails></EpiPartyDetails>"
		print "<EpiPaymentInstructionDetails>"
		print "<EpiRemittanceInfoIdentifier IdentificationSchemeName=\"SPY\">" rf "</EpiRemittanceInfoIdentifier>"
		print "<EpiInstructedAmount AmountCurrencyIdentifier=\"EUR\">" amt(total) "</EpiInstructedAmount>"
		print "<EpiCharge ChargeOption=\"SHA\">SHA</EpiCharge>"
		print "<EpiDateOptionDate Format=\"CCYYMMDD\">20261015</EpiDateOptionDate>"
		print "</EpiPaymentInstructionDetails>"
		print "</EpiDetails>"
		print "</Finvoice>"
	}
}
