package redact

import (
	"strings"
	"testing"
)

// TestIndexFold compares indexFold with a lower-casing reference, including
// texts where one letter case of the first byte never occurs (the case that
// made the search quadratic).
func TestIndexFold(t *testing.T) {
	long := strings.Repeat("w1", 5000)
	cases := []struct{ s, v string }{
		{"", "a"}, {"abc", ""}, {"abc", "abcd"}, {"xxABCxx", "abc"}, {"xxabcxx", "ABC"},
		{"aAaAb", "aab"}, {long + "wJalr", "wjalr"}, {long + "WJALR", "wJalr"}, {long, "wJalr"},
		{"1234 12345", "12345"}, {"%2f%2F", "%2F%2f"}, {"ab", "b"}, {"Ab", "aB"},
	}
	for _, c := range cases {
		want := strings.Index(strings.ToLower(c.s), strings.ToLower(c.v))
		if got := indexFold(c.s, c.v); got != want {
			t.Errorf("indexFold(%.20q, %q) = %d, want %d", c.s, c.v, got, want)
		}
	}
}
