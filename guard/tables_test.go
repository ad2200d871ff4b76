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

// TestDocLead: judgeString asks nested only of strings whose first byte
// docLead marks; nested judges no string that starts with another byte
// as a document (documents of each kind nested judges, after each of the
// 256 bytes and with it in place of their first).
func TestDocLead(t *testing.T) {
	g, err := New(WithoutEnv())
	if err != nil {
		t.Fatal(err)
	}
	s := getScanner(g, &Invocation{Source: SourceHTTP, Method: "POST"})
	defer putScanner(s)
	loc := func(dst []byte) []byte { return append(dst, "body.x"...) }
	docs := []string{`{"a":"b"}`, `["a"]`, `{ a }`, `query { a }`, `mutation { a }`, `subscription { a }`, `fragment f on T { a }`, `# c
{ a }`, `<?xml version="1.0"?><a/>`}
	judged := 0
	for c := 0; c < 256; c++ {
		for _, d := range docs {
			// c before the document, and c in place of its first byte
			for _, v := range []string{string([]byte{byte(c)}) + d, string([]byte{byte(c)}) + d[1:]} {
				got := s.nested(v, loc)
				if got && !docLead[c] {
					t.Fatalf("nested(%q) judged a document, but docLead[%#x] is false", v, c)
				}
				if got {
					judged++
				}
			}
		}
	}
	for _, d := range docs {
		if !s.nested(d, loc) {
			t.Fatalf("nested(%q) = false: the test judges nothing", d)
		}
	}
	if judged == 0 {
		t.Fatal("no document after a leading byte judged: the test is vacuous")
	}
}
