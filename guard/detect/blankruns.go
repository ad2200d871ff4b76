package detect

import (
	"encoding/binary"
	"math/bits"
)

// blankRuns lets forward scans with a budget of tokens (non-blank bytes)
// step over a run of blanks and line breaks in one step when an earlier
// scan has read it: scans that start at increasing positions and each read
// up to a window of tokens ahead would otherwise read the blanks padded
// between the tokens again from each start (an attacker pads between
// tokens, which every engine skips, to step past a byte window). Runs of
// at least minBlankRun bytes are remembered, in order, from the first
// scan that reads them; a scan asks begin at its start and skip at each
// blank. The zero value is ready to use.
type blankRuns struct {
	runs []blankRun
	head int  // runs before head end at or before the last scan's start
	none bool // the text has no blank (its classes say so): tokens are bytes
}

type blankRun struct{ s, e int }

// blankRunsFor returns the blankRuns of a text of classes cls: one with
// no space and no control byte has no blank, and its tokens are bytes.
func blankRunsFor(cls uint32) blankRuns {
	return blankRuns{none: cls&(kSpace|kCtl) == 0}
}

// minBlankRun is the shortest run remembered: a shorter one is read again.
const minBlankRun = 16

// begin starts a scan at p (p not before the last scan's start) and
// returns its cursor.
func (r *blankRuns) begin(p int) int {
	for r.head < len(r.runs) && r.runs[r.head].e <= p {
		r.head++
	}
	if r.head >= 64 && 2*r.head >= len(r.runs) {
		// keep only the runs ahead: the memory stays the window's runs
		r.runs = r.runs[:copy(r.runs, r.runs[r.head:])]
		r.head = 0
	}
	return r.head
}

// skip returns the end of the run of blanks at k (isSpace(b[k])): the
// index of the first byte after it that is not one, or len(b).
func (r *blankRuns) skip(b []byte, k int, cur *int) int {
	for *cur < len(r.runs) && r.runs[*cur].e <= k {
		*cur++
	}
	if *cur < len(r.runs) && r.runs[*cur].s <= k {
		return r.runs[*cur].e
	}
	e := k
	for e+8 <= len(b) && blankMask(binary.LittleEndian.Uint64(b[e:])) == hiBits {
		e += 8 // eight blanks at a time
	}
	e = skipSpaces(b, e)
	if e-k >= minBlankRun && (len(r.runs) == 0 || r.runs[len(r.runs)-1].e <= k) {
		r.runs = append(r.runs, blankRun{k, e})
		*cur = len(r.runs) - 1
	}
	return e
}

// tokenEnd returns the index just past the first max tokens of b from k
// (blank runs skipped through br, not counted), or lim when lim comes
// first: a template's window of maxTemplateExpr bytes counts its tokens,
// so blanks padded inside a delimiter do not push the code out of it.
func tokenEnd(b []byte, k, lim, max int, br *blankRuns) int {
	if lim-k <= max || br.none {
		return min(lim, k+max) // no more bytes than tokens allowed, or no blank
	}
	if !blankIn(b[k : k+max+1]) {
		return k + max // max tokens and the next, no blank among them
	}
	cur, tokens := -1, 0
	// eight bytes at a time while the window is not full: a word of
	// blanks starts a run to step over, another adds its tokens
	for k+8 <= lim {
		m := blankMask(binary.LittleEndian.Uint64(b[k:]))
		if m == hiBits {
			if cur < 0 {
				cur = br.begin(k)
			}
			k = br.skip(b, k, &cur)
			continue
		}
		t := 8 - bits.OnesCount64(m)
		if tokens+t > max {
			break
		}
		tokens += t
		k += 8
	}
	for ; k < lim; k++ {
		if spaceByte[b[k]] {
			if k+1 < lim && !spaceByte[b[k+1]] {
				continue // a lone blank
			}
			if cur < 0 {
				cur = br.begin(k)
			}
			if k = br.skip(b, k, &cur); k >= lim {
				return lim
			}
		}
		if tokens == max {
			return k
		}
		tokens++
	}
	return lim
}

const (
	loBits = 0x0101010101010101
	hiBits = 0x8080808080808080
)

// blankMask has the high bit of each byte of x that isSpace reports
// (' ', '\t' to '\r') set, and no other bit: (byte & 0x7f) >= n is the
// high bit of (byte & 0x7f) + 0x80 - n.
func blankMask(x uint64) uint64 {
	a := x &^ hiBits
	ge09, ge0e := a+(0x80-0x09)*loBits, a+(0x80-0x0e)*loBits
	ge20, ge21 := a+(0x80-0x20)*loBits, a+(0x80-0x21)*loBits
	return (ge09&^ge0e | ge20&^ge21) &^ x & hiBits
}

// blankIn reports whether b holds a byte below 0x21, which every blank
// is (eight bytes at a time).
func blankIn(b []byte) bool {
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		if ((x|hiBits)-0x21*loBits)&^x&hiBits != hiBits&^x {
			return true
		}
		b = b[8:]
	}
	for _, c := range b {
		if c < 0x21 {
			return true
		}
	}
	return false
}

// spaceByte marks the bytes isSpace reports.
var spaceByte = func() (t [256]bool) {
	for _, c := range []byte(" \t\n\r\v\f") {
		t[c] = true
	}
	return t
}()
