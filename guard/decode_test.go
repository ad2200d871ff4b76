package guard

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"
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
