# Writes a one-batch KTL file (formats/ktl.md) of reference payments,
# with its sum record.  Used by gen.sh in this directory.  Input lines,
# fields separated by '|':
#   B|YYMMDD|BBAN
#   P|ARCHIVE_ID|REFERENCE|PAYER|AMOUNT_CENTS
BEGIN { FS = "|"; ORS = "\r\n" }
function pad(s, n) { s = substr(s, 1, n); while (length(s) < n) s = s " "; return s }
function num(v, n) { return sprintf("%0" n "d", v) }
$1 == "B" { day = $2; bban = $3; print pad("0" day "1200" "5 " "123456789" "1", 90); next }
$1 == "P" {
	print "3" bban day day pad($2, 16) sprintf("%020d", $3) pad($4, 12) \
	    "1" " " num($5, 10) "0" "A" " "
	n++; sum += $5
}
END { print pad("9" num(n, 6) num(sum, 11) num(0, 6) num(0, 11) num(0, 6) num(0, 11), 90) }
