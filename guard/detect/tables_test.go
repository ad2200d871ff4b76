package detect

import (
	"strings"
	"testing"
)

// The byte tables built at package init are set from ranges and lists (a
// loop over the 256 bytes that tests each one costs every cold start);
// these tests check them against the definitions written byte by byte.

func TestExprClass(t *testing.T) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		var want byte
		switch {
		case strings.IndexByte("().|[=`? ", b) >= 0:
			want = b
		case strings.IndexByte("*/%+-", b) >= 0:
			want = '*'
		case isDigit(b):
			want = '0'
		case isIdent(b) || b == '\'' || b == '"':
			want = 'a'
		}
		if exprClass[c] != want {
			t.Errorf("exprClass[%#x] = %q, want %q", c, exprClass[c], want)
		}
	}
}

func TestHexVal(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := int8(-1)
		if isHex(byte(c)) {
			want = int8(unhex(byte(c)))
		}
		if hexVal[c] != want {
			t.Errorf("hexVal[%#x] = %d, want %d", c, hexVal[c], want)
		}
	}
}
