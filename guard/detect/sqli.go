package detect

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// SQL injection: a small SQL lexer (libinjection style) whose token stream
// is evaluated in three contexts: as is (numeric context), as if the value
// were inside a single-quoted string, and inside a double-quoted string.
// Rules look for grammar, not payloads: UNION SELECT, stacked statements,
// boolean/tautology expressions right after a context break, comment
// truncation after a break, time-delay and error-based functions, sub-
// queries and fingerprints of system catalogs.

type sqlTokType uint8

const (
	tkWord sqlTokType = iota + 1
	tkNum
	tkStr
	tkOp
	tkLParen
	tkRParen
	tkComma
	tkSemi
	tkComment
	tkVar
	tkOther
)

// keyword ids for words.
const (
	kwNone uint8 = iota
	kwUnion
	kwSelect
	kwFrom
	kwWhere
	kwAnd
	kwOr
	kwXor
	kwNot
	kwLike
	kwIs
	kwIn
	kwBetween
	kwNull
	kwTrue
	kwFalse
	kwOrder
	kwGroup
	kwBy
	kwHaving
	kwLimit
	kwInto
	kwInsert
	kwUpdate
	kwDelete
	kwDrop
	kwCreate
	kwAlter
	kwTruncate
	kwExec
	kwDeclare
	kwWaitfor
	kwShutdown
	kwSet
	kwValues
	kwCase
	kwWhen
	kwThen
	kwElse
	kwEnd
	kwProcedure
	kwAs
	kwAll
	kwDistinct
	kwBegin
	kwDiv
	kwSounds
	kwGrant
	kwTop
	kwRegexp
	kwOutfile
	kwCollate
	kwEscape
)

type sqlToken struct {
	typ   sqlTokType
	kw    uint8
	flag  uint8 // tkStr: quote char | 0x80 when closed; tkOp: opCmp/opBool/opArith bits
	p     uint8 // tokProp of its type and keyword, set by the lexer
	start int32
	end   int32
}

const (
	opCmp   = 1
	opBool  = 2
	opArith = 4
	opPath  = 8  // JSON path access: -> ->> #> #>>
	opCast  = 16 // PostgreSQL cast: ::
)

const strClosed = 0x80

func keyword(w []byte) uint8 {
	switch string(w) {
	case "union":
		return kwUnion
	case "select":
		return kwSelect
	case "from":
		return kwFrom
	case "where":
		return kwWhere
	case "and":
		return kwAnd
	case "or":
		return kwOr
	case "xor":
		return kwXor
	case "not":
		return kwNot
	case "like", "ilike":
		return kwLike
	case "rlike", "regexp", "glob", "similar", "match":
		return kwRegexp
	case "is":
		return kwIs
	case "in":
		return kwIn
	case "between":
		return kwBetween
	case "null":
		return kwNull
	case "true":
		return kwTrue
	case "false":
		return kwFalse
	case "order":
		return kwOrder
	case "group":
		return kwGroup
	case "by":
		return kwBy
	case "having":
		return kwHaving
	case "limit", "offset":
		return kwLimit
	case "into":
		return kwInto
	case "insert", "replace", "merge":
		return kwInsert
	case "update":
		return kwUpdate
	case "delete":
		return kwDelete
	case "drop":
		return kwDrop
	case "create":
		return kwCreate
	case "alter":
		return kwAlter
	case "truncate":
		return kwTruncate
	case "exec", "execute":
		return kwExec
	case "declare":
		return kwDeclare
	case "waitfor":
		return kwWaitfor
	case "shutdown":
		return kwShutdown
	case "set":
		return kwSet
	case "values":
		return kwValues
	case "case":
		return kwCase
	case "when":
		return kwWhen
	case "then":
		return kwThen
	case "else":
		return kwElse
	case "end":
		return kwEnd
	case "procedure":
		return kwProcedure
	case "as":
		return kwAs
	case "all":
		return kwAll
	case "distinct", "distinctrow":
		return kwDistinct
	case "begin", "declare_":
		return kwBegin
	case "div", "mod":
		return kwDiv
	case "sounds":
		return kwSounds
	case "grant", "revoke":
		return kwGrant
	case "top":
		return kwTop
	case "outfile", "dumpfile":
		return kwOutfile
	case "collate":
		return kwCollate
	case "escape":
		return kwEscape
	}
	return kwNone
}

// keyword2 is keyword of the two-byte word c0 c1.
func keyword2(c0, c1 byte) uint8 {
	switch uint16(c0)<<8 | uint16(c1) {
	case 'o'<<8 | 'r':
		return kwOr
	case 'i'<<8 | 'n':
		return kwIn
	case 'i'<<8 | 's':
		return kwIs
	case 'a'<<8 | 's':
		return kwAs
	case 'b'<<8 | 'y':
		return kwBy
	}
	return kwNone
}

// sqlLex tokenizes b[from:] into toks, at most max tokens, and returns
// them with the offset where it stopped (len(b) at the end of the input;
// a token boundary otherwise, where lexing may resume). If plus is set,
// '+' is whitespace (form-encoded input). Closed /* */ comments are
// whitespace, MySQL executable comments /*! ... */ are code. The input is
// the normalised (lower-case) view: upper-case letters are not words.
func sqlLex(toks []sqlToken, b []byte, from int, plus bool, max int) ([]sqlToken, int) {
	n := len(b)
	i := from
	for i < n {
		if len(toks) >= max {
			return toks, i
		}
		c := b[i]
		k := sqlLexClass[c]
		if k == lcQuote {
			// (the commonest tokens of a storm of quotes, read before the
			// dispatch)
			j, closed := quotedEnd(b, i)
			f := c
			if closed {
				f |= strClosed
			}
			toks = append(toks, sqlToken{typ: tkStr, flag: f, p: propOperand, start: int32(i), end: int32(j)})
			i = j
			continue
		}
		switch k {
		case lcSpace:
			i++
		case lcPlus:
			if plus {
				i++
				continue
			}
			toks, i = sqlLexOp(toks, b, i)
		case lcSlash:
			if i+1 >= n || b[i+1] != '*' {
				toks, i = sqlLexOp(toks, b, i)
				continue
			}
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
		case lcStar:
			if i+1 < n && b[i+1] == '/' {
				i += 2 // end of an executable comment
				continue
			}
			toks, i = sqlLexOp(toks, b, i)
		case lcDash:
			if i+1 >= n || b[i+1] != '-' {
				toks, i = sqlLexOp(toks, b, i)
				continue
			}
			j := sqlLineEnd(b, i+2)
			if codeFollows(b, j) {
				i = j // "--\nAND": a line comment before more code is white space
				continue
			}
			toks = append(toks, sqlToken{typ: tkComment, start: int32(i), end: int32(j)})
			i = j
		case lcHash:
			if i+1 < n && b[i+1] == '>' {
				// PostgreSQL JSON path operators #> and #>> (not a MySQL
				// comment that happens to start with '>')
				j := i + 2
				if j < n && b[j] == '>' {
					j++
				}
				toks = append(toks, sqlToken{typ: tkOp, flag: opPath, p: propContinues, start: int32(i), end: int32(j)})
				i = j
				continue
			}
			j := sqlLineEnd(b, i+1)
			if codeFollows(b, j) {
				i = j
				continue
			}
			toks = append(toks, sqlToken{typ: tkComment, start: int32(i), end: int32(j)})
			i = j
		case lcDollar:
			if j := dollarQuoteEnd(b, i); j > 0 {
				// PostgreSQL dollar quoting: $$...$$, $tag$...$tag$
				toks = append(toks, sqlToken{typ: tkStr, flag: '$' | strClosed, p: propOperand, start: int32(i), end: int32(j)})
				i = j
				continue
			}
			toks, i = sqlLexWord(toks, b, i)
		case lcIdent:
			// a word of letters, digits, '_' and '$' ended by a byte that
			// neither continues it (sqlLexWord: 0xA0 after UTF-8, a '.'
			// before a name) nor makes it a prefixed literal (x'41'):
			// lexed here, the common case
			j := i + 1
			for j < n && sqlWordCont[b[j]] {
				j++
			}
			if j-i > 12 || j < n && sqlWordOdd[b[j]] && (b[j] != '\'' || j-i == 1) {
				toks, i = sqlLexWord(toks, b, i)
				continue
			}
			var kw uint8
			if j-i == 2 {
				kw = keyword2(b[i], b[i+1]) // (no call for the commonest keywords)
			} else {
				kw = keyword(b[i:j])
			}
			toks = append(toks, sqlToken{typ: tkWord, kw: kw, flag: kwFlag[kw], p: wordProp[kw], start: int32(i), end: int32(j)})
			i = j
		case lcBacktick:
			j := i + 1
			for j < n && b[j] != '`' && j-i < 16 {
				j++
			}
			if j < n && b[j] != '`' {
				if k := indexByte(b[j:], '`'); k >= 0 {
					j += k
				} else {
					j = n
				}
			}
			if j < n {
				j++
			}
			toks = append(toks, sqlToken{typ: tkWord, p: wordProp[kwNone], start: int32(i), end: int32(j)})
			i = j
		case lcDot:
			if i+1 < n && isDigit(b[i+1]) {
				toks, i = sqlLexNumber(toks, b, i)
				continue
			}
			toks = append(toks, sqlToken{typ: tkOther, start: int32(i), end: int32(i + 1)})
			i++
		case lcDigit:
			toks, i = sqlLexNumber(toks, b, i)
		case lcAt:
			if i+1 < n && b[i+1] == '>' {
				// jsonb containment @>
				toks = append(toks, sqlToken{typ: tkOp, flag: opCmp, p: propContinues, start: int32(i), end: int32(i + 2)})
				i += 2
				continue
			}
			j := i + 1
			if j < n && b[j] == '@' {
				j++
			}
			for j < n && (isIdent(b[j]) || b[j] == '.' || b[j] == '$') {
				j++
			}
			toks = append(toks, sqlToken{typ: tkVar, p: propOperand, start: int32(i), end: int32(j)})
			i = j
		case lcQuest:
			if i+1 < n && (b[i+1] == '|' || b[i+1] == '&') {
				// jsonb key existence ?| ?&
				toks = append(toks, sqlToken{typ: tkOp, flag: opCmp, p: propContinues, start: int32(i), end: int32(i + 2)})
				i += 2
				continue
			}
			toks = append(toks, sqlToken{typ: tkOther, start: int32(i), end: int32(i + 1)})
			i++
		case lcLParen:
			toks = append(toks, sqlToken{typ: tkLParen, p: propContinues, start: int32(i), end: int32(i + 1)})
			i++
		case lcRParen:
			toks = append(toks, sqlToken{typ: tkRParen, start: int32(i), end: int32(i + 1)})
			i++
		case lcComma:
			toks = append(toks, sqlToken{typ: tkComma, start: int32(i), end: int32(i + 1)})
			i++
		case lcSemi:
			toks = append(toks, sqlToken{typ: tkSemi, start: int32(i), end: int32(i + 1)})
			i++
		case lcOp:
			toks, i = sqlLexOp(toks, b, i)
		default:
			toks = append(toks, sqlToken{typ: tkOther, start: int32(i), end: int32(i + 1)})
			i++
		}
	}
	return toks, n
}

// Lexer byte classes (sqlLexClass).
const (
	lcOther uint8 = iota
	lcSpace
	lcPlus
	lcSlash
	lcStar
	lcDash
	lcHash
	lcQuote
	lcDollar
	lcIdent
	lcBacktick
	lcDot
	lcDigit
	lcAt
	lcQuest
	lcLParen
	lcRParen
	lcComma
	lcSemi
	lcOp
)

// sqlLexClass dispatches the SQL lexer on the first byte of a token.
var sqlLexClass = func() (t [256]uint8) {
	for c := 0; c <= ' '; c++ {
		// blanks, and control bytes (MSSQL and MySQL read %01..%1f
		// between keywords as white space)
		t[c] = lcSpace
	}
	t[0xa0] = lcSpace
	for c := 'a'; c <= 'z'; c++ {
		t[c] = lcIdent
	}
	t['_'] = lcIdent
	for c := 0x80; c < 0x100; c++ {
		if c != 0xa0 {
			t[c] = lcIdent
		}
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = lcDigit
	}
	for _, c := range []byte("=<>!|&^~%:") {
		t[c] = lcOp
	}
	t['+'], t['/'], t['*'], t['-'], t['#'] = lcPlus, lcSlash, lcStar, lcDash, lcHash
	t['\''], t['"'], t['$'], t['`'], t['.'], t['@'], t['?'] = lcQuote, lcQuote, lcDollar, lcBacktick, lcDot, lcAt, lcQuest
	t['('], t[')'], t[','], t[';'] = lcLParen, lcRParen, lcComma, lcSemi
	return t
}()

// sqlWordCont marks the bytes that continue a word: letters (either
// case), digits, '_', '$' and bytes >= 0x80 (0xA0 only inside a UTF-8
// sequence, see sqlLexWord).
var sqlWordCont = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isIdent(byte(c)) || c == '$' || c >= 0x80 && c != 0xa0
	}
	return t
}()

// sqlWordOdd marks the bytes after a word that sqlLex leaves to
// sqlLexWord: 0xA0, '.' and a quote (x'41').
var sqlWordOdd = [256]bool{0xa0: true, '.': true, '\'': true}

// kwFlag is the flag of a word token of each keyword: opBool for AND, OR
// and XOR.
var kwFlag = [256]uint8{kwAnd: opBool, kwOr: opBool, kwXor: opBool}

// codeFollows reports that after the line end at j something other than
// white space follows: the line comment that ended there cuts nothing.
func codeFollows(b []byte, j int) bool {
	for ; j < len(b); j++ {
		if sqlLexClass[b[j]] != lcSpace {
			return true
		}
	}
	return false
}

// sqlLineEnd returns the index of the next '\n' at or after i, or len(b).
func sqlLineEnd(b []byte, i int) int {
	if k := indexByte(b[i:], '\n'); k >= 0 {
		return i + k
	}
	return len(b)
}

// sqlLexWord lexes a word (or a prefixed string literal) at i.
func sqlLexWord(toks []sqlToken, b []byte, i int) ([]sqlToken, int) {
	n := len(b)
	c := b[i]
	j := i + 1
	for j < n {
		d := b[j]
		if sqlWordCont[d] || d == 0xa0 && b[j-1] >= 0x80 || d == '.' && j+1 < n && (isIdent(b[j+1]) || b[j+1] == '.') {
			// a stray 0xA0 after ASCII is a no-break space (union%a0select);
			// after a UTF-8 lead or continuation byte it is part of a letter
			j++
			continue
		}
		break
	}
	if j-i == 1 && j < n && b[j] == '\'' && (c == 'x' || c == 'b' || c == 'n' || c == 'e') {
		// x'41', b'1', N'text', E'text': a prefixed string literal (only
		// when it closes: "n'a pas" is French)
		if e, closed := quotedEnd(b, j); closed {
			return append(toks, sqlToken{typ: tkStr, flag: '\'' | strClosed, p: propOperand, start: int32(i), end: int32(e)}), e
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
	t.p = wordProp[t.kw]
	return append(toks, t), j
}

// sqlLexNumber lexes a number at i: 0x.. / 0b.. digits, or digits and
// dots with an optional exponent.
func sqlLexNumber(toks []sqlToken, b []byte, i int) ([]sqlToken, int) {
	n := len(b)
	j := i
	if b[i] == '0' && i+1 < n && (b[i+1] == 'x' || b[i+1] == 'b') && i+2 < n && isHex(b[i+2]) {
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
	return append(toks, sqlToken{typ: tkNum, p: propOperand, start: int32(i), end: int32(j)}), j
}

// sqlLexOp lexes an operator at i (= < > ! | & ^ ~ + - * / % :).
func sqlLexOp(toks []sqlToken, b []byte, i int) ([]sqlToken, int) {
	n := len(b)
	c := b[i]
	j := i + 1
	var f uint8
	if j < n {
		switch d := b[j]; {
		case d == '=' && (c == '<' || c == '>' || c == '!' || c == '=' || c == ':'),
			c == '<' && d == '>', c == '!' && (d == '<' || d == '>'):
			f = opCmp
			j++
			if c == '<' && d == '=' && j < n && b[j] == '>' {
				j++ // <=>
			}
		case (c == '|' || c == '&') && d == c:
			f = opBool
			j++
		case c == '<' && d == '@':
			f = opCmp
			j++
		case c == ':' && d == ':':
			f = opCast
			j++
		case c == '-' && d == '>':
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
		case '!', '~', ':':
		default:
			f = opArith
		}
	}
	return append(toks, sqlToken{typ: tkOp, flag: f, p: propContinues, start: int32(i), end: int32(j)}), j
}

// quotedEnd returns the end of the quoted literal opening at b[i] (a
// backslash escapes, a doubled quote is a quote) and whether it closes.
func quotedEnd(b []byte, i int) (int, bool) {
	c := b[i]
	n := len(b)
	j := i + 1
	for j < n {
		if b[j] == '\\' && j+1 < n {
			j += 2
			continue
		}
		if b[j] == c {
			if j+1 < n && b[j+1] == c {
				j += 2
				continue
			}
			return j + 1, true
		}
		j++
	}
	return j, false
}

// maxDollarBody bounds the search for the end of a dollar-quoted string
// (the lexer stays linear on runs of openers that never close).
const maxDollarBody = 64

// dollarQuoteEnd returns the end of a PostgreSQL dollar-quoted string
// opening at b[i] ($$...$$ or $tag$...$tag$ closed within maxDollarBody
// bytes), or 0.
func dollarQuoteEnd(b []byte, i int) int {
	j := i + 1
	for j < len(b) && j-i <= 16 && (isLetter(b[j]) || b[j] == '_' || (j > i+1 && isDigit(b[j]))) {
		j++
	}
	if j >= len(b) || b[j] != '$' {
		return 0
	}
	tag := b[i : j+1]
	body := j + 1
	lim := min(len(b), body+maxDollarBody+len(tag))
	for k := body; k+len(tag) <= lim; k++ {
		if b[k] == '$' && string(b[k:k+len(tag)]) == string(tag) {
			return k + len(tag)
		}
	}
	return 0
}

// sqlCtx is one window of a token stream under evaluation. Long streams
// are judged in windows of sqlWindow tokens (the token buffer, and so the
// memory, stays bounded whatever the input): a window evaluates the rules
// at its positions that have sqlLook tokens of lookahead (all of them in
// the final window) and the next window starts sqlBack tokens before the
// first position it has not evaluated. A window that does not reach the
// end of the stream ends with a sentinel token that no rule reads as an
// operand or a terminator, so rules never mistake it for the end.
type sqlCtx struct {
	b     []byte
	t     []sqlToken
	brk   bool // stream starts right after a closing quote
	brkAt int  // offset of that quote
	// vers: the value holds a '!' and a '*', the bytes of a MySQL
	// versioned comment (/*!50000UNION*/) that may hide a keyword
	vers  bool
	first bool // t[0] is the first token of the stream
	// the types of the first two tokens of the stream (0 when absent)
	head0, head1 sqlTokType
	// litEnd is the index, relative to t, of the first token of the
	// stream that is not a literal or ')' (the end of a leading run like
	// "1)))) and"); it may lie beyond t.
	litEnd int
	// per window (setWindow): the index of the last literal token (-1:
	// none) and the next ')' after the last position asked (rparenAt,
	// valid for positions in [rparenFrom, rparenAt]), so that an
	// unbalanced '(' is not judged by reading the rest of the window again
	// from every '(' of a run ("((((": a window's quadratic)
	lastLit              int
	rparenFrom, rparenAt int
}

// setWindow makes t the tokens judged.
func (x *sqlCtx) setWindow(t []sqlToken) {
	x.t = t
	x.lastLit = -1
	for k := len(t) - 1; k >= 0; k-- {
		if t[k].typ == tkNum || t[k].typ == tkStr {
			x.lastLit = k
			break
		}
	}
	x.rparenFrom, x.rparenAt = 0, -2
}

// nextRParen is the index of the first ')' at or after i, len(x.t) when
// none.
func (x *sqlCtx) nextRParen(i int) int {
	if x.rparenFrom <= i && i <= x.rparenAt {
		return x.rparenAt
	}
	j := i
	for j < len(x.t) && x.t[j].typ != tkRParen {
		j++
	}
	x.rparenFrom, x.rparenAt = i, j
	return j
}

const (
	sqlWindow = 1024 // tokens lexed at a time (at least)
	// sqlWindowMax bounds the window of long inputs: a bigger window
	// re-lexes a smaller share of overlap; its buffer (12 bytes a token)
	// stays under half the input (sqlWindowFor).
	sqlWindowMax = 4096
	sqlLook      = 256 // lookahead a rule may need beyond its position
	sqlBack      = 32  // lookbehind kept before the first evaluated position
)

func (x *sqlCtx) text(i int) []byte {
	return x.b[x.t[i].start:x.t[i].end]
}

func (x *sqlCtx) kw(i int) uint8 {
	if i < 0 || i >= len(x.t) || x.t[i].typ != tkWord {
		return kwNone
	}
	return x.t[i].kw
}

func (x *sqlCtx) typ(i int) sqlTokType {
	if i < 0 || i >= len(x.t) {
		return 0
	}
	return x.t[i].typ
}

func (x *sqlCtx) frag(i, j int) []byte {
	if i < 0 {
		i = 0
	}
	if j >= len(x.t) {
		j = len(x.t) - 1
	}
	start := int(x.t[i].start)
	if x.brk && i == 0 && x.first {
		start = x.brkAt
	}
	if j < i {
		return span(x.b, start, start+MaxFragment)
	}
	return span(x.b, start, int(x.t[j].end))
}

// isFuncCall reports a word (or word-like) token followed by '('.
// sysVar reports a server variable token such as @@version.
func (x *sqlCtx) sysVar(i int) bool {
	if x.typ(i) != tkVar {
		return false
	}
	w := x.text(i)
	return len(w) > 2 && w[1] == '@'
}

func (x *sqlCtx) isFuncCall(i int) bool {
	return x.typ(i) == tkWord && x.typ(i+1) == tkLParen
}

// skipParens returns the index after the group opened at i (tkLParen), or
// -1 when unbalanced within the bound.
func (x *sqlCtx) skipParens(i int) int {
	if x.nextRParen(i) >= i+128 {
		return -1 // no ')' within the bound: the group cannot close
	}
	depth := 0
	for j := i; j < len(x.t) && j < i+128; j++ {
		switch x.t[j].typ {
		case tkLParen:
			depth++
		case tkRParen:
			depth--
			if depth == 0 {
				return j + 1
			}
		case tkSemi:
			return -1
		}
	}
	return -1
}

// operand parses a simple SQL operand at i. It returns the index after it,
// whether it contains a literal, and ok.
func (x *sqlCtx) operand(i int) (end int, lit bool, ok bool) {
	return x.operandChain(i, true)
}

// operandChain is operand; chain says whether arithmetic, concatenation
// and JSON-path chains after it are followed. The chain's own operands are
// read without chains (the loop below follows the chain left to right), so
// that one call reads at most a bounded number of operands: a run of
// "|@|@|@" stays linear.
func (x *sqlCtx) operandChain(i int, chain bool) (end int, lit bool, ok bool) {
	for k := 0; k < 3 && i < len(x.t); k++ {
		t := x.t[i]
		if (t.typ == tkOp && (x.b[t.start] == '-' || x.b[t.start] == '+' || x.b[t.start] == '!' || x.b[t.start] == '~') && t.end-t.start == 1) || x.kw(i) == kwNot {
			i++
			continue
		}
		break
	}
	if i >= len(x.t) {
		return i, false, false
	}
	t := x.t[i]
	switch t.typ {
	case tkNum, tkStr:
		end, lit = i+1, true
	case tkVar:
		end = i + 1
	case tkWord:
		switch t.kw {
		case kwNull, kwTrue, kwFalse:
			end, lit = i+1, true
		case kwNone, kwCase:
			if x.typ(i+1) == tkLParen {
				e := x.skipParens(i + 1)
				if e < 0 {
					// Unterminated call (the rest was cut by a comment or
					// is the remainder of a larger injected query).
					return len(x.t), true, true
				}
				end, lit = e, true
			} else {
				end = i + 1
			}
		default:
			return i, false, false
		}
	case tkLParen:
		e := x.skipParens(i)
		if e < 0 {
			// unbalanced to the end of the stream: "(('x" closed by the
			// application
			if x.lastLit > i {
				// a literal follows
				return len(x.t), true, x.brk
			}
			return len(x.t), false, false
		}
		// A parenthesised group counts as literal if it contains one.
		for k := i + 1; k < e; k++ {
			if x.t[k].typ == tkNum || x.t[k].typ == tkStr {
				lit = true
				break
			}
		}
		end = e
	default:
		return i, false, false
	}
	end = x.casts(end)
	if !chain {
		return end, lit, true
	}
	// Arithmetic/concatenation/JSON-path chains.
	for k := 0; k < 6 && end < len(x.t); k++ {
		ot := x.t[end]
		isArith := ot.typ == tkOp && (ot.flag == opArith || ot.flag == opPath || (ot.flag == opBool && x.b[ot.start] == '|'))
		if !isArith && x.kw(end) != kwDiv {
			break
		}
		e2, l2, ok2 := x.operandChain(end+1, false)
		if !ok2 {
			break
		}
		end, lit = e2, lit || l2
	}
	return end, lit, true
}

// casts skips PostgreSQL casts after an operand ending at i: "::int",
// "::varchar(10)", "::text[]".
func (x *sqlCtx) casts(i int) int {
	for k := 0; k < 4 && x.typ(i) == tkOp && x.t[i].flag == opCast && x.typ(i+1) == tkWord; k++ {
		i += 2
		if x.typ(i) == tkLParen {
			if e := x.skipParens(i); e > 0 {
				i = e
			}
		}
		if x.typ(i) == tkOther && x.b[x.t[i].start] == '[' && x.typ(i+1) == tkOther && x.b[x.t[i+1].start] == ']' {
			i += 2
		}
	}
	return i
}

// comparison parses "operand cmp operand" at i.
func (x *sqlCtx) comparison(i int) (end int, lit, same, ok bool) {
	// Leading parentheses: "(5995=9618)*9618" or "('a'='a".
	i0 := i
	lp := 0
	for x.typ(i) == tkLParen && lp < 4 {
		if e, l, s, ok := x.comparison(i + 1); ok {
			return e, l, s, true
		}
		i++
		lp++
	}
	if e, l, s, ok := x.comparisonFrom(i); ok {
		return e, l, s, true
	}
	if lp > 0 && lp < 4 {
		// "(1)=(1)": a parenthesised operand compared
		return x.comparisonFrom(i0)
	}
	return 0, false, false, false
}

// comparisonFrom parses "operand cmp operand" with the left operand at i.
func (x *sqlCtx) comparisonFrom(i int) (end int, lit, same, ok bool) {
	le, llit, lok := x.operand(i)
	if !lok || le >= len(x.t) {
		return 0, false, false, false
	}
	j := le
	if x.kw(j) == kwNot {
		j++
	}
	if j >= len(x.t) {
		return 0, false, false, false // "x not" at the end (FuzzGatesSound)
	}
	t := x.t[j]
	wordOp := false // LIKE, REGEXP, SOUNDS LIKE: also English words
	switch {
	case t.typ == tkOp && t.flag == opCmp:
		j++
	case t.typ == tkWord && (t.kw == kwLike || t.kw == kwRegexp):
		j++
		if x.kw(j) == kwNot {
			j++
		}
		wordOp = true
	case t.typ == tkWord && t.kw == kwSounds && x.kw(j+1) == kwLike:
		j += 2
		wordOp = true
	case t.typ == tkWord && t.kw == kwIs:
		j++
		if x.kw(j) == kwNot {
			j++
		}
		if k := x.kw(j); k == kwNull || k == kwTrue || k == kwFalse {
			return j + 1, true, false, true
		}
		return 0, false, false, false
	case t.typ == tkWord && t.kw == kwIn:
		if x.typ(j+1) == tkLParen {
			e := x.skipParens(j + 1)
			if e < 0 {
				e = len(x.t)
			}
			// a list of values or a subquery, not prose in parentheses
			// ("1 or 2 in (the box)")
			for k := j + 2; k < e && k < len(x.t); k++ {
				if w := x.t[k]; w.typ == tkWord && w.kw == kwNone && !x.isFuncCall(k) {
					return 0, false, false, false
				}
				if x.kw(k) == kwSelect {
					break
				}
			}
			return e, llit, false, true
		}
		return 0, false, false, false
	case t.typ == tkWord && t.kw == kwBetween:
		e1, l1, ok1 := x.operand(j + 1)
		if !ok1 || x.kw(e1) != kwAnd {
			return 0, false, false, false
		}
		e2, l2, ok2 := x.operand(e1 + 1)
		if !ok2 {
			return 0, false, false, false
		}
		return e2, llit || l1 || l2, false, true
	default:
		return 0, false, false, false
	}
	if j >= len(x.t) {
		// "' or 'a'='" style: the right side is the application's own
		// closing quote.
		return j, llit, false, llit && x.brk
	}
	re, rlit, rok := x.operand(j)
	if !rok || (wordOp && !rlit && re == j+1 && x.typ(j) == tkWord) {
		// "3 like this": a word operator comparing with a plain word
		return 0, false, false, false
	}
	same = le-i == 1 && re-j == 1 && string(x.text(i)) == string(x.text(j))
	return re, llit || rlit, same, true
}

// terminator reports whether index i ends an injected expression: end of
// stream, a comment, a semicolon or an unclosed string (the application's
// own closing quote), or a closing parenthesis run followed by those.
func (x *sqlCtx) terminator(i int) bool {
	for i < len(x.t) && x.t[i].typ == tkRParen {
		i++
	}
	if i >= len(x.t) {
		return true
	}
	t := x.t[i]
	return t.typ == tkComment || t.typ == tkSemi || (t.typ == tkStr && t.flag&strClosed == 0)
}

// strictTerminator is terminator without the plain end of the stream: a
// comment, a semicolon, or an unclosed string that absorbs the
// application's closing quote.
func (x *sqlCtx) strictTerminator(i int) bool {
	for i < len(x.t) && x.t[i].typ == tkRParen {
		i++
	}
	if i >= len(x.t) {
		return false
	}
	t := x.t[i]
	return t.typ == tkComment || t.typ == tkSemi || (t.typ == tkStr && t.flag&strClosed == 0)
}

// lastNonParen returns the index of the terminator token at or after i.
func (x *sqlCtx) lastNonParen(i int) int {
	for i < len(x.t) && x.t[i].typ == tkRParen {
		i++
	}
	if i >= len(x.t) {
		return len(x.t) - 1
	}
	return i
}

// shortTail is strictTerminator where an unclosed string must be a short
// last token (the application's own closing quote, maybe with a letter).
func (x *sqlCtx) shortTail(i int) bool {
	for i < len(x.t) && x.t[i].typ == tkRParen {
		i++
	}
	if !x.strictTerminator(i) {
		return false
	}
	t := x.t[i]
	if t.typ == tkStr {
		return i == len(x.t)-1 && t.end-t.start <= 5
	}
	return true
}

// sqlFuncClass: 0 unknown, 1 SQL function, 2 strong (injection-only) function, 3 time delay.
func sqlFuncClass(w []byte) uint8 {
	if len(w) == 0 || len(w) > 40 {
		return 0
	}
	// the shared word lists (words.go), through the keyword table
	g := wordGroups(keywordIndex(), bufString(w))
	switch {
	case g&gFnTime != 0:
		return 3
	case g&gFnInfo != 0:
		return 2
	case g&gFnPlain != 0:
		return 1
	}
	return 0
}

// sortDir reports ASC or DESC (the direction of an ORDER BY column).
func sortDir(w []byte) bool { return string(w) == "asc" || string(w) == "desc" }

// bareInfoFunc reports the information functions whose names are
// everyday words (sqlFuncPlain): a call of one without arguments reveals
// the server's state ("user()": the connected account).
func bareInfoFunc(w []byte) bool {
	switch string(w) {
	case "user", "connection_id", "last_insert_id":
		return true
	}
	return false
}

// minCatalogWord is the length of the shortest word of sqlCatalogWords
// (TestMinCatalogWord keeps it true): shorter words are rejected without
// a table lookup.
const minCatalogWord = 6

// strongWord reports identifiers that name system catalogs or injection-
// only machinery.
func strongWord(w []byte) bool {
	if len(w) < minCatalogWord {
		return false
	}
	// Qualified names: look at each dotted part.
	start := 0
	for i := 0; i <= len(w); i++ {
		if i < len(w) && w[i] != '.' {
			continue
		}
		p := w[start:i]
		start = i + 1
		if wordGroups(keywordIndex(), bufString(p))&gSQLCatalog != 0 {
			return true
		}
	}
	return false
}

// catalogRef reports a qualified reference (lower case) to a database's
// own catalog: a dotted name with a catalog word among its parts
// (information_schema.tables, master..sysdatabases, pg_catalog.pg_user),
// or a name inside a system schema (performance_schema.threads,
// msdb.dbo.backupset) whose catalog objects have everyday names only
// there (mysql.user, sys.objects, sys.sql_logins; not sys.path).
func catalogRef(w []byte) bool {
	dot := indexByte(w, '.')
	if dot <= 0 || dot == len(w)-1 || len(w) > 96 {
		return false
	}
	if strongWord(w) {
		return true
	}
	obj := w[lastIndexByte(w, '.')+1:]
	switch string(w[:dot]) {
	case "performance_schema", "msdb":
		return len(obj) > 0
	case "mysql":
		switch string(obj) {
		case "user", "db", "tables_priv", "columns_priv", "procs_priv", "proxies_priv", "global_priv", "proc", "func", "plugin", "servers", "role_edges":
			return true
		}
	case "sys":
		switch string(obj) {
		case "objects", "all_objects", "system_objects", "tables", "columns", "all_columns", "views", "procedures", "databases", "schemas",
			"sql_logins", "syslogins", "server_principals", "database_principals", "server_role_members", "credentials", "configurations",
			"sysobjects", "syscolumns", "sysusers", "sysdatabases", "sysprocesses", "user_token", "login_token", "dm_exec_sessions",
			"dm_exec_connections", "dm_os_file_exists", "dba_users", "user_tables", "all_tables", "user$", "dual":
			return true
		}
	}
	return false
}

// catalogValue reports a whole value (any case, blanks around it) that is
// a qualified catalog reference (catalogRef), maybe after the keyword that
// names a table and maybe ending with a ';': "information_schema.tables",
// "mysql.user", "from sys.objects".
func catalogValue(s string) bool {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	// maybe after the keyword that names a table: "from mysql.user"
	for _, kw := range [...]string{"from ", "join ", "into ", "update ", "table "} {
		if j-i > len(kw) && foldPrefix(s[i:j], kw) {
			i += len(kw)
			for i < j && isSpace(s[i]) {
				i++
			}
			break
		}
	}
	for j > i && (isSpace(s[j-1]) || s[j-1] == ';') {
		j--
	}
	var buf [96]byte
	if j-i < 3 || j-i > len(buf) {
		return false
	}
	for k := i; k < j; k++ {
		c := lower(s[k])
		if !isIdent(c) && c != '.' && c != '$' {
			return false
		}
		buf[k-i] = c
	}
	w := buf[:j-i]
	return catalogRef(w) || catalogObject(w)
}

// catalogObject reports a single name (lower case, no dot) of a catalog
// table, view or procedure (sqlite_master, sysobjects, xp_cmdshell,
// pg_shadow): as a whole value it names nothing but a database's own
// machinery. The catalog's column names (table_name, column_name,
// table_schema) and "schemata" (an English plural) are everyday words
// alone.
func catalogObject(w []byte) bool {
	if len(w) < minCatalogWord || indexByte(w, '.') >= 0 {
		return false
	}
	switch string(w) {
	case "table_name", "column_name", "table_schema", "schemata":
		return false
	}
	return strongWord(w)
}

// fromCatalog reports a FROM or JOIN (any case) followed by a catalog
// name: a catalog word (sysobjects, all_tables) or a qualified reference
// (catalogRef): "select name from sysobjects", "x from mysql.user". The
// keyword starts a word or follows a number glued to it, as the SQL lexer
// splits "1from" (numberGlued).
func fromCatalog(s string) bool {
	p := unsafe.Pointer(unsafe.StringData(s))
	for i := 0; i+5 < len(s); i++ {
		// to the next f or j (either case), eight bytes at a time
		for i+8 <= len(s) {
			x := binary.LittleEndian.Uint64((*[8]byte)(unsafe.Add(p, i))[:]) | lsb8*0x20
			if m := isByte(x, 'f') | isByte(x, 'j'); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i+5 >= len(s) {
			break
		}
		if c := s[i] | 0x20; c != 'f' && c != 'j' || i > 0 && isWordByte[s[i-1]] && !numberGlued(s, i) || !foldPrefix(s[i:], "from") && !foldPrefix(s[i:], "join") {
			continue
		}
		k := i + 4
		if !isSpace(s[k]) {
			continue
		}
		for k < len(s) && isSpace(s[k]) {
			k++
		}
		var buf [96]byte
		e := k
		for e < len(s) && e-k < len(buf) && (isWordByte[s[e]] || s[e] == '.' || s[e] == '$') {
			buf[e-k] = lower(s[e])
			e++
		}
		if w := buf[:e-k]; e > k && (e == len(s) || !isWordByte[s[e]] && s[e] != '.') && (strongWord(w) || catalogRef(w)) {
			return true
		}
		i = k - 1
	}
	return false
}

// numberGlued reports that the word holding s[i] starts with a number
// that ends at i, where the SQL lexer starts a word ("1from"; in
// "0x1from" the hex number takes the 'f': numberEnd).
func numberGlued(s string, i int) bool {
	w, e := i, i
	for w > 0 && isWordByte[s[w-1]] {
		w--
	}
	for e < len(s) && isWordByte[s[e]] {
		e++
	}
	return w < i && isDigit(s[w]) && numberEnd(s, w, e) == i
}

// foldPrefix reports whether s starts with the lower-case lit in any case.
func foldPrefix[T ~string | ~[]byte](s T, lit string) bool {
	if len(s) < len(lit) {
		return false
	}
	for k := 0; k < len(lit); k++ {
		if lower(s[k]) != lit[k] {
			return false
		}
	}
	return true
}

// numberBounds are the decimal integers at the edges of 32- and 64-bit
// types, signed and unsigned: 2^31, 2^32, 2^63, 2^64, each one below and
// one above (TestNumberBounds computes them).
var numberBounds = [...]string{
	"2147483647", "2147483648", "2147483649", "4294967295", "4294967296", "4294967297",
	"9223372036854775807", "9223372036854775808", "9223372036854775809",
	"18446744073709551615", "18446744073709551616", "18446744073709551617",
}

// minNumberBound is the length of the shortest of numberBounds.
var minNumberBound = func() int {
	m := len(numberBounds[0])
	for _, b := range numberBounds {
		m = min(m, len(b))
	}
	return m
}()

// overflowValue reports a whole value (blanks around it) that is a number
// probing unchecked numeric conversions: an integer at the edge of a 32-
// or 64-bit type (numberBounds, maybe signed; 0x7fffffff, 0x80000000,
// 0xffffffff and their 64-bit forms), a float whose exponent overflows a
// double (1e309), or the decimal that hangs some parsers near the least
// normal double (2.2250738585072011e-308).
func overflowValue[T ~string | ~[]byte](s T) bool {
	// a number starts after blanks and a sign: a word, at once
	if len(s) < 4 {
		return false
	}
	if c := s[0]; !isDigit(c) && c != '-' && c != '+' && !isSpace(c) {
		return false
	}
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	if j-i < 4 || j-i > 28 {
		return false
	}
	if s[i] == '-' || s[i] == '+' {
		i++
	}
	w := s[i:j]
	if len(w) > 2 && w[0] == '0' && w[1]|0x20 == 'x' {
		h := w[2:]
		if len(h) != 8 && len(h) != 16 {
			return false
		}
		top := lower(h[0])
		for k := 1; k < len(h); k++ {
			if c := lower(h[k]); c != h[1]|0x20 || c != 'f' && c != '0' {
				return false
			}
		}
		// 7fff..., 8000..., ffff...
		return top == '7' && lower(h[1]) == 'f' || top == '8' && h[1] == '0' || top == 'f' && lower(h[1]) == 'f'
	}
	if !isDigit(w[0]) {
		return false
	}
	k := 0
	for k < len(w) && isDigit(w[k]) {
		k++
	}
	if k == len(w) {
		if len(w) < minNumberBound {
			return false // shorter than every bound: an id, a count
		}
		for _, b := range numberBounds {
			if string(w) == b {
				return true
			}
		}
		return false
	}
	// a float: digits [. digits] e [sign] digits
	m := k
	if w[m] == '.' {
		m++
		for m < len(w) && isDigit(w[m]) {
			m++
		}
	}
	if m >= len(w)-1 || w[m]|0x20 != 'e' {
		return false
	}
	e := m + 1
	neg := w[e] == '-'
	if w[e] == '-' || w[e] == '+' {
		e++
	}
	if e >= len(w) {
		return false
	}
	exp := 0
	for q := e; q < len(w); q++ {
		if !isDigit(w[q]) || exp > 9999 {
			return false
		}
		exp = exp*10 + int(w[q]-'0')
	}
	if !neg {
		return exp >= 309 && exp <= 9999 // beyond the largest double
	}
	return exp == 308 && foldPrefix(w, "2.225073858507201")
}

// detectSQLi runs the SQL rules over the relevant contexts.
func detectSQLi(st *state) hit {
	if st.cls&kDigit != 0 && st.in.Kind != Key && overflowValue(bufString(st.n)) {
		// a value, not a key (JSON keys are often numbers or hex: "1e309")
		return hit{rule: "sqli.overflow", frag: trimSpace(st.n)}
	}
	const need = kQuote | kParen | kEq | kSemi | kHash | kDash | kStar | kPipe | kAmp | kLT | kGT | kAt | kComma
	if st.cls&need == 0 && !stmtLead(bufString(st.n)) && indexFrom(st.n, "union", 0) < 0 && !fromCatalog(bufString(st.n)) &&
		!(st.cls&kDigit != 0 && (st.kw&gSQLOp != 0 || (st.cls&(kBang|kTilde|kDash|kPlus) != 0 || st.f&fHex0x != 0) && st.kw&gBool != 0) && numStart(bufString(st.n))) && !(st.cls&kDot != 0 && catalogValue(bufString(st.n)) || catalogWordHint(bufString(st.n), st.cls)) {
		// no SQL punctuation and no keyword that makes an expression
		// without it ("1 union select 1"), no catalog after FROM ("select
		// name from sysobjects"),
		// nor a number that operator words continue ("1 or true", "1 div
		// 1", "1 or !0"), nor a whole value naming a catalog object
		// ("information_schema.tables")
		return hit{}
	}
	b := st.n
	plus := st.cls&kSpace == 0 && st.cls&kPlus != 0
	best := hit{}
	bestRank := 0
	try := func(from int, brk bool) {
		if h, r := sqlJudge(st, b, from, brk, plus, bestRank); r > bestRank {
			best, bestRank = h, r
		}
	}
	try(0, false)
	if bestRank < 10 && st.cls&kQuote != 0 {
		// string contexts, and the identifier context of a backtick
		for _, q := range [...]byte{'\'', '"', '`'} {
			if bestRank >= 10 {
				break
			}
			if i := indexByte(b, q); i >= 0 {
				if q == '`' && (i+1 < len(b) && (isIdent(b[i+1]) || b[i+1] == '`') || i > 0 && isSpace(b[i-1])) {
					// a backtick breaks out of an identifier when it ends
					// a name ("id`) or", "`) or"), not when it opens code
					// in markdown ("tried `SELECT ...`")
					continue
				}
				try(i+1, true)
			}
		}
	}
	if bestRank < 10 && st.cls&kDollar != 0 {
		// PostgreSQL's dollar quoting ($$text$$, $tag$text$tag$): the
		// first delimiter ends a string of the application's as a quote
		// does ("$$ || pg_sleep(5) || $$")
		if i := dollarDelimEnd(b); i > 0 {
			try(i, true)
		}
	}
	if bestRank == 0 && st.f&fSQLComment != 0 && indexFrom(b, "/*", 0) >= 0 {
		// Keywords split by inline comments: un/**/ion sel/**/ect.
		v, ok := joinInlineComments(st.scratch(), b)
		if ok {
			if h, r := sqlJudge(st, v, 0, false, plus, 0); r > 0 {
				return h
			}
		}
	}
	if bestRank > 0 {
		return best
	}
	return hit{}
}

// joinInlineComments removes closed /* ... */ comments that sit inside a
// word (no space on either side). It reports whether anything was removed.
// A comment after a complete keyword ("union/**/select") stays a space.
func joinInlineComments(dst, b []byte) ([]byte, bool) {
	if !gluedComment(b) {
		return dst, false
	}
	changed := false
	ws := 0 // start of the current word in dst
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '/' && i+1 < len(b) && b[i+1] == '*' && i > 0 && isIdent(b[i-1]) {
			// searched only where it can count (e-i < 64): a run of
			// unclosed "a/*" stays linear
			if e := indexFrom(b[:min(len(b), i+65)], "*/", i+2); e >= 0 && e+2 < len(b) && isIdent(b[e+2]) {
				i = e + 1
				changed = true
				if w := dst[ws:]; len(w) <= 12 && keyword(w) != kwNone {
					dst = append(dst, ' ')
					ws = len(dst)
				}
				continue
			}
		}
		if !isIdent(c) {
			ws = len(dst) + 1
		}
		dst = append(dst, c)
	}
	return dst, changed
}

// gluedComment reports a "/*" right after an identifier byte: the only
// place where joinInlineComments changes anything.
func gluedComment(b []byte) bool {
	for i := 1; i+1 < len(b); i++ {
		if b[i] == '/' && b[i+1] == '*' && isIdent(b[i-1]) {
			return true
		}
	}
	return false
}

func indexByte(b []byte, c byte) int { return bytes.IndexByte(b, c) }

// sqlJudge lexes b[from:] (brk: right after a breaking quote at from-1)
// window by window and returns the best hit of the rules and its rank.
// Memory is one window of tokens; time is linear in len(b).
func sqlJudge(st *state, b []byte, from int, brk, plus bool, floor int) (hit, int) {
	// (b is the value, or the value with inline comments joined: its
	// classes are the value's)
	x := sqlCtx{b: b, brk: brk, brkAt: from - 1, first: true, vers: st.cls&(kBang|kStar) == kBang|kStar}
	var best hit
	rank := floor // only a more specific hit than one already found counts
	evalFrom := 0
	litOpen := true
	window := sqlWindowFor(len(b) - from)
	buf := st.toks
	if need := min(window, len(b)-from) + 2; cap(buf) < need {
		// the token buffer sized once for a window, not grown by
		// doublings: a token a byte at most, and past sqlTokensCounted a
		// word of many bytes is one token (sqlTokensAtMost; below it the
		// bytes are the bound: short values of a body, each longer than
		// the last, count nor allocate again)
		if need > sqlTokensCounted {
			need = max(sqlTokensCounted, min(window, sqlTokensAtMost(b[from:], window))+2)
		}
		if cap(buf) < need {
			buf = st.tokens(need, b)
		}
	}
	keep := 0 // tokens of the last window the next one starts with
	for pos := from; ; {
		// (the lexer reads nothing before its position: the tokens kept
		// are the ones lexing again from the first of them would give,
		// and it goes on where it stopped)
		toks, stop := sqlLex(buf[:keep], b, pos, plus, window)
		final := stop >= len(b)
		n := len(toks)
		if x.first {
			if n > 0 {
				x.head0 = toks[0].typ
			}
			if n > 1 {
				x.head1 = toks[1].typ
			}
		}
		if litOpen {
			k := max(x.litEnd, 0)
			for k < n && (toks[k].typ == tkNum || toks[k].typ == tkRParen || toks[k].typ == tkStr) {
				k++
			}
			x.litEnd = k
			litOpen = k == n && !final
		}
		evalTo := n
		if !final {
			toks = append(toks, sqlToken{typ: tkOther, start: int32(stop), end: int32(stop)})
			evalTo = n - sqlLook
		}
		buf = toks
		x.setWindow(toks)
		if h, r := sqlRules(&x, st, evalFrom, evalTo, final, rank); r > rank {
			best, rank = h, r
		}
		if final || rank >= 10 {
			return best, rank
		}
		next := evalTo - sqlBack
		keep, pos = copy(toks, toks[next:n]), stop
		x.first = false
		x.litEnd -= next
		evalFrom = sqlBack
	}
}

// sqlTokensAtMost bounds the number of tokens sqlLex makes of b (counting
// stops at limit): a token starts at a byte that is not blank and starts
// no word (sqlRunByte: '$' counts as one, "$$$$" are dollar-quoted
// strings; so does an upper-case letter, which the lexer reads in the
// lower-case view only), at the first byte of a run of word bytes, or
// where the number that starts such a run ends ("1e0union",
// "0x41select"); the rest of a run is one word. TestSQLTokensAtMost and
// FuzzSQLLex check it against the lexer. (Not inlined: in sqlJudge its
// loop lost registers to the window loop's.)
//
//go:noinline
func sqlTokensAtMost(b []byte, limit int) int {
	n := 0
	inWord := false
	for i := 0; i < len(b) && n < limit; i++ {
		switch c := b[i]; sqlRunByte[c] {
		case runWord:
			if !inWord {
				n++
			}
			inWord = true
		case runDigit:
			if !inWord {
				n += 2
			}
			inWord = true
		case runBlank:
			inWord = false
		default:
			n++
			inWord = false
		}
	}
	return n
}

// sqlTokensCounted is the token buffer below which sqlJudge sizes it by
// the bytes (a token a byte) rather than by sqlTokensAtMost.
const sqlTokensCounted = 256

// sqlRunByte classes the bytes for sqlTokensAtMost.
const (
	runOther = iota // a token of its own at most
	runBlank        // white space to the lexer
	runWord         // starts or continues a word
	runDigit        // starts a number (and a word after it), or continues a word
)

var sqlRunByte = func() (t [256]uint8) {
	for c := range t {
		switch k := sqlLexClass[c]; {
		case k == lcSpace:
			t[c] = runBlank
		case sqlWordCont[c] && k == lcIdent:
			t[c] = runWord
		case sqlWordCont[c] && k == lcDigit:
			t[c] = runDigit
		}
	}
	return t
}()

// sqlWindowFor returns the window size in tokens for n bytes of input.
func sqlWindowFor(n int) int {
	return min(max(n/24, sqlWindow), sqlWindowMax)
}

// sqlRules evaluates the positions [from, to) of one window and returns
// the best hit above floor and its rank (higher is more specific; 10 stops
// further contexts). final: the window ends the stream. Rules that cannot
// rank above floor are not evaluated.
func sqlRules(x *sqlCtx, st *state, from, to int, final bool, floor int) (hit, int) {
	t := x.t
	n := len(t)
	if n == 0 {
		return hit{}, 0
	}
	var best hit
	rank := floor
	set := func(r int, rule string, i, j int) {
		if r > rank {
			rank = r
			best = hit{rule: rule, frag: x.frag(i, j)}
		}
	}
	// Position of the first token that is not a leading literal/paren, used
	// for "near the start" judgements.
	for i := from; i < to; i++ {
		tk := &t[i]
		switch tk.typ {
		case tkWord:
			if tk.flag&opBool != 0 && x.typ(i+1) != tkLParen {
				// AND, OR and XOR not called: only the versioned
				// comment's rule and boolRule read them, below; the cost
				// of a storm of "'or'", so boolLeaves is read here at once
				// when the operand after the operator is plain (opLeaves)
				if x.vers && tk.start > 0 && (x.b[tk.start-1] == '!' || isDigit(x.b[tk.start-1])) && versionedComment(x.b, int(tk.start)) {
					set(8, "sqli.comment", i, i+1)
				}
				if rank < 9 && i+1 < n {
					leaves := false
					if i > 24 && x.litEnd < i {
						switch p := t[i+1].p; {
						case p&propOperand != 0:
							leaves = i+2 < n && t[i+2].p&propContinues == 0
						case p&propPlain != 0:
							leaves = true
						default:
							leaves = !x.comparable(i + 1)
						}
					}
					if !leaves {
						if r, rule, e := boolRule(x, i); r > rank {
							set(r, rule, i, e)
						}
					}
				}
				break
			}
			if tk.kw == kwNone && x.typ(i+1) != tkLParen && int(tk.end-tk.start) < minCatalogWord {
				// a plain short word that is not called: no rule starts
				// here (quoted identifiers, prose)
				break
			}
			if tk.flag&opBool == 0 || x.typ(i+1) == tkLParen {
				// (AND, OR and XOR not called: of the rules below only the
				// versioned comment's and boolRule's read them, the cost of
				// a storm of "'or'")
				switch tk.kw {
				case kwUnion:
					j := i + 1
					for x.typ(j) == tkComment {
						j++
					}
					if k := x.kw(j); k == kwAll || k == kwDistinct {
						j++
					}
					for x.typ(j) == tkLParen || x.typ(j) == tkComment {
						j++
					}
					if x.kw(j) == kwSelect && unionSelectList(x, j+1) {
						set(10, "sqli.union", i, j)
					}
				case kwWaitfor:
					if j := i + 1; j < n && t[j].typ == tkWord && (hasAt(x.b, int(t[j].start), "delay") || hasAt(x.b, int(t[j].start), "time")) {
						set(10, "sqli.time", i, j+1)
					}
				case kwExec:
					// "EXEC(@s)", "EXECUTE IMMEDIATE '...'", "exec
					// master..xp_cmdshell 'dir'": a stored procedure or dynamic
					// SQL run by the whole value (stackedStatement's shapes;
					// not "exec summary", "exec (the plan)", "exec (ceo)")
					if i == 0 && !x.brk && x.first && (x.typ(1) != tkLParen || x.sqlArgs(1) && !x.remark(1)) {
						if e, ok := stackedStatement(x, 0); ok {
							set(6, "sqli.statement", 0, e)
						}
					}
				case kwDeclare:
					// "DECLARE @s varchar(99) ...": a T-SQL batch as the value
					if i == 0 && !x.brk && x.first && x.typ(1) == tkVar && (x.kw(2) == kwAs || x.typ(2) == tkWord && sqlTypeName(x.text(2))) {
						set(6, "sqli.statement", 0, 3)
					}
				case kwShutdown:
					if i == 0 && !x.brk && x.first && x.typ(1) == tkWord && hasAt(x.b, int(t[1].start), "with") && x.typ(2) == tkWord && hasAt(x.b, int(t[2].start), "nowait") {
						set(6, "sqli.statement", 0, 3)
					}
				case kwCreate, kwDrop, kwAlter, kwTruncate, kwInsert, kwDelete, kwUpdate:
					if i == 0 && !x.brk {
						if e, ok := stackedStatement(x, 0); ok && ddlComplete(x, e) && !bareWords(x, st) {
							set(6, "sqli.statement", 0, e)
						} else if e, ok := dmlStatement(x); ok && x.first && !bareWords(x, st) {
							set(6, "sqli.statement", 0, e)
						}
					}
				case kwSelect:
					if x.typ(i-1) == tkLParen && selectLooksReal(x, i) {
						set(9, "sqli.subquery", i-1, i+3)
					} else if i == 0 && !x.brk && selectStatement(x, i) && !bareWords(x, st) {
						set(6, "sqli.statement", i, n-1)
					}
				case kwInto:
					if x.kw(i+1) == kwOutfile {
						set(10, "sqli.file", i, i+2)
					}
				case kwOrder, kwGroup:
					if x.kw(i+1) == kwBy && (x.brk || i <= 2) {
						j := i + 2
						if x.typ(j) == tkNum {
							for j < n && (t[j].typ == tkNum || t[j].typ == tkComma || t[j].typ == tkWord && j > i+2 && t[j-1].typ == tkNum && sortDir(x.text(j))) {
								j++
							}
							// after a number the value starts with, signed or not ("1 order by 3", "-1 order by 10--")
							num := i > 0 && t[0].typ == tkNum || i == 2 && t[0].typ == tkOp && x.b[t[0].start] == '-' && t[0].end == t[1].start && t[1].typ == tkNum
							if x.terminator(j) && (x.brk || num || (i == 0 && x.strictTerminator(j))) {
								set(7, "sqli.order_by", i, j)
							}
						}
					}
				case kwProcedure:
					// MySQL's PROCEDURE ANALYSE takes its argument list in
					// parentheses; without them it is prose the gates (rightly)
					// pass ("PROCEDURE ANALYSE, step 2").
					if x.typ(i+1) == tkWord && hasAt(x.b, int(t[i+1].start), "analyse") && x.typ(i+2) == tkLParen {
						set(9, "sqli.error", i, i+3)
					}
				}
				if x.isFuncCall(i) {
					w := x.text(i)
					switch sqlFuncClass(w) {
					case 3:
						// sleep(5), benchmark(1e6,md5(1)): where an operand
						// goes, with SQL arguments ("I need sleep (8 hours)"
						// is prose).
						a := t[i+1].end
						if int(a) < len(x.b) && (t[i+1].start == t[i].end || isDigit(x.b[a])) && x.operandContext(i) && x.sqlArgs(i+1) && !x.proseAfter(i+1) {
							set(10, "sqli.time", i, i+3)
						}
					case 2:
						// version(), extractvalue(1,...): where an operand
						// goes ("What does version() return" is prose)
						if x.operandContext(i) && x.sqlArgs(i+1) && !(i == 0 && !x.brk && x.remark(i+1)) {
							set(8, "sqli.function", i, i+3)
						}
					case 1:
						// user(), connection_id(): an information function
						// whose name is an everyday word, called without
						// arguments as the whole value or where an operand
						// goes after an operator or keyword (not "print(user())")
						if x.typ(i+2) == tkRParen && bareInfoFunc(w) && x.operandContext(i) && x.typ(i-1) != tkLParen && x.typ(i-1) != tkComma &&
							(i > 0 || !x.brk && x.terminator(i+3)) {
							set(8, "sqli.function", i, i+3)
						}
					}
				}
				if rank < 8 && x.isFuncCall(i) {
					if e, ok := charBuild(x, i); ok {
						// CHAR(65)+CHAR(66), CHR(65)||CHR(66), CONCAT(CHAR(65),
						// CHAR(66)), CHAR(97,100,109): a string spelled in codes
						set(8, "sqli.char_build", i, e)
					}
				}
				if tk.kw == kwCase && x.kw(i+1) == kwWhen {
					if e, ok := x.probeCondition(i+2, kwThen); ok {
						set(8, "sqli.conditional", i, e)
					}
				}
				if tk.kw == kwNone && x.typ(i+1) == tkLParen && (hasAt(x.b, int(tk.start), "if(") || hasAt(x.b, int(tk.start), "iif(")) {
					// IF(cond, a, b) / IIF(...) with a constant or probing
					// condition: a conditional that only a blind injection
					// needs
					if e, ok := x.probeCondition(i+2, 0); ok && x.operandContext(i) {
						set(8, "sqli.conditional", i, e)
					} else if i == 0 && x.first && !x.brk {
						// "IF(1=2) SELECT 1 ELSE DROP ...": T-SQL's IF statement
						// on a constant condition as the whole value
						if ce, lit, same, ok := x.comparison(i + 2); ok && (same || lit && bothLiteral(x, i+2, ce)) && x.typ(ce) == tkRParen {
							switch x.kw(ce + 1) {
							case kwSelect, kwWaitfor, kwExec, kwDrop, kwInsert, kwUpdate, kwDelete, kwDeclare, kwSet, kwBegin, kwShutdown:
								set(8, "sqli.conditional", i, ce+2)
							}
						}
					}
				}
				if (tk.kw == kwRegexp && (hasAt(x.b, int(tk.start), "rlike") || hasAt(x.b, int(tk.start), "regexp")) || tk.kw == kwSounds) &&
					i == 1 && x.first && !x.brk && x.head0 == tkNum {
					// "1 rlike 1", "1 sounds like 1": a pattern match of two
					// literals where a number goes
					if e, lit, _, ok := x.comparison(0); ok && lit && bothLiteral(x, 0, e) && x.terminator(e) {
						set(7, "sqli.numeric", 0, e)
					}
				}
				if tk.kw == kwDiv && i == 1 && x.first && !x.brk && x.head0 == tkNum && x.typ(2) == tkNum && x.terminator(3) {
					// "1 div 1": integer division where a number goes
					set(7, "sqli.numeric", 0, 3)
				}
				if tk.kw == kwNone && (st.cls&^boringClasses != 0 || x.kw(i-1) == kwFrom) && strongWord(x.text(i)) {
					// a catalog name with SQL syntax around it (not a
					// tutorial sentence that names information_schema)
					set(8, "sqli.catalog", i, i+1)
				}
				if tk.kw == kwNone && rank < 8 && identContext(x, i) && (catalogRef(x.text(i)) || i == 0 && catalogObject(x.text(i))) {
					// a qualified catalog reference where a table name goes,
					// or as the whole value: "information_schema.tables",
					// "select user from mysql.user"; a catalog object's own
					// name alone: "sqlite_master"
					set(8, "sqli.catalog", i, i+1)
				}
			}
			if x.vers && tk.kw != kwNone && tk.start > 0 && (x.b[tk.start-1] == '!' || isDigit(x.b[tk.start-1])) && versionedComment(x.b, int(tk.start)) {
				// /*!50000UNION*/: MySQL runs a keyword hidden in a
				// versioned comment; nobody writes one in text
				set(8, "sqli.comment", i, i+1)
			}
			if (tk.flag&opBool != 0 || tk.kw == kwWhere || tk.kw == kwHaving) && rank < 9 && !x.opLeaves(i) {
				if r, rule, e := boolRule(x, i); r > rank { // boolRule ranks at most 9
					set(r, rule, i, e)
				}
			}
		case tkOp:
			if tk.flag&opBool != 0 && rank < 9 && !x.opLeaves(i) {
				if r, rule, e := boolRule(x, i); r > rank { // boolRule ranks at most 9
					set(r, rule, i, e)
				}
			}
		case tkVar:
			w := x.text(i)
			if len(w) > 2 && w[1] == '@' {
				switch string(w[2:]) {
				case "version", "datadir", "hostname", "servername", "basedir", "tmpdir", "spid", "language", "version_compile_os":
					set(8, "sqli.catalog", i, i+1)
				}
			}
		case tkLParen:
			// "(1589=1589)*1": a parenthesised literal comparison used as a
			// value
			if i+4 < n+1 && x.typ(i+1) == tkNum && x.typ(i+2) == tkOp && t[i+2].flag == opCmp && x.typ(i+3) == tkNum && x.typ(i+4) == tkRParen &&
				(i == 0 || x.typ(i-1) == tkOp) && (i+5 >= n || x.typ(i+5) == tkOp || x.strictTerminator(i+5)) {
				set(7, "sqli.tautology", i, i+5)
			}
		case tkSemi:
			if e, ok := stackedStatement(x, i+1); ok {
				set(10, "sqli.stacked", i, e)
			}
		}
	}
	if x.brk && x.first {
		// Immediately after the break: comment truncation, concatenation,
		// a statement, or a function/operator chain.
		j := 0
		for j < n && t[j].typ == tkRParen {
			j++
		}
		if e, ok := stackedStatement(x, j); ok && j < n && t[j].kw != kwSelect && t[j].kw != kwSet && !afterSemicolonOnly(x, j) && !quotedInProse(x, e) {
			set(9, "sqli.stacked", 0, e)
		}
		if j < n {
			tk := t[j]
			switch {
			case tk.typ == tkComment && breakPrefixIsToken(x) && commentBodyEmpty(x, j):
				set(7, "sqli.comment", 0, j)
			case tk.typ == tkSemi && j+1 < n && t[j+1].typ == tkComment:
				set(7, "sqli.comment", 0, j+1)
			case tk.typ == tkSemi && j+1 == n && final && breakPrefixIsToken(x):
				// "';", "x');": the statement ends right after the break
				set(7, "sqli.comment", 0, j+1)
			case tk.typ == tkOp && tk.flag == opCmp && j+1 < n && (t[j+1].typ == tkNum || t[j+1].typ == tkStr) && x.shortTail(j+2):
				// "'=0--", "' = 'x' --"
				set(7, "sqli.boolean", 0, j+2)
			case (tk.kw == kwNot || tk.kw == kwLike || tk.kw == kwRegexp || tk.kw == kwSounds) && breakPrefixIsToken(x) && !quotedWord(x, j):
				// "a' NOT LIKE 'b", "a' REGEXP 'b", "a' SOUNDS LIKE 'b"
				k := j
				if x.kw(k) == kwNot {
					k++
				}
				if x.kw(k) == kwSounds && x.kw(k+1) == kwLike {
					k++
				}
				if (x.kw(k) == kwLike || x.kw(k) == kwRegexp) && k+1 < n && (t[k+1].typ == tkStr || t[k+1].typ == tkNum) {
					set(6, "sqli.boolean", 0, k+2)
				}
			case tk.typ == tkOp && tk.flag == opCmp && j == 0 && x.brkAt == 0 && n == 2 && final && shortWordStr(x, 1):
				// "'='or'": the empty string compared with a quoted
				// word, into the application's own closing quote (the
				// login bypass ''='or'' of MySQL's loose comparisons)
				set(6, "sqli.boolean", 0, 1)
			case tk.typ == tkOp && j+1 < n && !quotedWord(x, j):
				// "'||'", "'+'", "'='": the operator joins the
				// application's own closing quote; or a SQL function.
				nt := t[j+1]
				if (nt.typ == tkStr && x.b[nt.start] == x.b[x.brkAt] && nt.flag&strClosed == 0 && nt.end-nt.start <= 5 && j+2 == n) ||
					(x.isFuncCall(j+1) && sqlFuncClass(x.text(j+1)) > 0) {
					set(6, "sqli.concat", 0, j+2)
				} else if x.isFuncCall(j+1) && final {
					// "'||pkg.fn('a','b')||'": any call spliced between
					// two concatenations back into the application's own
					// closing quote
					if e := x.skipParens(j + 2); e > 0 && e+2 == n && x.typ(e) == tkOp && string(x.text(e)) == string(x.text(j)) {
						if ct := t[e+1]; ct.typ == tkStr && x.b[ct.start] == x.b[x.brkAt] && ct.flag&strClosed == 0 && ct.end-ct.start <= 5 {
							set(6, "sqli.concat", 0, e+2)
						}
					}
				}
			}
		}
	}
	if final && x.first && rank < 7 && n >= 4 && t[n-1].typ == tkComment && commentBodyEmpty(x, n-1) && (!x.brk || breakPrefixTrimmed(x)) && exprComment(x, n-1) {
		// " ( ( @a * 'b') )  --", "' - ( BINARY ( 'b') )  --": the whole
		// value an expression of SQL (literals, variables, operators, SQL
		// functions) closed and cut off by an empty comment
		set(7, "sqli.comment", 0, n-1)
	}
	if x.brk && x.first && final && rank < 6 && n == 1 && t[0].typ == tkStr && t[0].flag&strClosed == 0 && t[0].end-t[0].start == 1 &&
		x.b[t[0].start] == x.b[x.brkAt] && int(t[0].start) > x.brkAt+1 && breakPrefixIsToken(x) {
		// "' '", "1'+'" (a form's '+' is a blank): the broken string and
		// the application's own, two adjacent literals that SQL joins
		set(6, "sqli.concat", 0, 0)
	}
	if x.brk && x.first && final && rank < 6 && breakPrefixTrimmed(x) {
		if e, ok := breakExpr(x); ok {
			// "' or '1", "'or 1 or'", "' or ''-'": literals joined by
			// operators right after the break, into the application's
			// own closing quote (after the rules above: "'||'" is
			// sqli.concat's)
			set(6, "sqli.boolean", 0, e)
		}
	}
	return best, rank
}

// proseAfter reports a call whose argument list (opening at i) is
// followed by a plain word: "sleep(5) hours tonight" is prose, while a
// call in SQL ends the value or meets an operator, a keyword, a comment.
func (x *sqlCtx) proseAfter(i int) bool {
	e := x.skipParens(i)
	if e < 0 || x.typ(e) != tkWord || x.isFuncCall(e) {
		return false
	}
	switch x.t[e].kw {
	case kwNone:
		return true
	case kwIs:
		// "sleep(5) is what I do", not "sleep(5) is not null"
		k := x.kw(e + 1)
		return k != kwNot && k != kwNull && k != kwTrue && k != kwFalse
	}
	return false
}

// charCall reports a call of CHAR/CHR/NCHAR at i whose arguments are
// character codes only (numbers, commas, arithmetic): the index after it
// and how many codes it has.
func charCall(x *sqlCtx, i int) (end, codes int, ok bool) {
	if !x.isFuncCall(i) {
		return 0, 0, false
	}
	switch string(x.text(i)) {
	case "char", "chr", "nchar", "chr$", "char$":
	default:
		return 0, 0, false
	}
	for k := i + 2; k < len(x.t) && k < i+2+64; k++ {
		switch t := x.t[k]; {
		case t.typ == tkRParen:
			return k + 1, codes, codes > 0
		case t.typ == tkNum:
			codes++
		case t.typ == tkComma, t.typ == tkOp && t.flag == opArith:
		default:
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// charBuild judges a call at i as a string built from character codes:
// two CHAR()/CHR() calls joined by + or || (or by a '+' the form decoding
// left as a blank), CONCAT() of two such calls, or one CHAR() of three
// codes or more where an operand goes. It returns the index after the
// second call.
func charBuild(x *sqlCtx, i int) (int, bool) {
	if string(x.text(i)) == "concat" {
		if e, _, ok := charCall(x, i+2); ok && x.typ(e) == tkComma {
			if e2, _, ok := charCall(x, e+1); ok {
				return e2, true
			}
		}
		return 0, false
	}
	e, codes, ok := charCall(x, i)
	if !ok {
		return 0, false
	}
	if codes >= 3 && x.operandContext(i) {
		return e, true
	}
	k := e
	if x.typ(k) == tkOp && (string(x.text(k)) == "+" || string(x.text(k)) == "||") {
		k++
	} else if k >= len(x.t) || bytes.IndexByte(x.b[x.t[e-1].end:x.t[k].start], '+') < 0 {
		return 0, false
	}
	if e2, _, ok := charCall(x, k); ok {
		return e2, true
	}
	return 0, false
}

// shortWordStr reports a closed string at i, in the quotes of the break,
// holding one short word ('or', 'x').
func shortWordStr(x *sqlCtx, i int) bool {
	t := x.t[i]
	if t.typ != tkStr || t.flag&strClosed == 0 || x.b[t.start] != x.b[x.brkAt] || t.end-t.start < 3 || t.end-t.start > 8 {
		return false
	}
	for _, c := range x.b[t.start+1 : t.end-1] {
		if !isIdent(c) {
			return false
		}
	}
	return true
}

// breakPrefixTrimmed is breakPrefixIsToken with blanks allowed before
// the token (" ' / 1 ='": a value that starts with a space).
func breakPrefixTrimmed(x *sqlCtx) bool {
	i := x.brkAt - 1
	for i >= 0 && !isSpace(x.b[i]) {
		i--
	}
	for i >= 0 && isSpace(x.b[i]) {
		i--
	}
	return i < 0 && x.brkAt <= 40
}

// breakExpr reports a stream (right after a quote break) that is an
// expression continuing the broken string: one or more "operator
// literal" pairs (OR, AND, XOR, ||, &&, - + * / % ^ & | =, < >) that end
// the stream, or a comment, with the application's closing quote taken in
// by a last short unclosed string ("' or '1", "'or 1 or'", "' or ”-'").
// It returns the index of the last token.
func breakExpr(x *sqlCtx) (int, bool) {
	t := x.t
	n := len(t)
	k := 0
	pairs := 0
	for k < n && pairs < 8 {
		op := t[k]
		if !(op.typ == tkOp && op.flag&opPath == 0 && op.flag&opCast == 0) && op.kw != kwOr && op.kw != kwAnd && op.kw != kwXor {
			break
		}
		if op.typ == tkWord && quotedWord(x, k) {
			// a quoted word of prose: ("and" or "or")
			return 0, false
		}
		if k+1 >= n {
			return 0, false
		}
		lit := t[k+1]
		if lit.typ != tkNum && lit.typ != tkStr && lit.kw != kwTrue && lit.kw != kwFalse && lit.kw != kwNull {
			return 0, false
		}
		pairs++
		k += 2
		if lit.typ == tkStr && lit.flag&strClosed == 0 {
			// the application's own quote closes it: a short tail ends
			// the stream
			return k - 1, k == n && lit.end-lit.start <= 5 && x.b[lit.start] == x.b[x.brkAt]
		}
	}
	return k - 1, pairs > 0 && k < n && t[k].typ == tkComment && k == n-1
}

// identContext reports that the word at i stands where SQL names a table:
// after FROM, JOIN, INTO, UPDATE or TABLE, or alone as the whole value
// (maybe followed by a terminator: a comment, ';').
func identContext(x *sqlCtx, i int) bool {
	if i == 0 {
		return x.first && !x.brk && x.terminator(1)
	}
	switch x.kw(i - 1) {
	case kwFrom, kwInto, kwUpdate:
		return true
	case kwNone:
		if x.typ(i-1) == tkWord {
			p := x.text(i - 1)
			return string(p) == "join" || string(p) == "table"
		}
	}
	return false
}

// unionSelectList reports that the select list after UNION SELECT (at i)
// reads as SQL: anything but a plain word followed by another plain word
// or by the end of the value ("the union select committee met", "Credit
// Union Select"), which is prose.
func unionSelectList(x *sqlCtx, i int) bool {
	if k := x.kw(i); k == kwAll || k == kwDistinct || k == kwTop {
		i++
	}
	if x.typ(i) != tkWord || x.t[i].kw != kwNone || x.isFuncCall(i) || strongWord(x.text(i)) {
		return true
	}
	if i+1 >= len(x.t) {
		return false
	}
	return x.typ(i+1) != tkWord || x.t[i+1].kw != kwNone
}

// sqlTypeName reports the T-SQL type names a DECLARE names.
func sqlTypeName(w []byte) bool {
	switch string(w) {
	case "int", "bigint", "smallint", "tinyint", "bit", "char", "nchar", "varchar", "nvarchar", "text", "ntext",
		"binary", "varbinary", "sysname", "table", "cursor", "datetime", "date", "decimal", "numeric", "float",
		"real", "money", "xml", "uniqueidentifier", "sql_variant":
		return true
	}
	return false
}

// versionedComment reports a token at i that directly follows a MySQL
// versioned comment opener ("/*!", "/*!50000").
func versionedComment(b []byte, i int) bool {
	j := i
	for j > 0 && i-j < 6 && isDigit(b[j-1]) {
		j--
	}
	return j >= 3 && b[j-1] == '!' && b[j-2] == '*' && b[j-3] == '/'
}

// numStart reports a value that starts like a number (after blanks, the
// SQL lexer's: isSpace, so \v and \f too): a digit, a sign, '(' or '.'.
// The operator words of numeric-context injections ("1 or true",
// "(1)or(1)") matter only there.
func numStart[T ~string | ~[]byte](s T) bool {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i >= len(s) {
		return false
	}
	c := s[i]
	return isDigit(c) || c == '-' || c == '+' || c == '(' || c == '.'
}

// operandContext reports that the token at i sits where SQL expects an
// operand: at the start of the value (or right after the quote that
// breaks out of a string), after an operator, a comma, '(' or ';', or
// after a SQL keyword that takes an expression. A function-call shape
// after a prose word ("What does version() return") is not one.
func (x *sqlCtx) operandContext(i int) bool {
	if i == 0 {
		return x.first
	}
	switch x.typ(i - 1) {
	case tkOp, tkComma, tkLParen, tkSemi:
		return true
	case tkWord:
		switch x.t[i-1].kw {
		case kwAnd, kwOr, kwXor, kwNot, kwWhere, kwHaving, kwWhen, kwThen, kwElse, kwLike, kwRegexp,
			kwBetween, kwDiv, kwCase, kwValues, kwLimit, kwBy:
			return true
		case kwSelect:
			// a SELECT that starts a statement or a subquery, not one
			// named in a sentence ("Run SELECT version() to see")
			if i == 1 {
				return x.first
			}
			switch x.typ(i - 2) {
			case tkLParen, tkSemi, tkOp, tkComma:
				return true
			}
			k := x.kw(i - 2)
			return k == kwUnion || k == kwAll || k == kwDistinct
		}
	}
	return false
}

// remark reports a parenthesised remark after a word that opens the value
// ("database (SQL)", "version (beta)"): the '(' at i is set off by a blank
// and holds plain words only, where a call's arguments are glued to its
// name or hold literals.
func (x *sqlCtx) remark(i int) bool {
	if i == 0 || x.t[i].start == x.t[i-1].end {
		return false
	}
	k := i + 1
	for ; k < len(x.t) && x.t[k].typ == tkWord && x.t[k].kw == kwNone && !x.isFuncCall(k); k++ {
	}
	return k > i+1 && x.typ(k) == tkRParen
}

// sqlArgs reports that the argument list opening at i (a '(') reads as
// SQL, not as a parenthetical remark: no number followed by a plain word
// ("(8 hours)") and no two plain words in a row ("(after lunch)").
func (x *sqlCtx) sqlArgs(i int) bool {
	for k := i + 1; k < len(x.t) && k < i+64; k++ {
		switch x.t[k].typ {
		case tkRParen:
			return true
		case tkSemi:
			return true
		case tkNum, tkWord:
			n := k + 1
			if x.typ(n) == tkWord && x.t[n].kw == kwNone && !x.isFuncCall(n) && (x.t[k].typ == tkNum || x.t[k].kw == kwNone) {
				return false
			}
		}
	}
	return true
}

// probeCondition judges the condition of a CASE WHEN (ending at the
// keyword end) or of IF(cond, ...) (end == 0: ending at a ','). It
// reports a condition that is constant (1=1, 'a'='a', a bare literal) or
// that probes the server (a subquery, a server variable, an information
// function): the shapes of blind injection into ORDER BY or identifier
// contexts, not the data-dependent conditions of SQL a user writes
// ("CASE WHEN qty > 10 THEN ...").
func (x *sqlCtx) probeCondition(i int, end uint8) (int, bool) {
	stop := func(k int) bool {
		if end == 0 {
			return x.typ(k) == tkComma
		}
		return x.kw(k) == end
	}
	if e, lit, same, ok := x.comparison(i); ok && (same || lit && bothLiteral(x, i, e)) && x.hasCmpOp(i, e) {
		for x.typ(e) == tkRParen { // "when (1=1) then"
			e++
		}
		if stop(e) {
			return e + 1, true
		}
	}
	depth := 0
	for k := i; k < len(x.t) && k < i+64; k++ {
		if depth == 0 && stop(k) {
			return 0, false
		}
		switch x.t[k].typ {
		case tkLParen:
			depth++
			if x.kw(k+1) == kwSelect {
				return k + 2, true
			}
		case tkRParen:
			depth--
			if depth < 0 {
				return 0, false
			}
		case tkVar:
			if x.sysVar(k) {
				return k + 1, true
			}
		case tkWord:
			if x.isFuncCall(k) && sqlFuncClass(x.text(k)) >= 2 {
				return k + 2, true
			}
		}
	}
	return 0, false
}

// hasCmpOp reports a comparison operator symbol among the tokens [i, e).
func (x *sqlCtx) hasCmpOp(i, e int) bool {
	for k := i; k < e && k < len(x.t); k++ {
		if x.t[k].typ == tkOp && x.t[k].flag == opCmp {
			return true
		}
	}
	return false
}

// commentBodyEmpty: the comment at j carries nothing but comment
// punctuation ("admin'--", "admin' -- -", "admin'#"), not text ("'#2 MOM").
func commentBodyEmpty(x *sqlCtx, j int) bool {
	t := x.t[j]
	body := x.b[t.start:t.end]
	if len(body) > 0 && body[0] == '#' {
		body = body[1:]
	} else if len(body) >= 2 && (body[0] == '-' || body[0] == '/') {
		body = body[2:]
	}
	for _, c := range body {
		switch c {
		case ' ', '-', '+', '#', '*', '/', ';', '\t', '\n', '\r', '\'', '"', ')':
		default:
			return false
		}
	}
	return true
}

// quotedWord reports a token that sits directly between two quotes of
// the same kind inside prose ("the word 'and' means", "SMALL \"&\" SIGN"),
// not an operator. "'or”='" and a whole value "\"-\"" are not prose.
func quotedWord(x *sqlCtx, i int) bool {
	t := x.t[i]
	s, e := int(t.start), int(t.end)
	if s == 0 || e >= len(x.b) {
		return false
	}
	p, q := x.b[s-1], x.b[e]
	if (p != '\'' && p != '"') || p != q {
		return false
	}
	return (s >= 2 && (x.b[s-2] == ' ' || x.b[s-2] == '+' || x.b[s-2] == '=')) || (e+1 < len(x.b) && (x.b[e+1] == ' ' || x.b[e+1] == '+' || x.b[e+1] == '&'))
}

// exprPrefix reports that every token before i belongs to an expression
// (literals, parentheses, operators, variables, SQL functions), as in the
// fuzzed "( ( 1 OR 'b') ) --".
func (x *sqlCtx) exprPrefix(i int) bool {
	if i > 24 {
		return false
	}
	for k := 0; k < i; k++ {
		switch x.t[k].typ {
		case tkNum, tkStr, tkLParen, tkRParen, tkOp, tkVar, tkComma:
		case tkWord:
			if kw := x.t[k].kw; kw == kwLike || kw == kwRegexp || kw == kwNot || kw == kwNull {
				continue
			}
			if sqlFuncClass(x.text(k)) == 0 && string(x.text(k)) != "binary" {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// exprComment reports that the tokens before the comment at c make an
// expression of SQL and nothing else: literals, variables, parentheses,
// operators and SQL function words (COS, BINARY, SELECT, OR...), with an
// operator or a function and a string or a variable among them (not
// "(1 + 2) --" or "(SQL) --"), and no more '(' than ')'.
func exprComment(x *sqlCtx, c int) bool {
	if c > 48 {
		return false
	}
	depth, code, data := 0, false, false
	for k := 0; k < c; k++ {
		switch t := x.t[k]; t.typ {
		case tkStr, tkVar:
			data = true
		case tkNum, tkComma:
		case tkLParen:
			depth++
		case tkRParen:
			depth--
		case tkOp:
			code = true
		case tkWord:
			switch t.kw {
			case kwOr, kwAnd, kwXor, kwNot, kwLike, kwRegexp, kwSelect, kwIn, kwIs, kwNull, kwDiv:
				code = true
				continue
			}
			if t.kw != kwNone || sqlFuncClass(x.text(k)) == 0 && string(x.text(k)) != "binary" {
				return false
			}
			code = true
		default:
			return false
		}
	}
	return code && data && depth <= 0
}

// breakPrefixIsToken: the text before the breaking quote is empty or a
// single token ("admin'--"), not prose ("FOO BAR'# BLAH").
func breakPrefixIsToken(x *sqlCtx) bool {
	for i := x.brkAt - 1; i >= 0; i-- {
		if isSpace(x.b[i]) {
			return false
		}
	}
	return x.brkAt <= 40
}

// boolLeaves reports a boolean operator at i that boolRule leaves at
// once: at the end of the window, or far from the start, where only a
// comparison can make a finding, with none following (a storm of "'or'"
// stays cheap). Its callers ask it first, inlined.
func (x *sqlCtx) boolLeaves(i int) bool {
	return i+1 >= len(x.t) || i > 24 && x.litEnd < i && !x.comparable(i+1)
}

// opLeaves is boolLeaves inlined where sqlRules asks it: the common case
// of comparable, a plain operand (a literal, a name) at i+1 that the token
// after it neither continues nor compares, or a plain word, read from
// tokProp; the rest asks comparable.
func (x *sqlCtx) opLeaves(i int) bool {
	t := x.t
	if i+1 >= len(t) {
		return true
	}
	if i <= 24 || x.litEnd >= i {
		return false
	}
	switch p := t[i+1].p; {
	case p&propOperand != 0:
		return i+2 < len(t) && t[i+2].p&propContinues == 0
	case p&propPlain != 0:
		return true
	}
	return !x.comparable(i + 1)
}

// boolRule judges a boolean operator at i (and/or/xor/&&/||/where/having).
func boolRule(x *sqlCtx, i int) (int, string, int) {
	t := x.t
	n := len(t)
	j := i + 1
	if x.boolLeaves(i) {
		return 0, "", 0
	}
	if quotedWord(x, i) {
		return 0, "", 0
	}
	isOr := t[i].flag&opBool != 0
	// "near the start": at most three tokens (literals, words, parens)
	// between the start of the stream and the operator.
	// also near when everything before is a closing-paren run after a
	// literal, e.g. "1)))) and".
	near := (i <= 3 && x.first) || x.litEnd >= i
	h0 := x.head0
	startLit := x.brk || (i == 0 && x.first) || h0 == tkNum || h0 == tkStr || h0 == tkRParen ||
		(h0 == tkOp && (i > 1 || !x.first) && x.head1 == tkNum)
	e, lit, same, ok := x.comparison(j)
	if ok && (lit || same) {
		// Literal on both sides anywhere ("or 1=1", "and 'a'='a") or a
		// literal comparison near the start of an injected context.
		bothLit := same || bothLiteral(x, j, e)
		switch {
		case bothLit && inequalityChain(x, i, j, e):
			return 0, "", 0 // "5 > 3 and 2 < 4": arithmetic, not a condition
		case bothLit:
			return 9, "sqli.tautology", e
		case near && startLit:
			return 8, "sqli.boolean", e
		case x.strictTerminator(e) && startLit:
			return 7, "sqli.boolean", e
		}
		return 0, "", 0
	}
	// Truthy literal followed by a terminator: "' or 1--", "' or true#",
	// "' or ''^'", "( ( 1 OR 'b') ) --".
	if isOr && (near && startLit || x.exprPrefix(i)) {
		k := j
		if x.kw(k) == kwNot {
			k++
		}
		if e, lit, ok := x.operand(k); ok && lit {
			if x.shortTail(e) && (e < n || x.brk) && (x.t[x.lastNonParen(e)].typ != tkStr || t[k].typ == tkStr || e-k > 1) {
				if e >= n-1 && t[n-1].typ == tkStr && t[n-1].flag&strClosed == 0 && t[n-1].end-t[n-1].start > 5 {
					// "'countdown calendar\" and \"disney:" - prose in quotes
					return 0, "", 0
				}
				return 7, "sqli.boolean", e
			}
		}
	}
	if near && startLit {
		k := j
		// A SQL function / subquery as the condition: "' and ascii(...)",
		// "1 and (select ...)".
		if x.isFuncCall(k) && sqlFuncClass(x.text(k)) > 0 {
			return 7, "sqli.boolean", k + 2
		}
		if x.typ(k) == tkLParen && x.kw(k+1) == kwSelect {
			return 8, "sqli.subquery", k + 2
		}
	}
	if x.first && !x.brk && near && i > 0 && numStart(bufString(x.b)) && (x.head0 == tkNum || x.head1 == tkNum) {
		if e, ok := numericOperand(x, i, j); ok && x.terminator(e) {
			return 7, "sqli.numeric", e
		}
	}
	return 0, "", 0
}

// inequalityChain reports a whole value that is two inequalities between
// numbers joined by the boolean operator at i ("5 > 3 and 2 < 4", "1 < 2
// or 3 > 4"): a statement of arithmetic. Equalities and anything after a
// quote break stay conditions ("1=1 and 2=2", "' or 2>1").
func inequalityChain(x *sqlCtx, i, j, e int) bool {
	ineq := func(k int) bool {
		if x.typ(k) != tkNum || x.typ(k+1) != tkOp || x.t[k+1].flag != opCmp || x.typ(k+2) != tkNum {
			return false
		}
		c := x.b[x.t[k+1].start]
		return c == '<' || c == '>'
	}
	return !x.brk && x.first && (i == 3 && e == j+3 && e == len(x.t) && ineq(0) && ineq(j) || equationChain(x))
}

// equationChain reports a whole value that is equations joined by AND or
// OR, each comparing arithmetic on numbers with some arithmetic in it:
// "1 + 1 = 2 and 2 * 3 = 6", "3 * 4 = 12 or 4 * 3 = 12" — a sum written
// out, as homework or a calculator's history. An injected condition
// compares literals ("1=1 and 2=2"), not computations.
func equationChain(x *sqlCtx) bool {
	n := len(x.t)
	if n > 48 {
		return false
	}
	k, eqs := 0, 0
	for {
		// num (arith num)* cmp num (arith num)*
		arith, cmp := false, false
		for {
			if x.typ(k) != tkNum {
				return false
			}
			k++
			if k == n || x.typ(k) == tkWord {
				break
			}
			if x.typ(k) != tkOp {
				return false
			}
			switch f := x.t[k].flag; {
			case f == opArith:
				arith = true
			case f == opCmp && !cmp:
				cmp = true
			default:
				return false
			}
			k++
		}
		if !arith || !cmp {
			return false
		}
		eqs++
		if k == n {
			return eqs >= 2
		}
		if kw := x.kw(k); kw != kwAnd && kw != kwOr {
			return false
		}
		k++
	}
}

// numericOperand judges the right side of the boolean operator at i in
// numeric context (the value starts with a number: "1 or true",
// "(1)or(1)", "1 && 1", "1 or not 0"). The operand must be typed as a
// boolean by SQL syntax: TRUE/FALSE/NULL, a negated literal, a hex or bit
// literal, or any literal when the operator is a symbol (&&, ||), XOR,
// or glued to parentheses on both sides; "1 or 2" is an answer, not an
// injection. It returns the index after the operand.
func numericOperand(x *sqlCtx, i, j int) (int, bool) {
	op := x.t[i]
	glued := x.typ(i-1) == tkRParen && x.typ(j) == tkLParen && x.t[i-1].end == op.start && op.end == x.t[j].start
	typed := glued || op.typ == tkOp || op.kw == kwXor
	// a signed number after OR makes a tautology of an unsigned one ("1 or
	// -1"); "+1 or -1" (a sign on both sides) and "5 and -3" are numbers
	signed := x.head0 == tkNum && (op.flag&opBool != 0 && (op.kw == kwOr || x.b[op.start] == '|'))
	k := j
	for p := 0; p < 4 && x.typ(k) == tkLParen; p++ {
		k++
	}
	for p := 0; p < 3; p++ {
		if x.kw(k) == kwNot {
			k++
			typed = true
			continue
		}
		if x.typ(k) == tkOp && x.t[k].end-x.t[k].start == 1 && (x.b[x.t[k].start] == '!' || x.b[x.t[k].start] == '~' || signed && (x.b[x.t[k].start] == '-' || x.b[x.t[k].start] == '+')) {
			// prefix operators: "1 or !0", "1 or ~0", "1 or -1"
			k++
			typed = true
			continue
		}
		break
	}
	if k >= len(x.t) {
		return 0, false
	}
	switch t := x.t[k]; {
	case t.typ == tkWord && (t.kw == kwTrue || t.kw == kwFalse || t.kw == kwNull):
	case t.typ == tkNum && t.end-t.start > 2 && x.b[t.start] == '0' && (x.b[t.start+1] == 'x' || x.b[t.start+1] == 'b'):
	case (t.typ == tkNum || t.typ == tkStr) && typed:
	default:
		return 0, false
	}
	return x.casts(k + 1), true
}

// comparable is a cheap necessary condition for x.comparison(i) to
// succeed: it is false only when the operand at i is a single plain token
// that is followed by neither a comparison nor anything that continues an
// operand (an operator, a cast, a call).
func (x *sqlCtx) comparable(i int) bool {
	if i < len(x.t) {
		// a literal, or a word that is no NOT (no paren, no prefix
		// operator to skip): the common case, read at once
		switch p := x.t[i].p; {
		case p&propOperand != 0:
			return x.continuesOperand(i + 1)
		case p&propPlain != 0:
			return false
		}
	}
	return x.comparableAfter(i)
}

// kwOperand marks the keywords comparable reads as a plain operand (and
// kwNone, a name).
var kwOperand = [256]bool{kwNone: true, kwNull: true, kwTrue: true, kwFalse: true, kwCase: true}

// wordProp is tokProp of a word of each keyword.
var wordProp = func() (p [256]uint8) {
	for kw := range uint8(64) {
		p[kw] = tokProp[int(tkWord)<<6|int(kw)]
	}
	return p
}()

// The keyword ids fit tokProp's six bits.
const _ = uint(63 - kwEscape)

// Token properties (tokProp) that comparable and continuesOperand read.
const (
	propOperand   = 1 << iota // a literal, a variable, or a word kwOperand reads as an operand
	propPlain                 // a word that is neither such an operand nor NOT
	propContinues             // continues an operand or starts a comparison: an operator, '(' or a kwContinues word
)

// tokProp holds the properties of each token type and keyword, at
// typ<<6|kw: the lexer writes them in each token (sqlToken.p), one read
// instead of comparable's and continuesOperand's tests.
var tokProp = func() (p [16 << 6]uint8) {
	for typ := range sqlTokType(16) {
		for kw := range uint8(64) {
			var v uint8
			switch {
			case typ == tkNum || typ == tkStr || typ == tkVar || typ == tkWord && kwOperand[kw]:
				v = propOperand
			case typ == tkWord && kw != kwNot:
				v = propPlain
			}
			if typ == tkOp || typ == tkLParen || typ == tkWord && kwContinues[kw] {
				v |= propContinues
			}
			p[uint16(typ)<<6|uint16(kw)] = v
		}
	}
	return p
}()

// comparableAfter is comparable of an operand after parentheses or
// prefix operators.
func (x *sqlCtx) comparableAfter(i int) bool {
	// comparison tries the positions inside up to four opening
	// parentheses; every attempt parses its operand at the first token
	// after them (a fifth one makes a parenthesised operand)
	i0 := i
	for p := 0; x.typ(i) == tkLParen; p++ {
		if p == 4 {
			return true
		}
		i++
	}
	if i > i0 {
		// or the parenthesised operand as a whole: "(1)=(1)"
		if e := x.skipParens(i0); e > 0 && x.continuesOperand(e) {
			return true
		}
	}
	for k := 0; k < 3 && i < len(x.t); k++ {
		t := x.t[i]
		if (t.typ == tkOp && t.end-t.start == 1 && (x.b[t.start] == '-' || x.b[t.start] == '+' || x.b[t.start] == '!' || x.b[t.start] == '~')) || x.kw(i) == kwNot {
			i++
			continue
		}
		break
	}
	if i >= len(x.t) {
		return false
	}
	switch t := x.t[i]; t.typ {
	case tkNum, tkStr, tkVar:
	case tkWord:
		switch t.kw {
		case kwNull, kwTrue, kwFalse, kwNone, kwCase:
		default:
			return false
		}
	default:
		return true // a parenthesised operand: judge it fully
	}
	return x.continuesOperand(i + 1)
}

// continuesOperand reports a token at i that can continue an operand or
// start a comparison (or the end of the stream, which comparison judges).
func (x *sqlCtx) continuesOperand(i int) bool {
	if i >= len(x.t) {
		return true
	}
	return x.t[i].p&propContinues != 0
}

// kwContinues marks the keywords that continue an operand or start a
// comparison (continuesOperand).
var kwContinues = [256]bool{kwNot: true, kwLike: true, kwRegexp: true, kwSounds: true, kwIs: true, kwIn: true, kwBetween: true, kwDiv: true}

// bothLiteral reports a comparison whose two sides are plain literals
// (numbers or strings), e.g. 1=1, 'a'='a', 5995=9618, 2>1.
func bothLiteral(x *sqlCtx, i, e int) bool {
	for x.typ(i) == tkLParen {
		i++
	}
	cnt := 0
	for k := i; k < e && k < len(x.t); k++ {
		switch x.t[k].typ {
		case tkNum, tkStr:
			cnt++
		case tkOp, tkLParen, tkRParen:
		case tkWord:
			if kw := x.t[k].kw; kw == kwLike || kw == kwNot || kw == kwNull || kw == kwTrue || kw == kwFalse || kw == kwRegexp || kw == kwIs || kw == kwSounds {
				if kw != kwLike && kw != kwNot && kw != kwRegexp && kw != kwIs && kw != kwSounds {
					cnt++
				}
				continue
			}
			return false
		default:
			return false
		}
	}
	return cnt >= 2 || (cnt == 1 && e >= len(x.t) && x.brk)
}

// selectLooksReal judges "(select ..." : the select list must hold SQL
// (a literal, function, *, variable) or be followed by FROM.
func selectLooksReal(x *sqlCtx, i int) bool {
	j := i + 1
	if k := x.kw(j); k == kwAll || k == kwDistinct || k == kwTop {
		j++
	}
	switch x.typ(j) {
	case tkNum, tkVar, tkStr:
		return true
	case tkOp:
		return x.b[x.t[j].start] == '*'
	case tkLParen:
		return true
	case tkWord:
		if x.isFuncCall(j) || x.kw(j) == kwCase || strongWord(x.text(j)) {
			return true
		}
		e := j + 1
		for x.typ(e) == tkComma && e+1 < len(x.t) {
			e += 2
		}
		return x.kw(e) == kwFrom
	}
	return false
}

// selectStatement judges a statement starting with SELECT at i: a select
// list in SQL grammar followed by FROM and a table, or a list of literals /
// functions.
func selectStatement(x *sqlCtx, i int) bool {
	j := i + 1
	if k := x.kw(j); k == kwAll || k == kwDistinct || k == kwTop {
		j++
	}
	items := 0
	sqlish := false
	for j < len(x.t) && items < 64 {
		// one select item
		switch x.typ(j) {
		case tkOp:
			if c := x.b[x.t[j].start]; c != '*' {
				if c != '-' && c != '+' && c != '~' {
					return false
				}
				e, _, ok := x.operand(j)
				if !ok {
					return false
				}
				j = e
				sqlish = true
				break
			}
			j++
			sqlish = true
		case tkNum, tkStr, tkVar:
			e, _, ok := x.operand(j)
			if !ok {
				return false
			}
			j = e
			sqlish = true
		case tkWord, tkLParen:
			if x.kw(j) != kwNone && x.kw(j) != kwCase && x.kw(j) != kwNull {
				return false
			}
			e, _, ok := x.operand(j)
			if !ok {
				return false
			}
			if x.isFuncCall(j) || x.typ(j) == tkLParen || (x.typ(j) == tkWord && sqlFuncClass(x.text(j)) >= 2) || x.kw(j) == kwNull {
				sqlish = true
			}
			j = e
		default:
			return false
		}
		items++
		// optional alias
		if x.kw(j) == kwAs {
			j++
			if x.typ(j) != tkWord && x.typ(j) != tkStr {
				return false
			}
			j++
		} else if x.typ(j) == tkWord && x.t[j].kw == kwNone {
			j++
		}
		if x.typ(j) == tkComma {
			j++
			continue
		}
		break
	}
	if j >= len(x.t) || x.t[j].typ == tkComment || x.t[j].typ == tkSemi {
		// "select 1,2,3", "select @@version", "select user()", "select
		// null"; not a lone string ("select 'and'") or number ("select
		// 2", a choice).
		return sqlish && (items > 1 || x.sysVar(i+1) || x.isFuncCall(i+1) || (x.typ(i+1) == tkWord && sqlFuncClass(x.text(i+1)) >= 2) ||
			i == 0 && x.kw(1) == kwNull && j == 2)
	}
	if x.kw(j) != kwFrom || x.typ(j+1) != tkWord {
		return false
	}
	if !sqlish && j == i+2 && x.typ(i+1) == tkWord && (j+2 >= len(x.t) || x.typ(j+2) == tkWord) {
		// "select items from list": one plain word from another, and
		// nothing after it but more words, is an instruction; a clause
		// (WHERE ...) or a terminator (';', a comment) makes a statement
		k := j + 2
		if x.typ(k) == tkWord && x.kw(k) == kwNone {
			k++
		}
		switch x.kw(k) {
		case kwWhere, kwHaving:
			if _, _, _, ok := x.comparison(k + 1); !ok {
				return false // "select x from y where" (and nothing)
			}
		case kwOrder, kwGroup:
			if x.kw(k+1) != kwBy || k+2 >= len(x.t) {
				return false
			}
		case kwLimit:
			if x.typ(k+1) != tkNum {
				return false
			}
		default:
			return false
		}
	}
	// "from <table>" must be followed by the end of the statement or by a
	// clause, not by prose ("Select 'Newest' from the list").
	k := j + 2
	if x.typ(k) == tkWord && x.kw(k) == kwNone && x.kw(k+1) != kwNone {
		k++ // alias
	}
	if x.terminator(k) {
		return true
	}
	switch x.kw(k) {
	case kwWhere, kwOrder, kwGroup, kwLimit, kwUnion, kwHaving, kwInto:
		return true
	}
	if x.typ(k) == tkComma {
		return true
	}
	if w := x.text(k); x.typ(k) == tkWord && (string(w) == "join" || string(w) == "inner" || string(w) == "left" || string(w) == "natural") {
		return true
	}
	return false
}

// ddlComplete: a statement at the very start of a value must look like a
// statement, not prose that begins with "Drop" or "Update": the object name
// is followed by '(' (create), a terminator, or the clause words of DDL
// ("alter table t add ...", "create user u identified by ...", "drop
// table t cascade").
func ddlComplete(x *sqlCtx, e int) bool {
	for k := e - 1; k < len(x.t) && k <= e+1; k++ {
		if k < 0 {
			continue
		}
		switch x.t[k].typ {
		case tkLParen, tkSemi, tkComment:
			return true
		}
	}
	if e < len(x.t) && x.typ(e) == tkWord {
		switch string(x.text(e)) {
		case "add", "modify", "rename", "identified", "owner", "cascade", "engine", "character", "charset", "convert", "collate":
			return true
		case "exists":
			// "drop table if exists t"
			return x.typ(e-1) == tkWord && string(x.text(e-1)) == "if" && x.typ(e+1) == tkWord && x.terminator(e+2)
		}
	}
	// a bare "drop table users", "truncate table logs": complete without
	// punctuation (CREATE and ALTER are not: "create user account")
	return e == len(x.t) && len(x.t) <= 4 && (x.kw(0) == kwDrop || x.kw(0) == kwTruncate)
}

// bareWords reports a window of at most four plain words (no punctuation
// at all) written as labels and prose are in the value as sent: sentence
// case ("Delete from cart", "Drop table tennis"), title case ("Delete
// From Cart") or all capitals ("DROP TABLE LAMP", a shop's search terms),
// where SQL is all lower case or has upper-case keywords and lower-case
// names ("DROP TABLE users").
func bareWords(x *sqlCtx, st *state) bool {
	if len(x.t) > 4 || st.decoded || len(st.raw) != len(x.b) {
		return false
	}
	for _, t := range x.t {
		if t.typ != tkWord {
			return false
		}
	}
	s := st.raw
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i >= len(s) || s[i] < 'A' || s[i] > 'Z' {
		return false
	}
	// capitals: none after the first letter (sentence case), only at
	// word starts (title case), or no small letter at all (capitals)
	sentence, title, caps := true, true, true
	for k := i + 1; k < len(s); k++ {
		c := s[k]
		switch {
		case c >= 'A' && c <= 'Z':
			sentence = false
			if !isSpace(s[k-1]) {
				title = false
			}
		case c >= 'a' && c <= 'z':
			caps = false
			if isSpace(s[k-1]) {
				title = false
			}
		}
	}
	return sentence || title || caps
}

// stmtLead reports a value that starts (after blanks) with the verb of a
// statement (SELECT, UPDATE, DELETE, DROP, CREATE, ALTER, TRUNCATE,
// EXEC[UTE]; any case) and a blank: a whole value can be a statement without any SQL
// punctuation ("select null", "select current_user", "delete from
// users", "drop table users"), which detectSQLi and the pre-filter must
// not skip; the grammar judges it ("select items from list" is an
// instruction).
func stmtLead[T ~string | ~[]byte](s T) bool {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if len(s)-i < len("exec@s") {
		return false
	}
	var w string
	switch s[i] | 0x20 {
	case 'e':
		w = "exec" // "exec @s", "execute@q": dynamic SQL in a variable
		if foldPrefix(s[i:], "execute") {
			w = "execute"
		}
	case 'u':
		w = "update"
	case 'd':
		w = "delete"
		if s[i+1]|0x20 == 'r' {
			w = "drop"
		}
	case 'c':
		w = "create"
	case 's':
		w = "select"
	case 'a':
		w = "alter"
	case 't':
		w = "truncate"
	default:
		return false
	}
	if w[0] != 'e' && len(s)-i < len("select 1") {
		return false
	}
	return len(s) > i+len(w) && foldPrefix(s[i:], w) && (isSpace(s[i+len(w)]) || w[0] == 'e' && s[i+len(w)] == '@')
}

// sqlName reports a plain or quoted identifier at i (users, db.users,
// `users`), not a keyword.
func (x *sqlCtx) sqlName(i int) bool {
	return x.typ(i) == tkWord && x.t[i].kw == kwNone && !x.isFuncCall(i)
}

// dmlStatement judges a whole value that is an UPDATE or DELETE statement
// by its grammar: "UPDATE t SET c = v [, c = v]..." or "DELETE FROM t",
// each maybe followed by a WHERE condition, and nothing after it but a
// terminator (';', a comment). Prose that starts with the verb goes on
// with words that are not SQL ("delete from users who are inactive",
// "update users set by the admin"). It returns the index after it.
func dmlStatement(x *sqlCtx) (int, bool) {
	k := 0
	switch x.kw(0) {
	case kwUpdate:
		if !x.sqlName(1) || x.kw(2) != kwSet {
			return 0, false
		}
		k = 3
		for a := 0; ; a++ {
			if a == 16 || !x.sqlName(k) || x.typ(k+1) != tkOp || x.t[k+1].end-x.t[k+1].start != 1 || x.b[x.t[k+1].start] != '=' {
				return 0, false
			}
			e, _, ok := x.operand(k + 2)
			if !ok {
				return 0, false
			}
			k = e
			if x.typ(k) != tkComma {
				break
			}
			k++
		}
	case kwDelete:
		if x.kw(1) != kwFrom || !x.sqlName(2) {
			return 0, false
		}
		k = 3
	default:
		return 0, false
	}
	if x.kw(k) == kwWhere {
		e, _, _, ok := x.comparison(k + 1)
		if !ok {
			return 0, false
		}
		k = e
		for c := 0; c < 8 && (x.kw(k) == kwAnd || x.kw(k) == kwOr); c++ {
			if e, _, _, ok = x.comparison(k + 1); !ok {
				return 0, false
			}
			k = e
		}
	}
	return k, x.terminator(k)
}

// stackedStatement recognises the start of a SQL statement at i (after ';').
// afterSemicolonOnly reports a statement at i that stacks only after a
// ';': MySQL's and PostgreSQL's LOAD, COPY, HANDLER, SHOW, DESCRIBE.
// Right after a quote break without one (T-SQL runs "' DROP TABLE t--",
// a batch needs no separator) they are words of a quoted text ("\"copy
// from Reader\"", "\"handler was never called\"").
func afterSemicolonOnly(x *sqlCtx, i int) bool {
	if i >= len(x.t) || x.t[i].typ != tkWord {
		return false
	}
	switch string(x.text(i)) {
	case "load", "copy", "handler", "show", "describe":
		return true
	}
	return false
}

// blockAfterParen reports a '{' right after the parenthesis opened at
// token i closes (within 64 tokens): "if (x > 10) { return x; }" is C's,
// Java's or JavaScript's if; T-SQL's IF runs a statement or BEGIN ... END.
func blockAfterParen(x *sqlCtx, i int) bool {
	depth := 0
	for k := i; k < len(x.t) && k-i < 64; k++ {
		switch x.t[k].typ {
		case tkLParen:
			depth++
		case tkRParen:
			if depth--; depth == 0 {
				return k+1 < len(x.t) && x.t[k+1].typ == tkOther && x.b[x.t[k+1].start] == '{'
			}
		}
	}
	return false
}

// quotedInProse reports a statement after a quote break (its tokens end
// at e) that the same quote closes, the value going on with words of
// prose: `Run "DROP TABLE t1" to remove it`. Put in the application's
// string, the statement is followed by a string literal (the quote to the
// application's own closing one), which no statement takes: a syntax
// error, not a second statement. A comment or ';' before that quote ends
// the statement first, and is judged as such.
func quotedInProse(x *sqlCtx, e int) bool {
	q := x.b[x.brkAt]
	for k := e; k < len(x.t); k++ {
		switch tk := x.t[k]; tk.typ {
		case tkComment, tkSemi:
			return false
		case tkStr:
			if x.b[tk.start] != q || tk.flag&strClosed != 0 || int(tk.end) != len(x.b) {
				return false
			}
			// the rest of the value: two words of letters, each after a
			// blank and maybe followed by a punctuation mark
			i := int(tk.start) + 1
			for w := 0; w < 2; w++ {
				if i >= len(x.b) || x.b[i] != ' ' {
					return false
				}
				i++
				k := i
				for i < len(x.b) && isLetter(x.b[i]) {
					i++
				}
				if i == k {
					return false
				}
				if i < len(x.b) && (x.b[i] == ',' || x.b[i] == '.' || x.b[i] == ':' || x.b[i] == '!' || x.b[i] == '?') {
					i++ // "first, then"
				}
			}
			return true
		}
	}
	return false
}

func stackedStatement(x *sqlCtx, i int) (int, bool) {
	n := len(x.t)
	if i >= n {
		return 0, false
	}
	next := func(k int) []byte {
		if k < n && x.t[k].typ == tkWord {
			return x.text(k)
		}
		return nil
	}
	switch x.kw(i) {
	case kwSelect:
		if selectStatement(x, i) || selectLooksReal(x, i) {
			return i + 2, true
		}
	case kwInsert:
		if x.kw(i+1) == kwInto {
			return i + 3, true
		}
	case kwUpdate:
		if x.typ(i+1) == tkWord && x.kw(i+2) == kwSet {
			return i + 3, true
		}
	case kwDelete:
		if x.kw(i+1) == kwFrom {
			return i + 3, true
		}
	case kwDrop, kwCreate, kwAlter, kwTruncate:
		switch string(next(i + 1)) {
		case "table", "database", "schema", "user", "login", "procedure", "function", "view", "index", "trigger", "column":
			return i + 3, true
		}
	case kwExec:
		k := i + 1
		switch x.typ(k) {
		case tkLParen:
			return k + 1, true
		case tkVar:
			if x.t[k].end-x.t[k].start > 1 { // a named variable: "exec @s", not "exec@"
				return k + 1, true
			}
		case tkWord:
			w := x.text(k)
			if hasAt(w, 0, "xp_") || hasAt(w, 0, "sp_") || hasAt(w, 0, "master.") || hasAt(w, 0, "dbo.") ||
				hasAt(w, 0, "sys.") || string(w) == "immediate" || hasAt(w, 0, "master..") {
				return k + 1, true
			}
		}
	case kwDeclare:
		if x.typ(i+1) == tkVar {
			return i + 2, true
		}
	case kwSet:
		if x.typ(i+1) == tkVar {
			return i + 2, true
		}
	case kwShutdown:
		if i+1 >= n || x.t[i+1].typ == tkComment || x.t[i+1].typ == tkSemi || string(next(i+1)) == "with" {
			return i + 1, true
		}
	case kwWaitfor:
		// T-SQL's WAITFOR DELAY 'time', WAITFOR TIME 'time' or WAITFOR
		// (RECEIVE ...): not "'waitfor' mean"
		if w := string(next(i + 1)); w == "delay" || w == "time" || x.typ(i+1) == tkLParen {
			return i + 2, true
		}
	case kwBegin:
		if w := next(i + 1); w != nil && (sqlFuncClass(w) == 3 || x.kw(i+1) == kwDeclare) {
			return i + 2, true
		}
	case kwGrant:
		// GRANT privileges ON object TO grantee, GRANT role TO grantee,
		// REVOKE ... ON/FROM ...: a word, then ON, TO or FROM before the
		// statement ends ("; grant dba to scott"), not "; GRANT SWAROVSKI"
		if x.typ(i+1) != tkWord {
			break
		}
		for k := i + 2; k < n && k <= i+10 && x.typ(k) != tkSemi && x.typ(k) != tkComment; k++ {
			switch string(next(k)) {
			case "on", "to", "from":
				return k + 1, true
			}
		}
	}
	if w := next(i); w != nil {
		switch string(w) {
		case "if", "iif":
			// T-SQL's IF condition statement: a comparison ("IF 1=1
			// WAITFOR ...", "IF (1=1) ..."), or a parenthesis that is not
			// a block of text; not "IF 36" (a number is no condition)
			if x.typ(i+1) == tkLParen {
				if !blockAfterParen(x, i+1) {
					return i + 2, true
				}
			} else if _, _, _, ok := x.comparison(i + 1); ok {
				return i + 2, true
			}
		case "call":
			// CALL name(: the parenthesis right after the name
			if x.isFuncCall(i+1) && x.t[i+2].start == x.t[i+1].end {
				return i + 3, true
			}
		case "use", "load", "copy", "handler", "show", "describe":
			if x.typ(i+1) == tkWord && (x.terminator(i+2) || x.typ(i+2) == tkWord) && string(w) != "use" && string(w) != "call" {
				return i + 2, true
			}
		}
		if sqlFuncClass(w) == 3 && x.typ(i+1) == tkLParen {
			return i + 2, true
		}
	}
	return 0, false
}

// dollarDelimEnd returns the index after the first PostgreSQL dollar-quote
// delimiter of b: '$', a tag (empty, or a letter or '_' and then letters,
// digits and '_'), '$'; -1 when there is none. "$1$" is no delimiter (a
// tag does not start with a digit), nor "$5 and $10" (no closing '$' right
// after a tag).
func dollarDelimEnd(b []byte) int {
	for i := indexByte(b, '$'); i >= 0 && i+1 < len(b); {
		j := i + 1
		if isLetter(b[j]) || b[j] == '_' {
			for j < len(b) && j-i <= 64 && (isIdent(b[j])) {
				j++
			}
		}
		if j < len(b) && b[j] == '$' {
			return j + 1
		}
		k := indexByte(b[i+1:], '$')
		if k < 0 {
			break
		}
		i += 1 + k
	}
	return -1
}
