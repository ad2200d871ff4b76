package detect

// scanKey applies the checks that only make sense for names (object keys
// and parameter names): Mongo operators and prototype pollution. Key text
// is additionally scanned like any value.
func (d *Detector) scanKey(res *[numCategories]hit, s string, in Input) catSet {
	var found catSet
	if d.enabled.has(ciNoSQL) {
		if rule, ok := keyOperator(s); ok {
			res[ciNoSQL] = hit{rule: rule, frag: keyFrag(s)}
			found |= 1 << ciNoSQL
		}
	}
	if d.enabled.has(ciProto) {
		if rule, ok := keyProto(s, in.ParentKey); ok {
			res[ciProto] = hit{rule: rule, frag: keyFrag(s)}
			found |= 1 << ciProto
		}
	}
	if d.enabled.has(ciSess) && in.ParentKey == "" && sessionKey(s) {
		res[ciSess] = hit{rule: "session.id_param", frag: keyFrag(s)}
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
