#!/bin/sh
# Makes the demo spool samples/services/kassavirta/ (make demo) with the
# KTO and KTL writers of ../oploan: three invoices of ../svcpay (S-001,
# S-002, S-003, 1088.36 each, due 30 Sep) routed to the service on
# 16 Sep and financed 80 % (870.69 each); the company's reference
# payments of that day: the service settles S-001 (payer VISMA AMILI,
# the original reference) and a customer pays S-002 to the company's
# account with the service reference 5526 (a bypass payment, so a credit
# adjustment of 870.69); then the company's statement with Noja's
# payout: 3 x 870.69 - 870.69 - 13.06 costs = 1728.32.  Run from this
# directory; the output is committed.
set -eu
C='12345600000785|FI2112345600000785|NDEAFIHH'
S=../../../samples/services/kassavirta/spool/in
mkdir -p "$S"
for n in 1 2 3; do
	sed 's|20260915|20260930|g' ../svcpay/s-00$n.xml >"$S/20260916-0$n-finvoice.xml"
done
awk -f ../oploan/mkktl.awk >"$S/20260916-04-company.ktl" <<END
B|260916|12345600000785
P|260916NDEA000021|1000012|VISMA AMILI|108836
P|260916NDEA000022|5526|OSTAJA OY|108836
END
awk -f ../oploan/mkkto.awk >"$S/20260916-05-company.kto" <<END
S|$C|21|260916|100000|ESIMERKKI OY
T|260916NDEA00000020|705|VIITESIIRROT|217672|||
T|260916NDEA00000023|710|TILISIIRTO|172832|NOJA RAHOITUS OY||Rahoitus 16.09.2026
END
