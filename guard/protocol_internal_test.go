package guard

import (
	"math/big"
	"testing"
)

// TestTcharTable: the table is RFC 9110's tchar, as isTchar says.
func TestTcharTable(t *testing.T) {
	for c := 0; c < 256; c++ {
		if tcharTable[c] != isTchar(byte(c)) {
			t.Errorf("%q: table %v, isTchar %v", c, tcharTable[c], isTchar(byte(c)))
		}
	}
}

// TestRangeAbuseNumbers: ranges are compared as numbers of any length,
// leading zeros aside (math/big is the oracle).
func TestRangeAbuseNumbers(t *testing.T) {
	for _, c := range []struct {
		first, last string
	}{{"10", "5"}, {"5", "10"}, {"007", "7"}, {"0010", "9"}, {"9", "0010"}, {"0", "0"}, {"123", "124"}, {"99", "100"},
		{"18446744073709551615", "18446744073709551614"}, {"1", "99999999999999999999999"}, {"99999999999999999999999", "1"}} {
		got := rangeAbuse("bytes="+c.first+"-"+c.last) != ""
		a, okA := new(big.Int).SetString(c.first, 10)
		b, okB := new(big.Int).SetString(c.last, 10)
		if !okA || !okB {
			t.Fatal(c)
		}
		if want := b.Cmp(a) < 0; got != want {
			t.Errorf("bytes=%s-%s: inverted %v, want %v", c.first, c.last, got, want)
		}
	}
}
