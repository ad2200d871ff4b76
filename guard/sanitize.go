package guard

// sanitizeBody rewrites the configured fields of a JSON body with the HTML
// sanitiser (guard/sanitize, through its hook); everything else stays byte
// for byte. A body the walk already judged is not JSON is left alone.
func (s *scanner) sanitizeBody() {
	body := s.inv.Body
	if !looksJSON(body) {
		return
	}
	out, err := s.g.sanitize(body)
	if err != nil || len(out) == 0 || (len(out) == len(body) && &out[0] == &body[0]) {
		return // invalid JSON, or nothing changed (the body itself comes back)
	}
	s.body = out
}
