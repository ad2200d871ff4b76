package guard

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"

	"github.com/fnguard/fnguard/guard/detect"
)

func gzipBytes(tb testing.TB, raw []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(raw); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// TestGunzipTrailer: the gzip trailer's size cuts a stream over a cap
// before anything is inflated, and sizes the output of one under them.
func TestGunzipTrailer(t *testing.T) {
	// 1.1 MB of pseudo-random names: compresses about 2:1.
	var rb bytes.Buffer
	x := uint32(2463534242)
	for rb.Len() < 1100<<10 {
		rb.WriteString(`{"name":"`)
		for range 12 {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			rb.WriteByte("abcdefghijklmnopqrstuvwxyz0123456789"[x%36])
		}
		rb.WriteString(`"},`)
	}
	raw := rb.Bytes()
	z := gzipBytes(t, raw)
	lie := func(size uint32) []byte {
		b := bytes.Clone(z)
		binary.LittleEndian.PutUint32(b[len(b)-4:], size)
		return b
	}
	for _, tc := range []struct {
		name  string
		in    []byte
		limit int64
		rule  string // "" = decodes to raw
	}{
		{"honest", z, 2 << 20, ""},
		{"honest over the limit", z, 1 << 20, "validation.decoded_too_large"},
		{"claims over the limit", lie(3 << 20), 2 << 20, "validation.decoded_too_large"},
		{"claims over the ratio cap", lie(uint32(len(z)*maxRatio + 1)), 1 << 30, "validation.compression_ratio"},
		{"claims less than it holds", lie(100), 2 << 20, "validation.invalid_encoding"},
		{"claims more than it holds", lie(uint32(len(raw) + 1000)), 2 << 20, "validation.invalid_encoding"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := gunzip(tc.in, tc.limit, "body")
			if tc.rule == "" {
				if err != nil || !bytes.Equal(out, raw) {
					t.Fatalf("gunzip: %d bytes, %v; want the %d bytes", len(out), err, len(raw))
				}
				return
			}
			var de *decodeError
			if !errors.As(err, &de) || de.rule != tc.rule {
				t.Fatalf("gunzip: %d bytes, %v; want %s", len(out), err, tc.rule)
			}
		})
	}
	// Sized by the trailer: about the decoded size is allocated, not the
	// sum of a doubling buffer's steps.
	var before, after runtime.MemStats
	if _, err := gunzip(z, 2<<20, "body"); err != nil { // warm the reader pool
		t.Fatal(err)
	}
	runtime.ReadMemStats(&before)
	if _, err := gunzip(z, 2<<20, "body"); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > uint64(len(raw))*5/4 {
		t.Errorf("gunzip of %d bytes allocated %d", len(raw), got)
	}
}

// FuzzLooksBase64Cls compares looksBase64Cls, told the classes of s,
// with looksBase64 reading s.
func FuzzLooksBase64Cls(f *testing.F) {
	for _, s := range []string{"", "QUJDRA==", "QUJDRA=", "QUJD=RA=", "QUJDREVG", "abcdefgh", "abcdEFGH", "abcd1234", "ab+d12_4",
		"YWJj+/9=", "YWJjZA==", "YW=jZA==", "========", "YWJjZ===", "aGVsbG8gd29ybGQ", "aGVsbG8gd29ybGQ=", "A1b2C3d4e", "-_-_-_-_A1", "ab cd ef gh"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := looksBase64Cls(s, detect.ClassesOf(s)), looksBase64(s); got != want {
			t.Fatalf("looksBase64Cls(%q) = %v, looksBase64 %v", s, got, want)
		}
	})
}

// TestLooksBase64Cls compares looksBase64Cls with looksBase64 on strings
// of the bytes that tell them apart (each class of b64Class, '=', a blank,
// a byte >= 0x80), every length up to 21.
func TestLooksBase64Cls(t *testing.T) {
	const alpha = "aZ9+/-_= \x80"
	x := uint64(88172645463325252)
	b := make([]byte, 0, 21)
	for k := 0; k < 300000; k++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b = b[:x%22]
		y := x >> 8
		for i := range b {
			y = y*6364136223846793005 + 1442695040888963407
			c := alpha[(y>>33)%uint64(len(alpha))]
			if (y>>40)&3 != 0 {
				c = alpha[(y>>45)%3] // mostly letters and digits
			}
			b[i] = c
		}
		s := string(b)
		if got, want := looksBase64Cls(s, detect.ClassesOf(s)), looksBase64(s); got != want {
			t.Fatalf("looksBase64Cls(%q) = %v, looksBase64 %v", s, got, want)
		}
	}
}
