package guard

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// GraphQL documents are judged by their values, never their syntax: a
// selection set that puts "id" on its own line is a field list, not a
// shell command. gqlDocument lexes a document (the GraphQL spec's lexical
// grammar, October 2021) and checks its outline: it starts with an
// operation ("{", query, mutation, subscription) or a fragment, its
// brackets balance and it holds a selection set. The string values it
// holds (arguments, variable defaults, directive arguments, block strings)
// are what a resolver receives, and they are handed to fn with the name of
// the argument or variable they belong to. Names, numbers, enums and
// punctuation carry no injection. Lexing is one pass with no allocation
// but for strings with escapes.

// gqlMaybe is the cheap test that decides whether a string is worth
// lexing as GraphQL.
func gqlMaybe(s string) bool {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == ',') {
		i++
	}
	if i < len(s) && s[i] == '#' { // a leading comment
		return strings.IndexByte(s, '{') >= 0
	}
	if i < len(s) && s[i] == '{' {
		return true
	}
	if i == len(s) {
		return false
	}
	// the keyword its first letter names (each starts with its own)
	var kw string
	switch s[i] {
	case 'q':
		kw = "query"
	case 'm':
		kw = "mutation"
	case 's':
		kw = "subscription"
	case 'f':
		kw = "fragment"
	default:
		return false
	}
	j := i + len(kw)
	return strings.HasPrefix(s[i:], kw) && j < len(s) && !isNameChar(s[j])
}

func isNameStart(c byte) bool { return gqlClass[c]&gqlNameStart != 0 }
func isNameChar(c byte) bool  { return gqlClass[c]&gqlNameChar != 0 }

// Byte classes of the GraphQL lexical grammar, one table lookup each.
const (
	gqlIgnored   = 1 << iota // white space, line terminators and commas
	gqlNameStart             // _ A-Z a-z
	gqlNameChar              // _ A-Z a-z 0-9
)

var gqlClass = func() (t [256]uint8) {
	for _, c := range []byte(" \t\n\r,") {
		t[c] = gqlIgnored
	}
	// by ranges, not a test per byte: this runs in every cold start
	// (TestByteTables checks it)
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = gqlNameStart|gqlNameChar, gqlNameStart|gqlNameChar
	}
	t['_'] = gqlNameStart | gqlNameChar
	for c := '0'; c <= '9'; c++ {
		t[c] = gqlNameChar
	}
	return t
}()

// gqlDocument reports whether src is a GraphQL executable document; when
// fn is non-nil it is called for each string value, as the string is
// read (a caller that needs to know the document valid before judging
// its values undoes what fn did when it reports false).
//
// Each token is dispatched on its first byte's kind (gqlTok), one table
// look-up and one jump, instead of a chain of comparisons; names are
// kept as offsets (FuzzGraphQL compares it with gqlDocumentRef).
func gqlDocument(src string, fn func(arg, v string)) bool {
	i, ok := gqlFirst(src, fn)
	if !ok {
		return false
	}
	var stack [64]byte
	depth := 0
	sawSelection := false
	// the most recent name is src[ln0:ln1], the name before the most
	// recent ':' src[an0:an1]
	ln0, ln1, an0, an1 := 0, 0, 0, 0
	// inArgs counts the open '(' and '[' on the stack: outside them a
	// '{' opens a selection set, where only names, aliases, fragment
	// spreads and directives may stand (no values, no variables), and a
	// selection set opens only after a name, a ')' or at the start.
	inArgs := 0
	prev := byte(0) // the previous token: 'n' name, else the punctuator
	for i < len(src) {
		// The tokens that call nothing (names, punctuators), in a loop
		// of their own: the registers it holds are saved only when it
		// leaves for a string, a number or a comment.
	tokens:
		for i < len(src) {
			c := src[i]
			switch gqlTok[c] {
			case gtIgnored:
				i++
				if i < len(src) && src[i] == ' ' {
					i++ // (", ")
				}
			case gtName:
				j := i + 1
				for j < len(src) && gqlClass[src[j]]&gqlNameChar != 0 {
					j++
				}
				ln0, ln1 = i, j
				prev = 'n'
				i = j
				if i < len(src) && src[i] == ' ' {
					i++ // (the blank after most tokens: skipped without a dispatch)
				}
			case gtOpen:
				if inArgs == 0 {
					// "{{", "{ :{": a selection set needs a field before it,
					// or "..." (an inline fragment without a type condition),
					// or the end of a definition (a shorthand query after it);
					// a list is a value, none of which a selection set holds
					if c == '[' || c == '{' && prev != 0 && prev != 'n' && prev != ')' &&
						!(prev == '.' && depth > 0) && !(prev == '}' && depth == 0) {
						return false
					}
				}
				if depth == len(stack) {
					return false
				}
				stack[depth] = c
				depth++
				if c == '{' {
					sawSelection = true
				} else {
					inArgs++
				}
				prev = c
				i++
				if i < len(src) && src[i] == ' ' {
					i++
				}
			case gtClose:
				// (with inArgs 0, no '(' or '[' is open: ')' and ']' are refused)
				if depth == 0 || stack[depth-1] != opener(c) {
					return false
				}
				depth--
				if c != '}' {
					inArgs--
				}
				prev = c
				i++
				if i < len(src) && src[i] == ' ' {
					i++
				}
			case gtSel: // ':', '@', '.'
				if c == '.' {
					if i+2 >= len(src) || src[i+1] != '.' || src[i+2] != '.' {
						return false
					}
					prev = '.'
					i += 3
					continue
				}
				if c == ':' {
					an0, an1 = ln0, ln1
				}
				prev = c
				i++
				if i < len(src) && src[i] == ' ' {
					i++
				}
			case gtPunct: // '!', '$', '&', '=', '|': none in a selection set
				if inArgs == 0 {
					return false
				}
				prev = c
				i++
			default:
				break tokens
			}
		}
		if i >= len(src) {
			break
		}
		c := src[i]
		switch gqlTok[c] {
		case gtNumber:
			j := -1
			if inArgs > 0 {
				j = gqlNumber(src, i)
			}
			if j < 0 {
				return false
			}
			i = j
		case gtQuote:
			if inArgs == 0 {
				return false
			}
			var v string
			var ok bool
			if strings.HasPrefix(src[i:], `"""`) {
				v, i, ok = gqlBlockString(src, i+3)
			} else {
				v, i, ok = gqlString(src, i+1)
			}
			if !ok {
				return false
			}
			if fn != nil {
				fn(src[an0:an1], v)
			}
		case gtHash:
			i = gqlComment(src, i, fn)
		default:
			if c != 0xEF || !strings.HasPrefix(src[i:], "\uFEFF") {
				return false
			}
			i += 3
		}
	}
	return depth == 0 && sawSelection
}

// gqlFirst skips what precedes a document's first token (ignored bytes,
// byte order marks, comments: handed to fn) and checks that token: '{'
// or an operation or fragment keyword. It returns where the token is.
func gqlFirst(src string, fn func(arg, v string)) (int, bool) {
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case gqlTok[c] == gtIgnored:
			i++
			continue
		case c == 0xEF && strings.HasPrefix(src[i:], "\uFEFF"):
			i += 3
			continue
		case c == '#':
			i = gqlComment(src, i, fn)
			continue
		}
		if c != '{' {
			j := i
			for j < len(src) && isNameChar(src[j]) {
				j++
			}
			switch src[i:j] {
			case "query", "mutation", "subscription", "fragment":
			default:
				return i, false
			}
		}
		return i, true
	}
	return i, false
}

// gqlComment returns the end of the comment at src[i] ('#'), handing its
// text to fn: comments reach no resolver, but a string that only looks
// like GraphQL could hide text in one.
func gqlComment(src string, i int, fn func(arg, v string)) int {
	j := i + 1
	for j < len(src) && src[j] != '\n' && src[j] != '\r' {
		j++
	}
	if fn != nil && j > i+1 {
		fn("#", src[i+1:j])
	}
	return j
}

// Token kinds of gqlDocument, by a token's first byte (gqlTok).
const (
	gtOther   = iota // no token starts with it (0xEF may start a byte order mark)
	gtIgnored        // white space, line terminators and commas
	gtName           // _ A-Z a-z
	gtOpen           // { ( [
	gtClose          // } ) ]
	gtSel            // : @ . (the punctuators a selection set may hold besides brackets)
	gtPunct          // ! $ & = |
	gtNumber         // - 0-9
	gtQuote          // "
	gtHash           // # (a comment)
)

var gqlTok = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch cl := gqlClass[c]; {
		case cl&gqlIgnored != 0:
			t[c] = gtIgnored
		case cl&gqlNameStart != 0:
			t[c] = gtName
		case cl&gqlNameChar != 0: // a digit
			t[c] = gtNumber
		}
	}
	for _, c := range []byte("{([") {
		t[c] = gtOpen
	}
	for _, c := range []byte("})]") {
		t[c] = gtClose
	}
	for _, c := range []byte(":@.") {
		t[c] = gtSel
	}
	for _, c := range []byte("!$&=|") {
		t[c] = gtPunct
	}
	t['-'], t['"'], t['#'] = gtNumber, gtQuote, gtHash
	return t
}()

func opener(c byte) byte {
	switch c {
	case '}':
		return '{'
	case ')':
		return '('
	}
	return '['
}

// gqlNumber scans an IntValue or FloatValue at i and returns the index
// after it, or -1.
func gqlNumber(s string, i int) int {
	if s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i == start {
		return -1
	}
	if i < len(s) && s[i] == '.' {
		i++
		d := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		if i == d {
			return -1
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		if i == d {
			return -1
		}
	}
	if i < len(s) && (isNameStart(s[i]) || s[i] == '.') {
		return -1
	}
	return i
}

// gqlString scans a quoted string whose body starts at i; it returns the
// unescaped value and the index after the closing quote.
func gqlString(s string, i int) (string, int, bool) {
	start := i
	esc := false
	for i < len(s) {
		for i < len(s) && !gqlStrMark[s[i]] {
			i++ // (the bytes the switch below steps over)
		}
		if i >= len(s) {
			break
		}
		switch c := s[i]; c {
		case '"':
			v := s[start:i]
			if esc {
				var ok bool
				if v, ok = gqlUnescape(v); !ok {
					return "", 0, false
				}
			}
			return v, i + 1, true
		case '\\':
			esc = true
			i += 2
		case '\n', '\r':
			return "", 0, false
		default:
			i++
		}
	}
	return "", 0, false
}

// gqlStrMark marks the bytes gqlString stops at in a string's body.
var gqlStrMark = [256]bool{'"': true, '\\': true, '\n': true, '\r': true}

func gqlUnescape(v string) (string, bool) {
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(v) {
			return "", false
		}
		switch v[i] {
		case '"', '\\', '/':
			b.WriteByte(v[i])
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if i+5 > len(v) {
				return "", false
			}
			n, err := strconv.ParseUint(v[i+1:i+5], 16, 32)
			if err != nil {
				return "", false
			}
			r := rune(n)
			if !utf8.ValidRune(r) {
				r = utf8.RuneError
			}
			b.WriteRune(r)
			i += 4
		default:
			return "", false
		}
	}
	return b.String(), true
}

// gqlBlockString scans a """block string""" whose body starts at i. The
// value is the raw body with \""" unescaped (indentation is kept: it does
// not change what the detectors see).
func gqlBlockString(s string, i int) (string, int, bool) {
	end := i
	for {
		k := strings.Index(s[end:], `"""`)
		if k < 0 {
			return "", 0, false
		}
		end += k
		if end > 0 && s[end-1] == '\\' {
			end += 3
			continue
		}
		break
	}
	v := s[i:end]
	if strings.Contains(v, `\"""`) {
		v = strings.ReplaceAll(v, `\"""`, `"""`)
	}
	return v, end + 3, true
}

// gqlValues is what graphql keeps of one document while it judges its
// string values: values found clean with the guard's whole detector, and
// whether a value of digits is clean without a judgement (xmlScan's rules:
// what scanString finds in a string does not depend on where it is, once
// it found nothing there). A document's selections repeat their arguments
// (tag: "x y", first: "10", a status enum written as a string), and one
// judged again costs a comparison.
type gqlValues struct {
	clean       [cleanSlots]xmlClean
	digitsClean bool
	// src is the document; utf8 tells, once a value is judged, whether
	// it is valid UTF-8 (1) or not (-1): every value of a valid document
	// is (values are cut at ASCII bytes, and unescaping writes runes).
	src  string
	utf8 int8
}

// noGqlValues makes gqlValue judge every value (a test hook: the
// decisions with and without gqlValues are compared).
var noGqlValues = false

// init readies vs for the document src.
func (vs *gqlValues) init(s *scanner, src string) {
	vs.src, vs.utf8 = src, 0
	vs.digitsClean = len(s.g.custom) == 0 && s.g.limits.MaxStringBytes >= maxCleanDigits
}

// gqlValue judges the string value v of a GraphQL document, found at
// prefix[.name]: scanString, unless v is a value of the document found
// clean before (vs) or a short run of digits (cleanDigits).
func (s *scanner) gqlValue(vs *gqlValues, v, prefix, name string, hasName bool) {
	if noGqlValues {
		s.str(v, inValue, prefix, name, hasName)
		return
	}
	var e *xmlClean
	if n := len(v); n > 0 && n <= memoBytes {
		if vs.digitsClean && n <= maxCleanDigits && allDigits(v) {
			s.validUTF8 = false // (as scanString leaves it)
			return
		}
		e = &vs.clean[(n+3*int(v[n-1])+int(v[0]))&(cleanSlots-1)] // (cleanSlot)
		if e.n == n && e.b[n-1] == v[n-1] && string(e.b[:n-1]) == v[:n-1] {
			s.validUTF8 = false
			return
		}
	}
	if s.strLoc == nil {
		s.strLoc = func(dst []byte) []byte { return s.appendLoc(dst, s.strAt.prefix, s.strAt.name, s.strAt.hasName) }
	}
	saved := s.strAt
	s.strAt = strAt{prefix, name, hasName}
	// scanString, noting whether v was found clean for the guard: a hit
	// of its cleanMemo, or judgeString's isClean (a hit of strMemo is the
	// value judged just before, kept already)
	if s.memoHit(&s.memo[inValue.Kind&1], v, inValue) {
		s.validUTF8 = false
	} else if cm, h, hit := s.cleanLookup(v, inValue); hit {
		s.validUTF8 = false
		if e != nil {
			e.n = copy(e.b[:], v)
		}
	} else {
		if vs.utf8 == 0 {
			vs.utf8 = -1
			if validUTF8(stringBytes(vs.src)) {
				vs.utf8 = 1
			}
		}
		s.validUTF8 = vs.utf8 > 0 // (checked once for the document)
		s.clean = ""
		s.judgeString(v, inValue, s.strLoc)
		if s.isClean(v) {
			if e != nil {
				e.n = copy(e.b[:], v)
			}
			if cm != nil {
				cm.offerHash(v, h)
			}
		}
	}
	s.strAt = saved
}
