package guard

import (
	"encoding/binary"
	"hash/crc32"
	"math/bits"
	"sync"
	"unsafe"
)

// gunzipFast decodes a whole gzip stream in memory (RFC 1952 members of
// RFC 1951 deflate data), appending to dst, with the output itself as the
// window that matches copy from: no 32 KB history buffer and no
// decompressor state on the heap (compress/gzip's Reader is about 45 KB,
// more than a 16 KB body decompresses to), and the input read from a
// slice 64 bits at a time rather than a byte per ReadByte call.
//
// It is the fast path of gunzip and judges nothing: it reports false for
// whatever it does not decode to the end exactly as compress/gzip would —
// a corrupt or truncated stream, a bad checksum, output over outMax bytes,
// and whatever is merely unusual (a header name over 511 bytes, a
// Huffman table over its room) — and gunzip then runs compress/gzip,
// which gives the verdict and its message. So it must never succeed where
// compress/gzip fails, nor decode differently: FuzzGunzipFast compares
// them.
func gunzipFast(dst, in []byte, outMax int) ([]byte, bool) {
	var d inflater
	if cap(dst) > outMax {
		dst = dst[:len(dst):max(len(dst), outMax)]
	}
	d.in, d.out, d.max = in, dst, outMax
	pos := 0
	for {
		p, ok := gzipHeader(in, pos)
		if !ok {
			return dst, false
		}
		d.pos, d.bits, d.nb, d.start = p, 0, 0, len(d.out)
		if !d.inflate() {
			return dst, false
		}
		// The deflate data ends in the byte holding its last bit; the
		// bytes loaded past it are given back.
		p = d.pos - int(d.nb/8)
		if p+8 > len(in) {
			return dst, false
		}
		member := d.out[d.start:]
		if binary.LittleEndian.Uint32(in[p:]) != crc32.ChecksumIEEE(member) || binary.LittleEndian.Uint32(in[p+4:]) != uint32(len(member)) {
			return dst, false
		}
		if pos = p + 8; pos == len(in) {
			return d.out, true
		}
	}
}

// gzipHeader reads the member header at in[pos:] as compress/gzip's
// Reader does, and returns where its deflate data starts.
func gzipHeader(in []byte, pos int) (int, bool) {
	const (
		fhcrc    = 1 << 1
		fextra   = 1 << 2
		fname    = 1 << 3
		fcomment = 1 << 4
	)
	h := pos
	if len(in)-pos < 10 || in[pos] != 0x1f || in[pos+1] != 0x8b || in[pos+2] != 8 {
		return 0, false
	}
	flg := in[pos+3]
	pos += 10
	if flg&fextra != 0 {
		if len(in)-pos < 2 {
			return 0, false
		}
		n := int(binary.LittleEndian.Uint16(in[pos:]))
		if pos += 2; len(in)-pos < n {
			return 0, false
		}
		pos += n
	}
	for _, f := range [...]byte{fname, fcomment} {
		if flg&f != 0 {
			// A NUL-terminated string of at most 511 bytes (the Reader's
			// buffer).
			k := -1
			for i := pos; i < len(in) && i < pos+512; i++ {
				if in[i] == 0 {
					k = i
					break
				}
			}
			if k < 0 {
				return 0, false
			}
			pos = k + 1
		}
	}
	if flg&fhcrc != 0 {
		if len(in)-pos < 2 || binary.LittleEndian.Uint16(in[pos:]) != uint16(crc32.ChecksumIEEE(in[h:pos])) {
			return 0, false
		}
		pos += 2
	}
	return pos, true
}

// inflater is the state of one deflate stream being decoded.
type inflater struct {
	in    []byte
	pos   int    // next byte of in to load into bits
	bits  uint64 // loaded bits, least significant first
	nb    uint   // number of bits in bits
	out   []byte // the output; the current member's starts at start
	start int
	max   int
	lit   huffTable
	dist  huffTable
}

// huffTable decodes one Huffman code: a primary table indexed by the
// next huffRoot bits of the input, whose entries for longer codes link
// to a subtable indexed by the bits after them. An entry is the symbol
// (or the subtable's offset) << 16 | the subtable's index bits << 8 |
// linked flag (0x10) | the code's length; 0 is no code (the input is not
// valid there).
type huffTable struct {
	t [huffRoot + huffSubRoom]uint32
}

const (
	huffRoot    = 1 << 10
	huffSubRoom = 512 // zlib's bound for 286 symbols with a 10-bit root is 308 entries past it
	huffLink    = 0x10
)

// build makes the table of the code with these code lengths, as
// compress/flate's huffmanDecoder.init accepts them: a complete code, a
// single code of length 1 (the other 1-bit pattern is invalid) or no
// code at all (every pattern invalid). It reports false for any other
// code (over-subscribed or incomplete) and for a table over its room.
func (h *huffTable) build(lengths []uint8) bool {
	var count [16]int
	maxLen := 0
	for _, n := range lengths {
		count[n]++
		maxLen = max(maxLen, int(n))
	}
	clear(h.t[:huffRoot])
	if maxLen == 0 {
		return true
	}
	var next [16]int
	code := 0
	for n := 1; n <= maxLen; n++ {
		code <<= 1
		next[n] = code
		code += count[n]
	}
	if code != 1<<maxLen && !(code == 1 && maxLen == 1) {
		return false
	}
	// The subtables: one per root prefix of the codes longer than the
	// root, as deep as the longest code under it.
	var need [huffRoot]uint8
	if maxLen > 10 {
		nx := next
		for _, n := range lengths {
			if n > 10 {
				rev := int(bits.Reverse16(uint16(nx[n])) >> (16 - n))
				nx[n]++
				p := rev & (huffRoot - 1)
				need[p] = max(need[p], n-10)
			}
		}
		off := huffRoot
		for p, k := range need {
			if k == 0 {
				continue
			}
			if off+1<<k > len(h.t) {
				return false
			}
			h.t[p] = uint32(off)<<16 | uint32(k)<<8 | huffLink
			off += 1 << k
		}
	}
	for sym, n := range lengths {
		if n == 0 {
			continue
		}
		rev := int(bits.Reverse16(uint16(next[n])) >> (16 - n))
		next[n]++
		e := uint32(sym)<<16 | uint32(n)
		if n <= 10 {
			for off := rev; off < huffRoot; off += 1 << n {
				h.t[off] = e
			}
			continue
		}
		link := h.t[rev&(huffRoot-1)]
		sub, k := int(link>>16), int(link>>8&0xf)
		for off := rev >> 10; off < 1<<k; off += 1 << (n - 10) {
			h.t[sub+off] = e
		}
	}
	return true
}

// fixedTables are the tables of RFC 1951's fixed Huffman codes; the
// distance code has 32 symbols of 5 bits, of which 30 and 31 are invalid
// in a stream.
var fixedTables = sync.OnceValue(func() *[2]huffTable {
	var t [2]huffTable
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	t[0].build(l[:])
	var d [32]uint8
	for i := range d {
		d[i] = 5
	}
	t[1].build(d[:])
	return &t
})

// refill loads input bytes until at least 56 bits are loaded or the
// input ends.
func (d *inflater) refill() {
	if d.nb >= 56 {
		return
	}
	if d.pos+8 <= len(d.in) {
		d.bits |= binary.LittleEndian.Uint64(d.in[d.pos:]) << d.nb
		n := (63 - d.nb) / 8
		d.pos += int(n)
		d.nb += n * 8
		return
	}
	for d.nb <= 56 && d.pos < len(d.in) {
		d.bits |= uint64(d.in[d.pos]) << d.nb
		d.pos++
		d.nb += 8
	}
}

// sym decodes the next symbol of h; false when the input there is no
// code of h or ends inside one.
func (d *inflater) sym(h *huffTable) (int, bool) {
	d.refill()
	e := h.t[d.bits&(huffRoot-1)]
	if e&huffLink != 0 {
		e = h.t[int(e>>16)+int(d.bits>>10&(1<<(e>>8&0xf)-1))]
	}
	n := uint(e & 0xf)
	if n == 0 || n > d.nb {
		return 0, false
	}
	d.bits >>= n
	d.nb -= n
	return int(e >> 16), true
}

// take consumes n bits (n <= 32) and returns them.
func (d *inflater) take(n uint) (int, bool) {
	if d.nb < n {
		d.refill()
		if d.nb < n {
			return 0, false
		}
	}
	v := int(d.bits & (1<<n - 1))
	d.bits >>= n
	d.nb -= n
	return v, true
}

// Length and distance bases and extra bits (RFC 1951, 3.2.5).
var (
	lenBase   = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra  = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase  = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// The order of the code length code's lengths.
	clenOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

// inflate decodes one deflate stream from d.pos to its final block.
func (d *inflater) inflate() bool {
	for {
		hdr, ok := d.take(3)
		if !ok {
			return false
		}
		switch hdr >> 1 {
		case 0:
			if !d.stored() {
				return false
			}
		case 1:
			ft := fixedTables()
			if !d.codes(&ft[0], &ft[1]) {
				return false
			}
		case 2:
			if !d.dynamic() || !d.codes(&d.lit, &d.dist) {
				return false
			}
		default:
			return false
		}
		if hdr&1 != 0 {
			return true
		}
	}
}

// stored copies a stored block.
func (d *inflater) stored() bool {
	// Drop the rest of the current byte and give back the whole bytes
	// loaded: the block is read from the input directly.
	d.pos -= int(d.nb / 8)
	d.bits, d.nb = 0, 0
	if d.pos+4 > len(d.in) {
		return false
	}
	n := int(binary.LittleEndian.Uint16(d.in[d.pos:]))
	if uint16(n) != ^binary.LittleEndian.Uint16(d.in[d.pos+2:]) {
		return false
	}
	d.pos += 4
	if d.pos+n > len(d.in) || !d.room(n) {
		return false
	}
	d.out = append(d.out, d.in[d.pos:d.pos+n]...)
	d.pos += n
	return true
}

// room makes room for n more output bytes, within max.
func (d *inflater) room(n int) bool {
	if len(d.out)+n > d.max {
		return false
	}
	if len(d.out)+n > cap(d.out) {
		c := min(max(2*cap(d.out), len(d.out)+n, 4096), d.max)
		nb := make([]byte, len(d.out), c)
		copy(nb, d.out)
		d.out = nb
	}
	return true
}

// dynamic reads the code lengths of a dynamic block and builds its
// tables.
func (d *inflater) dynamic() bool {
	hdr, ok := d.take(14)
	if !ok {
		return false
	}
	nlit, ndist, nclen := hdr&0x1f+257, hdr>>5&0x1f+1, hdr>>10+4
	if nlit > 286 || ndist > 30 {
		return false
	}
	var cl [19]uint8
	for i := range nclen {
		v, ok := d.take(3)
		if !ok {
			return false
		}
		cl[clenOrder[i]] = uint8(v)
	}
	// The code length code uses d.dist's table until the lengths are read.
	if !d.dist.build(cl[:]) {
		return false
	}
	var lengths [286 + 30]uint8
	for i, n := 0, nlit+ndist; i < n; {
		x, ok := d.sym(&d.dist)
		if !ok {
			return false
		}
		if x < 16 {
			lengths[i] = uint8(x)
			i++
			continue
		}
		var rep int
		var b uint8
		switch x {
		case 16:
			if i == 0 {
				return false
			}
			b = lengths[i-1]
			v, ok := d.take(2)
			if !ok {
				return false
			}
			rep = 3 + v
		case 17:
			v, ok := d.take(3)
			if !ok {
				return false
			}
			rep = 3 + v
		default:
			v, ok := d.take(7)
			if !ok {
				return false
			}
			rep = 11 + v
		}
		if i+rep > n {
			return false
		}
		for ; rep > 0; rep-- {
			lengths[i] = b
			i++
		}
	}
	return d.lit.build(lengths[:nlit]) && d.dist.build(lengths[nlit:nlit+ndist])
}

// codes decodes the symbols of a Huffman block to its end. The input
// bits are kept in locals (the compiler keeps them in registers) and
// reloaded 64 bits at a time; one load covers a length and distance
// pair (at most 48 bits).
func (d *inflater) codes(lit, dist *huffTable) bool {
	in, pos, bits, nb, out := d.in, d.pos, d.bits, d.nb, d.out
	ok := false
	for {
		if nb < 48 {
			if pos+8 <= len(in) {
				bits |= binary.LittleEndian.Uint64(in[pos:]) << nb
				n := (63 - nb) / 8
				pos += int(n)
				nb += n * 8
			} else {
				for nb <= 56 && pos < len(in) {
					bits |= uint64(in[pos]) << nb
					pos++
					nb += 8
				}
			}
		}
		e := lit.t[bits&(huffRoot-1)]
		if e&huffLink != 0 {
			e = lit.t[int(e>>16)+int(bits>>10&(1<<(e>>8&0xf)-1))]
		}
		n := uint(e & 0xf)
		if n == 0 || n > nb {
			break
		}
		bits >>= n
		nb -= n
		v := int(e >> 16)
		if v < 256 {
			if len(out) == cap(out) {
				d.out = out
				if !d.room(1) {
					break
				}
				out = d.out
			}
			out = append(out, byte(v))
			// The next symbols, while they are literals whose codes
			// are in the root table and loaded (most of a text's
			// symbols): taken without the loop's tests, which they pass.
			// One comparison tells such an entry (a literal under 256
			// and a length, 1 to 10) from no code (0) and from the
			// others (a length symbol, or a link: a subtable's offset,
			// 1024 or more, where the symbol is).
			if o := len(out); cap(out)-o > 64 {
				// Room for more literals than the loaded bits can code
				// (each takes a bit or more, of at most 63, down to 10):
				// they are stored without a test of the room, through a
				// pointer (a bounds check a literal otherwise).
				p := unsafe.Pointer(unsafe.SliceData(out))
				for {
					if nb < 10 {
						if pos+8 > len(in) || cap(out)-o <= 64 {
							break
						}
						bits |= binary.LittleEndian.Uint64(in[pos:]) << nb
						r := (63 - nb) / 8
						pos += int(r)
						nb += r * 8
					}
					e = lit.t[bits&(huffRoot-1)]
					if e-1 >= 256<<16 {
						break
					}
					n = uint(e & 0xf)
					bits >>= n
					nb -= n
					*(*byte)(unsafe.Add(p, o)) = byte(e >> 16)
					o++
				}
				out = out[:o]
				continue
			}
			for nb >= 10 && len(out) < cap(out) {
				e = lit.t[bits&(huffRoot-1)]
				if e-1 >= 256<<16 {
					break
				}
				n = uint(e & 0xf)
				bits >>= n
				nb -= n
				out = append(out, byte(e>>16))
			}
			continue
		}
		if v == 256 {
			ok = true
			break
		}
		v -= 257
		if v >= 29 {
			break
		}
		length := int(lenBase[v])
		if x := uint(lenExtra[v]); x > 0 {
			if x > nb {
				break
			}
			length += int(bits & (1<<x - 1))
			bits >>= x
			nb -= x
		}
		e = dist.t[bits&(huffRoot-1)]
		if e&huffLink != 0 {
			e = dist.t[int(e>>16)+int(bits>>10&(1<<(e>>8&0xf)-1))]
		}
		n = uint(e & 0xf)
		if n == 0 || n > nb {
			break
		}
		bits >>= n
		nb -= n
		ds := int(e >> 16)
		if ds >= 30 {
			break
		}
		dst := int(distBase[ds])
		if x := uint(distExtra[ds]); x > 0 {
			if x > nb {
				break
			}
			dst += int(bits & (1<<x - 1))
			bits >>= x
			nb -= x
		}
		o := len(out)
		if dst > o-d.start {
			break
		}
		if length > cap(out)-o {
			d.out = out
			if !d.room(length) {
				break
			}
			out = d.out
		}
		// Copy from dst back; when the copy overlaps what it makes, the
		// source is the period dst repeated, doubling at each step.
		out = out[:o+length]
		if dst >= 8 && cap(out)-o >= length+8 {
			// Eight bytes at a time from dst back, each word made of
			// bytes already there (dst >= 8), the last one spilling at
			// most seven bytes into the room past the match, which
			// what comes next overwrites: most matches of a text are
			// short, and a call to copy costs more than they do.
			p := unsafe.Pointer(unsafe.SliceData(out))
			for i := 0; i < length; i += 8 {
				w := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, o-dst+i))[:])
				binary.LittleEndian.PutUint64((*[8]byte)(unsafe.Add(p, o+i))[:], w)
			}
			continue
		}
		if dst >= length {
			copy(out[o:], out[o-dst:o-dst+length])
			continue
		}
		for i := 0; i < length; {
			i += copy(out[o+i:o+length], out[o-dst:o+i])
		}
	}
	d.pos, d.bits, d.nb, d.out = pos, bits, nb, out
	return ok
}
