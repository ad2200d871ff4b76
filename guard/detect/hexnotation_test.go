package detect

import (
	"bytes"
	"testing"
)

// hexNotationRef is hexNotationView as it was written first: a copy byte
// by byte whenever the value holds a "0x".
func hexNotationRef(b []byte) []byte {
	var dst []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '0' && i+3 < len(b) && b[i+1] == 'x' {
			switch string(b[i+2 : i+4]) {
			case "2e":
				dst = append(dst, '.')
				i += 3
				continue
			case "2f":
				dst = append(dst, '/')
				i += 3
				continue
			case "5c":
				dst = append(dst, '\\')
				i += 3
				continue
			}
		}
		dst = append(dst, b[i])
	}
	return dst
}

func TestHexNotationView(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0x2e0x2e0x2fetc0x2fpasswd", "../etc/passwd"},
		{"0x2e0x2e0x5cwindows", "..\\windows"},
		{"0x0x2e", "0x."},
		{"a0x2", "a0x2"},
		{"0xff 0x2E", "0xff 0x2E"},
		{"0x2e", "."},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			b := []byte(tc.in)
			got := string(b)
			if k := hexNotationAt(b, 0); k >= 0 {
				got = string(hexNotationView(nil, b, k))
			}
			if got != tc.want {
				t.Fatalf("view of %q = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzHexNotationView compares the view (and the value itself when
// hexNotationAt finds nothing to rewrite) with hexNotationRef.
func FuzzHexNotationView(f *testing.F) {
	for _, s := range []string{"0x2e0x2e0x2fetc0x2fpasswd", "0x0x2e", "x0x5c0x", "QUJD0xREVG0x2f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		want := hexNotationRef(b)
		got := b
		if k := hexNotationAt(b, 0); k >= 0 {
			got = hexNotationView([]byte("junk")[:0], b, k)
		}
		if !bytes.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("view of %q = %q, want %q", s, got, want)
		}
	})
}
