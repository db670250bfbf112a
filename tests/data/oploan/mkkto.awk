# Writes a one-day KTO statement (formats/kto.md) from a description,
# computing the record lengths, the balance and the day's totals.  Used by
# gen.sh in this directory; the output is committed.  Input lines, fields
# separated by '|':
#   S|BBAN|IBAN|BIC|STATEMENT_NO|YYMMDD|OPENING_CENTS|OWNER
#   T|ARCHIVE_ID|CODE|TEXT|AMOUNT_CENTS|NAME|REFERENCE|MESSAGE
# (amounts signed; MESSAGE, if any, becomes a T11 00 record).
BEGIN { FS = "|"; ORS = "\r\n" }
function pad(s, n) { s = substr(s, 1, n); while (length(s) < n) s = s " "; return s }
function num(v, n) { return sprintf("%0" n "d", v) }
function amt(c) { return (c < 0 ? "-" : "+") num(c < 0 ? -c : c, 18) }
$1 == "S" {
	bban = $2; iban = $3; bic = $4; no = $5; day = $6; bal = $7 + 0
	owner = $8
	next
}
$1 == "T" {
	n++
	a = $5 + 0
	t = "T10188" num(n, 6) pad($2, 18) day day day (a < 0 ? "2" : "1") \
	    pad($3, 3) pad($4, 35) amt(a) "  " pad($6, 35) " " pad("", 14) \
	    " " pad($7 == "" ? "" : sprintf("%020d", $7), 20) pad("", 8) "0"
	recs[++nr] = t
	if ($8 != "")
		recs[++nr] = "T11" num(9 + 35, 3) "00" pad($8, 35)
	close_bal += a
	if (a < 0) { dn++; dsum -= a } else { cn++; csum += a }
	next
}
END {
	hdr = "T00322100" bban num(no, 3) day day day "1200" pad("", 17) \
	    day amt(bal) num(0, 6) "EUR" pad("KONSERNITILI", 30) num(0, 18) \
	    pad(owner, 35) pad("", 80) pad("", 30) pad(iban, 18) " " \
	    pad(bic, 11)
	print hdr
	for (i = 1; i <= nr; i++)
		print recs[i]
	print "T40050" day amt(bal + close_bal) amt(bal + close_bal)
	print "T500671" day num(cn, 8) amt(csum) num(dn, 8) amt(-dsum)
}
