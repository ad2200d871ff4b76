package guard

import "sync"

// scanners pools the per-inspection scanner: its walk closure (s.visit),
// location buffer and base64 buffers (and the gzip stream buffer of a
// gzip+base64 field) are made once and reused, so a
// clean inspection allocates neither the scanner nor the closure.
var scanners = sync.Pool{New: func() any { return new(scanner) }}

// maxPooledLoc bounds the location buffer a pooled scanner keeps.
const maxPooledLoc = 4 << 10

func getScanner(g *Guard, inv *Invocation) *scanner {
	s := scanners.Get().(*scanner)
	s.g, s.inv, s.record = g, inv, -1
	return s
}

// putScanner returns s to the pool. The decision built from s owns its
// findings and body, so s forgets them rather than reusing them; every
// other field is reset so nothing of this invocation outlives it.
func putScanner(s *scanner) {
	visit, strLoc, locBuf, b64, cands, zin := s.visit, s.strLoc, s.locBuf[:0], s.b64, s.sentDoc.cands[:0], s.zin[:0]
	if cap(locBuf) > maxPooledLoc {
		locBuf = nil
	}
	if cap(zin) > maxPooledB64 {
		zin = nil
	}
	for i := range b64 {
		b64[i] = b64Scratch{dec: b64[i].dec[:0], loc: b64[i].loc[:0], memo: b64[i].memo[:0]}
		if cap(b64[i].dec) > maxPooledB64 || cap(b64[i].loc) > maxPooledLoc || cap(b64[i].memo) > maxB64Memo {
			b64[i] = b64Scratch{}
		}
	}
	if cap(cands) > maxSentDoc/4 {
		cands = nil
	}
	// Cleared in place, then the kept fields set again: a composite
	// literal with them was built aside and copied over, two passes over
	// the whole (2 KB) scanner.
	*s = scanner{}
	s.visit, s.strLoc, s.locBuf, s.b64, s.zin = visit, strLoc, locBuf, b64, zin
	s.sentDoc.cands = cands
	scanners.Put(s)
}
