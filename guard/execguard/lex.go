package execguard

// Shell is the command language of a shell's script argument.
type Shell uint8

// Shells whose script argument is checked.
const (
	// NoShell: the program runs its argv directly.
	NoShell Shell = iota
	// POSIX: sh, bash, dash, zsh, ksh, ash and busybox sh.
	POSIX
	// Cmd: Windows cmd.exe /c.
	Cmd
	// PowerShell: powershell and pwsh -Command.
	PowerShell
)

var shellNames = [...]string{"none", "posix", "cmd", "powershell"}

func (s Shell) String() string {
	if int(s) < len(shellNames) {
		return shellNames[s]
	}
	return "unknown"
}

// kind is the class of a shell token.
type kind uint8

const (
	tEOF      kind = iota
	tWord          // a word (or a part of one between substitutions)
	tSep           // ; & && || | |& newline ;; and reserved words that start commands
	tRedir         // < > >> << >& <& &> 2> ...
	tSubOpen       // $( ` ${ <( >( $(( @(
	tSubClose      // the end of a substitution
	tParen         // ( ) { } grouping
	tComment       // # ... to the end of the line
	tError         // an unterminated quote or substitution: runs to the end
)

// token is a span of the script. cmd marks a word in command position.
type token struct {
	kind       kind
	start, end int
	cmd        bool
}

// maxDepth bounds nested substitutions and quotes.
const maxDepth = 32

// context of the lexer: what ends the current level.
type ctxKind uint8

const (
	cTop      ctxKind = iota
	cParen            // $( ... ) or <( ... ): a command list ended by )
	cBacktick         // ` ... `
	cBrace            // ${ ... }
	cDQuote           // " ... " (POSIX and PowerShell)
)

// lexer splits a script into tokens without allocating.
type lexer struct {
	src     string
	pos     int
	sh      Shell
	stack   [maxDepth]ctxKind
	depth   int
	cmdPos  bool // the next word is in command position
	pending token
	hasPend bool
}

func newLexer(src string, sh Shell) lexer {
	return lexer{src: src, sh: sh, cmdPos: true}
}

func (l *lexer) top() ctxKind { return l.stack[l.depth] }

func (l *lexer) push(c ctxKind) bool {
	if l.depth+1 >= maxDepth {
		return false
	}
	l.depth++
	l.stack[l.depth] = c
	return true
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

// next returns the next token, tEOF at the end.
func (l *lexer) next() token {
	if l.hasPend {
		l.hasPend = false
		return l.pending
	}
	src := l.src
	if l.top() == cDQuote {
		return l.dquoted()
	}
	for l.pos < len(src) && (isBlank(src[l.pos]) || src[l.pos] == '\\' && l.pos+1 < len(src) && src[l.pos+1] == '\n' && l.sh == POSIX) {
		if src[l.pos] == '\\' {
			l.pos++
		}
		l.pos++
	}
	if l.pos >= len(src) {
		if l.depth > 0 {
			return token{kind: tError, start: l.pos, end: l.pos}
		}
		return token{kind: tEOF, start: len(src), end: len(src)}
	}
	start := l.pos
	c := src[start]
	c1 := byte(0)
	if start+1 < len(src) {
		c1 = src[start+1]
	}
	tok := func(k kind, n int) token {
		l.pos = start + n
		return token{kind: k, start: start, end: start + n}
	}
	// Ends of substitutions.
	switch l.top() {
	case cParen:
		if c == ')' {
			l.depth--
			l.cmdPos = false
			return tok(tSubClose, 1)
		}
	case cBacktick:
		if c == '`' {
			l.depth--
			l.cmdPos = false
			return tok(tSubClose, 1)
		}
	case cBrace:
		if c == '}' {
			l.depth--
			return tok(tSubClose, 1)
		}
	}
	switch l.sh {
	case Cmd:
		switch {
		case c == '\n' || c == '&' || c == '|':
			n := 1
			if (c == '&' || c == '|') && c1 == c {
				n = 2
			}
			l.cmdPos = true
			return tok(tSep, n)
		case c == '(' || c == ')':
			l.cmdPos = c == '('
			return tok(tParen, 1)
		case c == '<' || c == '>' || isDigit(c) && (c1 == '>' || c1 == '<'):
			return l.redir(start)
		}
	default:
		switch {
		case c == '\n' || c == ';' || c == '&' || c == '|':
			n := 1
			if c1 == c || c == '|' && c1 == '&' || c == '&' && c1 == '>' && l.sh == POSIX {
				n = 2
			}
			if c == '&' && c1 == '>' && l.sh == POSIX {
				return l.redir(start)
			}
			l.cmdPos = true
			return tok(tSep, n)
		case c == '#' && (l.sh == POSIX || l.sh == PowerShell):
			j := start
			for j < len(src) && src[j] != '\n' {
				j++
			}
			return tok(tComment, j-start)
		case c == '$' && c1 == '(':
			return l.open(start, 2, cParen)
		case c == '@' && c1 == '(' && l.sh == PowerShell:
			return l.open(start, 2, cParen)
		case c == '$' && c1 == '{' && l.sh == POSIX:
			return l.open(start, 2, cBrace)
		case (c == '<' || c == '>') && c1 == '(' && l.sh == POSIX:
			return l.open(start, 2, cParen)
		case c == '`' && l.sh == POSIX:
			return l.open(start, 1, cBacktick)
		case c == '(' || c == ')' || (c == '{' || c == '}') && l.sh == PowerShell:
			l.cmdPos = c == '(' || c == '{'
			return tok(tParen, 1)
		case c == '<' || c == '>' || isDigit(c) && (c1 == '>' || c1 == '<') || c == '*' && c1 == '>' && l.sh == PowerShell:
			return l.redir(start)
		}
	}
	return l.word(start)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (l *lexer) open(start, n int, c ctxKind) token {
	l.pos = start + n
	if !l.push(c) {
		l.pos = len(l.src)
		return token{kind: tError, start: start, end: len(l.src)}
	}
	l.cmdPos = c != cBrace
	return token{kind: tSubOpen, start: start, end: start + n}
}

func (l *lexer) redir(start int) token {
	src := l.src
	j := start
	for j < len(src) && isDigit(src[j]) {
		j++
	}
	if j < len(src) && (src[j] == '&' || src[j] == '*') {
		j++
	}
	for j < len(src) && (src[j] == '<' || src[j] == '>' || src[j] == '&' || src[j] == '|' || src[j] == '-') && j-start < 4 {
		j++
	}
	l.pos = j
	return token{kind: tRedir, start: start, end: j}
}

// word scans one word: quoted and unquoted parts up to a blank or an
// operator. A substitution inside it ends the current part.
func (l *lexer) word(start int) token {
	src := l.src
	j := start
	for j < len(src) {
		c := src[j]
		if isBlank(c) || c == '\n' {
			break
		}
		if l.sh == Cmd {
			if c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')' {
				break
			}
			if c == '^' {
				j += 2
				continue
			}
			if c == '"' {
				k := indexFrom(src, j+1, '"')
				if k < 0 {
					return l.errorFrom(start)
				}
				j = k + 1
				continue
			}
			j++
			continue
		}
		if c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')' {
			break
		}
		if l.sh == PowerShell && (c == '{' || c == '}' || c == '@' && j+1 < len(src) && src[j+1] == '(') {
			break
		}
		switch {
		case c == '\\' && l.sh == POSIX:
			j += 2
			continue
		case c == '`' && l.sh == PowerShell:
			j += 2
			continue
		case c == '\'':
			k := indexFrom(src, j+1, '\'')
			for l.sh == PowerShell && k >= 0 && k+1 < len(src) && src[k+1] == '\'' {
				k = indexFrom(src, k+2, '\'')
			}
			if k < 0 {
				return l.errorFrom(start)
			}
			j = k + 1
			continue
		case c == '"':
			// The double-quoted part may hold substitutions: emit the
			// word so far, then lex the quote in its own context.
			if !l.push(cDQuote) {
				return l.errorFrom(start)
			}
			l.pos = j + 1
			return l.emitWord(start, j+1)
		case c == '$' && j+1 < len(src) && (src[j+1] == '(' || src[j+1] == '{' && l.sh == POSIX):
			return l.emitWord(start, j)
		case c == '`' && l.sh == POSIX:
			return l.emitWord(start, j)
		case c == '}' && l.top() == cBrace:
			return l.emitWord(start, j)
		case c == '#' && j == start:
		}
		if c == ')' && l.top() == cParen {
			break
		}
		j++
	}
	return l.emitWord(start, j)
}

// emitWord returns the word [start, end), marking it as a command word when
// it is in command position and not an assignment.
func (l *lexer) emitWord(start, end int) token {
	end = min(end, len(l.src)) // an escape at the very end
	l.pos = end
	if end <= start {
		return l.next()
	}
	t := token{kind: tWord, start: start, end: end}
	if l.cmdPos {
		w := l.src[start:end]
		switch {
		case l.sh == POSIX && isReserved(w):
			t.kind = tSep // if, then, do, {, !...: the next word is a command
			return t
		case l.sh == POSIX && isAssignment(w):
			return t
		}
		t.cmd = true
		l.cmdPos = false
	}
	return t
}

// dquoted lexes inside a double-quoted string: text, substitutions, and
// the closing quote (which ends the word part).
func (l *lexer) dquoted() token {
	src := l.src
	start := l.pos
	j := start
	for j < len(src) {
		c := src[j]
		switch {
		case c == '\\' && l.sh == POSIX, c == '`' && l.sh == PowerShell:
			j += 2
			continue
		case c == '"':
			if l.sh == PowerShell && j+1 < len(src) && src[j+1] == '"' {
				j += 2
				continue
			}
			l.depth--
			l.pos = j + 1
			return token{kind: tWord, start: start, end: j + 1}
		case c == '$' && j+1 < len(src) && (src[j+1] == '(' || src[j+1] == '{' && l.sh == POSIX), c == '`' && l.sh == POSIX:
			if j > start {
				l.pos = j
				return token{kind: tWord, start: start, end: j}
			}
			n, ctx := 2, cParen
			switch {
			case c == '`':
				n, ctx = 1, cBacktick
			case src[j+1] == '{':
				ctx = cBrace
			}
			return l.open(j, n, ctx)
		}
		j++
	}
	return l.errorFrom(min(start, len(src)))
}

func (l *lexer) errorFrom(start int) token {
	l.pos = len(l.src)
	return token{kind: tError, start: start, end: len(l.src)}
}

func indexFrom(s string, from int, c byte) int {
	for j := from; j < len(s); j++ {
		if s[j] == c {
			return j
		}
	}
	return -1
}

// isReserved reports POSIX reserved words after which a command follows.
func isReserved(w string) bool {
	switch w {
	case "if", "then", "else", "elif", "while", "until", "do", "!", "{", "time", "exec", "eval", "command", "nohup", "env", "sudo", "xargs":
		return true
	}
	return false
}

// isAssignment reports NAME=value.
func isAssignment(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == '=' {
			return i > 0
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && isDigit(c)) {
			return false
		}
	}
	return false
}
