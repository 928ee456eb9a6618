package casework

// ValidBSN reports whether s is a BSN in format: nine digits passing the
// 11-proef (weights 9..2 and −1). 000000000 passes the sum and is refused.
// Passing proves the format only, not that the number was issued.
func ValidBSN(s string) bool {
	if len(s) != 9 {
		return false
	}
	sum := 0
	allZero := true
	for i := 0; i < 9; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if d != 0 {
			allZero = false
		}
		w := 9 - i
		if i == 8 {
			w = -1
		}
		sum += w * d
	}
	return !allZero && sum%11 == 0
}

// MaskBSN shows only the last three digits: "******782".
func MaskBSN(s string) string {
	if len(s) < 3 {
		return "*********"
	}
	return "******" + s[len(s)-3:]
}
