package guard

import (
	"strings"
	"testing"
)

// tchar and mimeTokenByte are set from ranges and lists at package init (a
// loop over the 256 bytes that tests each one costs every cold start);
// TestByteTables checks them against their definitions written byte by
// byte (RFC 7230 tchar; RFC 2045 token).
func TestByteTables(t *testing.T) {
	for c := 0; c < 256; c++ {
		wantT := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", byte(c)) >= 0
		if tchar[c] != wantT {
			t.Errorf("tchar[%#x] = %v, want %v", c, tchar[c], wantT)
		}
		wantM := c > ' ' && c < 0x7f && strings.IndexByte("()<>@,;:\\\"/[]?=", byte(c)) < 0
		if mimeTokenByte[c] != wantM {
			t.Errorf("mimeTokenByte[%#x] = %v, want %v", c, mimeTokenByte[c], wantM)
		}
	}
}
