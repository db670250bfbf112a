# Helpers for the ledger golden cases: inv and pay records from a few
# columns.  Sourced by the cases' cmd files.
inv() {	# NO TYPE TOTAL REF CREDITED BUYER LINE
	printf 'inv\t%s\t%s\t2026-01-05\t2026-02-04\t\t%s\tBuyer %s\tFI\tEUR\t%s\t\t%s\t%s\tfi\t0\t\t\t\t1\t\tinv.xml:%s\n' \
	    "$1" "$2" "$6" "$6" "$3" "$4" "$5" "$7"
}
pay() {	# ARCHIVE DATE REF AMOUNT CORRECTION LINE [CURRENCY]
	printf 'pay\tFI2112345600000785\t%s\t%s\t%s\t%s\tPayer %s\t%s\t%s\t%s\tA\tref\t\t\tpay.ktl:%s\n' \
	    "$1" "$2" "$2" "$3" "$1" "$4" "${7:-EUR}" "$5" "$6"
}
CONF=$DATA/ledger/reskontra.conf
L=$OUT/../ledger.db
