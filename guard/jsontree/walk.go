package jsontree

// Walk validates src exactly like Parse (same syntax rules, same Limits) but
// builds no tree: it calls visit for every object key (key == true) and every
// string value (key == false), unescaped, in source order. Memory use is
// proportional to the nesting depth (plus, with duplicate-key checking, the
// keys of the currently open objects), not to len(src); Walk does not
// allocate unless a visited string contains escapes (and then a few times
// a walk: escaped values are unescaped into arrays of a few KB that hold
// many).
//
// p describes where the string is and is only valid during the call (render
// it with p.String or p.AppendTo to keep it). s aliases src when it has no
// escapes (copy it with strings.Clone if src may be modified while you keep
// it) and is a fresh string otherwise, whose bytes are never written again. Numbers, booleans and null are not
// visited but count toward the limits.
//
// Walk streams: visit may already have seen strings when an error later in
// src is found, so treat any error as a rejection of the whole document. If
// visit returns a non-nil error the walk stops and Walk returns that error
// unchanged. A nil visit only validates.
func Walk(src []byte, lim Limits, visit func(p *Path, s string, key bool) error) error {
	if int64(len(src)) > MaxDocumentSize {
		return &LimitError{Limit: LimitSize, Max: MaxDocumentSize}
	}
	p := getParser(src, lim)
	p.visit = visit
	err := p.run()
	p.release()
	return err
}
