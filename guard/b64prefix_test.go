package guard

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"math/rand/v2"
	"testing"
)

// b64Judged is what base64Text goes on to judge: s decodes (as
// appendBase64 reads it) to gzip or to printable text.
func b64Judged(s string) bool {
	dec, ok := appendBase64(nil, s)
	return ok && (isGzip(dec) || printableText(dec))
}

// checkB64Prefix fails when b64MayBeText rules out a string that
// base64Text would judge: the cheap exit may only skip work.
func checkB64Prefix(t *testing.T, s string) {
	t.Helper()
	if !b64MayBeText(s) && b64Judged(s) {
		t.Fatalf("b64MayBeText(%q) = false, but it decodes to text or gzip", s)
	}
}

// TestB64MayBeText checks the cheap exit against the whole decoding on
// names, ids and random strings of both alphabets (most ruled out),
// encodings of text, UTF-8 text and gzip (never ruled out), and strings
// with padding, line breaks and blanks.
func TestB64MayBeText(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"a":"b"}`))
	_ = zw.Close()
	judged := []string{
		base64.StdEncoding.EncodeToString([]byte(`{"name":"red shoes"}`)),
		base64.StdEncoding.EncodeToString([]byte("admin'--")),
		base64.RawURLEncoding.EncodeToString([]byte("{{7*7}}")),
		base64.StdEncoding.EncodeToString([]byte("héllo wörld ✓ ok")),
		base64.StdEncoding.EncodeToString([]byte("\tx\r\ny")),
		base64.StdEncoding.EncodeToString(gz.Bytes()),
		" " + base64.StdEncoding.EncodeToString([]byte("<script>x</script>")) + "\n",
	}
	for _, s := range judged {
		if !b64Judged(s) {
			t.Fatalf("%q: expected to decode to text or gzip", s)
		}
		if !b64MayBeText(s) {
			t.Errorf("b64MayBeText(%q) = false for text or gzip", s)
		}
	}
	ruledOut := 0
	r := rand.New(rand.NewPCG(1, 2))
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	const names = "abcdefghijklmnopqrstuvwxyz0123456789"
	for i := 0; i < 20000; i++ {
		var s string
		switch i % 5 {
		case 0, 1: // names and ids as a JSON body holds them
			b := make([]byte, 8+4*r.IntN(6))
			for k := range b {
				b[k] = names[r.IntN(len(names))]
			}
			s = string(b)
		case 2: // random base64, either alphabet, maybe padded
			b := make([]byte, 4+r.IntN(40))
			for k := range b {
				b[k] = std[r.IntN(len(std))]
			}
			if r.IntN(3) == 0 {
				b = bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("+"), []byte("-")), []byte("/"), []byte("_"))
			}
			if r.IntN(4) == 0 {
				b[len(b)-1] = '='
			}
			s = string(b)
		case 3: // encodings of random bytes
			b := make([]byte, 3+r.IntN(30))
			for k := range b {
				b[k] = byte(r.IntN(256))
			}
			s = base64.StdEncoding.EncodeToString(b)
		case 4: // encodings of random text (ASCII, controls, multi-byte)
			var b []rune
			for k := 0; k < 2+r.IntN(20); k++ {
				b = append(b, []rune{'a', 'Z', ' ', '\t', 0x7f, 0x01, 'é', 0x85, '✓', 0x1F600}[r.IntN(10)])
			}
			s = base64.StdEncoding.EncodeToString([]byte(string(b)))
			if r.IntN(5) == 0 {
				s = s[:len(s)/2] + "\n" + s[len(s)/2:]
			}
		}
		checkB64Prefix(t, s)
		if !b64MayBeText(s) {
			ruledOut++
		}
	}
	if ruledOut < 8000 {
		t.Errorf("only %d of 20000 strings ruled out: the exit is not taken", ruledOut)
	}
}

func FuzzB64MayBeText(f *testing.F) {
	for _, s := range []string{"abcdefgh1234", "QUJDREVG", "H4sIAAAA", "w4k=", "wg==", "8J+YgA==", " YWJj\n", "-_-_"} {
		f.Add(s)
	}
	f.Fuzz(checkB64Prefix)
}

// checkAppendB64 fails when appendB64 and appendBase64 read a string of
// looksBase64's grammar differently (appendB64 is base64Text's decoder
// of such strings), appending to a buffer that already holds bytes.
func checkAppendB64(t *testing.T, s string) {
	t.Helper()
	if !looksBase64(s) {
		return
	}
	want, wantOK := appendBase64([]byte("pre"), s)
	got, ascii, ok := appendB64([]byte("pre"), s)
	if ok != wantOK || !bytes.Equal(got, want) {
		t.Fatalf("appendB64(%q) = %q, %v; appendBase64: %q, %v", s, got, ok, want, wantOK)
	}
	wantASCII := ok && len(got) > len("pre")
	for _, c := range got[len("pre"):] {
		if c < ' ' || c > '~' {
			wantASCII = false
		}
	}
	if ascii != wantASCII {
		t.Fatalf("appendB64(%q) = %q: ascii %v, want %v", s, got, ascii, wantASCII)
	}
	if ascii && !printableText(got[len("pre"):]) {
		t.Fatalf("appendB64(%q) = %q: ascii, but printableText refuses it", s, got)
	}
}

// TestAppendB64 compares appendB64 with appendBase64 on encodings of
// random bytes and of text in both alphabets, padded or not, and on random
// strings of the alphabets with padding of every length (non-zero
// trailing bits included: appendBase64 ignores them); most of them
// decode, and its ascii report is checked against the bytes.
func TestAppendB64(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	encs := []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	decoded, ascii := 0, 0
	for i := 0; i < 30000; i++ {
		var s string
		switch i % 3 {
		case 0:
			b := make([]byte, 6+r.IntN(60))
			for k := range b {
				b[k] = byte(r.IntN(256))
			}
			s = encs[r.IntN(len(encs))].EncodeToString(b)
		case 1: // text: printable ASCII, now and then a byte that is not
			b := make([]byte, 6+r.IntN(60))
			for k := range b {
				b[k] = byte(' ' + r.IntN(95))
				if r.IntN(200) == 0 {
					b[k] = []byte{'\t', '\n', 0, 0x1f, 0x7f, 0x80, 0xc3, 0xff}[r.IntN(8)]
				}
			}
			s = encs[r.IntN(len(encs))].EncodeToString(b)
		default:
			b := make([]byte, 8+r.IntN(60))
			for k := range b {
				b[k] = std[r.IntN(len(std))]
			}
			if r.IntN(2) == 0 {
				b = bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("+"), []byte("-")), []byte("/"), []byte("_"))
			}
			s = string(b) + "==="[:r.IntN(4)]
		}
		checkAppendB64(t, s)
		if looksBase64(s) {
			if _, a, ok := appendB64(nil, s); ok {
				decoded++
				if a {
					ascii++
				}
			}
		}
	}
	if decoded < 15000 || ascii < 4000 {
		t.Errorf("only %d of 30000 strings decoded, %d to printable ASCII: the comparison is vacuous", decoded, ascii)
	}
	for _, s := range []string{"QUJDREVGR0g=", "QUJDREVGR0hJ", "QUJDREVGR0hJSg", "QUJDREVGR0hJSg==", "QUJDREVGR0hJSko", "QUJDREVGR0hJSko=", "QUJDREVGR0hJSkt", "QUJDREVGR0hJSk=="} {
		checkAppendB64(t, s)
	}
}

func FuzzAppendB64(f *testing.F) {
	for _, s := range []string{"abcdefgh1234", "QUJDREVG", "QUJDREVGR0g=", "w4kAAAAA-_==", "8J+YgA8J+YgA==", "QUJDREVGR0hJSk==", "eyJuYW1lIjoicmVkIHNob2VzIn0=", "eyJhIjoiXHQifQkK"} {
		f.Add(s)
	}
	f.Fuzz(checkAppendB64)
}
