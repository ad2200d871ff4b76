package guard

import (
	"strings"
	"testing"
)

// tchar, mimeTokenByte, b64Class, b64Dec and gqlClass are set from ranges and lists
// at package init (a loop over the 256 bytes that tests each one costs
// every cold start); TestByteTables checks them against their definitions
// written byte by byte (RFC 7230 tchar; RFC 2045 token; the base64
// alphabets; GraphQL's ignored and name characters).
func TestByteTables(t *testing.T) {
	const stdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	const urlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for c := 0; c < 256; c++ {
		wantT := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", byte(c)) >= 0
		if tchar[c] != wantT {
			t.Errorf("tchar[%#x] = %v, want %v", c, tchar[c], wantT)
		}
		wantM := c > ' ' && c < 0x7f && strings.IndexByte("()<>@,;:\\\"/[]?=", byte(c)) < 0
		if mimeTokenByte[c] != wantM {
			t.Errorf("mimeTokenByte[%#x] = %v, want %v", c, mimeTokenByte[c], wantM)
		}
		var wantB uint8
		switch {
		case 'a' <= c && c <= 'z':
			wantB = b64Lower
		case 'A' <= c && c <= 'Z':
			wantB = b64Upper
		case '0' <= c && c <= '9':
			wantB = b64Digit
		case c == '+' || c == '/':
			wantB = b64Std
		case c == '-' || c == '_':
			wantB = b64URL
		default:
			wantB = b64Other
		}
		if b64Class[c] != wantB {
			t.Errorf("b64Class[%#x] = %d, want %d", c, b64Class[c], wantB)
		}
		wantD := uint8(b64Bad)
		if k := strings.IndexByte(stdAlphabet, byte(c)); k >= 0 {
			wantD = uint8(k)
		} else if k := strings.IndexByte(urlAlphabet, byte(c)); k >= 0 {
			wantD = uint8(k)
		}
		if b64Dec[c] != wantD {
			t.Errorf("b64Dec[%#x] = %d, want %d", c, b64Dec[c], wantD)
		}
		var wantG uint8
		if strings.IndexByte(" \t\n\r,", byte(c)) >= 0 {
			wantG = gqlIgnored
		}
		if c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			wantG = gqlNameStart | gqlNameChar
		} else if '0' <= c && c <= '9' {
			wantG = gqlNameChar
		}
		if gqlClass[c] != wantG {
			t.Errorf("gqlClass[%#x] = %d, want %d", c, gqlClass[c], wantG)
		}
	}
}
