package detect

// scanKey applies the checks that only make sense for names (object keys
// and parameter names): Mongo operators and prototype pollution. Key text
// is additionally scanned like any value.
func (d *Detector) scanKey(res *[numCategories]catHit, s string, in Input) catSet {
	var found catSet
	if d.enabled.has(ciNoSQL) {
		if rule, ok := keyOperator(s); ok {
			res[ciNoSQL] = catHit{rule, fragment(keyFrag(s))}
			found |= 1 << ciNoSQL
		}
	}
	if d.enabled.has(ciProto) {
		if rule, ok := keyProto(s, in.ParentKey); ok {
			res[ciProto] = catHit{rule, fragment(keyFrag(s))}
			found |= 1 << ciProto
		}
	}
	if d.enabled.has(ciSess) && in.ParentKey == "" && sessionKey(s) {
		res[ciSess] = catHit{"session.id_param", fragment(keyFrag(s))}
		found |= 1 << ciSess
	}
	return found
}

func keyFrag(s string) []byte {
	if len(s) > MaxFragment {
		s = s[:MaxFragment]
	}
	return []byte(s)
}
