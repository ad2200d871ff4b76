package detect

import "strings"

// Deserialisation payloads: text that makes a deserialiser instantiate
// classes. YAML language tags (!!python/object/apply:os.system,
// !!ruby/object, !!javax.script...), Java serialisation streams (raw
// AC ED 00 05, hex aced0005, base64 rO0AB), .NET BinaryFormatter streams
// (base64 AAEAAAD/////) and Json.NET/JavaScriptSerializer type hints
// naming an assembly-qualified type, PHP serialised objects
// (O:8:"stdClass":1:{...}), node-serialize functions (_$$ND_FUNC$$_) and
// Python pickles written as text (cos\nsystem). A tag or stream marker
// counts only at the start of a token, so base64 images or hex ids that
// happen to contain the letters pass.

func detectDeser(st *state) hit {
	b := st.n
	n := len(b)
	// Java serialisation stream bytes in the raw value (NUL is removed by
	// normalisation)
	if st.rawCls&(kHigh|kCtl) != 0 {
		if strings.Contains(st.raw, "\xac\xed\x00\x05") {
			return hit{rule: "deser.java", frag: []byte("aced0005")}
		}
	}
	if st.cls&kBang != 0 {
		for i := indexFrom(b, "!!", 0); i >= 0; i = indexFrom(b, "!!", i+2) {
			j := i + 2
			for _, p := range [...]string{"python/", "ruby/", "java", "com.", "org.", "net.", "perl/", "php/", "clojure/"} {
				if hasAt(b, j, p) {
					return hit{rule: "deser.yaml_tag", frag: around(b, i, j+32)}
				}
			}
		}
	}
	if i := indexFrom(b, "tag:yaml.org,2002:", 0); i >= 0 {
		j := i + 18
		if hasAt(b, j, "python/") || hasAt(b, j, "ruby/") || hasAt(b, j, "java") {
			return hit{rule: "deser.yaml_tag", frag: around(b, i, j+32)}
		}
	}
	// serialisation stream markers at a token start: the raw (case-kept)
	// value for base64
	raw := st.raw
	for _, m := range [...]struct{ mark, rule string }{{"rO0AB", "deser.java"}, {"AAEAAAD/////", "deser.dotnet"}} {
		for k := 0; k < len(raw); {
			x := strings.Index(raw[k:], m.mark)
			if x < 0 {
				break
			}
			k += x
			if k == 0 || !isBase64Byte(raw[k-1]) {
				return hit{rule: m.rule, frag: spanOf(raw, k, k+MaxFragment)} // (the fragment alone copied)
			}
			k++
		}
	}
	if st.cls&kDigit != 0 {
		for i := indexFrom(b, "aced0005", 0); i >= 0; i = indexFrom(b, "aced0005", i+1) {
			// the marker starts a token and the stream goes on (a class
			// descriptor or a value follows): not a hex id that happens
			// to contain it
			k := i + 8
			for k < n && isHex(b[k]) {
				k++
			}
			if (i == 0 || !isHex(b[i-1]) || hasAt(b, max(0, i-2), "0x")) && k-(i+8) >= 8 {
				return hit{rule: "deser.java", frag: around(b, i, i+32)}
			}
		}
	}
	// PHP: O:<len>:"<class>":<n>:{  (also C: for Serializable)
	if st.cls&kColon != 0 && st.cls&kQuote != 0 {
		for i := 0; i+4 < n; i++ {
			if (b[i] != 'o' && b[i] != 'c') || b[i+1] != ':' || i > 0 && isIdent(b[i-1]) {
				continue
			}
			j := i + 2
			if (b[j] == '+' || b[j] == ' ') && j+1 < n {
				j++ // "O:+8:" (unserialize reads the sign; a '+' may have been read as a space)
			}
			if !isDigit(b[j]) {
				continue
			}
			ln := 0
			for j < n && isDigit(b[j]) && ln < 10000 {
				ln = ln*10 + int(b[j]-'0')
				j++
			}
			if !hasAt(b, j, `:"`) {
				continue
			}
			c := j + 2
			if c+ln+3 <= n && b[c+ln] == '"' && b[c+ln+1] == ':' && ln > 0 && isIdentOrNS(b[c:c+ln]) {
				return hit{rule: "deser.php", frag: around(b, i, c+ln+16)}
			}
		}
	}
	// Json.NET / JavaScriptSerializer type hints naming a .NET type
	if st.cls&kDollar != 0 || st.cls&kUnder != 0 {
		for _, key := range [...]string{`"$type"`, `'$type'`, `"__type"`} {
			// the type name's quote closes within 256 tokens: Json.NET
			// trims the blanks around the assembly name ("T,   Assembly"),
			// so they do not count (br: each run read once)
			var br blankRuns
			dq, sq := newCloser(b, `"`), newCloser(b, "'")
			for i := indexFrom(b, key, 0); i >= 0; i = indexFrom(b, key, i+len(key)) {
				j := skipSpaces(b, i+len(key))
				if j >= n || b[j] != ':' {
					continue
				}
				j = skipSpaces(b, j+1)
				if j >= n || (b[j] != '"' && b[j] != '\'') {
					continue
				}
				q := &dq
				if b[j] == '\'' {
					q = &sq
				}
				e := q.from(j + 1) // the next quote, remembered: linear
				if e < 0 || e-(j+1) > 256 && tokenEnd(b, j+1, e, 256, &br) < e {
					continue
				}
				e -= j + 1
				v := b[j+1 : j+1+e]
				if indexByte(v, '.') > 0 && indexByte(v, ',') > 0 {
					return hit{rule: "deser.dotnet", frag: around(b, i, j+1+e+1)}
				}
			}
		}
		if i := indexFrom(b, "_$$nd_func$$_", 0); i >= 0 {
			return hit{rule: "deser.node", frag: around(b, i, i+32)}
		}
	}
	// Python pickle protocol 0 text: c<module>\n<name>\n
	if st.cls&kCtl != 0 {
		for _, p := range [...]string{"cos\nsystem", "cposix\nsystem", "c__builtin__\n", "cbuiltins\n", "csubprocess\n", "cnt\nsystem"} {
			if i := indexFrom(b, p, 0); i >= 0 && (i == 0 || !isIdent(b[i-1])) {
				return hit{rule: "deser.pickle", frag: around(b, i, i+32)}
			}
		}
	}
	if st.cls&kDot != 0 {
		// the least specific: a gadget class named anywhere (java.go)
		return javaGadgetClass(b)
	}
	return hit{}
}

func isBase64Byte(c byte) bool {
	return isIdent(c) || c == '+' || c == '/' || c == '-'
}

// isIdentOrNS reports a PHP class name: identifier bytes and '\\'.
func isIdentOrNS(b []byte) bool {
	if len(b) == 0 || isDigit(b[0]) {
		return false
	}
	for _, c := range b {
		if !isIdent(c) && c != '\\' {
			return false
		}
	}
	return true
}
