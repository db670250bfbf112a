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
txn() {	# ARCHIVE DATE AMOUNT NAME MESSAGE LINE
	printf 'txn\t%s\t%s\t%s\t%s\t1\t710\tPano\t%s\t%s\t\t\t%s\t%s\t0%s\tstmt.kto:%s\n' \
	    "$OWN" "$1" "$2" "$2" "$3" "$4" "$5" "$2" \
	    "$(printf '\t%.0s' $(seq 22))" "$6"
}
