package detect

import "testing"

// sqlLexRef is the if-chain lexer that the table-driven sqlLex replaced,
// kept to check that both produce the same tokens (FuzzSQLLexRef).
func sqlLexRef(toks []sqlToken, b []byte, from int, plus bool, max int) ([]sqlToken, int) {
	n := len(b)
	i := from
	for i < n {
		if len(toks) >= max {
			return toks, i
		}
		c := b[i]
		switch {
		case isSpace(c) || c < 0x20 || c == 0xa0 || (plus && c == '+'):
			i++
		case c == '/' && i+1 < n && b[i+1] == '*':
			if i+2 < n && b[i+2] == '!' {
				i += 3
				for i < n && isDigit(b[i]) {
					i++
				}
				continue
			}
			j := indexFrom(b, "*/", i+2)
			if j < 0 {
				toks = append(toks, sqlToken{typ: tkComment, start: int32(i), end: int32(n)})
				i = n
				continue
			}
			i = j + 2
		case c == '*' && i+1 < n && b[i+1] == '/':
			i += 2 // end of an executable comment
		case c == '-' && i+1 < n && b[i+1] == '-':
			j := i + 2
			for j < n && b[j] != '\n' {
				j++
			}
			if codeFollows(b, j) {
				i = j
				continue
			}
			toks = append(toks, sqlToken{typ: tkComment, start: int32(i), end: int32(j)})
			i = j
		case c == '#' && i+1 < n && b[i+1] == '>':
			// PostgreSQL JSON path operators #> and #>> (not a MySQL
			// comment that happens to start with '>')
			j := i + 2
			if j < n && b[j] == '>' {
				j++
			}
			toks = append(toks, sqlToken{typ: tkOp, flag: opPath, start: int32(i), end: int32(j)})
			i = j
		case c == '#':
			j := i + 1
			for j < n && b[j] != '\n' {
				j++
			}
			if codeFollows(b, j) {
				i = j
				continue
			}
			toks = append(toks, sqlToken{typ: tkComment, start: int32(i), end: int32(j)})
			i = j
		case c == '\'' || c == '"':
			j, closed := quotedEnd(b, i)
			f := c
			if closed {
				f |= strClosed
			}
			toks = append(toks, sqlToken{typ: tkStr, flag: f, start: int32(i), end: int32(j)})
			i = j
		case c == '$' && dollarQuoteEnd(b, i) > 0:
			// PostgreSQL dollar quoting: $$...$$, $tag$...$tag$
			j := dollarQuoteEnd(b, i)
			toks = append(toks, sqlToken{typ: tkStr, flag: '$' | strClosed, start: int32(i), end: int32(j)})
			i = j
		case c == '`':
			j := i + 1
			for j < n && b[j] != '`' {
				j++
			}
			if j < n {
				j++
			}
			toks = append(toks, sqlToken{typ: tkWord, start: int32(i), end: int32(j)})
			i = j
		case isDigit(c) || (c == '.' && i+1 < n && isDigit(b[i+1])):
			j := i
			if c == '0' && i+1 < n && (b[i+1] == 'x' || b[i+1] == 'b') && i+2 < n && isHex(b[i+2]) {
				j = i + 2
				for j < n && isHex(b[j]) {
					j++
				}
			} else {
				for j < n && (isDigit(b[j]) || b[j] == '.') {
					j++
				}
				if j < n && b[j] == 'e' && j+1 < n && (isDigit(b[j+1]) || ((b[j+1] == '-' || b[j+1] == '+') && j+2 < n && isDigit(b[j+2]))) {
					j += 2
					for j < n && isDigit(b[j]) {
						j++
					}
				}
			}
			toks = append(toks, sqlToken{typ: tkNum, start: int32(i), end: int32(j)})
			i = j
		case isLetter(c) || c == '_' || c == '$' || c >= 0x80:
			j := i + 1
			for j < n && (isIdent(b[j]) || b[j] == '$' || b[j] >= 0x80 && (b[j] != 0xa0 || b[j-1] >= 0x80) || (b[j] == '.' && j+1 < n && (isIdent(b[j+1]) || b[j+1] == '.'))) {
				j++
			}
			if j-i == 1 && j < n && b[j] == '\'' && (c == 'x' || c == 'b' || c == 'n' || c == 'e') {
				// x'41', b'1', N'text', E'text': a prefixed string
				// literal (only when it closes: "n'a pas" is French)
				if e, closed := quotedEnd(b, j); closed {
					toks = append(toks, sqlToken{typ: tkStr, flag: '\'' | strClosed, start: int32(i), end: int32(e)})
					i = e
					continue
				}
			}
			t := sqlToken{typ: tkWord, start: int32(i), end: int32(j)}
			if j-i <= 12 {
				t.kw = keyword(b[i:j])
				switch t.kw {
				case kwAnd, kwOr, kwXor:
					t.flag = opBool
				}
			}
			toks = append(toks, t)
			i = j
		case c == '@' && i+1 < n && b[i+1] == '>':
			// jsonb containment @>
			toks = append(toks, sqlToken{typ: tkOp, flag: opCmp, start: int32(i), end: int32(i + 2)})
			i += 2
		case c == '?' && i+1 < n && (b[i+1] == '|' || b[i+1] == '&'):
			// jsonb key existence ?| ?&
			toks = append(toks, sqlToken{typ: tkOp, flag: opCmp, start: int32(i), end: int32(i + 2)})
			i += 2
		case c == '@':
			j := i + 1
			if j < n && b[j] == '@' {
				j++
			}
			for j < n && (isIdent(b[j]) || b[j] == '.' || b[j] == '$') {
				j++
			}
			toks = append(toks, sqlToken{typ: tkVar, start: int32(i), end: int32(j)})
			i = j
		case c == '(':
			toks = append(toks, sqlToken{typ: tkLParen, start: int32(i), end: int32(i + 1)})
			i++
		case c == ')':
			toks = append(toks, sqlToken{typ: tkRParen, start: int32(i), end: int32(i + 1)})
			i++
		case c == ',':
			toks = append(toks, sqlToken{typ: tkComma, start: int32(i), end: int32(i + 1)})
			i++
		case c == ';':
			toks = append(toks, sqlToken{typ: tkSemi, start: int32(i), end: int32(i + 1)})
			i++
		case c == '=' || c == '<' || c == '>' || c == '!' || c == '|' || c == '&' || c == '^' || c == '~' || c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == ':':
			j := i + 1
			var f uint8
			if j < n {
				two := string(b[i : j+1])
				switch two {
				case "<=", ">=", "<>", "!=", "==", ":=", "!<", "!>":
					f = opCmp
					j++
					if two == "<=" && j < n && b[j] == '>' {
						j++
					}
				case "||", "&&":
					f = opBool
					j++
				case "<@":
					f = opCmp
					j++
				case "::":
					f = opCast
					j++
				case "->":
					f = opPath
					j++
					if j < n && b[j] == '>' {
						j++
					}
				}
			}
			if f == 0 {
				switch c {
				case '=', '<', '>':
					f = opCmp
				case '!', '~':
					f = 0
				case ':':
					f = 0
				default:
					f = opArith
				}
			}
			toks = append(toks, sqlToken{typ: tkOp, flag: f, start: int32(i), end: int32(j)})
			i = j
		default:
			toks = append(toks, sqlToken{typ: tkOther, start: int32(i), end: int32(i + 1)})
			i++
		}
	}
	return toks, n
}

// FuzzSQLLexRef checks that the table-driven lexer and the reference
// lexer agree token for token, with '+' as space and without.
func FuzzSQLLexRef(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range []string{"$$a$$ x'1' n'a #>> ->> @> <@ ?| :: <=> != !< /*!1 union*/ -- c\n# d\n`a` 1.5e-3 0x1f .5 @@v @a +1", "union\xa0select voil\xc3\xa0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		for _, plus := range []bool{false, true} {
			got, _ := sqlLex(nil, b, 0, plus, len(b)+1)
			want, _ := sqlLexRef(nil, b, 0, plus, len(b)+1)
			for i := range want {
				// the reference reads the properties of a token from its
				// type and keyword; the lexer writes them in each token
				want[i].p = tokProp[int(want[i].typ)<<6|int(want[i].kw)]
			}
			if len(got) != len(want) {
				t.Fatalf("lex %q (plus=%v): %d tokens, reference %d\n%+v\n%+v", s, plus, len(got), len(want), got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("lex %q (plus=%v): token %d = %+v, reference %+v", s, plus, i, got[i], want[i])
				}
			}
		}
	})
}
