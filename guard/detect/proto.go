package detect

// Prototype pollution: __proto__ and constructor.prototype as keys, in key
// paths (a[__proto__][x], __proto__.polluted) and in JSON/JS text inside
// values.

// keyProto checks an object key / parameter name.
func keyProto(k, parent string) (string, bool) {
	if equalFold(k, "__proto__") {
		return "proto.key", true
	}
	if equalFold(k, "prototype") && equalFold(parent, "constructor") {
		return "proto.constructor_prototype", true
	}
	return "", false
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func detectProto(st *state) hit {
	if st.cls&kUnder == 0 && st.cls&(kDot|kBracket|kQuote) == 0 {
		return hit{}
	}
	b := st.n
	if h := classLoaderPath(b); h.rule != "" {
		return h // java.go
	}
	if st.cls&kUnder != 0 {
		for i := indexFrom(b, "__proto__", 0); i >= 0; i = indexFrom(b, "__proto__", i+9) {
			if !protoInProse(b, i) {
				return hit{rule: "proto.proto", frag: around(b, max(0, i-8), i+24)}
			}
		}
	}
	for i := indexFrom(b, "constructor", 0); i >= 0; i = indexFrom(b, "constructor", i+11) {
		j := i + 11
		// constructor.prototype, constructor["prototype"], constructor[prototype], "constructor":{"prototype"
		// (blanks and line breaks in any number between them, as JSON and
		// JS skip them: the run after each "constructor" is read once; at
		// most six marks)
		k, marks := j, 0
		for k < len(b) && (isSpace(b[k]) || marks < 6 && (b[k] == '.' || b[k] == '[' || b[k] == '"' || b[k] == '\'' || b[k] == ']' || b[k] == ':' || b[k] == '{')) {
			if !isSpace(b[k]) {
				marks++
			}
			k++
		}
		if k > j && hasAt(b, k, "prototype") && !allSpace(b[j:k]) && (i == 0 || !isIdent(b[i-1])) && (k+9 == len(b) || !isIdent(b[k+9])) {
			// not prose ("the constructor prototype"), and whole words
			// as the keyword gate reads them (not "x6constructor.prototype0")
			return hit{rule: "proto.constructor_prototype", frag: around(b, i, k+16)}
		}
	}
	return hit{}
}

// protoInProse reports whether the __proto__ at b[i:i+9] is a word of
// prose: blanks (or an end of the value) on both sides and at least one
// blank, as in "the __proto__ property is deprecated". Used as a key, a
// lodash-style path or a query parameter name, such a value names a key
// of its own ("the __proto__ property…"), never the prototype: what
// pollutes is __proto__ as the whole value or next to a path mark, a
// quote or an operator (a.__proto__.x, a[__proto__], "__proto__":,
// __proto__=, `__proto__`), all still flagged.
func protoInProse(b []byte, i int) bool {
	before := i == 0 || isSpace(b[i-1])
	after := i+9 == len(b) || isSpace(b[i+9])
	return before && after && (i > 0 || i+9 < len(b))
}

// allSpace reports whether b holds only blanks and line breaks.
func allSpace(b []byte) bool {
	for _, c := range b {
		if !isSpace(c) {
			return false
		}
	}
	return true
}
