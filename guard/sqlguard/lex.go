package sqlguard

// Dialect selects the lexical rules of a SQL statement: quoting, escapes,
// comments and placeholders differ between database engines, and so does
// what an input can do inside a string.
type Dialect uint8

// Dialects. Open and WrapDriver pick one from the driver's name.
const (
	// Generic is standard SQL: '...' strings with '' escapes, "..."
	// identifiers, -- and /* */ comments, ? placeholders.
	Generic Dialect = iota
	// PostgreSQL adds E'...' strings with backslash escapes, $tag$...$tag$
	// dollar quoting, nested /* */ comments and $1 placeholders.
	PostgreSQL
	// MySQL (and MariaDB): backslash escapes in '...' and "..." strings
	// (both are strings), `...` identifiers, # comments, "-- " comments only
	// when followed by a space or control character, /*! */ executable comments.
	MySQL
	// SQLite: '...' strings, "...", `...` and [...] identifiers, ?, ?NNN,
	// :name, @name and $name placeholders.
	SQLite
)

var dialectNames = [...]string{"generic", "postgresql", "mysql", "sqlite"}

func (d Dialect) String() string {
	if int(d) < len(dialectNames) {
		return dialectNames[d]
	}
	return "unknown"
}

// kind is the class of a token.
type kind uint8

const (
	tEOF       kind = iota
	tIdent          // name, or a word that is not a keyword
	tQIdent         // "quoted" `identifier` [ident]
	tKeyword        // SELECT, OR, UNION...
	tNumber         // 42, -1.5e3, 0xFF
	tString         // '...', E'...', $$...$$, X'..'
	tParam          // ?, $1, :name
	tOperator       // = <> || + ...
	tComma          // ,
	tDot            // .
	tLParen         // (
	tRParen         // )
	tSemicolon      // ;
	tComment        // -- ..., # ..., /* ... */
	tError          // unterminated string, identifier or comment: runs to the end
)

// token is a span of the statement.
type token struct {
	kind       kind
	start, end int
	kw         keyword // for tKeyword
	comment    bool    // for tError: an unterminated comment
}

// lexer splits a statement into tokens without allocating.
type lexer struct {
	src  string
	pos  int
	d    Dialect
	prev kind // kind of the previous token that was not a comment
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '$'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// valueEnd reports whether a token of kind k completes an operand, after
// which a sign is an operator and not part of a number.
func valueEnd(k kind) bool {
	switch k {
	case tIdent, tQIdent, tNumber, tString, tParam, tRParen:
		return true
	}
	return false
}

// next returns the next token; tEOF at the end.
func (l *lexer) next() token {
	src := l.src
	for l.pos < len(src) && isSpace(src[l.pos]) {
		l.pos++
	}
	if l.pos >= len(src) {
		return token{kind: tEOF, start: len(src), end: len(src)}
	}
	start := l.pos
	t := l.scan()
	t.start = start
	t.end = l.pos
	if t.kind != tComment {
		l.prev = t.kind
	}
	return t
}

func (l *lexer) scan() token {
	src, i, d := l.src, l.pos, l.d
	c := src[i]
	var c1 byte
	if i+1 < len(src) {
		c1 = src[i+1]
	}
	switch {
	case c == '-' && c1 == '-':
		if d != MySQL || i+2 >= len(src) || src[i+2] <= ' ' {
			return l.lineComment(i + 2)
		}
	case c == '#' && d == MySQL:
		return l.lineComment(i + 1)
	case c == '/' && c1 == '*':
		return l.blockComment(i + 2)
	case c == '\'':
		return l.quoted(i+1, '\'', d == MySQL, tString)
	case c == '"':
		if d == MySQL {
			return l.quoted(i+1, '"', true, tString)
		}
		return l.quoted(i+1, '"', false, tQIdent)
	case c == '`' && (d == MySQL || d == SQLite):
		return l.quoted(i+1, '`', false, tQIdent)
	case c == '[' && d == SQLite:
		if j := indexByteFrom(src, i+1, ']'); j >= 0 {
			l.pos = j + 1
			return token{kind: tQIdent}
		}
		l.pos = len(src)
		return token{kind: tError}
	case (c == 'e' || c == 'E') && c1 == '\'' && d == PostgreSQL:
		return l.quoted(i+2, '\'', true, tString)
	case (c == 'x' || c == 'X' || c == 'b' || c == 'B' || c == 'n' || c == 'N') && c1 == '\'':
		return l.quoted(i+2, '\'', d == MySQL, tString)
	case c == '$' && d == PostgreSQL:
		if isDigit(c1) {
			j := i + 1
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			l.pos = j
			return token{kind: tParam}
		}
		if t, ok := l.dollarQuoted(i); ok {
			return t
		}
	case c == '?' && d != PostgreSQL:
		j := i + 1
		for j < len(src) && isDigit(src[j]) {
			j++
		}
		l.pos = j
		return token{kind: tParam}
	case (c == ':' || c == '@' || c == '$') && d == SQLite && isIdentStart(c1):
		j := i + 1
		for j < len(src) && isIdentChar(src[j]) {
			j++
		}
		l.pos = j
		return token{kind: tParam}
	case isDigit(c) || c == '.' && isDigit(c1):
		return l.number(i)
	case (c == '-' || c == '+') && (isDigit(c1) || c1 == '.' && i+2 < len(src) && isDigit(src[i+2])) && !valueEnd(l.prev):
		return l.number(i + 1)
	case isIdentStart(c):
		j := i + 1
		for j < len(src) && isIdentChar(src[j]) {
			j++
		}
		l.pos = j
		if kw := lookupKeyword(src[i:j]); kw != 0 {
			return token{kind: tKeyword, kw: kw}
		}
		return token{kind: tIdent}
	case c == ',':
		l.pos = i + 1
		return token{kind: tComma}
	case c == '.':
		l.pos = i + 1
		return token{kind: tDot}
	case c == '(':
		l.pos = i + 1
		return token{kind: tLParen}
	case c == ')':
		l.pos = i + 1
		return token{kind: tRParen}
	case c == ';':
		l.pos = i + 1
		return token{kind: tSemicolon}
	}
	return l.operator(i)
}

// operator scans a run of operator characters, stopping before a comment.
func (l *lexer) operator(i int) token {
	src := l.src
	j := i
	for j < len(src) {
		c := src[j]
		if !isOperatorChar(c, l.d) {
			break
		}
		if j > i && (c == '-' && j+1 < len(src) && src[j+1] == '-' || c == '/' && j+1 < len(src) && src[j+1] == '*' || c == '#' && l.d == MySQL) {
			break
		}
		j++
	}
	if j == i { // any other byte: one token of its own
		j = i + 1
	}
	l.pos = j
	if j == i+1 && src[i] == '*' && (l.prev == tKeyword || l.prev == tComma || l.prev == tDot || l.prev == tLParen) {
		return token{kind: tIdent} // SELECT *, t.*, count(*): a column list, not a product
	}
	return token{kind: tOperator}
}

func isOperatorChar(c byte, d Dialect) bool {
	switch c {
	case '+', '-', '*', '/', '<', '>', '=', '~', '!', '%', '^', '&', '|', ':':
		return true
	case '@', '#', '?':
		return d == PostgreSQL || c == '@' && d != SQLite
	}
	return false
}

func indexByteFrom(s string, from int, c byte) int {
	for j := from; j < len(s); j++ {
		if s[j] == c {
			return j
		}
	}
	return -1
}

func (l *lexer) lineComment(j int) token {
	for j < len(l.src) && l.src[j] != '\n' {
		j++
	}
	l.pos = j
	return token{kind: tComment}
}

func (l *lexer) blockComment(j int) token {
	src := l.src
	depth := 1
	for j < len(src) {
		switch {
		case src[j] == '*' && j+1 < len(src) && src[j+1] == '/':
			j += 2
			if depth--; depth == 0 {
				l.pos = j
				return token{kind: tComment}
			}
			continue
		case src[j] == '/' && j+1 < len(src) && src[j+1] == '*' && l.d == PostgreSQL:
			depth++
			j += 2
			continue
		}
		j++
	}
	l.pos = len(src)
	return token{kind: tError, comment: true}
}

// quoted scans a quoted string or identifier whose opening quote is before
// j; a doubled quote is an escaped quote, and with backslash so is \x.
func (l *lexer) quoted(j int, q byte, backslash bool, k kind) token {
	src := l.src
	for j < len(src) {
		c := src[j]
		switch {
		case c == '\\' && backslash:
			j += 2
			continue
		case c == q:
			if j+1 < len(src) && src[j+1] == q {
				j += 2
				continue
			}
			l.pos = j + 1
			return token{kind: k}
		}
		j++
	}
	l.pos = len(src)
	return token{kind: tError}
}

// dollarQuoted scans PostgreSQL's $tag$...$tag$.
func (l *lexer) dollarQuoted(i int) (token, bool) {
	src := l.src
	j := i + 1
	for j < len(src) && src[j] != '$' {
		if !isIdentChar(src[j]) || src[j] == '$' || j == i+1 && isDigit(src[j]) {
			return token{}, false
		}
		j++
	}
	if j >= len(src) {
		return token{}, false
	}
	tag := src[i : j+1]
	for k := j + 1; k+len(tag) <= len(src); k++ {
		if src[k] == '$' && src[k:k+len(tag)] == tag {
			l.pos = k + len(tag)
			return token{kind: tString}, true
		}
	}
	l.pos = len(src)
	return token{kind: tError}, true
}

func (l *lexer) number(j int) token {
	src := l.src
	if j+1 < len(src) && src[j] == '0' && (src[j+1] == 'x' || src[j+1] == 'X' || src[j+1] == 'b' || src[j+1] == 'B') {
		k := j + 2
		for k < len(src) && (isDigit(src[k]) || src[k] >= 'a' && src[k] <= 'f' || src[k] >= 'A' && src[k] <= 'F' || src[k] == '_') {
			k++
		}
		if k > j+2 {
			l.pos = k
			return token{kind: tNumber}
		}
	}
	for j < len(src) && (isDigit(src[j]) || src[j] == '_') {
		j++
	}
	if j < len(src) && src[j] == '.' {
		j++
		for j < len(src) && isDigit(src[j]) {
			j++
		}
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			for k < len(src) && isDigit(src[k]) {
				k++
			}
			j = k
		}
	}
	l.pos = j
	return token{kind: tNumber}
}
