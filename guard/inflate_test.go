package guard

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"testing"
)

// inflateSeeds are deflate inputs of every block kind: stored (level 0),
// fixed and dynamic Huffman codes, long matches and runs, text.
func inflateSeeds() [][]byte {
	r := rand.New(rand.NewPCG(5, 6))
	words := make([]byte, 0, 40000)
	for len(words) < 40000 {
		words = append(words, "abcdefghijklmnopqrstuvwxyz0123456789 {}\":,"[r.IntN(42)])
	}
	noise := make([]byte, 3000)
	for i := range noise {
		noise[i] = byte(r.Uint32())
	}
	return [][]byte{
		nil, []byte("a"), []byte(`{"name":"red shoes","qty":2}`),
		bytes.Repeat([]byte("0"), 70000), bytes.Repeat([]byte("abc"), 30000),
		words, noise, append(bytes.Repeat([]byte("xy"), 500), noise...),
	}
}

func deflateOf(t testing.TB, raw []byte, level int) []byte {
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw)
	w.Close()
	return b.Bytes()
}

// inflateRaw decodes the raw deflate stream at the start of in with the
// fast path's inflater: the output and the bytes the stream took.
func inflateRaw(in []byte, outMax int) ([]byte, int, bool) {
	var d inflater
	d.in, d.max = in, outMax
	if !d.inflate() {
		return nil, 0, false
	}
	return d.out, d.pos - int(d.nb/8), true
}

// checkInflate compares inflateRaw with compress/flate on in: when the
// fast path decodes a stream, compress/flate decodes it to the same bytes
// and ends it at the same byte.
func checkInflate(t *testing.T, in []byte) (fast bool) {
	const outMax = 1 << 20
	got, n, ok := inflateRaw(in, outMax)
	br := bytes.NewReader(in)
	want, err := io.ReadAll(io.LimitReader(flate.NewReader(br), outMax+1))
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("%x: the fast path decodes %d bytes, compress/flate fails: %v", in, len(got), err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%x: the fast path decodes %q, compress/flate %q", in, got, want)
	}
	if used := len(in) - br.Len(); used != n {
		t.Fatalf("%x: the fast path ends the stream at byte %d, compress/flate at %d", in, n, used)
	}
	return true
}

func TestInflateMatchesFlate(t *testing.T) {
	for i, raw := range inflateSeeds() {
		for _, level := range []int{flate.NoCompression, flate.HuffmanOnly, flate.BestSpeed, flate.DefaultCompression, flate.BestCompression} {
			in := deflateOf(t, raw, level)
			if !checkInflate(t, append(in, "trailing"...)) {
				t.Errorf("seed %d, level %d: the fast path refused a valid stream", i, level)
			}
		}
	}
}

// FuzzInflate: whatever the fast path decodes, compress/flate decodes the
// same way (the fast path may refuse more: gunzip then uses
// compress/gzip).
func FuzzInflate(f *testing.F) {
	for _, raw := range inflateSeeds() {
		if len(raw) < 5000 {
			for _, level := range []int{flate.NoCompression, flate.HuffmanOnly, flate.BestSpeed, flate.BestCompression} {
				f.Add(deflateOf(f, raw, level))
			}
		}
	}
	// Degenerate and empty codes: a dynamic block whose distance code has
	// one code of length 1, and a fixed block of one literal.
	f.Add([]byte{0x63, 0x00, 0x00})
	f.Add([]byte{0x05, 0xc0, 0x21, 0x01, 0x00, 0x00, 0x00, 0x80, 0xa0, 0xfd, 0xa9, 0x17, 0x21})
	f.Fuzz(func(t *testing.T, in []byte) {
		checkInflate(t, in)
	})
}

func gzipMembers(t testing.TB, hdr gzip.Header, level int, raws ...[]byte) []byte {
	var b bytes.Buffer
	for _, raw := range raws {
		w, err := gzip.NewWriterLevel(&b, level)
		if err != nil {
			t.Fatal(err)
		}
		w.Header = hdr
		w.Write(raw)
		w.Close()
	}
	return b.Bytes()
}

// checkGunzip compares gunzipFast with compress/gzip on in.
func checkGunzip(t *testing.T, in []byte, outMax int) (fast bool) {
	got, ok := gunzipFast(nil, in, outMax)
	if !ok {
		return false
	}
	zr, err := gzip.NewReader(bytes.NewReader(in))
	if err != nil {
		t.Fatalf("%x: the fast path decodes %d bytes, compress/gzip refuses the header: %v", in, len(got), err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%x: the fast path decodes %d bytes, compress/gzip fails: %v", in, len(got), err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%x: the fast path decodes %q, compress/gzip %q", in, got, want)
	}
	if len(got) > outMax {
		t.Fatalf("%x: %d bytes decoded, over the cap of %d", in, len(got), outMax)
	}
	return true
}

func TestGunzipFast(t *testing.T) {
	hdrs := []gzip.Header{{}, {Name: "a.json", Comment: "c"}, {Extra: []byte("xx")}, {Name: string(bytes.Repeat([]byte("n"), 511))}}
	for i, raw := range inflateSeeds() {
		for j, h := range hdrs {
			in := gzipMembers(t, h, flate.DefaultCompression, raw, []byte("second member"), nil)
			name := fmt.Sprintf("seed %d, header %d", i, j)
			if !checkGunzip(t, in, 1<<20) {
				t.Errorf("%s: the fast path refused a valid stream", name)
			}
			// Refused, for compress/gzip to judge: a byte after the last
			// member, a bad checksum, a size, output over the cap.
			if checkGunzip(t, append(in[:len(in):len(in)], 0), 1<<20) {
				t.Errorf("%s: a trailing byte was accepted", name)
			}
			bad := bytes.Clone(in)
			bad[len(bad)-5] ^= 1
			if checkGunzip(t, bad, 1<<20) {
				t.Errorf("%s: a wrong size was accepted", name)
			}
			if n := len(raw) + len("second member"); n > 0 && checkGunzip(t, in, n-1) {
				t.Errorf("%s: %d bytes decoded with a cap of %d", name, n, n-1)
			}
		}
	}
	// A header name of 512 bytes: compress/gzip refuses it.
	in := gzipMembers(t, gzip.Header{Name: string(bytes.Repeat([]byte("n"), 512))}, flate.DefaultCompression, []byte("x"))
	if checkGunzip(t, in, 1<<20) {
		t.Error("a 512-byte name was accepted")
	}
	// A header CRC (FHCRC), right and wrong.
	hc := []byte{0x1f, 0x8b, 8, 2, 0, 0, 0, 0, 0, 0xff}
	crc := crc32IEEE(hc)
	good := append(append(bytes.Clone(hc), byte(crc), byte(crc>>8)), gzipMembers(t, gzip.Header{}, flate.BestSpeed, []byte("hello"))[10:]...)
	if !checkGunzip(t, good, 1<<20) {
		t.Error("a valid header CRC was refused")
	}
	good[10] ^= 1
	if checkGunzip(t, good, 1<<20) {
		t.Error("a wrong header CRC was accepted")
	}
}

// FuzzGunzipFast: whatever gunzipFast decodes, compress/gzip decodes the
// same way, within the cap.
func FuzzGunzipFast(f *testing.F) {
	for _, raw := range inflateSeeds() {
		if len(raw) < 5000 {
			f.Add(gzipMembers(f, gzip.Header{Name: "n"}, flate.BestSpeed, raw), 1<<16)
			f.Add(gzipMembers(f, gzip.Header{}, flate.NoCompression, raw, raw), 100)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte, outMax int) {
		checkGunzip(t, in, max(0, outMax%(1<<20)))
	})
}

// BenchmarkGunzip compares the fast path with compress/gzip on the
// adversarial report's gzip body (JSON of pseudo-random names, about 2:1).
func BenchmarkGunzip(b *testing.B) {
	var body []byte
	for _, c := range structuredBodies(64 << 10) {
		if c.name == "gzip_json" {
			body = c.build()
		}
	}
	zr, _ := gzip.NewReader(bytes.NewReader(body))
	raw, _ := io.ReadAll(zr)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(raw)))
		buf := make([]byte, 0, len(raw)+1)
		for b.Loop() {
			if _, ok := gunzipFast(buf[:0], body, 1<<30); !ok {
				b.Fatal("refused")
			}
		}
	})
	b.Run("compress-gzip", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(raw)))
		buf := make([]byte, 0, len(raw)+1)
		for b.Loop() {
			zr.Reset(bytes.NewReader(body))
			if _, err := readBounded(zr, len(body), buf[:0], 1<<30, "body"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func crc32IEEE(b []byte) uint32 { return crc32.ChecksumIEEE(b) }

// TestInflateMutations compares the fast path with compress/flate on
// streams with a few random bytes changed, cut or added: many still
// decode (to something else), some end early or late, others are
// refused; whatever the fast path decodes, compress/flate must agree.
func TestInflateMutations(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var streams [][]byte
	for _, raw := range inflateSeeds() {
		if len(raw) <= 3000 {
			for _, level := range []int{flate.NoCompression, flate.HuffmanOnly, flate.BestSpeed, flate.BestCompression} {
				streams = append(streams, deflateOf(t, raw, level))
			}
		}
	}
	decoded := 0
	for range 6000 {
		in := bytes.Clone(streams[r.IntN(len(streams))])
		if len(in) == 0 {
			continue
		}
		for range 1 + r.IntN(3) {
			switch i := r.IntN(len(in)); r.IntN(4) {
			case 0:
				in = in[:i]
			case 1:
				in = append(in, byte(r.Uint32()))
			default:
				in[i] ^= byte(1 << r.IntN(8))
			}
			if len(in) == 0 {
				break
			}
		}
		if checkInflate(t, in) {
			decoded++
		}
	}
	if decoded < 300 {
		t.Fatalf("only %d mutated streams decoded: the test compares too little", decoded)
	}
	t.Logf("%d of 6000 mutated streams decoded the same by both", decoded)
}

// TestGunzipFastRoom: the output buffer gunzip sizes from the trailer
// (exactly, or with room to spare) decodes every seed as compress/gzip
// does: the literal runs and the word-at-a-time match copies, which need
// room past what they make, give way to the tested paths near its end.
func TestGunzipFastRoom(t *testing.T) {
	seeds := inflateSeeds()
	for _, period := range []int{7, 8, 9, 13, 20} {
		// matches that overlap what they make, from 8 bytes back or more
		seeds = append(seeds, bytes.Repeat([]byte("0123456789abcdefghij")[:period], 3000/period))
	}
	for i, raw := range seeds {
		for _, level := range []int{flate.HuffmanOnly, flate.BestSpeed, flate.DefaultCompression, flate.BestCompression} {
			in := gzipMembers(t, gzip.Header{}, level, raw)
			for _, extra := range []int{0, 1, 7, 8, 9, 63, 64, 65, 71, 72, 200, len(raw)} {
				got, ok := gunzipFast(make([]byte, 0, len(raw)+extra), in, 1<<20)
				if !ok {
					t.Errorf("seed %d, level %d, room %d: the fast path refused a valid stream", i, level, extra)
					continue
				}
				if !bytes.Equal(got, raw) {
					t.Errorf("seed %d, level %d, room %d: decoded %d bytes, not the %d compressed", i, level, extra, len(got), len(raw))
				}
			}
		}
	}
}
