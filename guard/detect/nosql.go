package detect

// NoSQL (MongoDB) injection: query operators as keys ("$ne", "user[$ne]")
// or inside JSON-looking text ({"$gt": ""}), $where JavaScript, string
// breakouts into server-side JavaScript (';return true;var a=', '||
// 1==1), and shell-style db.collection calls.

// mongoOperator reports MongoDB query/update/aggregation operator names
// (without the '$').
// It is not inlined: a copy of this string switch at each call site cost
// kilobytes of code for a call's worth of time.
//
//go:noinline
func mongoOperator(w []byte) bool {
	switch string(w) {
	case "ne", "eq", "gt", "gte", "lt", "lte", "in", "nin", "regex", "where", "expr", "exists", "or", "and", "not",
		"nor", "elemmatch", "size", "type", "all", "mod", "text", "search", "function", "accumulator", "jsonschema",
		"comment", "options", "lookup", "set", "unset", "push", "pull", "inc", "rename", "match", "group", "project",
		"unwind", "facet", "merge", "out", "geowithin", "near", "bitsallset", "slice", "natural", "currentop",
		"ifnull", "cond", "switch", "concat", "tostring", "addfields", "replaceroot", "graphlookup", "unionwith":
		return true
	}
	return false
}

// keyOperator checks a key that is a Mongo operator or holds one in a
// bracketed path.
func keyOperator(k string) (string, bool) {
	if len(k) > 1 && k[0] == '$' {
		var buf [24]byte
		w := k[1:]
		if len(w) > len(buf) {
			return "", false
		}
		for i := 0; i < len(w); i++ {
			buf[i] = lower(w[i])
		}
		if mongoOperator(buf[:len(w)]) {
			return "nosqli.operator_key", true
		}
	}
	return "", false
}

func detectNoSQL(st *state) hit {
	const need = kDollar | kQuote | kPipe | kAmp | kSemi | kDot
	if st.cls&need == 0 {
		return hit{}
	}
	b := st.n
	n := len(b)
	if st.cls&kDollar != 0 {
		for i := indexByte(b, '$'); i >= 0 && i < n; {
			j := i + 1
			for j < n && isIdent(b[j]) {
				j++
			}
			if j > i+1 && mongoOperator(b[i+1:j]) {
				pre := byte(' ')
				if i > 0 {
					pre = b[i-1]
				}
				k := j
				if k < n && (b[k] == '"' || b[k] == '\'') {
					k++
				}
				k = skipSpaces(b, k)
				switch {
				case pre == '[' && j < n && b[j] == ']':
					return hit{rule: "nosqli.operator", frag: around(b, i-1, j+16)}
				case (pre == '{' || pre == '"' || pre == '\'' || pre == ',' || pre == ' ' || pre == '(') && k < n && b[k] == ':':
					if string(b[i+1:j]) == "where" {
						return hit{rule: "nosqli.where", frag: around(b, i, k+32)}
					}
					// "$gt": / {$ne: - a key position in JSON/JS object text
					if pre != ' ' || precededByObject(b, i) {
						return hit{rule: "nosqli.operator", frag: around(b, i, k+16)}
					}
				}
				if string(b[i+1:j]) == "where" && (pre == ' ' || pre == ',' || pre == '\'' || pre == '"' || pre == '{') {
					return hit{rule: "nosqli.where", frag: around(b, i, j+32)}
				}
			}
			nx := byteFrom(b, i+1, '$')
			if nx < 0 {
				break
			}
			i = nx
		}
	}
	// server-side JavaScript reached by breaking out of a string
	if st.cls&(kQuote|kSemi|kPipe|kAmp) != 0 {
		for i := 0; i < n; i++ {
			c := b[i]
			if c != ';' && c != '|' && c != '&' {
				continue
			}
			j := skipSpaces(b, i+1)
			if c == ';' {
				if hasAt(b, j, "return") && (j+6 >= n || !isIdent(b[j+6])) {
					// ';return true', ";return(true)", '0;return 1'
					k := skipSpaces(b, j+6)
					if k >= n || b[k] == '(' || b[k] == '\'' || b[k] == '"' || isAlnum(b[k]) {
						// without a quote break, only on the same line: source
						// code returns 1 on the next line ("fclose(f);\n
						// return 1;"), an injected $where on the same one
						if quoteBefore(b, i) || k < n && (hasAt(b, k, "true") || hasAt(b, k, "1") || hasAt(b, k, "(true")) && !lineBreakIn(b[i+1:j]) {
							return hit{rule: "nosqli.js", frag: around(b, max(0, i-2), k+24)}
						}
					}
				}
				if (hasAt(b, j, "sleep(") || hasAt(b, j, "while(") || hasAt(b, j, "it=new date")) && quoteBefore(b, i) {
					return hit{rule: "nosqli.js", frag: around(b, max(0, i-2), j+24)}
				}
				continue
			}
			// || or && followed by a JS comparison with literals / this.
			if i+1 < n && b[i+1] == c {
				j = skipSpaces(b, i+2)
				if hasAt(b, j, "this.") && quoteBefore(b, i) {
					// "' || this.password", "1 && this.a": a quote break
					// (or a lone number) first, not a program's own
					// "if (done || this.closed)"
					return hit{rule: "nosqli.js", frag: around(b, i, j+32)}
				}
				if e, ok := jsLiteralEq(b, j); ok {
					return hit{rule: "nosqli.js", frag: around(b, i, e)}
				}
				i++
			}
		}
	}
	if st.cls&kDot != 0 {
		for i := indexFrom(b, "this.", 0); i >= 0; i = indexFrom(b, "this.", i+5) {
			if i > 0 && isIdent(b[i-1]) {
				continue
			}
			e := identEnd(b, i+5)
			if e > i+5 && (hasAt(b, e, ".match(") || hasAt(b, skipSpaces(b, e), "==") || hasAt(b, skipSpaces(b, e), "!=")) {
				return hit{rule: "nosqli.js", frag: around(b, i, e+24)}
			}
		}
		for i := indexFrom(b, "db.", 0); i >= 0; i = indexFrom(b, "db.", i+3) {
			if i > 0 && isIdent(b[i-1]) {
				continue
			}
			e := identEnd(b, i+3)
			if e == i+3 {
				continue
			}
			if e < n && b[e] == '(' && mongoDBMethod(b[i+3:e]) {
				// db.getCollection(, db.dropDatabase(, db.eval( (not a
				// program's own db variable: db.Query(, db.SetMaxOpenConns()
				return hit{rule: "nosqli.db_call", frag: around(b, i, e+24)}
			}
			if e < n && b[e] == '.' {
				f := identEnd(b, e+1)
				if f < n && b[f] == '(' {
					switch string(b[e+1 : f]) {
					case "find", "findone", "insert", "insertone", "insertmany", "update", "updateone", "updatemany",
						"remove", "deleteone", "deletemany", "drop", "mapreduce", "aggregate", "count", "distinct", "save",
						"findandmodify", "findoneandupdate", "renamecollection", "createindex":
						return hit{rule: "nosqli.db_call", frag: around(b, i, f+24)}
					}
				}
			}
		}
	}
	return hit{}
}

// mongoDBMethod reports a method of the MongoDB shell's database object
// (db.<name>(...)), in lower case: the shell's documented database,
// user and role methods.
func mongoDBMethod(w []byte) bool {
	switch string(w) {
	case "admincommand", "aggregate", "auth", "changeuserpassword", "clonecollection", "clonedatabase", "commandhelp",
		"copydatabase", "createcollection", "createrole", "createuser", "createview", "currentop", "dropallroles",
		"dropallusers", "dropdatabase", "droprole", "dropuser", "eval", "fsynclock", "fsyncunlock", "getcollection",
		"getcollectioninfos", "getcollectionnames", "getlasterror", "getlasterrorobj", "getlogcomponents", "getmongo",
		"getname", "getpreverror", "getprofilinglevel", "getprofilingstatus", "getreplicationinfo", "getrole",
		"getroles", "getsiblingdb", "getuser", "getusers", "grantprivilegestorole", "grantrolestorole",
		"grantrolestouser", "hello", "hostinfo", "ismaster", "killop", "listcommands", "loadserverscripts", "logout",
		"printcollectionstats", "printreplicationinfo", "printsecondaryreplicationinfo", "printshardingstatus",
		"repairdatabase", "reseterror", "revokeprivilegesfromrole", "revokerolesfromrole", "revokerolesfromuser",
		"rotatecertificates", "runcommand", "serverbuildinfo", "servercmdlineopts", "serverstatus", "setloglevel",
		"setprofilinglevel", "setsecondaryok", "shutdownserver", "stats", "updaterole", "updateuser", "version", "watch":
		return true
	}
	return false
}

// precededByObject reports that the operator at i sits inside an object
// literal ("{ a: 1, $ne: 1 }" / "true, $where: ...").
func precededByObject(b []byte, i int) bool {
	for k := i - 1; k >= 0 && i-k < 64; k-- {
		switch b[k] {
		case '{', ',':
			return true
		case ' ', '\t':
			continue
		default:
			return false
		}
	}
	return i < 2
}

// lineBreakIn reports a CR or LF in b.
func lineBreakIn(b []byte) bool {
	for _, c := range b {
		if c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

func quoteBefore(b []byte, i int) bool {
	for k := i - 1; k >= 0 && i-k < 8; k-- {
		switch b[k] {
		case '\'', '"':
			return true
		case ' ':
			continue
		default:
			return isDigit(b[k]) && k == 0
		}
	}
	return false
}

// jsLiteralEq recognises "1==1", "'a'=='a'", "”=='" at i.
func jsLiteralEq(b []byte, i int) (int, bool) {
	lit := func(k int) (int, bool) {
		if k >= len(b) {
			return k, false
		}
		switch c := b[k]; {
		case isDigit(c):
			for k < len(b) && isDigit(b[k]) {
				k++
			}
			return k, true
		case c == '\'' || c == '"':
			e := k + 1
			for e < len(b) && b[e] != c && e-k < 64 {
				e++
			}
			if e < len(b) {
				return e + 1, true
			}
			return len(b), true
		}
		return k, false
	}
	e, ok := lit(i)
	if !ok {
		return 0, false
	}
	e = skipSpaces(b, e)
	if !hasAt(b, e, "==") && !hasAt(b, e, "!=") {
		return 0, false
	}
	e += 2
	if e < len(b) && b[e] == '=' {
		e++
	}
	e = skipSpaces(b, e)
	if e >= len(b) {
		return e, true
	}
	if e2, ok := lit(e); ok {
		return e2, true
	}
	return 0, false
}
