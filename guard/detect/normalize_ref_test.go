package detect

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// decodePassRef is decodePass as it was before its runs (passRun, pctRun,
// fullWidthRun) were loops of their own: one byte, escape or full-width
// letter a turn of the main loop, its flush a closure. FuzzDecodePassRef
// checks decodePass gives what it gives.
func decodePassRef(dst []byte, src string, fold, plus bool) (out []byte, changed, same bool) {
	keep := &passOn
	if fold {
		keep = &passOnFold
	}
	if plus {
		keep = &passOnFoldPlus
	}
	n := len(src)
	last := 0 // src[last:i] is passed on as it is and not yet appended
	// flush appends what is passed on before the change at i.
	flush := func(i int) {
		if last == 0 && cap(dst)-len(dst) < n {
			grown := make([]byte, len(dst), len(dst)+n)
			copy(grown, dst)
			dst = grown
		}
		dst = append(dst, src[last:i]...)
	}
	for i := 0; i < n; {
		c := src[i]
		if keep[c] {
			i++
			continue
		}
		switch {
		case c == 0:
			flush(i)
			i++
			last = i
			changed = true
			continue
		case c == '+':
			// only in a plus pass: '+' is not passed on otherwise
			flush(i)
			dst = append(dst, ' ')
			i++
			last = i
			changed = true
			continue
		case c == '%' && i+1 < n:
			if src[i+1] == 'u' || src[i+1] == 'U' {
				if r, ok := hexN(src, i+2, 4); ok {
					flush(i)
					dst = emitRune(dst, r, fold)
					i += 6
					last = i
					changed = true
					continue
				}
			} else if i+2 < n && hexVal[src[i+1]]|hexVal[src[i+2]] >= 0 {
				r := rune(hexVal[src[i+1]])<<4 | rune(hexVal[src[i+2]])
				if i > last || last == 0 {
					flush(i)
				}
				if r == 0 {
					// %00: dropped like a raw NUL.
				} else if fold && r < 0x80 {
					dst = append(dst, lower(byte(r)))
				} else {
					dst = append(dst, byte(r))
				}
				i += 3
				last = i
				changed = true
				continue
			}
		case c == '&' && i+2 < n:
			if r, w := decodeEntity(src, i); w > 0 {
				flush(i)
				dst = emitRune(dst, r, fold)
				i += w
				last = i
				changed = true
				continue
			}
		case c == '\\' && i+1 < n:
			switch src[i+1] {
			case 'u', 'U':
				if i+2 < n && src[i+2] == '{' {
					j := i + 3
					var v rune
					for j < n && j < i+11 && isHex(src[j]) {
						v = v<<4 | unhex(src[j])
						j++
					}
					if j > i+3 && j < n && src[j] == '}' {
						flush(i)
						dst = emitRune(dst, v, fold)
						i = j + 1
						last = i
						changed = true
						continue
					}
				} else if r, ok := hexN(src, i+2, 4); ok {
					flush(i)
					dst = emitRune(dst, r, fold)
					i += 6
					last = i
					changed = true
					continue
				}
			case 'x', 'X', '0', '1', '2', '3':
				if b, ok := byteEscape(src, i); ok {
					flush(i)
					if b != 0 { // \x00: dropped like a raw NUL
						if fold {
							b = lower(b)
						}
						dst = append(dst, b)
					}
					i += 4
					last = i
					changed = true
					continue
				}
			}
		case c >= 0x80:
			if c == 0xEF || c == 0xE3 {
				// full-width ASCII U+FF01..U+FF5E (EF BC 81..BF, EF BD
				// 80..9E), what foldRune maps, and U+3000, the
				// ideographic (full-width) space, without the general
				// decoder: a run of them in one loop
				tab := &fullWidthASCII[0]
				if fold {
					tab = &fullWidthASCII[1]
				}
				j := i
				for j+2 < n {
					w := src[j : j+3]
					var a byte
					if w[0] == 0xEF && w[1]&^1 == 0xBC && w[2]&0xC0 == 0x80 {
						a = tab[int(w[1]&1)<<6|int(w[2]&0x3F)] // 0: U+FF00, U+FF5F..U+FF7F
					} else if w[0] == 0xE3 && w[1] == 0x80 && w[2] == 0x80 {
						a = ' '
					}
					if a == 0 {
						break
					}
					if j == i && (i > last || last == 0) {
						flush(i)
					}
					dst = append(dst, a)
					j += 3
				}
				if j > i {
					changed = true
					i = j
					last = i
					continue
				}
			}
			r, w, overlong := decodeUTF8Loose(src, i)
			if overlong {
				flush(i)
				dst = emitRune(dst, r, fold)
				i += w
				last = i
				changed = true
				continue
			}
			if w == 1 && (c == 0xC0 || c == 0xC1) {
				// C0/C1 never start valid UTF-8. Like the IIS decoder that
				// made "%c0%2f" and "%c1%1c" famous, combine the lead's low
				// bit with the low 7 bits of the next byte when that yields
				// a path character; otherwise drop the lead.
				flush(i)
				changed = true
				if i+1 < n {
					if r := rune(c&1)<<6 | rune(src[i+1]&0x7F); r == '.' || r == '/' || r == '\\' {
						dst = append(dst, byte(r))
						i += 2
						last = i
						continue
					}
				}
				i++
				last = i
				continue
			}
			if r != utf8.RuneError || w > 1 {
				if f := foldRune(r); f >= 0 {
					flush(i)
					if f != 0 {
						b := byte(f)
						if fold {
							b = lower(b)
						}
						dst = append(dst, b)
					}
					changed = true
					i += w
					last = i
					continue
				}
			}
			i += w // passed on as it is
			continue
		}
		if fold && 'A' <= c && c <= 'Z' {
			flush(i)
			dst = append(dst, c+32)
			i++
			last = i
			continue
		}
		i++ // passed on as it is
	}
	if last == 0 {
		return dst, false, true
	}
	dst = append(dst, src[last:]...)
	return dst, changed, false
}

// FuzzDecodePassRef checks decodePass against decodePassRef: the same
// bytes, changed and same, with and without folding and plus, onto an empty
// and a non-empty dst.
func FuzzDecodePassRef(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range []string{"%25%25%25", "%%%%%", "%u0041%", "%uZZ%41", "%", "a%4", "%41%42%4", "%00%41",
		"ｓｅｌｅｃｔ　ｆｒｏｍ", "ａｂｃｄ　ｅ　ｆｇ\uff5f\uff00ａ", "ａａａａａａａａａａａｂ\xef\xbc", "ａ\u0041%41&lt;", "x+y%20z", "%C0%AF%c1%1c", "Ａ", "\xef\xbc\xa1", "&#x41;%2541"} {
		f.Add(s)
		f.Add(strings.Repeat(s, 3))
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fold := range []bool{false, true} {
			for _, plus := range []bool{false, true} {
				for _, pre := range []string{"", "ab"} {
					got, gc, gs := decodePass([]byte(pre), s, fold, plus)
					want, wc, ws := decodePassRef([]byte(pre), s, fold, plus)
					if gc != wc || gs != ws || !gs && !bytes.Equal(got, want) {
						t.Fatalf("decodePass(%q, %q, %v, %v) = %q, %v, %v; reference %q, %v, %v", pre, s, fold, plus, got, gc, gs, want, wc, ws)
					}
				}
			}
		}
	})
}

// FuzzNormalizeIntoCls checks normalizeIntoCls against normalizeInto with
// fold and classify: the same bytes, decoded and classes (it stops a round
// early when no byte a pass reads is left).
func FuzzNormalizeIntoCls(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range []string{"ｓｅｌｅｃｔ　ｆｒｏｍ", "％２５４１", "%2541", "%25%25", "ＡＢ&amp;lt;", "\\u0025\\u0034\\u0031", "％ｕ００４１", "＋%41", "a+b%20c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var a, b, c, d []byte
		got, gd, gc := normalizeIntoCls(s, &a, &b)
		want, wd := normalizeInto(s, true, &c, &d)
		if !bytes.Equal(got, want) || gd != wd || gc != classify(want) {
			t.Fatalf("normalizeIntoCls(%q) = %q, %v, %#x; normalizeInto %q, %v, classify %#x", s, got, gd, gc, want, wd, classify(want))
		}
	})
}
