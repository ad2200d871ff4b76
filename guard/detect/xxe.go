package detect

// XML external entities: DOCTYPE declarations with an external identifier
// or an internal subset, ENTITY/ELEMENT/ATTLIST declarations anywhere,
// parameter entities, and XInclude. For whole XML bodies (Input.XML) any
// DOCTYPE other than a bare "<!DOCTYPE name>" and external stylesheets are
// reported too.

func detectXXE(st *state) hit {
	if st.cls&kLT == 0 && st.cls&kColon == 0 {
		return hit{}
	}
	b := st.n
	if st.cls&kLT != 0 {
		for i := indexFrom(b, "<!", 0); i >= 0; i = indexNear(b, "<!", i+2) {
			j := skipSpaces(b, i+2)
			switch {
			case hasAt(b, j, "entity"):
				k := skipSpaces(b, j+6)
				rule := "xxe.entity"
				if k < len(b) && b[k] == '%' {
					rule = "xxe.parameter_entity"
				}
				e := byteFrom(b, j, '>')
				if e < 0 {
					e = len(b)
				}
				if rule == "xxe.entity" && (indexFrom(b[j:e], "system", 0) >= 0 || indexFrom(b[j:e], "public", 0) >= 0) {
					rule = "xxe.external_entity"
				}
				return hit{rule: rule, frag: span(b, i, e+1)}
			case hasAt(b, j, "doctype"):
				k := skipSpaces(b, j+7)
				k = identEndXML(b, k)
				k = skipSpaces(b, k)
				if hasAt(b, k, "system") || hasAt(b, k, "public") {
					return hit{rule: "xxe.external_dtd", frag: around(b, i, k+32)}
				}
				if k < len(b) && b[k] == '[' {
					return hit{rule: "xxe.internal_subset", frag: around(b, i, k+32)}
				}
			case hasAt(b, j, "element") || hasAt(b, j, "attlist") || hasAt(b, j, "notation"):
				return hit{rule: "xxe.dtd", frag: around(b, i, j+32)}
			}
		}
		if st.in.XML {
			if i := indexFrom(b, "<?xml-stylesheet", 0); i >= 0 {
				return hit{rule: "xxe.stylesheet", frag: around(b, i, i+48)}
			}
		}
	}
	// the xi:include element (a whole name: "xi" not glued to a longer
	// word) or the XInclude namespace
	for i := indexFrom(b, "xi:include", 0); i >= 0; i = indexFrom(b, "xi:include", i+10) {
		if i == 0 || !isIdent(b[i-1]) {
			return hit{rule: "xxe.xinclude", frag: around(b, max(0, i-1), i+40)}
		}
	}
	for i := indexFrom(b, "/2001/xinclude", 0); i >= 0; i = indexFrom(b, "/2001/xinclude", i+14) {
		if e := i + 14; e >= len(b) || !isIdent(b[e]) {
			// the namespace name, not a longer word that starts with it
			return hit{rule: "xxe.xinclude", frag: around(b, max(0, i-1), i+40)}
		}
	}
	return hit{}
}

func identEndXML(b []byte, i int) int {
	for i < len(b) && (isIdent(b[i]) || b[i] == ':' || b[i] == '-' || b[i] == '.' || b[i] >= 0x80) {
		i++
	}
	return i
}
