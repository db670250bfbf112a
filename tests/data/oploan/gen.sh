#!/bin/sh
# Makes the KTO statements of the OP Laskulaina tests (the booking
# example of the OP Laskulaina guide, seeds/003: a sale of 124.00 to
# Asiakasyhtiö Oy) with mkkto.awk.  OP's virtual account is
# FI1350001520000081 (BBAN 50001520000081, route/op.conf [service]
# iban), the company's FI2112345600000785.  Run from this directory; the
# output is committed.
set -eu
V='50001520000081|FI1350001520000081|OKOYFIHH'
C='12345600000785|FI2112345600000785|NDEAFIHH'

# 2 Sep: the company withdraws 99.20 of the loan (80 % of the sale)
awk -f mkkto.awk >virtual-0902.kto <<END
S|$V|1|260902|0|ESIMERKKI OY
T|260902OPL000000001|710|LASKULAINAN NOSTO|-9920|ESIMERKKI OY||
END

# 4 Sep: the withdrawal reaches the company's account
awk -f mkkto.awk >company-0904.kto <<END
S|$C|1|260904|100000|ESIMERKKI OY
T|260904NDEA00000001|710|OP LASKULAINA NOSTO|9920|OP YRITYSPANKKI OYJ||
END

# 14 Sep: the customer pays 124.00 to OP's account; OP takes the loan
# repayment (99.20) and the interest (0.62) out of it and forwards the
# remainder (24.18) to the company's account
awk -f mkkto.awk >virtual-0914.kto <<END
S|$V|2|260914|-9920|ESIMERKKI OY
T|260914OPL000000002|705|VIITESIIRTO|12400|ASIAKASYHTIO OY|1000012|
T|260914OPL000000003|710|LAINAN LYHENNYS|-9920|OP YRITYSPANKKI OYJ|1000012|
T|260914OPL000000004|710|LAINAN KORKO|-62|OP YRITYSPANKKI OYJ|1000012|
T|260914OPL000000005|710|TILITYS|-2418|ESIMERKKI OY|1000012|
END

# 15 Sep: rows of the virtual statement that are not what reskontra
# recognises, or name no invoice: a fee without a reference, money in
# without a reference, a repayment with the reference of no invoice.
# Each goes to suspense and is listed.
awk -f mkkto.awk >virtual-0915.kto <<END
S|$V|3|260915|-9920|ESIMERKKI OY
T|260915OPL000000006|730|PALVELUMAKSU|-150|OP YRITYSPANKKI OYJ||
T|260915OPL000000007|710|PANO|500|TUNTEMATON MAKSAJA||
T|260915OPL000000008|710|LAINAN LYHENNYS|-1000|OP YRITYSPANKKI OYJ|1000025|
END

# 16 Sep: the remainder reaches the company's account as a reference
# payment
awk -f mkktl.awk >company-0916.ktl <<END
B|260916|12345600000785
P|260916NDEA000001|1000012|OP YRITYSPAN|2418
END

# The demo spool samples/services/op-laskulaina/ (make demo): two
# invoices of ../svcpay (S-001, reference 1000012, and S-002, 1000025,
# 1088.36 each, due 30 Sep) routed to OP on 16 Sep, then OP's and the
# bank's files of September: a withdrawal of 870.69 (80 % of S-001),
# its arrival, S-001 paid to OP's account (repayment 870.69, interest
# 4.35, remainder 213.32 forwarded, and a fee reskontra does not
# recognise), and the company's reference payments of 16 Sep: the
# remainder of S-001 and S-002 paid straight to the company's account
# (an off-payment).
S=../../../samples/services/op-laskulaina/spool/in
mkdir -p "$S"
for n in 1 2; do
	sed 's|20260915|20260930|g' ../svcpay/s-00$n.xml >"$S/20260916-0$n-finvoice.xml"
done
awk -f mkkto.awk >"$S/20260916-03-virtual-0902.kto" <<END
S|$V|11|260902|0|ESIMERKKI OY
T|260902OPL000000011|710|LASKULAINAN NOSTO|-87069|ESIMERKKI OY||
END
awk -f mkkto.awk >"$S/20260916-04-company-0904.kto" <<END
S|$C|11|260904|100000|ESIMERKKI OY
T|260904NDEA00000011|710|OP LASKULAINA NOSTO|87069|OP YRITYSPANKKI OYJ||
END
awk -f mkkto.awk >"$S/20260916-05-virtual-0914.kto" <<END
S|$V|12|260914|-87069|ESIMERKKI OY
T|260914OPL000000012|705|VIITESIIRTO|108836|OSTAJA OY|1000012|
T|260914OPL000000013|710|LAINAN LYHENNYS|-87069|OP YRITYSPANKKI OYJ|1000012|
T|260914OPL000000014|710|LAINAN KORKO|-435|OP YRITYSPANKKI OYJ|1000012|
T|260914OPL000000015|710|TILITYS|-21332|ESIMERKKI OY|1000012|
T|260914OPL000000016|730|PALVELUMAKSU|-150|OP YRITYSPANKKI OYJ||
END
awk -f mkktl.awk >"$S/20260916-06-company.ktl" <<END
B|260916|12345600000785
P|260916NDEA000011|1000012|OP YRITYSPAN|21332
P|260916NDEA000012|1000025|OSTAJA OY|108836
END

# 17 Sep: the remainder is capped (golden test op-remainder-cap).  The
# customer pays 100.00 of L-124 (reference 1000012) to OP's account: OP
# takes 80.00 repayment and 0.50 interest and forwards 19.50.  The
# customer of L-300 (1000025) pays 200.00: OP takes 160.00 and 1.00 and
# the statement shows no TILITYS row (39.00 is left for the company).
awk -f mkkto.awk >virtual-0917.kto <<END
S|$V|4|260917|-9920|ESIMERKKI OY
T|260917OPL000000009|705|VIITESIIRTO|10000|ASIAKASYHTIO OY|1000012|
T|260917OPL000000010|710|LAINAN LYHENNYS|-8000|OP YRITYSPANKKI OYJ|1000012|
T|260917OPL000000011|710|LAINAN KORKO|-50|OP YRITYSPANKKI OYJ|1000012|
T|260917OPL000000012|710|TILITYS|-1950|ESIMERKKI OY|1000012|
T|260917OPL000000013|705|VIITESIIRTO|20000|ASIAKASYHTIO OY|1000025|
T|260917OPL000000014|710|LAINAN LYHENNYS|-16000|OP YRITYSPANKKI OYJ|1000025|
T|260917OPL000000015|710|LAINAN KORKO|-100|OP YRITYSPANKKI OYJ|1000025|
END

# 18 Sep: on the company's account, OP's 19.50 and the customer's own
# 24.00 for L-124 (which never passed OP), and one payment of 139.00 for
# L-300, of which 39.00 is what OP left for the company and 100.00 the
# customer's own payment of the rest
awk -f mkktl.awk >company-0918.ktl <<END
B|260918|12345600000785
P|260918NDEA000001|1000012|OP YRITYSPAN|1950
P|260918NDEA000002|1000012|ASIAKASYHTIO OY|2400
P|260918NDEA000003|1000025|ASIAKASYHTIO OY|13900
END

# Loan arrivals (formats/financing.md "On the company's own statement"):
# 500.00 withdrawn on 2 Sep arrives on 4 Sep as "LAINAN NOSTO" from OP
# (no word Laskulaina): it clears the request.  The same amount
# arriving again on 7 Sep finds no open request (each is cleared once),
# nor does "OP LASKULAINA PALAUTUS" 123.45, withdrawn never: suspense.
# 250.00 requested the same day never arrives: the company's statement
# of 10 Sep, 6 banking days later, has it said.
awk -f mkkto.awk >arrival-virtual-0902.kto <<END
S|$V|21|260902|0|ESIMERKKI OY
T|260902OPL000000021|710|LAINAN NOSTO|-50000|ESIMERKKI OY||
T|260902OPL000000024|710|LAINAN NOSTO|-25000|ESIMERKKI OY||
END
awk -f mkkto.awk >arrival-company-0904.kto <<END
S|$C|21|260904|100000|ESIMERKKI OY
T|260904NDEA00000021|710|LAINAN NOSTO|50000|OP YRITYSPANKKI OYJ||
END
awk -f mkkto.awk >arrival-company-0907.kto <<END
S|$C|22|260907|150000|ESIMERKKI OY
T|260907NDEA00000022|710|LAINAN NOSTO|50000|OP YRITYSPANKKI OYJ||
T|260907NDEA00000023|710|OP LASKULAINA PALAUTUS|12345|OP YRITYSPANKKI OYJ||
END

# The virtual statement checked (formats/financing.md): L-124 (124.00,
# reference 1000012) and L-125 (200.00, 1000025).  On 14 Sep the
# statement comes in ordinary bank form: one 705 summary entry without a
# reference, the customer's payment in a KTL of the virtual account.  A
# repayment of L-125, whose customer paid nothing, is set aside.  On 15
# Sep L-125's customer pays 50.00, OP takes a repayment of 60.00 (more
# than was paid: set aside) and interest 0.50; a summary entry of 30.00
# that no KTL payment explains is unrecognised.
awk -f mkktl.awk >virtual-bank-0914.ktl <<END
B|260914|50001520000081
P|260914OPL000000031|1000012|ASIAKASYHTIO OY|12400
END
awk -f mkkto.awk >virtual-bank-0914.kto <<END
S|$V|31|260914|0|ESIMERKKI OY
T|260914OPL000000032|705|VIITESIIRROT|12400|||
T|260914OPL000000033|710|LAINAN LYHENNYS|-9920|OP YRITYSPANKKI OYJ|1000012|
T|260914OPL000000034|710|LAINAN KORKO|-62|OP YRITYSPANKKI OYJ|1000012|
T|260914OPL000000035|710|TILITYS|-2418|ESIMERKKI OY|1000012|
T|260914OPL000000036|710|LAINAN LYHENNYS|-1000|OP YRITYSPANKKI OYJ|1000025|
END
awk -f mkkto.awk >virtual-bank-0915.kto <<END
S|$V|32|260915|-1000|ESIMERKKI OY
T|260915OPL000000037|705|VIITESIIRTO|5000|TOINEN OY|1000025|
T|260915OPL000000038|710|LAINAN LYHENNYS|-6000|OP YRITYSPANKKI OYJ|1000025|
T|260915OPL000000039|710|LAINAN KORKO|-50|OP YRITYSPANKKI OYJ|1000025|
T|260915OPL000000040|705|VIITESIIRROT|3000|||
END
awk -f mkkto.awk >arrival-company-0910.kto <<END
S|$C|23|260910|212345|ESIMERKKI OY
T|260910NDEA00000025|710|TILISIIRTO|1000|ASIAKASYHTIO OY||
END
