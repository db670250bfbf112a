# Helpers for the service payment golden cases: pay and txn records from
# a few columns.  Sourced by the cases' cmd files.  The company's account
# is FI2112345600000785, the service's client account (route/amili.conf)
# FI5810171000000122.
OWN=FI2112345600000785
CLIENT=FI5810171000000122
pay() {	# ACCOUNT ARCHIVE DATE REF AMOUNT PAYER LINE [CORRECTION]
	printf 'pay\t%s\t%s\t%s\t%s\t%s\t%s\t%s\tEUR\t%s\tA\tref\t\t\tpay.ktl:%s\n' \
	    "$1" "$2" "$3" "$(date -d "$3 -1 day" +%F)" "$4" "$6" "$5" "${8:-0}" "$7"
}
txn() {	# ARCHIVE DATE AMOUNT NAME MESSAGE LINE [LEVEL]
	case $3 in -*) t=2 ;; *) t=1 ;; esac
	printf 'txn\t%s\t%s\t%s\t%s\t%s\t710\tPano\t%s\t%s\t\t\t%s\t%s\t%s%s\tstmt.kto:%s\n' \
	    "$OWN" "$1" "$2" "$2" "$t" "$3" "$4" "$5" "$2" "${7:-0}" \
	    "$(printf '\t%.0s' $(seq 22))" "$6"
}
# setup CONF: the invoices of this directory read, routed on 2026-09-01
# (S-001..S-004 routed with assignments 1..4, service references 7715,
# 7728, 7731, 7744 under route/amili.conf; N-001 and credit note S-904
# passed) and stored in the ledger $L.  Prints nothing.
L=$OUT/../ledger.db
setup() {
	(cd "$DATA/svcpay" && "$RESKONTRA" read *.xml) >"$OUT/../inv.rec" &&
	    "$RESKONTRA" route -c "$1" -l "$L" --today 2026-09-01 \
	    "$OUT/../inv.rec" >/dev/null &&
	    "$RESKONTRA" match -c "$1" -l "$L" "$OUT/../inv.rec" >/dev/null
}
