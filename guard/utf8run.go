package guard

import (
	"encoding/binary"
	"unicode/utf8"
	"unsafe"
)

// validUTF8 is utf8.Valid(b), faster on text of three-byte runes (CJK,
// full-width forms: utf8.Valid spends some fifteen instructions a byte on
// them): ASCII is read eight bytes at a time, two three-byte runes with
// one eight-byte load and a mask (a lead E0-EF and two continuation
// bytes each; the leads E0 and ED, whose second byte is bounded against
// overlong forms and surrogates, are looked at one by one), and any other
// rune is decoded as utf8.Valid reads it: b is valid when no rune decodes
// as an error of one byte. FuzzValidUTF8 compares it with utf8.Valid.
func validUTF8(b []byte) bool {
	i, n := 0, len(b)
	p := unsafe.Pointer(unsafe.SliceData(b))
	for i+8 <= n {
		// (i+8 <= n: the load stays inside b)
		w := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, i))[:])
		if w&0x8080808080808080 == 0 {
			// ASCII: sixteen bytes a step while they are
			i += 8
			for i+16 <= n {
				q := (*[16]byte)(unsafe.Add(p, i))
				if (binary.LittleEndian.Uint64(q[:8])|binary.LittleEndian.Uint64(q[8:]))&0x8080808080808080 != 0 {
					break
				}
				i += 16
			}
			continue
		}
		if w&0xC0C0F0C0C0F0 == 0x8080E08080E0 {
			// two three-byte runes: valid unless a lead is E0 or ED
			// with a second byte out of its range
			if l0, l1 := byte(w)&0x0F, byte(w>>24)&0x0F; (l0 == 0 || l0 == 0xD || l1 == 0 || l1 == 0xD) && (!lead3(uint32(w)) || !lead3(uint32(w>>24))) {
				return false
			}
			i += 6
			continue
		}
		if w&0xC0C0F0 == 0x8080E0 {
			if !lead3(uint32(w)) {
				return false
			}
			i += 3
			continue
		}
		if byte(w) < utf8.RuneSelf {
			i++
			continue
		}
		// (a byte >= 0x80 decodes in one byte only as an error)
		_, size := utf8.DecodeRune(b[i:])
		if size == 1 {
			return false
		}
		i += size
	}
	for i < n {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := utf8.DecodeRune(b[i:])
		if size == 1 {
			return false
		}
		i += size
	}
	return true
}

// lead3 reports that the three-byte rune in r's low bytes (a lead E0-EF
// and two continuation bytes, little-endian) is valid: its second byte is
// A0-BF after E0 (no overlong form) and 80-9F after ED (no surrogate).
func lead3(r uint32) bool {
	c0, c1 := byte(r), byte(r>>8)
	return !(c0 == 0xE0 && c1 < 0xA0 || c0 == 0xED && c1 >= 0xA0)
}
