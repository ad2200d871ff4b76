package detect

// JNDI / Log4Shell: Log4j lookups. Nested and obfuscated lookups
// (${${lower:j}ndi:...}, ${${::-j}${::-n}di:...}, ${env:NaN:-j}) are
// flattened the way Log4j resolves them before looking for "jndi:"; any
// other Log4j lookup prefix (${env:, ${sys:, ${java:, ...) is reported too,
// since such text has no business in request data.

// maxLookupDepth bounds nesting.
const maxLookupDepth = 32

func lookupPrefix(w []byte) bool {
	switch string(w) {
	case "jndi", "env", "sys", "java", "ctx", "main", "bundle", "k8s", "docker", "spring", "log4j", "web",
		"jvmrunargs", "base64", "date", "lower", "upper", "marker", "map", "sd", "event", "script", "sec", "kubernetes":
		return true
	}
	return false
}

func detectJNDI(st *state) hit {
	if st.cls&(kDollar|kBrace|kColon) != kDollar|kBrace|kColon {
		// every rule below needs a ':' after the "${", and flattening
		// only drops bytes
		return hit{}
	}
	b := st.n
	first := indexFrom(b, "${", 0)
	if first < 0 {
		return hit{}
	}
	// Flatten lookups into the scratch buffer.
	out := st.scratch()
	stack := st.stack[:0]
	rbrace := newCloser(b, "}")
	for i := first; i < len(b); i++ {
		if rbrace.from(i) < 0 {
			// no lookup closes after i: the rest is copied as it is
			out = append(out, b[i:]...)
			break
		}
		c := b[i]
		if c == '$' && i+1 < len(b) && b[i+1] == '{' && len(stack) < maxLookupDepth {
			stack = append(stack, len(out))
			out = append(out, '$', '{')
			i++
			continue
		}
		if c == '}' && len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			inner := out[p+2:]
			switch {
			case indexFrom(inner, ":-", 0) >= 0:
				k := indexFrom(inner, ":-", 0)
				m := copy(out[p:], inner[k+2:])
				out = out[:p+m]
			case hasAt(inner, 0, "lower:"), hasAt(inner, 0, "upper:"):
				m := copy(out[p:], inner[6:])
				out = out[:p+m]
			case hasAt(inner, 0, "date:"):
				m := 0
				for _, ch := range inner[5:] {
					if ch != '\'' {
						out[p+m] = ch
						m++
					}
				}
				out = out[:p+m]
			default:
				out = append(out, '}')
			}
			continue
		}
		out = append(out, c)
	}
	st.stack = stack
	hasJNDI := indexFrom(out, "jndi", 0) >= 0
	for i := 0; hasJNDI && i+1 < len(out); i++ {
		if out[i] != '$' || out[i+1] != '{' {
			continue
		}
		j := skipSpaces(out, i+2)
		if hasAt(out, j, "jndi") {
			k := skipSpaces(out, j+4)
			if k < len(out) && out[k] == ':' {
				return hit{rule: "jndi.lookup", frag: around(out, i, k+32)}
			}
		}
	}
	// Any Log4j lookup in the original text, "${env:...}", "${::-x}".
	for i := first; i+1 < len(b); i++ {
		if b[i] != '$' || b[i+1] != '{' {
			continue
		}
		j := i + 2
		if hasAt(b, j, "::-") {
			return hit{rule: "jndi.obfuscated_lookup", frag: around(b, i, j+24)}
		}
		e := j
		for e < len(b) && isLetter(b[e]) || e < len(b) && isDigit(b[e]) && e > j {
			e++
		}
		if e < len(b) && b[e] == ':' && lookupPrefix(b[j:e]) {
			if string(b[j:e]) == "jndi" {
				return hit{rule: "jndi.lookup", frag: around(b, i, e+32)}
			}
			return hit{rule: "jndi.log4j_lookup", frag: around(b, i, e+24)}
		}
	}
	return hit{}
}
