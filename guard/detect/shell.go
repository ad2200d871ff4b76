package detect

import "unsafe"

// A tokenizer for the command languages an injected value may reach —
// POSIX sh/bash, Windows cmd and PowerShell — and a judge of the words it
// finds in command position.
//
// The lexer reads the normalised (decoded, lower-cased) value once, left
// to right, and writes a de-obfuscated view of it: words with their quotes
// removed and split quoting joined (c'a't, w"h"o"am"i), backslash and
// caret escapes applied (c\at, c^a^l^c), ANSI-C strings decoded
// ($'\143\141\164'), expansions the shell would resolve to nothing or to a
// well-known value substituted ($@, $u, $(), ${x}, ${PATH:0:1},
// %COMSPEC%, %ComSpec:~-7,1%, variables assigned earlier in the value:
// a=c;b=at;$a$b), $IFS and ${IFS} read as blanks, one-character [c]
// classes resolved and brace expansion {cat,/etc/passwd} spread into
// words. Operators (; | & && || newline, $( ` <( >( ( ) { }) and
// redirections are tokens of their own. The view is never longer than the
// input and is written into the caller's buffer: no allocation.
//
// The judge sees every simple command: the word in command position, the
// operator before it, its first two arguments and whether it redirects,
// and decides by what the word is — an obfuscated command name, a path to
// a binary, an interpreter given code, a PowerShell cmdlet, a Windows
// FOR/IF, an executable-looking word with options after a shell operator —
// rather than by membership in a closed list alone.

// token kinds
const (
	stEnd   = iota
	stWord  // a word, in lx.out[start:end]
	stSep   // ; ;; & && | || |& newline
	stOpen  // $( ` <( >( ( {: a new command position inside
	stClose // ) ` }
	stRedir // < > >> << <<< <> >& <& &> >|
)

// word flags
const (
	wSplit   uint16 = 1 << iota // letters joined across quotes, escapes, carets, empty expansions or [c] classes
	wQuoted                     // holds quoted text
	wExpand                     // an expansion the lexer could not resolve (read as empty)
	wDecoded                    // an ANSI-C escape, a known or assigned value was substituted
	wGlob                       // an unquoted ? * or [..] class
	wOpen                       // an unterminated quote
	wAssign                     // NAME=value
	wWin                        // a drive or %VAR% path: backslashes are separators
	wBrace                      // a word of a brace expansion
	wTarget                     // the target of a redirection
	wSpan                       // a Markdown code span in prose
)

// shTok's fields are ordered so that it packs into 32 bytes (a token is
// copied per token lexed, and into shCmd).
type shTok struct {
	src        int // a word's start in the value
	start, end int // a word in lx.out
	flags      uint16
	kind       uint8
	op         byte // stSep/stOpen/stClose/stRedir: ';' '|' '&' 'a'(&&) 'o'(||) '\n' '$' '`' '<' '(' '{' ')' '}' '>'
	space      bool // a separation before the token (whitespace, $IFS, cmd's , and =)
	blank      bool // a space or tab right before the token in the value
}

// shVar is a variable assigned in the value (a=c, set x=who).
type shVar struct {
	name [16]byte
	val  [24]byte
	nl   uint8
	vl   uint8
}

const shMaxVars = 8

type shLexer struct {
	src       []byte
	i         int
	out       []byte // the view; cap(out) >= len(src), grown by append past it
	limit     int    // the view is cut at this length: len(src)+shellSlack
	bt        bool   // inside a backtick substitution
	brace     bool   // inside a brace expansion {a,b}
	cmdPos    bool   // the next word is in command position
	winArgs   bool   // the command word ended at a ',': cmd-style delimiters
	setCmd    bool   // the command is set/export: NAME=value arguments assign
	rbrace    closer // next '}'
	tick      closer // next '`'
	vars      [shMaxVars]shVar
	nvars     int
	qxBrace   bool // inside Ruby's %x{...} or Perl's qx{...}: '}' closes it
	redirArg  bool // the next word is a redirection target
	blank     bool // an $IFS ended the last word: a blank comes first
	resolved  bool // the view differs from the value by more than quoting of whole words
	wordStart int  // where the last word began in src
}

// init readies lx to lex src into dst, in place: a shLexer is large (its
// vars), and one built and returned by value was zeroed and copied on
// every call.
func (lx *shLexer) init(src, dst []byte) {
	// The view may be longer than src (a variable's value used twice)
	// by shellSlack bytes at most; past that it is cut. The limit is
	// set here, not left to what dst had, so that the verdict does not
	// depend on how large an earlier scan left the buffer. The buffer
	// need hold src only (the scratch buffer of the text's length: a
	// 64 KB text's view took a 72 KB buffer of its own): a view that
	// grows past it is moved by append (rare: expansions).
	if cap(dst) < len(src) {
		dst = make([]byte, 0, len(src))
	}
	lx.src, lx.out, lx.limit, lx.cmdPos = src, dst[:0], len(src)+shellSlack, true
	lx.rbrace, lx.tick = newCloser(src, "}"), newCloser(src, "`")
}

// shellSlack is how much longer than its text the shell lexer's view may
// grow by expansions before it is cut.
const shellSlack = 64

// emit appends c to the view when it fits (the view never grows past its
// limit: a known value longer than its expansion is cut).
func (lx *shLexer) emit(c byte) {
	if len(lx.out) < lx.limit {
		lx.out = append(lx.out, c) // the input is lower case already
	}
}

// plainRun emits the byte at lx.i as it is and the run of bytes after it
// that word passes on as they are ("${" too once no '}' follows: dollar
// reads it as it is), at once.
func (lx *shLexer) plainRun() {
	s, n := lx.src, len(lx.src)
	j := lx.i + 1
	open := lx.rbrace.pos == -1
	for j < n {
		if d := s[j]; shPlain[d] {
			j++
		} else if d == '$' && open && j+1 < n && s[j+1] == '{' {
			// a run of "${" (none closes): two bytes a step
			for j += 2; j+1 < n && s[j] == '$' && s[j+1] == '{'; j += 2 {
			}
		} else {
			break
		}
	}
	k := min(j-lx.i, lx.limit-len(lx.out))
	lx.out = append(lx.out, s[lx.i:lx.i+k]...)
	lx.i = j
}

// shPlain marks the bytes that word passes on as they are (its default
// case).
var shPlain = func() (t [256]bool) {
	for c := range t {
		t[c] = true
	}
	for _, c := range []byte(" \t\v\f\n\r;&|()<>`,}'\"\\^$%[?*=#") {
		t[c] = false
	}
	return t
}()

func (lx *shLexer) emitString(s string) {
	if len(lx.out)+len(s) <= lx.limit {
		lx.out = append(lx.out, s...)
	}
}

func (lx *shLexer) emitBytes(s []byte) {
	if len(lx.out)+len(s) <= lx.limit {
		lx.out = append(lx.out, s...)
	}
}

// blank reports bytes that separate words.
func shBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\v' || c == '\f' }

// next returns the next token.
// span returns the text between the backtick at lx.i and its end at e (a
// backtick, or the apostrophe of a GNU quotation) as one quoted word, text
// quoted for a reader, and goes on after e.
func (lx *shLexer) span(e int, space bool) shTok {
	start := len(lx.out)
	for k := lx.i + 1; k < e; k++ {
		lx.emit(lx.src[k])
	}
	lx.i = e + 1
	lx.cmdPos = false
	return shTok{kind: stWord, space: space, flags: wQuoted | wSpan, start: start, end: len(lx.out)}
}

func (lx *shLexer) next() shTok {
	s, n := lx.src, len(lx.src)
	space := lx.blank
	lx.blank = false
	for lx.i < n {
		c := s[lx.i]
		switch {
		case shBlank(c):
			lx.i++
			space = true
			continue
		case c == '\\' && lx.i+1 < n && s[lx.i+1] == '\n':
			lx.i += 2 // a line continuation
			space = true
			continue
		case c == ',' && (lx.brace || lx.winArgs || lx.cmdPos):
			// cmd.exe reads , (and = ;) as blanks around words; inside
			// {a,b} the comma separates the words of the expansion
			lx.i++
			space = true
			continue
		case c == '=' && lx.winArgs:
			lx.i++
			space = true
			continue
		}
		break
	}
	if lx.i >= n {
		return shTok{kind: stEnd, space: space}
	}
	if space && len(lx.out) > 0 {
		lx.emit(' ')
	}
	c := s[lx.i]
	var nx byte
	if lx.i+1 < n {
		nx = s[lx.i+1]
	}
	op := func(kind uint8, o byte, w int) shTok {
		for k := 0; k < w; k++ {
			lx.emit(s[lx.i+k])
		}
		lx.i += w
		if kind != stRedir {
			lx.brace, lx.winArgs, lx.setCmd = false, false, false
			lx.cmdPos = kind != stClose
		} else {
			lx.redirArg = true
		}
		return shTok{kind: kind, op: o, space: space, src: lx.i - w}
	}
	switch c {
	case '\n', '\r':
		return op(stSep, '\n', 1)
	case ';':
		if nx == ';' {
			return op(stSep, ';', 2)
		}
		return op(stSep, ';', 1)
	case '&':
		switch nx {
		case '&':
			return op(stSep, 'a', 2)
		case '>':
			if lx.i+2 < n && s[lx.i+2] == '>' {
				return op(stRedir, '>', 3)
			}
			return op(stRedir, '>', 2)
		}
		return op(stSep, '&', 1)
	case '|':
		switch nx {
		case '|':
			return op(stSep, 'o', 2)
		case '&':
			return op(stSep, '|', 2)
		}
		return op(stSep, '|', 1)
	case '(':
		if lx.i > 0 && (isIdent(s[lx.i-1]) || s[lx.i-1] == ']' || s[lx.i-1] == ')') {
			return op(stOpen, 'f', 1) // a call: f(x), iex(iwr ...)
		}
		return op(stOpen, '(', 1)
	case ')':
		return op(stClose, ')', 1)
	case '`':
		if lx.bt {
			lx.bt = false
			return op(stClose, '`', 1)
		}
		if nx != '`' {
			if lx.i == 0 {
				// a code span leading a sentence ("`whoami` prints the
				// user"): quoted for a reader
				if e := lx.tick.from(1); e > 0 && proseWordsAfter(s, e+1) {
					return lx.span(e, space)
				}
			}
			if lx.i > 0 && shBlank(s[lx.i-1]) {
				// a code span in prose ("I ran `ls -la` and..."): text
				// quoted for a reader, not command substitution; prose
				// has a word before it or text after it ("1 `sleep 5`"
				// has neither)
				if e := lx.tick.from(lx.i + 1); e > 0 && !gluedAfter(s, e+1) && (indexByte(s[lx.i+1:e], ' ') >= 0 &&
					(proseWordBefore(s, lx.i-1) || skipBlanks(s, e+1) < n) ||
					wordSpanInText(s, lx.i, e)) {
					// or a single word quoted in a sentence: "Call `id`
					// to print it"
					return lx.span(e, space)
				}
			}
			if (lx.i == 0 || shBlank(s[lx.i-1])) && lx.tick.from(lx.i+1) < 0 && gnuQuoted(s, lx.i) {
				// `quoted' as GNU documentation writes it ("`set -e'
				// causes"): no backtick ends it, an apostrophe does
				e := lx.i + 1 + indexByte(s[lx.i+1:], '\'')
				return lx.span(e, space)
			}
			lx.bt = true
			return op(stOpen, '`', 1)
		}
	case '<', '>':
		if nx == '(' {
			return op(stOpen, '<', 2)
		}
		w := 1
		for w < 3 && lx.i+w < n && (s[lx.i+w] == '<' || s[lx.i+w] == '>' || s[lx.i+w] == '&' || s[lx.i+w] == '|') {
			w++
		}
		for lx.i+w < n && w < 8 && (isDigit(s[lx.i+w]) || s[lx.i+w] == '-') && s[lx.i+w-1] == '&' {
			w++
		}
		return op(stRedir, c, w)
	case '$':
		if nx == '(' {
			if e := skipBlanks(s, lx.i+2); e < n && s[e] == ')' {
				break // $(): an empty substitution inside a word
			}
			return op(stOpen, '$', 2)
		}
	case '{':
		if lx.i+1 >= n || shBlank(nx) || nx == '\n' {
			return op(stOpen, '{', 1)
		}
	case '%', 'q':
		if qxOpen(s, lx.i) {
			// Ruby's %x(...) and Perl's qx(...): command substitution
			lx.qxBrace = s[lx.i+2] == '{'
			return op(stOpen, '$', 3)
		}
	case '}':
		if lx.qxBrace && !lx.brace {
			lx.qxBrace = false
			return op(stClose, ')', 1)
		}
		if !lx.brace && (lx.i+1 >= n || shBlank(nx) || nx == ';' || nx == '\n' || nx == '|' || nx == '&' || nx == ')') {
			return op(stClose, '}', 1)
		}
	case '#':
		{
			// a comment runs to the end of the line
			for lx.i < n && s[lx.i] != '\n' && s[lx.i] != '\r' {
				lx.i++
			}
			return lx.next()
		}
	}
	t := lx.word(space)
	t.src = lx.wordStart
	t.blank = t.start >= 0 && lx.wordStart > 0 && (s[lx.wordStart-1] == ' ' || s[lx.wordStart-1] == '\t')
	return t
}

// qxOpen reports Ruby's %x( or %x{ and Perl's qx( or qx{ at i: the
// languages' command substitution.
func qxOpen(s []byte, i int) bool {
	return i+2 < len(s) && (s[i] == '%' || s[i] == 'q') && (i == 0 || !isIdent(s[i-1])) && s[i+1] == 'x' &&
		(s[i+2] == '(' || s[i+2] == '{')
}

func skipBlanks(s []byte, i int) int {
	for i < len(s) && shBlank(s[i]) {
		i++
	}
	return i
}

// word lexes one word into the view.
func (lx *shLexer) word(space bool) shTok {
	s, n := lx.src, len(lx.src)
	lx.wordStart = lx.i
	start := len(lx.out)
	t := shTok{kind: stWord, space: space, start: start}
	segs := 0      // quoted segments and unquoted runs
	inRun := false // in an unquoted run
	escapes := 0   // backslash/caret escapes before word bytes
	empty := false // an expansion read as empty
	eq := -1       // the '=' of NAME=value
	if lx.brace {
		t.flags |= wBrace
	}
	if lx.i+2 < n && isLetter(s[lx.i]) && s[lx.i+1] == ':' && (s[lx.i+2] == '\\' || s[lx.i+2] == '/') ||
		lx.i+1 < n && s[lx.i] == '\\' && s[lx.i+1] == '\\' || s[lx.i] == '%' {
		t.flags |= wWin
	}
	if lx.i < n && s[lx.i] == '{' && !lx.brace && lx.i+1 < n && s[lx.i+1] != '"' && s[lx.i+1] != '\'' && s[lx.i+1] != '}' {
		// {a,b}: a brace expansion when a ',' comes before the '}' and
		// no blank or quote does
		if e := lx.rbrace.from(lx.i + 1); e > 0 && e-lx.i < 256 {
			comma := false
			ok := true
			for k := lx.i + 1; k < e; k++ {
				switch s[k] {
				case ',':
					comma = true
				case ' ', '\t', '\n', '"', '\'', '{':
					ok = false
				}
				if !ok {
					break
				}
			}
			if ok && comma {
				lx.brace = true
				t.flags |= wBrace
				lx.i++
			}
		}
	}
	unquoted := func() {
		if !inRun {
			segs++
			inRun = true
		}
	}
loop:
	for lx.i < n {
		c := s[lx.i]
		var nx byte
		if lx.i+1 < n {
			nx = s[lx.i+1]
		}
		switch c {
		case ' ', '\t', '\v', '\f', '\n', '\r', ';', '&', '|', '(', ')', '<', '>':
			break loop
		case '`':
			if nx == '`' {
				lx.i += 2 // an empty substitution
				empty = true
				continue
			}
			break loop
		case ',':
			if lx.brace || lx.winArgs {
				break loop
			}
			if lx.cmdPos && len(lx.out) > start {
				lx.winArgs = true // cmd,/c,whoami
				break loop
			}
			unquoted()
			lx.emit(c)
			lx.i++
		case '}':
			if lx.brace {
				lx.brace = false
				lx.i++
				break loop
			}
			if lx.qxBrace {
				break loop
			}
			unquoted()
			lx.emit(c)
			lx.i++
		case '\'':
			inRun = false
			segs++
			t.flags |= wQuoted
			lx.i++
			for lx.i < n && s[lx.i] != '\'' {
				lx.emit(s[lx.i])
				lx.i++
			}
			if lx.i < n {
				lx.i++
			} else {
				t.flags |= wOpen
			}
		case '"':
			inRun = false
			segs++
			t.flags |= wQuoted
			lx.i++
			for lx.i < n && s[lx.i] != '"' {
				d := s[lx.i]
				if d == '\\' && lx.i+1 < n && (s[lx.i+1] == '"' || s[lx.i+1] == '\\' || s[lx.i+1] == '$' || s[lx.i+1] == '`') {
					lx.emit(s[lx.i+1])
					lx.i += 2
					continue
				}
				if d == '$' {
					if brk, e := lx.dollar(&t.flags, true); brk {
						continue
					} else if e {
						empty = true
						continue
					}
				}
				if d == '`' && lx.i+1 < n && s[lx.i+1] == '`' {
					lx.i += 2
					empty = true
					continue
				}
				lx.emit(d)
				lx.i++
			}
			if lx.i < n {
				lx.i++
			} else {
				t.flags |= wOpen
			}
		case '\\':
			if t.flags&wWin != 0 || lx.i+1 >= n {
				unquoted()
				lx.emit(c)
				lx.i++
				continue
			}
			if nx == '\n' {
				lx.i += 2
				continue
			}
			unquoted()
			if isIdent(nx) || nx == '/' {
				escapes++
			}
			lx.emit(nx)
			lx.i += 2
		case '^':
			if lx.i+1 < n && isIdent(nx) && (len(lx.out) > start && isIdent(lx.out[len(lx.out)-1]) || len(lx.out) == start && lx.cmdPos) {
				// cmd.exe's escape: c^a^l^c, and ^w^h^o^a^m^i, whose
				// first caret leads the command word
				escapes++
				unquoted()
				lx.emit(nx)
				lx.i += 2
				continue
			}
			unquoted()
			lx.emit(c)
			lx.i++
		case '$':
			if nx == '\'' {
				// $'...': ANSI-C quoting
				inRun = false
				segs++
				t.flags |= wQuoted
				lx.i += 2
				// a command word written as an ANSI-C string is spelled
				// to hide it, escapes or not: the normaliser may have
				// decoded them already ($'\x69\x64' arrives as $'id')
				t.flags |= wDecoded
				lx.ansiC(&t.flags)
				continue
			}
			if nx == '"' {
				lx.i++ // $"...": a translated string
				continue
			}
			if nx == '(' {
				if e := skipBlanks(s, lx.i+2); e < n && s[e] == ')' {
					lx.i = e + 1
					empty = true
					continue
				}
				break loop
			}
			brk, e := lx.dollar(&t.flags, false)
			if brk {
				lx.blank = true
				break loop
			}
			if e {
				empty = true
				continue
			}
			unquoted()
			lx.plainRun()
		case '%':
			if qxOpen(s, lx.i) {
				break loop // a=%x(id): Ruby's substitution starts
			}
			if ok, brk := lx.percent(&t.flags); brk {
				// %PROGRAMFILES:~10,1%: a substring that is a blank
				// separates words, as cmd.exe expands it before parsing
				lx.blank = true
				break loop
			} else if ok {
				continue
			}
			unquoted()
			lx.emit(c)
			lx.i++
		case '[':
			if lx.class(&t.flags) {
				unquoted()
				continue
			}
			unquoted()
			lx.emit(c)
			lx.i++
		case '#':
			if lx.i+1 == n {
				// a '#' ending the value glued to a word: a comment
				// cutting off the rest of the command line, as probes
				// write it ("x|ps aux#", ";tty#")
				break loop
			}
			unquoted()
			lx.emit(c)
			lx.i++
		case '?', '*':
			t.flags |= wGlob
			unquoted()
			lx.emit(c)
			lx.i++
		case '=':
			if eq < 0 && len(lx.out) > start && (lx.cmdPos || lx.setCmd) && t.flags&(wQuoted|wExpand|wGlob) == 0 && shName(lx.out[start:]) {
				eq = len(lx.out)
			}
			unquoted()
			lx.emit(c)
			lx.i++
		default:
			// a run of bytes that the cases above do not stop at, copied
			// at once ("${" too once no '}' follows: dollar reads it as
			// it is)
			unquoted()
			lx.plainRun()
		}
	}
	t.end = len(lx.out)
	w := lx.out[start:t.end]
	if t.flags&wOpen == 0 && len(w) > 0 && (segs >= 2 || escapes > 0 || empty && segs >= 1) {
		t.flags |= wSplit
	}
	if t.flags&(wSplit|wDecoded|wBrace) != 0 || lx.blank {
		lx.resolved = true
	}
	if eq >= 0 {
		t.flags |= wAssign
		lx.assign(lx.out[start:eq], lx.out[eq+1:t.end])
	}
	if lx.redirArg {
		lx.redirArg = false
		t.flags |= wTarget
		return t
	}
	if lx.cmdPos && eq < 0 {
		lx.cmdPos = false
		b := baseName(w)
		lx.setCmd = string(b) == "set" || string(b) == "export" || string(b) == "declare" || string(b) == "local"
	}
	return t
}

// shName reports a shell variable name.
func shName(w []byte) bool {
	if len(w) == 0 || len(w) > 16 || !(isLetter(w[0]) || w[0] == '_') {
		return false
	}
	for _, c := range w {
		if !isIdent(c) {
			return false
		}
	}
	return true
}

func (lx *shLexer) assign(name, val []byte) {
	if len(name) > 16 || len(val) > 24 {
		return
	}
	k := -1
	for j := 0; j < lx.nvars; j++ {
		v := &lx.vars[j]
		if string(v.name[:v.nl]) == string(name) {
			k = j
			break
		}
	}
	if k < 0 {
		if lx.nvars == shMaxVars {
			return
		}
		k = lx.nvars
		lx.nvars++
	}
	v := &lx.vars[k]
	v.nl = uint8(copy(v.name[:], name))
	v.vl = uint8(copy(v.val[:], val))
}

func (lx *shLexer) lookupVar(name []byte) ([]byte, bool) {
	for j := 0; j < lx.nvars; j++ {
		v := &lx.vars[j]
		if string(v.name[:v.nl]) == string(name) {
			return v.val[:v.vl], true
		}
	}
	return nil, false
}

// knownShellValue returns the value a POSIX shell's well-known variable
// has on a typical host (for substrings such as ${PATH:0:1}), and the short
// form a whole expansion is written as in the view.
func knownShellValue(name []byte) (full, short string, ok bool) {
	switch string(name) {
	case "path":
		return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "", true
	case "home":
		return "/root", "/root", true
	case "pwd", "oldpwd":
		return "/", "/", true
	case "shell", "bash":
		return "/bin/bash", "bash", true
	case "0":
		return "sh", "sh", true
	case "user", "logname":
		return "root", "", true
	}
	return "", "", false
}

// knownWinValue is knownShellValue for cmd.exe's %VAR%.
func knownWinValue(name []byte) (full, short string, ok bool) {
	switch string(name) {
	case "comspec":
		return `c:\windows\system32\cmd.exe`, "cmd.exe", true
	case "windir", "systemroot":
		return `c:\windows`, `c:\windows`, true
	case "systemdrive", "homedrive":
		return "c:", "c:", true
	case "programfiles":
		return `c:\program files`, "", true
	case "commonprogramfiles":
		return `c:\program files\common files`, "", true
	case "programdata", "allusersprofile":
		return `c:\programdata`, "", true
	case "public":
		return `c:\users\public`, "", true
	case "os":
		return "windows_nt", "", true
	case "pathext":
		return ".com;.exe;.bat;.cmd;.vbs;.vbe;.js;.jse;.wsf;.wsh;.msc", "", true
	}
	return "", "", false
}

// dollar handles a $ expansion at lx.i outside single quotes. It reports
// brk when the expansion separates words ($IFS, outside double quotes)
// and consumed when it was read (emitting its value, or nothing).
func (lx *shLexer) dollar(flags *uint16, quoted bool) (brk, consumed bool) {
	s, n := lx.src, len(lx.src)
	i := lx.i + 1
	if i >= n {
		return false, false
	}
	c := s[i]
	switch {
	case c == '{':
		e := lx.rbrace.from(i + 1)
		if e < 0 {
			return false, false
		}
		body := s[i+1 : e]
		lx.i = e + 1
		return lx.braceExpansion(body, flags, quoted)
	case c == '@' || c == '*' || c == '#' || c == '?' || c == '!' || c == '-' || c == '$':
		lx.i = i + 1
		*flags |= wExpand
		return false, true
	case isDigit(c):
		lx.i = i + 1
		if c == '0' {
			_, short, _ := knownShellValue(s[i : i+1])
			lx.emitString(short)
			*flags |= wDecoded
			return false, true
		}
		*flags |= wExpand
		return false, true
	case isLetter(c) || c == '_':
		e := i
		for e < n && isIdent(s[e]) {
			e++
		}
		name := s[i:e]
		if string(name) == "env" && e+1 < n && s[e] == ':' && (isLetter(s[e+1]) || s[e+1] == '_') {
			// PowerShell $env:COMSPEC
			k := e + 1
			for k < n && isIdent(s[k]) {
				k++
			}
			lx.i = k
			if _, short, ok := knownWinValue(s[e+1 : k]); ok && short != "" {
				lx.emitString(short)
				*flags |= wDecoded
				return false, true
			}
			*flags |= wExpand
			return false, true
		}
		lx.i = e
		if string(name) == "ifs" {
			if quoted {
				lx.emit(' ')
				return false, true
			}
			return true, true
		}
		if v, ok := lx.lookupVar(name); ok {
			lx.emitBytes(v)
			*flags |= wDecoded
			return false, true
		}
		if _, short, ok := knownShellValue(name); ok && short != "" {
			lx.emitString(short)
			*flags |= wDecoded
			return false, true
		}
		*flags |= wExpand
		return false, true
	}
	return false, false
}

// braceExpansion resolves ${body}: IFS, known and assigned values,
// substrings ${PATH:0:1}, defaults ${u:-c}; indirection, lengths and
// other operators are read as empty.
func (lx *shLexer) braceExpansion(body []byte, flags *uint16, quoted bool) (brk, consumed bool) {
	k := 0
	for k < len(body) && isIdent(body[k]) {
		k++
	}
	name := body[:k]
	rest := body[k:]
	if string(name) == "ifs" {
		if quoted {
			lx.emit(' ')
			return false, true
		}
		return true, true
	}
	if k == 0 || len(name) > 16 {
		*flags |= wExpand // ${!x}, ${#x}, ${@~}...
		return false, true
	}
	var full string
	var known bool
	if v, ok := lx.lookupVar(name); ok {
		full, known = string(v), true // small: at most 24 bytes
	} else if f, _, ok := knownShellValue(name); ok {
		full, known = f, true
	}
	switch {
	case len(rest) == 0:
		if known {
			if v, ok := lx.lookupVar(name); ok {
				lx.emitBytes(v)
			} else {
				_, short, _ := knownShellValue(name)
				lx.emitString(short)
			}
			*flags |= wDecoded
			return false, true
		}
	case rest[0] == ':' && len(rest) > 1 && (rest[1] == '-' || rest[1] == '=') || rest[0] == '-' || rest[0] == '=':
		// ${u:-word}: the word when u is unset
		if !known {
			w := rest[1:]
			if len(w) > 0 && (w[0] == '-' || w[0] == '=') {
				w = w[1:]
			}
			lx.emitBytes(w)
			*flags |= wDecoded
			return false, true
		}
	case known && len(rest) >= 2 && (rest[0] == '%' || rest[0] == '#'):
		// ${PATH%%u*}, ${PATH#*:}: a literal and one '*'
		if v, ok := trimPattern(full, rest); ok {
			lx.emitString(v)
			*flags |= wDecoded
			return false, true
		}
	case rest[0] == ':' && known:
		off, length, ok := shSubstr(rest[1:])
		if ok {
			if off < 0 {
				off += len(full)
			}
			if off >= 0 && off <= len(full) {
				end := len(full)
				if length >= 0 && off+length < end {
					end = off + length
				}
				lx.emitString(full[off:end])
				*flags |= wDecoded
				return false, true
			}
		}
	}
	*flags |= wExpand
	return false, true
}

// shSubstr parses "off" or "off:len" (off may be " -3" or "(-3)").
func shSubstr(b []byte) (off, length int, ok bool) {
	i := 0
	num := func() (int, bool) {
		for i < len(b) && (b[i] == ' ' || b[i] == '(') {
			i++
		}
		v, next, ok := signedInt(b, i)
		if !ok {
			return 0, false
		}
		i = next
		for i < len(b) && (b[i] == ' ' || b[i] == ')') {
			i++
		}
		return v, true
	}
	off, ok = num()
	if !ok {
		return 0, 0, false
	}
	length = -1
	if i < len(b) && b[i] == ':' {
		i++
		l, ok2 := num()
		if !ok2 || l < 0 {
			return 0, 0, false
		}
		length = l
	}
	return off, length, i == len(b)
}

// ansiC decodes a $'...' string (lx.i just after the opening quote).
func (lx *shLexer) ansiC(flags *uint16) {
	s, n := lx.src, len(lx.src)
	for lx.i < n && s[lx.i] != '\'' {
		c := s[lx.i]
		if c != '\\' || lx.i+1 >= n {
			lx.emit(c)
			lx.i++
			continue
		}
		*flags |= wDecoded
		d := s[lx.i+1]
		lx.i += 2
		switch d {
		case 'n', 't', 'r', 'v', 'f':
			lx.emit(' ')
		case 'a', 'b', 'e':
		case 'x':
			v, k := 0, 0
			for k < 2 && lx.i < n && isHex(s[lx.i]) {
				v = v*16 + int(unhex(s[lx.i]))
				lx.i++
				k++
			}
			lx.emitDecoded(v)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v, k := int(d-'0'), 1
			for k < 3 && lx.i < n && s[lx.i] >= '0' && s[lx.i] <= '7' {
				v = v*8 + int(s[lx.i]-'0')
				lx.i++
				k++
			}
			lx.emitDecoded(v)
		case 'u':
			v, k := 0, 0
			for k < 4 && lx.i < n && isHex(s[lx.i]) {
				v = v*16 + int(unhex(s[lx.i]))
				lx.i++
				k++
			}
			lx.emitDecoded(v)
		case 'c':
			if lx.i < n {
				lx.i++
			}
		default:
			lx.emit(d)
		}
	}
	if lx.i < n {
		lx.i++
	} else {
		*flags |= wOpen
	}
}

func (lx *shLexer) emitDecoded(v int) {
	switch {
	case v == ' ' || v == '\t' || v == '\n':
		lx.emit(' ')
	case v > ' ' && v < 0x7f:
		lx.emit(lower(byte(v)))
	}
}

// percent handles cmd.exe's %VAR%, %VAR:~n,m% and %VAR:a=b% at lx.i. It
// reports whether it read one, and brk when its value is blanks only: an
// unquoted one separates words (ping%PROGRAMFILES:~10,-5%127.0.0.1).
func (lx *shLexer) percent(flags *uint16) (ok, brk bool) {
	s, n := lx.src, len(lx.src)
	i := lx.i + 1
	if i >= n || !(isLetter(s[i]) || s[i] == '_') {
		return false, false
	}
	e := i
	for e < n && e-i < 40 && (isIdent(s[e]) || s[e] == '(' || s[e] == ')') {
		e++
	}
	name := s[i:e]
	mod := e
	for e < n && e-i < 48 && s[e] != '%' && (isIdent(s[e]) || s[e] == ':' || s[e] == '~' || s[e] == ',' || s[e] == '-' || s[e] == '=' || s[e] == '*' || s[e] == '.' || s[e] == '\\') {
		e++
	}
	if e >= n || s[e] != '%' || (mod < e && s[mod] != ':') {
		return false, false
	}
	full, short, known := knownWinValue(name)
	if !known {
		if v, ok := lx.lookupVar(name); ok {
			full, short, known = string(v), string(v), true
		}
	}
	if !known {
		return false, false // cmd.exe leaves an undefined %x% as it is
	}
	lx.i = e + 1
	*flags |= wDecoded | wWin
	m := s[mod:e]
	if len(m) == 0 {
		lx.emitString(short)
		return true, false
	}
	if len(m) > 2 && m[1] == '~' {
		// :~off,len (negative counts from the end)
		off, length, ok := winSubstr(m[2:])
		if !ok {
			return true, false
		}
		if off < 0 {
			off += len(full)
		}
		if off < 0 {
			off = 0
		}
		if off > len(full) {
			off = len(full)
		}
		end := len(full)
		switch {
		case length == 0 && len(m) > 2 && indexByte(m, ',') < 0:
		case length < 0:
			end += length
		case off+length < end:
			end = off + length
		}
		if end > off {
			v := full[off:end]
			if onlyBlanks(v) {
				return true, true
			}
			lx.emitString(v)
		}
	}
	return true, false
}

// onlyBlanks reports a string of spaces.
func onlyBlanks(v string) bool {
	for k := 0; k < len(v); k++ {
		if v[k] != ' ' {
			return false
		}
	}
	return true
}

// signedInt reads an optional '-' and decimal digits at i (the value stops
// growing past 1<<16): the numbers of ${x:off:len} and %x:~off,len%.
func signedInt(b []byte, i int) (v, next int, ok bool) {
	neg := i < len(b) && b[i] == '-'
	if neg {
		i++
	}
	if i >= len(b) || !isDigit(b[i]) {
		return 0, i, false
	}
	for i < len(b) && isDigit(b[i]) && v < 1<<16 {
		v = v*10 + int(b[i]-'0')
		i++
	}
	if neg {
		v = -v
	}
	return v, i, true
}

// winSubstr parses "n" or "n,m" with optional signs.
func winSubstr(b []byte) (off, length int, ok bool) {
	i := 0
	num := func() (int, bool) {
		v, next, ok := signedInt(b, i)
		if ok {
			i = next
		}
		return v, ok
	}
	off, ok = num()
	if !ok {
		return 0, 0, false
	}
	if i < len(b) && b[i] == ',' {
		i++
		length, ok = num()
		return off, length, ok && i == len(b)
	}
	return off, 0, i == len(b)
}

// class resolves a glob class at lx.i: [c] is c, [!c] or [a-z] any byte.
func (lx *shLexer) class(flags *uint16) bool {
	s, n := lx.src, len(lx.src)
	e := lx.i + 1
	for e < n && e-lx.i <= 8 && s[e] != ']' {
		if shBlank(s[e]) || s[e] == '[' || s[e] == '\'' || s[e] == '"' || s[e] == '$' {
			return false
		}
		e++
	}
	if e >= n || s[e] != ']' || e == lx.i+1 {
		return false
	}
	body := s[lx.i+1 : e]
	lx.i = e + 1
	if len(body) == 1 && isIdent(body[0]) {
		lx.emit(body[0])
		*flags |= wGlob | wSplit
		return true
	}
	lx.emit('?')
	*flags |= wGlob
	return true
}

// baseName returns the last path element of w without an executable
// extension (.exe .com .bat .cmd).
func baseName(w []byte) []byte {
	k := len(w) - 1
	if len(w) > baseNameLong && indexByte(w, '/') < 0 && indexByte(w, '\\') < 0 {
		k = -1 // a long word without a separator: found by the vectorised search
	}
	for ; k >= 7; k -= 8 {
		// eight bytes without a separator at a time (a long word)
		x := uint64(w[k-7]) | uint64(w[k-6])<<8 | uint64(w[k-5])<<16 | uint64(w[k-4])<<24 |
			uint64(w[k-3])<<32 | uint64(w[k-2])<<40 | uint64(w[k-1])<<48 | uint64(w[k])<<56
		if hasByte(x, '/')|hasByte(x, '\\') != 0 {
			break
		}
	}
	for ; k >= 0; k-- {
		if w[k] == '/' || w[k] == '\\' {
			w = w[k+1:]
			break
		}
	}
	if len(w) > 4 && w[len(w)-4] == '.' {
		switch string(w[len(w)-3:]) {
		case "exe", "cmd":
			w = w[:len(w)-4]
		}
	}
	return w
}

// baseNameLong is the length from which baseName asks bytes.IndexByte
// whether a word holds a separator at all before its word-at-a-time loop:
// a long word of one piece ("${${${…", a token) is read at SIMD speed, a
// short one (a command word) costs no call.
const baseNameLong = 64

// shCmd is a simple command as the judge sees it.
type shCmd struct {
	word    shTok
	ctx     byte // the operator before the command word; 0 at the start of the value
	glued   bool // no blank between that operator and the word
	opGlued bool // text right before that operator: "x`ip a`", not "I ran `npm test`"
	args    [3]shTok
	nargs   int
	redir   bool
	end     byte // the operator that ended the command; 0 at the end of the value
	after   byte // the byte of the value after that operator; 0 at the end
	upper   bool // the command word starts with a capital letter in the value as sent
	// lead: the command follows the value's first operator, a separator
	// that ends the value's first token (sepLead: ";ps aux", "x|id",
	// "127.0.0.1; ip a"). leadTok says what that token is: leadNone (empty:
	// the value starts with the separator), leadCode (not a plain word:
	// "127.0.0.1", "x'"), leadNum (digits: "1;ps aux"), leadWord (letters:
	// "copy" of "copy; paste it").
	lead     bool
	leadTok  uint8
	argUpper bool // an argument starts with a capital letter in the value as sent
	assign   bool // NAME=value words come before the command word (X=1 id)
	first    bool // the command follows the value's first operator, which nothing but blanks comes before
	// opTok: the command follows the value's first operator (of any
	// kind: ; | && || & or a line break), and the token before that
	// operator is opTok (leadTok's kinds; 0 after a later operator)
	opTok    uint8
	pipeline bool // a later stage of a command line the value starts with, reaching no system path (commandLineLead)
	// closed: the command is the value's last, ended by a separator with
	// blanks before it or different from the one before the command
	// ("x; groups ;", "1|id&") or by a comment ("8.8.8.8; arch #"): a
	// command line closed off as probes write it, not a list's item
	closed bool
}

// shellScan lexes b (normalised) into dst and judges every simple command
// it holds (globs: judge wildcard paths too; raw: the value as sent when
// it differs from b only by case, else ""). It returns the first hit,
// the de-obfuscated view and whether the view resolved anything (split or
// escaped words, expansions, braces).
func shellScan(dst, b []byte, globs bool, raw string) (hit, []byte, bool) {
	var lx shLexer
	lx.init(b, dst)
	var cur shCmd
	have := false
	ctx := byte(0)
	budget := 8 // glob matches per value
	if !globs {
		budget = 0 // wildcards in text with '=' are a query string's, not a path's
	}
	cont := false
	// the first operator and the words before it (shCmd.lead)
	// (read at the first operator, and only when a separator ends one
	// word or none: sepLead is not called otherwise)
	lead := false
	// pipeline: the value starts a command line that reaches no system
	// path (shCmd.pipeline); read only for a command after '|', '&&' or
	// '||', so computed on the first such command (0: not yet, 1: no, 2: yes)
	pipeline := uint8(0)
	pipelineAt := func() bool {
		if pipeline == 0 {
			pipeline = 1
			if commandLineLead(b) && !systemReach(b) {
				pipeline = 2
			}
		}
		return pipeline == 2
	}
	// lone: the value is one substitution alone (loneSubstitution), read
	// once, when a command that runs nothing is first met (0: not yet,
	// 1: no, 2: yes)
	lone := uint8(0)
	loneAt := func() bool {
		if lone == 0 {
			lone = 1
			if loneSubstitution(b) {
				lone = 2
			}
		}
		return lone == 2
	}
	ops, words := 0, 0
	prevSep := false
	ctxGlued := false
	leadTok := uint8(leadWord)
	// the assignments before a command word (";X=1 id"): whether there
	// were some, and whether the first was glued to the operator
	assigned, assignGlued := false, false
	// the last command judgeCommand found clean, as judgeKey reads it: a
	// storm judges the same command over and over
	var last judgeKey
	upperAt := func(t shTok) bool {
		return len(raw) == len(b) && t.src < len(raw) && raw[t.src] >= 'A' && raw[t.src] <= 'Z'
	}
	for {
		t := lx.next()
		if t.kind != stWord && t.kind != stEnd && ops == 0 {
			ops++
			// what the first operator ends: nothing, or one plain word
			switch {
			case words == 0:
				leadTok = leadNone
			case words == 1 && have && cur.nargs == 0 && cur.word.flags == 0:
				leadTok = leadKind(lx.out[cur.word.start:cur.word.end])
			}
			lead = t.kind == stSep && words <= 1 && sepLead(bufString(b))
		} else if t.kind != stWord && t.kind != stEnd && !(t.kind == stSep && prevSep && ops == 1) {
			// a run of separators after the first operator is one
			// (CRLF, "; ;", "&&;"): the command after it still leads
			ops++
		}
		prevSep = t.kind == stSep
		switch t.kind {
		case stWord:
			if t.flags&wSpan != 0 {
				continue
			}
			words++
			if t.flags&wTarget != 0 {
				if have {
					cur.redir = true
				}
				continue
			}
			if cont {
				continue // "$(x)y": the rest of the outer word
			}
			if !have {
				glued := !t.space || t.src > 0 && b[t.src-1] == '\t'
				if t.flags&wAssign != 0 || t.start == t.end && t.flags&wExpand == 0 {
					if t.flags&wAssign != 0 && !assigned {
						assigned, assignGlued = true, glued
					}
					continue // a=b cmd: the command comes next
				}
				if assigned {
					// the command's environment is part of it: glued
					// as its first assignment is
					glued = assignGlued
				}
				// a tab after the operator is a probe's spelling, not
				// prose's: the word counts as glued to it
				cur = shCmd{word: t, ctx: ctx, opGlued: ctxGlued, glued: glued, lead: lead && ops == 1, assign: assigned,
					first: ops == 1 && words == 1 && leadTok == leadNone, pipeline: (ctx == '|' || ctx == 'a' || ctx == 'o') && pipelineAt()}
				if cur.lead {
					cur.leadTok = leadTok
				}
				if ops == 1 {
					cur.opTok = leadTok
				}
				have = true
				continue
			}
			if cur.nargs == 0 && !cur.redir && cur.word.flags == 0 && reservedWord(lx.out[cur.word.start:cur.word.end]) {
				// "do id", "then id": the command follows the shell's
				// reserved word, in the same position
				cur.word = t
				continue
			}
			if cur.nargs < len(cur.args) {
				cur.args[cur.nargs] = t
			}
			cur.nargs++
			cur.argUpper = cur.argUpper || upperAt(t)
		case stRedir:
			if have {
				cur.redir = true
			}
		default:
			if have {
				cur.end = t.op
				cur.after = 0
				if lx.i < len(b) {
					cur.after = b[lx.i] // what follows: '.' of $(x).y
				}
				cur.upper = upperAt(cur.word)
				cur.closed = closedTail(b, &cur, t, lx.i)
				if !noJudgeKey && last.matches(&cur, lx.out) {
					// the command judged clean last, again: clean again
				} else if h := judgeCommand(&cur, lx.out, &budget); h.rule != "" {
					if !(noopCommand(&cur, lx.out) && !loneAt()) {
						return h, lx.out, lx.resolved
					}
				} else if !noJudgeKey {
					last.keep(&cur, lx.out)
				}
				have = false
			}
			assigned = false
			if t.kind == stEnd {
				return hit{}, lx.out, lx.resolved
			}
			cont = t.kind == stClose
			ctx = t.op
			ctxGlued = t.src > 0 && t.src <= len(b) && opGluedAfter(b[t.src-1])
		}
	}
}

// judgeKey is what judgeCommand reads of a command (c, v) that it judges
// by its own text alone: the command with its places in the value and
// the view left out, the text of its word and first arguments, and the
// byte of the view after its word (bareWord). Two commands with the same
// key get the same verdict. Not every command has one: a word with a
// wildcard (the glob rule spends shellScan's budget), a word with an 'f'
// (for and if read the view past their arguments), a command after the
// value's first operator (leadCommand reads the view's first bytes, which
// a command judged before them did not have), or text longer than
// judgeKeyText.
type judgeKey struct {
	c    shCmd // positions zeroed
	ok   bool
	next int16 // the view's byte after the word, or -1
	lens [4]uint8
	text [judgeKeyText]byte
}

const judgeKeyText = 48

// keep sets k to the key of the command c in the view v when it has one
// (k.ok).
func (k *judgeKey) keep(c *shCmd, v []byte) {
	k.ok = false
	if c.lead || c.word.flags&wGlob != 0 {
		return
	}
	w := v[c.word.start:c.word.end]
	if indexByte(w, 'f') >= 0 || len(w) > judgeKeyText {
		return
	}
	n := copy(k.text[:], w)
	k.lens[0] = uint8(len(w))
	for j := 0; j < len(c.args); j++ {
		k.lens[j+1] = 0
		if j < c.nargs {
			a := v[c.args[j].start:c.args[j].end]
			if n+len(a) > judgeKeyText {
				return
			}
			n += copy(k.text[n:], a)
			k.lens[j+1] = uint8(len(a))
		}
	}
	k.next = viewAfter(c, v)
	k.c = placeless(c)
	k.ok = true
}

// matches reports that the command c in the view v has the key k (kept).
func (k *judgeKey) matches(c *shCmd, v []byte) bool {
	if !k.ok || c.lead || c.word.flags&wGlob != 0 {
		return false
	}
	w := v[c.word.start:c.word.end]
	if len(w) != int(k.lens[0]) || string(w) != string(k.text[:len(w)]) {
		return false
	}
	n := len(w)
	for j := 0; j < len(c.args); j++ {
		l := 0
		if j < c.nargs {
			a := v[c.args[j].start:c.args[j].end]
			if l = len(a); l != int(k.lens[j+1]) || string(a) != string(k.text[n:n+l]) {
				return false
			}
		} else if k.lens[j+1] != 0 {
			return false
		}
		n += l
	}
	if viewAfter(c, v) != k.next {
		return false
	}
	p := placeless(c)
	// the commands' bytes compared at once: equal bytes are equal
	// fields (padding that differs only misses a match)
	return unsafe.String((*byte)(unsafe.Pointer(&p)), unsafe.Sizeof(p)) ==
		unsafe.String((*byte)(unsafe.Pointer(&k.c)), unsafe.Sizeof(k.c))
}

// viewAfter is the byte of the view after c's word, or -1.
func viewAfter(c *shCmd, v []byte) int16 {
	if c.word.end < len(v) {
		return int16(v[c.word.end])
	}
	return -1
}

// placeless is c without its places in the value and the view.
func placeless(c *shCmd) shCmd {
	p := *c
	p.word.src, p.word.start, p.word.end = 0, 0, 0
	for j := range p.args {
		p.args[j].src, p.args[j].start, p.args[j].end = 0, 0, 0
	}
	return p
}

// closedTail reports shCmd.closed for the command ended by token t, the
// value going on at i.
func closedTail(b []byte, c *shCmd, t shTok, i int) bool {
	switch t.kind {
	case stSep:
		// the separator, then blanks or a comment to the end
		k := skipBlanks(b, i)
		if k < len(b) && b[k] != '#' {
			return false
		}
		if k < len(b) && indexByte(b[k:], '\n') >= 0 {
			return false
		}
		o := t.src // the separator's start
		if o <= 0 || o > len(b) {
			return false
		}
		return t.op != c.ctx || shBlank(b[o-1]) || k < len(b)
	case stEnd:
		// a comment ending the value after the command ("x| users#")
		e := len(b)
		for e > 0 && shBlank(b[e-1]) {
			e--
		}
		return e > 0 && b[e-1] == '#' && e-1 > c.word.src && indexByte(b[c.word.src:e-1], '\n') < 0
	}
	return false
}

// reservedWord reports the shell's reserved words after which a command
// word comes (do, then, else, elif, and the negation '!').
func reservedWord(w []byte) bool {
	switch string(w) {
	case "do", "then", "else", "elif", "!":
		return true
	}
	return false
}

// interpreter kinds
const (
	ipShell      = 1 + iota // -c
	ipPython                // -c
	ipPerl                  // -e -E
	ipPHP                   // -r
	ipRuby                  // -e
	ipNode                  // -e -p --eval
	ipLua                   // -e
	ipPowerShell            // any option
	ipCmd                   // /c /k /r
)

func interpreter(b []byte) int {
	switch string(b) {
	case "sh", "bash", "zsh", "ksh", "csh", "tcsh", "dash", "mksh", "rbash":
		return ipShell
	case "perl", "perl5":
		return ipPerl
	case "php":
		return ipPHP
	case "ruby":
		return ipRuby
	case "node", "nodejs", "deno":
		return ipNode
	case "lua", "luajit", "tclsh", "jrunscript", "osascript":
		return ipLua
	case "powershell", "pwsh":
		return ipPowerShell
	case "cmd":
		return ipCmd
	case "python", "python2", "python3", "pypy", "pypy3":
		return ipPython
	}
	if len(b) > 8 && (hasAt(b, 0, "python2.") || hasAt(b, 0, "python3.")) {
		return ipPython
	}
	return 0
}

// codeFlag reports the option that makes an interpreter run its next
// argument as code.
func codeFlag(a []byte, kind int) bool {
	if len(a) < 2 {
		return false
	}
	switch kind {
	case ipCmd:
		return a[0] == '/' && len(a) == 2 && (a[1] == 'c' || a[1] == 'k' || a[1] == 'r')
	case ipPowerShell:
		return a[0] == '-' || a[0] == '/'
	}
	if a[0] != '-' {
		return false
	}
	if string(a) == "--eval" || string(a) == "--command" {
		return true
	}
	if a[1] == '-' {
		return false
	}
	last := a[len(a)-1]
	for _, c := range a[1:] {
		if !isLetter(c) && c != 'E' {
			return false
		}
	}
	switch kind {
	case ipShell, ipPython:
		return last == 'c'
	case ipPerl, ipRuby, ipLua:
		return last == 'e'
	case ipPHP:
		return last == 'r'
	case ipNode:
		return last == 'e' || last == 'p'
	}
	return false
}

// codeArg reports an argument that reads as code: quoted text, a command
// name or path, or a call.
func codeArg(c *shCmd, v []byte, k int) bool {
	if k >= c.nargs || k >= len(c.args) {
		return false
	}
	t := c.args[k]
	a := v[t.start:t.end]
	if t.flags&(wQuoted|wSplit|wDecoded) != 0 && len(a) > 0 {
		return true
	}
	b := baseName(a)
	if commandStrength(b) > cmdNone || binDir(a) || interpreter(b) != 0 {
		return true
	}
	return k == c.nargs-1 && (c.end == 'f' || c.end == '$' || c.end == '`')
}

// shWordShape reports a word shaped like a program name: a letter, then
// letters, digits, '_', '-', '.' or '+', at most 32 bytes.
func shWordShape(w []byte) bool {
	if len(w) == 0 || len(w) > 32 || !isLetter(w[0]) {
		return false
	}
	for _, c := range w[1:] {
		if !isIdent(c) && c != '-' && c != '.' && c != '+' {
			return false
		}
	}
	return w[len(w)-1] != '.' && w[len(w)-1] != '-'
}

// plainOption reports an option argument written as such in the value: a
// blank, then -x or --name, unquoted (what the feature gate's fShellArg
// sees).
func plainOption(c *shCmd, v []byte, k int) bool {
	if k >= c.nargs || k >= len(c.args) {
		return false
	}
	t := c.args[k]
	return t.blank && t.flags&(wQuoted|wSplit|wDecoded|wExpand|wBrace) == 0 && isOption(v[t.start:t.end])
}

// flagShaped reports the options of Unix programs: -x, clusters such as
// -la or -xzf, --long-name (not "-tonight").
func flagShaped(a []byte) bool {
	if len(a) >= 4 && a[1] == '-' {
		return true
	}
	return len(a) >= 2 && len(a) <= 4 && a[1] != '-'
}

// argsEnd reports that the command's arguments from the k-th on are what
// a command line holds, not prose: none, or a path, URL, option, number or
// quoted text.
func argsEnd(c *shCmd, v []byte, k int) bool {
	if k >= c.nargs || k >= len(c.args) {
		return true
	}
	t := c.args[k]
	a := v[t.start:t.end]
	if argLike(a) || t.flags&wQuoted != 0 || len(a) > 0 && isDigit(a[0]) || sysPath(a) {
		return true
	}
	// an option's value, then a path: iconv -f utf8 /etc/passwd
	return k+1 < c.nargs && k+1 < len(c.args) && shWordShape(a) && len(a) <= 12 && argLike(v[c.args[k+1].start:c.args[k+1].end])
}

// isOption reports -x, --name.
func isOption(a []byte) bool {
	return len(a) >= 2 && a[0] == '-' && (isLetter(a[1]) || a[1] == '-' && len(a) >= 3 && isLetter(a[2]))
}

// argLike reports an argument shaped like a command's: an option, a path,
// a URL, a variable.
func argLike(a []byte) bool {
	if len(a) == 0 {
		return false
	}
	switch {
	case isOption(a):
		return true
	case a[0] == '/' && len(a) > 1 && (isLetter(a[1]) || a[1] == '.'):
		return true
	case a[0] == '~' && len(a) > 1 && a[1] == '/', a[0] == '.' && len(a) > 1 && (a[1] == '/' || a[1] == '.'):
		return true
	case len(a) > 2 && isLetter(a[0]) && a[1] == ':' && (a[2] == '\\' || a[2] == '/'):
		return true
	case hasAt(a, 0, "http://") || hasAt(a, 0, "https://") || hasAt(a, 0, "ftp://"):
		return true
	}
	return false
}

// ipLike reports an IPv4 address: curl 198.51.100.7, ping 10.0.0.1.
func ipLike(a []byte) bool {
	if len(a) == 0 {
		return false
	}
	dots := 0
	for _, c := range a {
		if c == '.' {
			dots++
		} else if !isDigit(c) {
			return false
		}
	}
	return dots == 3 && isDigit(a[0])
}

// execPath reports a path to a program: inside a directory of binaries or
// a writable staging directory, relative (./x, ../x), or a Windows
// executable. strict keeps to the system binary directories.
func execPath(w []byte, strict bool) bool {
	base := baseName(w)
	if len(base) == 0 {
		return false
	}
	if len(base) != len(baseOf(w)) {
		return true // c:\x\y.exe, .bat, .cmd
	}
	dir := w[:len(w)-len(base)]
	for _, d := range [...]string{"/bin/", "/sbin/", "\\system32\\", "/system32/", "\\syswow64\\", "/syswow64/"} {
		if hasAt(dir, len(dir)-len(d), d) {
			return shWordShape(base)
		}
	}
	if strict {
		return false
	}
	for _, d := range [...]string{"/tmp/", "/dev/shm/", "/var/tmp/"} {
		if hasAt(dir, len(dir)-len(d), d) {
			return shWordShape(base)
		}
	}
	if string(dir) == "./" || hasAt(w, 0, "../") && indexFrom(w, "/../", 0) < 0 {
		dot := lastIndexByte(base, '.')
		if dot < 0 {
			return string(dir) == "./" && shWordShape(base)
		}
		switch string(base[dot+1:]) {
		case "sh", "py", "pl", "rb", "bin", "out", "elf", "run", "exe", "php", "ps1", "bat":
			return true
		}
	}
	if dot := lastIndexByte(base, '.'); dot > 0 && (hasAt(w, 1, ":\\") || hasAt(w, 0, "\\\\")) {
		switch string(base[dot+1:]) {
		case "ps1", "vbs", "hta", "scr", "msi":
			return true
		}
	}
	return false
}

func baseOf(w []byte) []byte {
	for k := len(w) - 1; k >= 0; k-- {
		if w[k] == '/' || w[k] == '\\' {
			return w[k+1:]
		}
	}
	return w
}

func lastIndexByte(b []byte, c byte) int {
	for k := len(b) - 1; k >= 0; k-- {
		if b[k] == c {
			return k
		}
	}
	return -1
}

// globCommand reports a path whose last element is a wildcard pattern
// matching a command name (/???/c?t, /bin/c*t), under a directory that is
// a pattern itself or a directory of binaries.
func globCommand(w []byte) bool {
	k := lastIndexByte(w, '/')
	if k < 0 {
		return false
	}
	dir, pat := w[:k+1], w[k+1:]
	if len(pat) == 0 || len(pat) > 16 {
		return false
	}
	wildDir := false
	for _, c := range dir {
		if c == '?' || c == '*' {
			wildDir = true
		} else if c != '/' && !isIdent(c) {
			return false
		}
	}
	letters := false
	for _, c := range pat {
		if isLetter(c) {
			letters = true
		} else if c != '?' && c != '*' && !isDigit(c) {
			return false
		}
	}
	if !letters && !(wildDir && len(dir) > 1) && !binDir(dir) {
		return false
	}
	if !wildDir && !binDir(dir) && !letters {
		return false
	}
	for _, list := range [...][]string{shellCommandsStrong, shellCommandsWeak} {
		for _, c := range list {
			if len(c) > 1 && globMatch(pat, c) {
				return true
			}
		}
	}
	return false
}

// globMatch matches ? and * (linear with one backtrack point).
func globMatch(p []byte, s string) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// psDangerous are PowerShell commands and aliases that download or run
// code.
// It is not inlined: a copy of this string switch at each call site cost
// kilobytes of code for a call's worth of time.
//
//go:noinline
func psDangerous(b []byte) bool {
	switch string(b) {
	case "iex", "iwr", "irm", "icm", "saps", "invoke-expression", "invoke-webrequest", "invoke-restmethod",
		"invoke-command", "invoke-item", "start-process", "start-job", "invoke-wmimethod",
		"invoke-cimmethod", "start-bitstransfer", "set-mppreference", "add-mppreference", "set-executionpolicy",
		"invoke-shellcode", "invoke-mimikatz", "new-service":
		return true
	}
	return false
}

// psVerbNoun reports a PowerShell cmdlet name: an approved verb, '-', a
// noun.
func psVerbNoun(b []byte) bool {
	d := indexByte(b, '-')
	if d < 2 || len(b)-d < 3 {
		return false
	}
	for _, c := range b[d+1:] {
		if !isLetter(c) && !isDigit(c) {
			return false
		}
	}
	switch string(b[:d]) {
	case "get", "set", "new", "remove", "invoke", "start", "stop", "add", "out", "import", "export", "convertto",
		"convertfrom", "write", "read", "test", "copy", "move", "rename", "clear", "enable", "disable", "register",
		"unregister", "select", "foreach", "format", "resolve", "restart", "resume", "suspend", "wait", "send",
		"receive", "connect", "disconnect", "enter", "expand", "compress", "install", "uninstall", "update", "find",
		"save", "mount", "dismount", "measure", "split", "join", "push", "pop", "grant", "revoke", "unblock":
		return true
	}
	return false
}

// psCommandLine reports the arguments of a PowerShell command line that
// is the whole value (after the cmdlet's name): one to 12 blank separated
// arguments, each a parameter (-Uri, -FilePath), the value of the
// parameter before it (any one word), or what a cmdlet is given without a
// parameter name: a URL, a path, an address, a program file (calc.exe), a
// quoted string, a $variable, a number or a dotted type name
// (System.Net.WebClient). A word of prose ("is", "fails") in any other
// place makes it a sentence about the cmdlet. A script block may follow
// a parameter (-ScriptBlock { ... }).
func psCommandLine(c *shCmd, v []byte) bool {
	if c.nargs == 0 || c.nargs > 12 || c.redir {
		return false
	}
	afterOpt := false
	i := c.word.end
	for k := 0; k < c.nargs; k++ {
		var a []byte
		quoted := false
		if k < len(c.args) {
			t := c.args[k]
			a, quoted, i = v[t.start:t.end], t.flags&wQuoted != 0, t.end
		} else {
			// (the arguments past those shCmd keeps: blank separated
			// words of the view)
			for i < len(v) && shBlank(v[i]) {
				i++
			}
			j := i
			for j < len(v) && !shBlank(v[j]) {
				j++
			}
			a, i = v[i:j], j
		}
		switch {
		case len(a) == 0:
			return false
		case isOption(a) && !quoted:
			afterOpt = true
		case afterOpt, quoted, a[0] == '$' && len(a) > 1 && isLetter(a[1]),
			argLike(a), ipLike(a), winRunnable(a), winAbsPath(a), isDigit(a[0]), psTypeName(a):
			afterOpt = false
		default:
			return false
		}
	}
	return c.end == 0 || c.end == '{' && afterOpt
}

// psTypeName reports a .NET type name: dotted words (System.Net.WebClient,
// Net.Sockets.TCPClient), optionally in brackets.
func psTypeName(a []byte) bool {
	if len(a) > 2 && a[0] == '[' && a[len(a)-1] == ']' {
		a = a[1 : len(a)-1]
	}
	dots := 0
	for k, c := range a {
		switch {
		case c == '.':
			if k == 0 || k == len(a)-1 || a[k-1] == '.' {
				return false
			}
			dots++
		case !isLetter(c) && !isDigit(c):
			return false
		}
	}
	return dots > 0 && isLetter(a[0])
}

// cmdWrapper reports commands that run their argument as a command.
func cmdWrapper(b []byte) bool {
	switch string(b) {
	case "env", "nohup", "time", "exec", "command", "builtin", "sudo", "doas", "nice", "timeout", "xargs", "setsid",
		"stdbuf", "strace", "ltrace", "busybox", "chroot", "unbuffer", "watch", "eval", "runas", "start", "call",
		"ionice", "taskset", "flock", "script", "su":
		return true
	}
	return false
}

// commandHit is judgeCommand's finding: the command word and what follows.
// It is not inlined: judgeCommand reports from some 25 places, and a
// finding is the rare case (a copy of this body at each was 5 KiB of
// code, a cost every binary pays in size and cold start).
//
//go:noinline
func commandHit(c *shCmd, v []byte, rule string) hit {
	return hit{rule: rule, frag: around(v, max(0, c.word.start-2), c.word.end+40)}
}

// noopCommand reports true or false alone, without arguments or a
// redirection: a command that runs nothing. In text it is a literal in a
// code span ("`true` or `false`", "is `false`)"); the value "`true`"
// alone (loneSubstitution) is the probe that asks whether a substitution
// runs, and stays a finding.
func noopCommand(c *shCmd, v []byte) bool {
	w := v[c.word.start:c.word.end]
	return c.nargs == 0 && !c.redir && (string(w) == "true" || string(w) == "false")
}

// loneSubstitution reports a value that is one substitution and nothing
// else but blanks and quotes around it: "`true`", "\"$(false)\"".
func loneSubstitution(b []byte) bool {
	i, e := 0, len(b)
	for i < e && (b[i] == ' ' || b[i] == '\'' || b[i] == '"') {
		i++
	}
	for e > i && (b[e-1] == ' ' || b[e-1] == '\'' || b[e-1] == '"') {
		e--
	}
	t := b[i:e]
	switch {
	case len(t) >= 2 && t[0] == '`' && t[len(t)-1] == '`':
		return indexByte(t[1:len(t)-1], '`') < 0
	case len(t) >= 3 && t[0] == '$' && t[1] == '(' && t[len(t)-1] == ')':
		return indexByte(t[2:len(t)-1], ')') < 0
	}
	return false
}

// textNear reports a letter within 64 bytes before i or after j, past the
// substitution's own delimiters: the command b[i:j] stands in text.
func textNear(b []byte, i, j int) bool {
	for k := i - 1; k >= 0 && i-k <= 64; k-- {
		if isLetter(b[k]) {
			return true
		}
	}
	for k := j; k < len(b) && k-j < 64; k++ {
		if isLetter(b[k]) {
			return true
		}
	}
	return false
}

// judgeCommand decides whether one simple command is an injection.
func judgeCommand(c *shCmd, v []byte, budget *int) hit {
	w := v[c.word.start:c.word.end]
	flags := c.word.flags
	found := func(rule string) hit { return commandHit(c, v, rule) }
	arg := func(k int) []byte {
		if k < c.nargs && k < len(c.args) {
			return v[c.args[k].start:c.args[k].end]
		}
		return nil
	}
	atStart := c.ctx == 0 || c.ctx == 'f' || c.ctx == '(' || c.ctx == '{'
	sub := c.ctx == '$' || c.ctx == '`' || c.ctx == '<'
	if c.ctx == ')' || c.ctx == '}' {
		return hit{}
	}
	if len(w) == 0 {
		// the command is an expansion the value does not define:
		// $SHELL -c id, ${x} -c id
		if c.nargs >= 2 && (codeFlag(arg(0), ipShell) || codeFlag(arg(0), ipPerl)) && codeArg(c, v, 1) {
			return found("cmdi.interpreter")
		}
		return hit{}
	}
	base := baseName(w)
	strength := commandStrength(base)
	path := indexByte(w, '/') >= 0 || indexByte(w, '\\') >= 0
	ip := interpreter(base)
	argOK := c.nargs == 0 || c.redir || argLike(arg(0)) || ipLike(arg(0)) || c.args[0].flags&(wQuoted|wSplit|wDecoded) != 0

	// an interpreter given code: sh -c id, python3 -c '...', perl -e,
	// php -r, node -e, powershell -enc ..., cmd /c
	if ip != 0 {
		if c.nargs >= 1 && codeFlag(arg(0), ip) && (ip == ipPowerShell || codeArg(c, v, 1)) &&
			!(atStart && c.nargs >= 3 && c.args[2].flags == 0 && (proseVerb(arg(2)) || proseLink(arg(2)))) {
			// (not a sentence about the one-liner: "bash -c 'echo hi'
			// works in my terminal")
			return found("cmdi.interpreter")
		}
		if c.ctx == '|' && ip != ipCmd && (c.nargs == 0 || isOption(arg(0))) {
			return found("cmdi.interpreter") // ... | sh
		}
	}
	// a command name spelled in pieces: c'a't, w\h\o\a\m\i, c^a^l^c,
	// wh$@oami, ${u:-c}at, $'\x63\x61\x74'
	if flags&(wSplit|wDecoded) != 0 && flags&wOpen == 0 {
		named := shWordShape(base) && (strength == cmdStrong || ip != 0 || psDangerous(base)) ||
			shWordShape(base) && strength == cmdWeak && argOK && (c.nargs > 0 || c.redir || !everydayWord(base)) ||
			path && execPath(w, true)
		if named {
			return found("cmdi.obfuscated")
		}
	}
	// a path to a program in command position
	if path && execPath(w, atStart) && (!atStart || argOK && (c.nargs > 0 || c.redir || c.end == 0)) {
		return found("cmdi.binary_path")
	}
	if flags&wGlob != 0 && path && *budget > 0 {
		*budget--
		if globCommand(w) {
			return found("cmdi.glob")
		}
	}
	// Windows FOR and IF
	switch string(base) {
	case "for":
		// for /f %i in (...) do ..., for %i in (...) do ...
		a, a1 := arg(0), arg(1)
		if c.end == '(' && indexByte(v[c.word.end:], '%') >= 0 && (len(a) == 2 && a[0] == '/' && (a[1] == 'f' || a[1] == 'l' || a[1] == 'r' || a[1] == 'd') ||
			len(a) >= 2 && a[0] == '%' && string(a1) == "in") {
			return found("cmdi.windows")
		}
	case "if":
		// if exist c:\x type c:\x, if not defined x ...
		a, a1 := string(arg(0)), arg(1)
		if a == "not" {
			a = string(a1)
			a1 = nil
			if c.nargs >= 2 {
				a1 = v[c.args[1].end:min(len(v), c.args[1].end+64)]
			}
		}
		if (a == "exist" || a == "defined" || a == "errorlevel") && (indexByte(a1, '\\') >= 0 || indexByte(a1, '%') >= 0 || indexByte(a1, ':') >= 0) {
			return found("cmdi.windows")
		}
	}
	// PowerShell
	if psDangerous(base) && (!atStart || c.end == 'f' || c.end == '(' || c.nargs > 0 && argLike(arg(0)) && (!isOption(arg(0)) || strength > cmdNone)) {
		return found("cmdi.powershell") // iex(iwr ...), ; Start-Process calc, Invoke-WebRequest http://...
	}
	if c.ctx == 0 && c.word.flags == 0 && indexByte(base, '-') > 0 && psDangerous(base) && psCommandLine(c, v) {
		// Invoke-WebRequest -Uri http://x -OutFile c:\x.exe, Start-Process
		// calc.exe -Verb runAs: the value is a PowerShell command line,
		// a cmdlet that runs or fetches (by its full name) given
		// parameters, as a Unix one is judged when it is the whole
		// value (wget http://x/a.sh); not a sentence about the cmdlet
		// ("Start-Process is not working")
		return found("cmdi.powershell")
	}
	if psVerbNoun(base) && !atStart && (plainOption(c, v, 0) && (c.nargs >= 2 && argsEnd(c, v, 1) || c.end == '|') ||
		c.lead && (c.glued || (c.leadTok == leadNone || c.leadTok == leadIP) && (c.nargs == 0 || !plainLower(arg(0)) || c.end == '|'))) {
		return found("cmdi.powershell") // ; Get-ChildItem -Force, ;Get-Process | Out-String
	}
	if string(base) == "new-object" && (indexFrom(arg(0), "webclient", 0) >= 0 || indexFrom(arg(0), "net.sockets", 0) >= 0) {
		return found("cmdi.powershell") // (New-Object Net.WebClient).DownloadString(...)
	}
	rule := "cmdi.separator"
	if sub {
		rule = "cmdi.substitution"
	}
	if c.pipeline && strength != cmdStrong && ip == 0 && !path && !netTool(base) {
		// "grep -r todo src/ | wc -l", "find . -name x | xargs wc -l":
		// a later stage of a command line quoted whole, judged with
		// the line at its start; a command it runs only when that is
		// never prose ("| xargs whoami")
		if cmdWrapper(base) {
			for k := 0; k < c.nargs && k < len(c.args); k++ {
				if a := arg(k); !isOption(a) {
					if commandStrength(baseName(a)) == cmdStrong {
						return found(rule)
					}
					break
				}
			}
		}
		return hit{}
	}
	// a command run through another: env id, nohup x &, sudo -u root id
	if cmdWrapper(base) && !atStart && c.nargs >= 1 {
		for k := 0; k < c.nargs && k < len(c.args); k++ {
			a := arg(k)
			if isOption(a) || len(a) > 0 && isDigit(a[0]) {
				continue
			}
			if b := baseName(a); shWordShape(b) && commandStrength(b) > cmdNone && !everydayWord(b) || execPath(a, false) || winRunnable(a) {
				return found(rule)
			}
			break
		}
	}
	if (ip != 0 || string(w) == ".") && !atStart && c.nargs >= 1 && scriptFile(arg(0)) {
		return found("cmdi.interpreter") // ;sh x.sh, a;python3 exploit.py, ;. /tmp/x
	}
	if c.assign && !atStart && shWordShape(base) && strength > cmdNone && !everydayWord(base) {
		return found(rule) // ;PATH=/tmp id, x| LANG=C cat /etc/passwd
	}
	if atStart || path || !shWordShape(base) {
		return hit{}
	}
	if len(base) != len(w) && (c.nargs == 0 || argOK) && (c.glued || c.ctx == '|' || c.ctx == 'a' || c.ctx == 'o' || sub) {
		return found(rule) // |calc.exe, && notepad.exe; not "files: a.exe; b.exe"
	}
	// an executable-looking word after a shell operator
	switch {
	case len(w) >= 2 && plainOption(c, v, 0) && flagShaped(arg(0)) && argsEnd(c, v, 1):
		return found(rule) // ;df -h, $(uname -a), |lsblk -f
	case (c.ctx == '$' || c.ctx == '<') && (c.redir || c.end == '|'):
		return found(rule) // $(rev<<<'di')
	case strength > cmdNone && c.redir && !everydayWord(base):
		return found(rule) // ; echo x > /tmp/y
	case c.glued && c.word.flags&(wQuoted|wSplit|wDecoded|wExpand|wBrace|wGlob) == 0 && c.nargs >= 1 && sysPath(arg(0)):
		return found(rule) // ;getfacl /etc
	case (c.ctx == '$' || c.ctx == '<') && c.nargs == 0 && !c.redir && c.end == ')' && len(w) >= 2 && c.word.flags == 0 &&
		!c.upper && !isIdent(c.after) && c.after != '.' && c.after != '(' && c.after != '[' && c.after != '-' && c.after != '\'' && c.after != '"' &&
		(strength > cmdNone || indexByte(w, '_') < 0 && !makeDirVar(w)):
		// $(word) and <(word) read as a command run for its output, not
		// jQuery's $(document).ready or make's $(CC) and $(top_srcdir)
		// (a name with '_' that is no command), or an installation
		// directory variable of the GNU coding standards ($(srcdir),
		// $(datadir), $(prefix))
		return found(rule)
	case sub && strength > cmdNone && (c.nargs == 0 && (c.end == ')' || c.end == '`') || argLike(arg(0)) || len(arg(0)) > 0 && isDigit(arg(0)[0]) ||
		c.word.flags == 0 && c.args[0].flags&wQuoted != 0 && !everydayWord(base) || hasAt(arg(0), 0, "%s")):
		// $(printf %s i d), $(echo 'id'): a command given a format or a
		// quoted argument inside a substitution
		return found(rule) // <(curl http://x/a), $(date)
	case strength > cmdNone && !everydayWord(base) && c.nargs >= 2 && (isOption(arg(1)) || sysPath(arg(1)) || winAbsPath(arg(1))):
		return found(rule) // ;chown root /tmp/x, ;openssl s_client -connect, & attrib +h c:\x
	case strength > cmdNone && c.nargs >= 2 && (sysPath(arg(0)) || argLike(arg(0))) && plainOption(c, v, 1):
		return found(rule) // ; find / -name x, |sort ./a -u (a path, then an option)
	case c.lead && c.glued && c.redir && c.nargs == 0 && bareWord(c, v):
		return found(rule) // ;rev<<<'x', |tac>/tmp/o: a bare word redirected
	case c.first && c.glued && c.word.flags == wQuoted && c.nargs == 0 && !c.redir && strength > cmdNone && !everydayWord(base) && c.ctx != '&':
		return found(rule) // ;"id", |'whoami': a command word quoted whole after the operator leading the value
	case c.word.flags == wQuoted && c.ctx != '&' && strength > cmdNone && !everydayWord(base) &&
		(c.first || c.opTok == leadIP || c.opTok == leadNum) &&
		(c.glued && c.nargs == 0 && !c.redir && c.end == 0 && strength == cmdStrong || c.nargs >= 1 && quotedCommandArg(arg(0))):
		// 127.0.0.1|"whoami", ;'curl' http://x/a.sh, 1; "sleep" 10: a
		// command word quoted whole after the operator that leads the
		// value (the shell removes the quotes), then what a command is
		// given (an option, a path, a URL, an address, a number, a host
		// name), or nothing when glued to it; not a list of quoted items
		// ("1;\"John\";\"Smith\"", "\"name\";\"curl\";\"wget\"") nor a quoted
		// word a sentence goes on after ("; \"ping\" me later")
		return found(rule)
	case c.word.flags == wQuoted && strength > cmdNone && !everydayWord(base) && c.nargs >= 1 &&
		(c.opTok == leadCode || c.opTok == leadLetter || c.ctx == '&' && (c.first || c.opTok == leadIP || c.opTok == leadNum) || sub && c.ctx != '<') &&
		quotedCommandArg(arg(0)) && argsEnd(c, v, 1):
		// foo.txt;'sleep' 10, 127.0.0.1&'nslookup' x.example, $('curl'
		// http://x), `"ping" -c 5 x.example`: the same, after a token
		// of code (a file name, "x'"), after an '&' that leads the value
		// or follows an address, or inside a substitution; only with
		// what a command is given after it (an option, path, URL,
		// address, number or host name), not a list's quoted items
		return found(rule)
	case c.word.flags == wQuoted && strength > cmdNone && !everydayWord(base) && c.nargs == 1 && !c.redir &&
		(c.first && c.ctx != '&' || c.opTok == leadIP || c.opTok == leadNum || c.ctx == '$') &&
		(c.end == 0 || c.ctx == '$' && c.end == ')') && bareArg(c, v, 0):
		// ;'net' user, 127.0.0.1|"net" view, $('net' user): a quoted
		// command word and one plain lower-case word ending the value or
		// the substitution (a subcommand); not a sentence ("; \"ping\" me
		// later") nor jQuery's $('table') (no argument)
		return found(rule)
	case c.word.flags == wQuoted && strength == cmdStrong && !everydayWord(base) && c.nargs == 0 && !c.redir && c.end == 0 &&
		(c.ctx == ';' || c.ctx == '|' || c.ctx == 'a' || c.ctx == 'o' || c.ctx == '\n') &&
		(c.glued && (c.opTok == leadLetter || c.opTok == leadCode) || c.opTok == leadIP):
		// x;"whoami", foo.txt|'ifconfig', 127.0.0.1 ; "whoami": a
		// never-prose command quoted whole, alone, ending the value
		// after a placeholder, a token of code or an address
		return found(rule)
	case c.lead && c.glued && strength > cmdNone && !everydayWord(base) && sysPathArg(c, v):
		return found(rule) // ;tar cf - /etc, |chmod 4755 /tmp/sh
	case c.lead && leadCommand(c, v, strength > cmdNone && !everydayWord(base)):
		return found(rule) // ;ps aux, ;ip a, 127.0.0.1; ip addr show, x;ps aux
	case c.ctx == '$' && c.end == ')' && c.after == 0 && bareOK(c, v):
		// $(ip a) ending the value ("`npm test`" alone is a code span as
		// often as a substitution)
		return found(rule)
	case c.ctx == '`' && c.end == '`' && c.after == 0 && c.opGlued && bareOK(c, v):
		// x`ip a`: glued to the text before it, ending the value
		return found(rule)
	}
	return hit{}
}

// makeDirVar reports a name the GNU coding standards give a Makefile's
// installation and source directories: prefix, or a name ending in "dir"
// (srcdir, datadir, includedir, docdir, lispdir...). No command is named
// so ("dir" itself is cmd.exe's, and is a command).
func makeDirVar(w []byte) bool {
	return string(w) == "prefix" || len(w) > len("dir") && hasAt(w, len(w)-3, "dir") && commandStrength(w) == cmdNone
}

// sysPathArg reports an absolute path into a system directory among the
// command's first arguments, as written (not quoted or expanded).
func sysPathArg(c *shCmd, v []byte) bool {
	for k := 0; k < c.nargs && k < len(c.args); k++ {
		if t := c.args[k]; t.flags&(wQuoted|wSplit|wDecoded|wExpand|wBrace) == 0 && sysPath(v[t.start:t.end]) {
			return true
		}
	}
	return false
}

// bareOK is bareCommand's verdict alone.
func bareOK(c *shCmd, v []byte) bool {
	_, ok := bareCommand(c, v)
	return ok
}

// kinds of the token before the value's first separator (shCmd.leadTok)
const (
	leadNone   = 1 + iota // none: the value starts with the separator
	leadIP                // an IPv4 address: 127.0.0.1; ip a
	leadCode              // not a plain word: x', a), e.g.
	leadNum               // digits: 1;ps aux
	leadWord              // letters: copy; paste it
	leadLetter            // one letter, a placeholder: x;ip a
)

// leadKind classifies the word before the value's first separator.
func leadKind(w []byte) uint8 {
	letters, digits := true, true
	for _, c := range w {
		letters = letters && isLetter(c)
		digits = digits && isDigit(c)
	}
	switch {
	case indexByte(w, '/') >= 0:
		// a path ("/api/items/;on"): what follows its separator is
		// judged as after a word
		return leadWord
	case letters && len(w) == 1:
		return leadLetter
	case letters:
		return leadWord
	case digits:
		return leadNum
	case ipLike(w):
		return leadIP
	}
	return leadCode
}

// leadCommand judges the command after the value's first separator (lead)
// by its shape: what a probe types there, not what a sentence does. A
// bare command ("ip a": a short word, short plain arguments) counts glued
// to a separator that starts the value or follows an address, a number
// or a one-letter placeholder (";ip a", "127.0.0.1;ps aux", "1|ip route",
// "x;ip a"); after other tokens ("v1.2;", "x';") only a known command (a
// command name that is not an everyday word) or one with options; a
// blank after the separator is how prose goes on ("&amp; is an entity"),
// so there too only a known command or options. A word
// alone (";groups", "127.0.0.1|users", "x;arch") counts glued to the
// separator, after an empty token, an address, a number or code, but not
// after a word ("hi;thanks"), nor after a line break unless it is a known
// command (a text's second line).
func leadCommand(c *shCmd, v []byte, known bool) bool {
	if c.closed && (c.glued || c.leadTok != leadWord) && !(c.ctx == '&' && c.leadTok == leadNone) &&
		(c.leadTok != leadWord || c.end != 0 || known) {
		// "1|groups ;", "x| users#", "test; echo pwned ;": a bare
		// command closed off after the leading separator (after a word,
		// by a separator or a known command: "rock&roll#" is a tag)
		if c.nargs == 0 && !c.redir {
			// a word alone spaced from the separator is a list's
			// item as often ("2; milk ;"): glued or a known command
			return bareWord(c, v) && (c.glued || known)
		}
		if _, ok := bareCommand(c, v); ok {
			return true
		}
	}
	if c.ctx == '&' && (c.leadTok == leadNone || c.leadTok == leadLetter) && c.glued {
		// a value that starts with '&' glued to a word is a query
		// string's or an entity's ("&page 2", "&amp;"), not a shell's;
		// "R&D", "Q&A" are initials. A blank after it ("& echo test")
		// is the shell's spacing: judged as after ';'
		return false
	}
	if c.nargs == 0 && !c.redir {
		if !bareWord(c, v) {
			return false
		}
		switch c.leadTok {
		case leadNone:
			return c.glued && (c.ctx != '\n' || known)
		case leadIP:
			return c.glued || known // "127.0.0.1 && localhost" names a host
		case leadCode, leadNum, leadLetter:
			// ; or | only: "0||value", "a&&b" are expressions of code;
			// and a command name, for a word alone after a token is a
			// list's next item as often ("3|cats", "v2;beta", "1;free")
			return c.glued && (c.ctx == ';' || c.ctx == '|') && known
		}
		return false
	}
	opts, ok := bareCommand(c, v)
	if !ok {
		return false
	}
	switch c.leadTok {
	case leadNone:
		return c.glued || known || opts > 0
	case leadIP:
		return true
	case leadLetter, leadNum:
		// not after a line break ("2\ncups flour" is a text's lines),
		// nor && || ("0||fallback value" is an expression of code),
		// unless options or variables follow a command name ("x &&
		// echo %cd%"); nor after the article or pronoun "a", "i" ("a|small
		// team")
		if opts > 0 && known {
			return true
		}
		return c.glued && (c.ctx == ';' || c.ctx == '|') && (known || !articleLead(v))
	case leadCode:
		return c.glued && (known || opts > 0)
	}
	return c.glued && known
}

// articleLead reports a value (its view) that starts with the one-letter
// words of English, "a" or "i", glued to its first operator.
func articleLead(v []byte) bool {
	return len(v) > 1 && (v[0] == 'a' || v[0] == 'i') && !isIdent(v[1])
}

// bareWord reports a command word alone of the shape a probe types after
// a separator (groups, arch, tty): a lower-case word of 2 to 12 letters and
// digits, not an everyday word of prose, then the end of the value,
// another separator or the end of its substitution.
func bareWord(c *shCmd, v []byte) bool {
	w := v[c.word.start:c.word.end]
	if c.upper || c.word.flags != 0 || len(w) < 2 || len(w) > 16 || !toolName(w) || proseWord(w) {
		return false
	}
	switch c.end {
	case 0, ';', '|', '&', 'a', 'o', '\n':
		// a list of words ("|col1|col2|", "a;b;c"): the same separator
		// glued on both sides of the word and another word after it
		return !(c.end == c.ctx && c.word.end < len(v) && v[c.word.end] == c.end && (isLetter(c.after) || isDigit(c.after)))
	case ')':
		return c.ctx == '$'
	case '`':
		return c.ctx == '`'
	}
	return false
}

// proseWord reports short everyday words of English that name no command
// (pronouns, articles, greetings, common verbs and adverbs): a "command"
// that is one, or has one as an argument, is a sentence going on after a
// separator (";see you", "|see more", "1;go home", "x;thanks").
func proseWord(w []byte) bool {
	switch string(w) {
	case "a", "an", "the", "and", "or", "but", "nor", "so", "if", "of", "than", "is", "are", "was", "were", "be", "been", "am", "do",
		"does", "did", "done", "has", "have", "had", "will", "would", "can", "could", "should", "may", "might", "must",
		"not", "no", "ok", "okay", "please", "thanks", "thank", "thx", "hi", "hello", "hey", "bye", "goodbye", "you",
		"me", "my", "mine", "your", "yours", "we", "us", "our", "they", "them", "their", "he", "him", "his", "she",
		"her", "it", "its", "this", "that", "these", "those", "there", "here", "where", "when", "what", "why", "how",
		"most", "much", "many", "few", "lot", "lots", "very", "too", "also", "just", "only", "still", "again", "now",
		"then", "later", "soon", "today", "tomorrow", "tonight", "see", "go", "good", "great", "nice", "fine", "cool",
		"love", "like", "way", "well", "sure", "maybe", "lol", "haha", "wow", "oh", "oops", "sorry", "best", "regards",
		"cheers":
		return true
	}
	return false
}

// bareCommand reports a command line of the shape a probe types after a
// separator: a lower-case executable-looking word of 2 to 12 bytes, one or
// two short plain arguments (ps aux, ip a, ip addr show), and then the end
// of the value, another separator or the end of its substitution. Prose after a separator has capitals,
// longer words or more of them ("1; Thanks a lot", "2; seats available").
func bareCommand(c *shCmd, v []byte) (opts int, ok bool) {
	w := v[c.word.start:c.word.end]
	if c.upper || c.argUpper || c.word.flags != 0 || len(w) < 2 || len(w) > 16 || !toolName(w) {
		return 0, false
	}
	switch c.end {
	case 0, ';', '|', '&', 'a', 'o', '\n':
	case ')', '`':
		if c.ctx != '$' && c.end == ')' || c.ctx != '`' && c.end == '`' {
			return 0, false // the end of its substitution
		}
	default:
		return 0, false
	}
	if c.nargs < 1 || c.redir || proseWord(w) {
		return 0, false
	}
	// options make a longer command line: ;ss -tlnp, ;find . -type f,
	// ;mysql -u root (the first arguments judged)
	for k := 0; k < c.nargs && k < len(c.args); k++ {
		t := c.args[k]
		a := v[t.start:t.end]
		switch {
		case len(a) > 1 && len(a) <= 16 && a[0] == '.' && isLetter(a[1]) && k == c.nargs-1:
			// a dotfile: cat .env, ls .ssh
		case proseWord(a) && !(string(a) == "a" && k == c.nargs-1):
			// a sentence ("see you", "go home"); "ip a" ends with its
			// argument, an article does not end a sentence
			return 0, false
		case t.flags&(wQuoted|wSplit|wDecoded) == 0 && (c.leadTok == leadNone || c.leadTok == leadIP) && c.glued && c.end != c.ctx &&
			(netArg(a) || netTool(w) && userAtHost(a)):
			// ;aria2c http://x/a, ;smbclient //10.0.0.5/c$, ;ssh
			// root@host.example: what a command fetching, connecting or
			// mounting is given, glued to a separator that leads the
			// value or follows an address (not a table's cell, "| docs
			// http://x |", "|link http://x|"); to a network tool, a
			// login on a host of the local network too (;ssh
			// root@db, ;scp x admin@backup:/tmp)
		case t.flags == wWin && winVar(a):
			opts++ // echo %cd%: cmd.exe's variable
		case t.flags != 0:
			return 0, false
		case plainOption(c, v, k) && len(a) <= 16, t.blank && len(a) >= 2 && len(a) <= 4 && a[0] == '-' && isDigit(a[1]),
			t.blank && len(a) >= 2 && len(a) <= 5 && a[0] == '/' && plainLower(a[1:]) && !sysPath(a):
			opts++ // -tlnp, -4, -9, /all, /t
		case len(a) <= 6 && plainLower(a), len(a) > 0 && isDigit(a[0]) && len(a) <= 6, string(a) == ".", string(a) == "-", sysPath(a):
		case (len(a) <= 12 && toolName(a) || fileName(a)) && (c.leadTok == leadNone || c.leadTok == leadIP):
			// ;apt-get install nmap, |systemctl stop firewalld: after a
			// separator that leads the value or follows an address
		default:
			return 0, false
		}
	}
	if opts == 0 && !plainLower(w) {
		// a compound word is prose's as often ("well-known issue"); a
		// tool's dashed name takes options ("docker-compose down -v")
		return 0, false
	}
	return opts, opts > 0 && c.nargs <= 6 || c.nargs <= 2
}

// bareArg reports the k-th argument of c written as a plain lower-case
// word of 2 to 12 letters that is no everyday word of prose (user, view,
// aux, addr), unquoted.
func bareArg(c *shCmd, v []byte, k int) bool {
	if k >= c.nargs || k >= len(c.args) || c.args[k].flags != 0 || c.argUpper {
		return false
	}
	a := v[c.args[k].start:c.args[k].end]
	return len(a) >= 2 && len(a) <= 12 && plainLower(a) && !proseWord(a)
}

// netArg reports an argument naming a remote place: a URL with a scheme
// (http://x, ftp://x, smb://x), a scheme-relative or UNC-style share
// (//host/share), an IPv4 address with or without a port, or user@host
// where the host is an address or a dotted name.
func netArg(a []byte) bool {
	if len(a) < 4 {
		return false
	}
	if a[0] == '/' && a[1] == '/' {
		return isLetter(a[2]) || isDigit(a[2])
	}
	if s := indexFrom(a, "://", 0); s > 0 && s+3 < len(a) && isLetter(a[0]) {
		for _, c := range a[1:s] {
			if !isLetter(c) && !isDigit(c) && c != '+' && c != '.' && c != '-' {
				return false
			}
		}
		return isLetter(a[s+3]) || isDigit(a[s+3]) || a[s+3] == '['
	}
	if k := indexByte(a, ':'); k > 0 && ipLike(a[:k]) {
		for _, c := range a[k+1:] {
			if !isDigit(c) {
				return false
			}
		}
		return k+1 < len(a)
	}
	if ipLike(a) {
		return true
	}
	if k := indexByte(a, '@'); k > 0 && k+1 < len(a) && shWordShape(a[:k]) {
		h := a[k+1:]
		return ipLike(h) || indexByte(h, '.') > 0 && h[len(h)-1] != '.' && shWordShape(h)
	}
	return false
}

// userAtHost reports a login on a host as ssh, scp or rsync are given
// it: user@host, maybe with a :path after the host ("root@db",
// "admin@backup:/tmp"); a host without a dot too, which netArg, asked
// for any command's argument, leaves to mail addresses and handles.
func userAtHost(a []byte) bool {
	k := indexByte(a, '@')
	if k <= 0 || k+1 >= len(a) || !shWordShape(a[:k]) {
		return false
	}
	h := a[k+1:]
	if e := indexByte(h, ':'); e > 0 {
		h = h[:e]
	}
	return isLetter(h[0]) && shWordShape(h)
}

// toolName reports a program's name: plainLower words joined by single
// inner '-' or '_' (docker-compose, apt-get, lsb_release).
func toolName(w []byte) bool {
	if len(w) == 0 || !isLetter(w[0]) || w[len(w)-1] == '-' || w[len(w)-1] == '_' {
		return false
	}
	for k, c := range w {
		if (c == '-' || c == '_') && w[k-1] != '-' && w[k-1] != '_' {
			continue
		}
		if !isLetter(c) && !isDigit(c) {
			return false
		}
	}
	return true
}

// fileName reports a file name of a name and a short extension (a.rar,
// x.bz2, notes.txt).
func fileName(a []byte) bool {
	dot := lastIndexByte(a, '.')
	if dot <= 0 || len(a)-dot-1 < 1 || len(a)-dot-1 > 4 || len(a) > 32 || !toolName(a[:dot]) {
		return false
	}
	return plainLower(a[dot+1:])
}

// winVar reports a whole cmd.exe variable reference: %name%.
func winVar(a []byte) bool {
	if len(a) < 3 || a[0] != '%' || a[len(a)-1] != '%' || !isLetter(a[1]) {
		return false
	}
	for _, c := range a[1 : len(a)-1] {
		if !isIdent(c) {
			return false
		}
	}
	return true
}

// plainLower reports a word of lower-case letters and digits that starts
// with a letter.
func plainLower(w []byte) bool {
	if len(w) == 0 || !isLetter(w[0]) {
		return false
	}
	for _, c := range w {
		if !isLetter(c) && !isDigit(c) {
			return false
		}
	}
	return true
}

// winAbsPath reports an absolute Windows path (c:\x).
func winAbsPath(a []byte) bool {
	return len(a) > 2 && isLetter(a[0]) && a[1] == ':' && a[2] == '\\'
}

// winRunnable reports a file name Windows runs: a name and an extension
// of a program or script (setup.exe, x.bat, a.ps1).
func winRunnable(a []byte) bool {
	dot := lastIndexByte(a, '.')
	if dot <= 0 || !shWordShape(a[:dot]) {
		return false
	}
	switch string(a[dot+1:]) {
	case "exe", "com", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf", "hta", "msi", "scr":
		return true
	}
	return false
}

// sysPath reports an absolute path into a system directory.
func sysPath(a []byte) bool {
	if len(a) == 1 && a[0] == '/' {
		return true
	}
	for _, d := range [...]string{"/etc", "/proc", "/dev/", "/tmp", "/var/", "/root", "/home/", "/usr/", "/bin", "/sbin", "/opt/", "/sys/", "/boot", "c:/"} {
		if hasAt(a, 0, d) {
			return true
		}
	}
	return false
}

// scriptFile reports a script or program file argument (x.sh, a.py,
// /tmp/x, ./run).
func scriptFile(a []byte) bool {
	if len(a) == 0 {
		return false
	}
	if a[0] == '/' || hasAt(a, 0, "./") || hasAt(a, 0, "../") || hasAt(a, 0, "~/") {
		return true
	}
	if dot := lastIndexByte(a, '.'); dot > 0 && shWordShape(a[:dot]) {
		switch string(a[dot+1:]) {
		case "sh", "py", "pl", "rb", "php", "js", "ps1", "lua", "bash":
			return true
		}
	}
	return false
}

// gluedAfter reports a word glued to the closing backtick before i: a
// letter, digit or '/', or a '.' before one ("`id -u`.x.example" builds a
// host name from the substitution; "`ls -la`." ends a sentence).
func gluedAfter(s []byte, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i]
	return isAlnum(c) || c == '/' || (c == '.' || c == '-' || c == '_') && i+1 < len(s) && isAlnum(s[i+1])
}

// opGluedAfter reports the bytes after which an operator is glued to what
// comes before it: text (x`id`) or another operator (;`id`), not a blank.
func opGluedAfter(c byte) bool {
	return isIdent(c) || c == '.' || c == ';' || c == '|' || c == '&' || c == '=' || c == '\'' || c == '"'
}

// proseWordsAfter reports a blank at i, then two words of letters, or a
// punctuation mark, a blank and a word (a sentence going on after a quoted
// word).
func proseWordsAfter(s []byte, i int) bool {
	words := 2
	if i+1 < len(s) && (s[i] == ';' || s[i] == ',' || s[i] == ':' || s[i] == '.') {
		// a punctuation mark, then the sentence goes on: "is `yes`; sure"
		i++
		words = 1
	}
	if i >= len(s) || !shBlank(s[i]) {
		return false
	}
	for w := 0; w < words; w++ {
		i = skipBlanks(s, i)
		k := i
		for i < len(s) && isLetter(s[i]) {
			i++
		}
		if i == k || i < len(s) && !shBlank(s[i]) && s[i] != '.' && s[i] != ',' && s[i] != '?' && s[i] != '!' && s[i] != ':' && s[i] != ';' {
			return false
		}
	}
	return true
}

// wordSpanInText reports a single word quoted in Markdown backticks,
// s[i] and s[e] the backticks (a blank before s[i]), that reads as text for a
// reader rather than command substitution:
//   - in a sentence: "Call `id` to print it";
//   - a Markdown list item on a line of its own ("- `at`", "2. `now`"), the
//     line ended or begun by a line break;
//   - ending a sentence ("..., call `now`." or at the end of a line) with at
//     least three words of prose before it on its line.
func wordSpanInText(s []byte, i, e int) bool {
	if proseWordsAfter(s, e+1) && (proseWordBefore(s, i-1) || clauseBefore(s, i-1)) {
		return true
	}
	if (proseWordBefore(s, i-1) || articleBefore(s, i-1) || listBefore(s, i-1) || lineLead(s, i-1)) && spanEndsInText(s, e+1) && proseWordsOnLine(s, i, e) >= 3 {
		// in a sentence: a word before it (or a list's comma after a
		// word or another span, or the start of its line or list item),
		// a blank or the end of a clause after it, and three words of
		// prose on its line besides it ("the `cat` command is old", "I
		// set it to `true`.", "tools such as `kubectl`)", "`true`,
		// `false` and `null` can be", "* `Type` returns the type");
		// "ab `id` cd" is no sentence
		return true
	}
	end := e + 1
	if end < len(s) && (s[end] == '.' || s[end] == ',' || s[end] == ';' || s[end] == ':' || s[end] == '?' || s[end] == '!') {
		end++
	}
	end = skipBlanks(s, end)
	lineEnds := end == len(s) || s[end] == '\n' || s[end] == '\r'
	if !lineEnds {
		return false
	}
	// the line before the span: a list marker alone, or prose words
	k := i - 1
	for k >= 0 && shBlank(s[k]) {
		k--
	}
	m := -2 // before the list marker, if there is one
	if k >= 0 {
		switch c := s[k]; {
		case c == '-' || c == '*' || c == '+':
			m = k - 1
		case (c == '.' || c == ')') && k > 0 && isDigit(s[k-1]):
			for m = k - 1; m >= 0 && isDigit(s[m]) && k-1-m < 3; m-- {
			}
		}
	}
	if m != -2 {
		for m >= 0 && shBlank(s[m]) {
			m--
		}
		// the marker starts its line, the item is one line of several, and
		// prose comes before it ("The functions are:\n- `at`\n- `now`")
		return (m < 0 || s[m] == '\n' || s[m] == '\r') && (m >= 0 || end < len(s)) && proseWordsBefore(s, m, i, true)
	}
	return proseWordBefore(s, i-1) && proseWordsBefore(s, k, i, false)
}

// articleBefore reports blanks ending at i after the article "a" (a word
// of its own: "has a `name` and a `type`").
func articleBefore(s []byte, i int) bool {
	k := i
	for k >= 0 && shBlank(s[k]) {
		k--
	}
	return k < i && k >= 0 && s[k] == 'a' && (k == 0 || shBlank(s[k-1]) || s[k-1] == '\n')
}

// listBefore reports blanks ending at i after a ',', ';' or ':' that follows a
// letter or a code span's closing backtick: an item of a list ("`true`,
// `false`", "keys, `id`").
func listBefore(s []byte, i int) bool {
	k := i
	for k >= 0 && shBlank(s[k]) {
		k--
	}
	return k < i && k > 0 && (s[k] == ',' || s[k] == ';' || s[k] == ':') && (isLetter(s[k-1]) || s[k-1] == '`')
}

// lineLead reports that only blanks, and at most a Markdown list marker
// ('*', '-', '+', a number and '.' or ')') or a quote's '>', come before
// i+1 on its line.
func lineLead(s []byte, i int) bool {
	k := i
	for k >= 0 && shBlank(s[k]) {
		k--
	}
	if k >= 0 {
		switch c := s[k]; {
		case c == '*' || c == '-' || c == '+' || c == '>':
			if k == i {
				return false // the marker is followed by a blank
			}
			k--
		case (c == '.' || c == ')') && k > 0 && isDigit(s[k-1]) && k < i:
			for k--; k >= 0 && isDigit(s[k]); k-- {
			}
		}
		for k >= 0 && shBlank(s[k]) {
			k--
		}
	}
	return k < 0 || s[k] == '\n' || s[k] == '\r'
}

// spanEndsInText reports what may follow a code span closed at i-1 in a
// sentence: the end, a blank or a line break, or a punctuation mark that
// ends a clause or a parenthesis and then one of those.
func spanEndsInText(s []byte, i int) bool {
	if i < len(s) {
		switch s[i] {
		case '.', ',', ';', ':', '?', '!', ')':
			i++
		}
	}
	return i >= len(s) || shBlank(s[i]) || s[i] == '\n' || s[i] == '\r'
}

// proseWordsOnLine counts, up to three, the words of at least two letters
// (after a blank, a line break, '(' or '"', and before a blank, a line
// break or punctuation) on the line of the code span s[i..e], outside it,
// within 240 bytes on each side.
func proseWordsOnLine(s []byte, i, e int) int {
	words := proseWordsBack(s, i-1, i, 3, false, true)
	return words + proseWordsAhead(s, e+1, 3-words, false)
}

// wordEndsAt reports that a word of letters ending at i is a word of
// prose: the end, a blank, a line break or punctuation follows it.
func wordEndsAt(s []byte, i int) bool {
	if i >= len(s) {
		return true
	}
	switch s[i] {
	case ' ', '\t', '\n', '\r', '.', ',', ';', ':', '?', '!', ')', '"', '\'':
		return true
	}
	return false
}

// clauseBefore reports blanks ending at i after a word of at least two
// letters and a punctuation mark that ends a clause or a sentence
// ("In later versions, `time` will...").
func clauseBefore(s []byte, i int) bool {
	for i >= 0 && shBlank(s[i]) {
		i--
	}
	return i > 0 && (s[i] == ',' || s[i] == '.' || s[i] == ':' || s[i] == ';') && proseWordBefore(s, i-1)
}

// proseWordsBefore reports three words of at least two letters (after a
// blank, a line break, '(' or '"') in the 240 bytes before s[i], read
// backwards from s[k]; on the line of s[i] only unless lines is set.
func proseWordsBefore(s []byte, k, i int, lines bool) bool {
	return proseWordsBack(s, k, i, 3, lines, false) >= 3
}

// proseWordsBack counts, up to want, proseWordsBefore's words read
// backwards from s[k] (within 240 bytes before s[i]); with ended, only
// those that end as prose words do (wordEndsAt: a blank, a line break or
// punctuation after them).
func proseWordsBack(s []byte, k, i, want int, lines, ended bool) int {
	words := 0
	for j := k; j >= 0 && i-j < 240 && words < want; {
		c := s[j]
		if !lines && (c == '\n' || c == '\r') {
			break
		}
		if !isLetter(c) {
			j--
			continue
		}
		last := j
		for j >= 0 && isLetter(s[j]) {
			j--
		}
		if last-j >= 2 && (j < 0 || shBlank(s[j]) || s[j] == '\n' || s[j] == '\r' || s[j] == '(' || s[j] == '"') && (!ended || wordEndsAt(s, last+1)) {
			words++
		}
	}
	return words
}

// proseWordBefore reports a word of at least two letters ending at the
// blanks before i.
func proseWordBefore(s []byte, i int) bool {
	for i >= 0 && shBlank(s[i]) {
		i--
	}
	k := 0
	for i >= 0 && isLetter(s[i]) {
		i--
		k++
	}
	return k >= 2
}

// trimPattern applies ${x%pat}, ${x%%pat}, ${x#pat}, ${x##pat} to v for
// patterns "lit*" (suffix removal) and "*lit" (prefix removal).
func trimPattern(v string, op []byte) (string, bool) {
	longest := len(op) >= 2 && op[1] == op[0]
	pat := op[1:]
	if longest {
		pat = op[2:]
	}
	if len(pat) < 2 {
		return "", false
	}
	switch {
	case op[0] == '%' && pat[len(pat)-1] == '*' && indexByte(pat[:len(pat)-1], '*') < 0:
		lit := string(pat[:len(pat)-1])
		k := -1
		for j := 0; j+len(lit) <= len(v); j++ {
			if v[j:j+len(lit)] == lit {
				k = j
				if longest {
					break
				}
			}
		}
		if k < 0 {
			return v, true
		}
		return v[:k], true
	case op[0] == '#' && pat[0] == '*' && indexByte(pat[1:], '*') < 0:
		lit := string(pat[1:])
		k := -1
		for j := 0; j+len(lit) <= len(v); j++ {
			if v[j:j+len(lit)] == lit {
				k = j + len(lit)
				if !longest {
					break
				}
			}
		}
		if k < 0 {
			return v, true
		}
		return v[k:], true
	}
	return "", false
}

// quotedCommandArg reports the first argument of a command word quoted
// whole (judgeCommand): an option, a path or URL (argLike), an IPv4
// address, a number, or a dotted host name (x.example.net), what a probe
// gives the command it runs, not a word a sentence goes on with.
func quotedCommandArg(a []byte) bool {
	if argLike(a) || ipLike(a) {
		return true
	}
	if len(a) == 0 {
		return false
	}
	digits, dots, letters := true, 0, false
	for _, c := range a {
		switch {
		case isDigit(c):
		case c == '.':
			dots++
			digits = false
		case isLetter(c), c == '-':
			letters = letters || isLetter(c)
			digits = false
		default:
			return false
		}
	}
	if digits {
		return true
	}
	// a host name: labels of letters, digits and '-', a dot between
	// them, ending in a letter (not "v1.2", "e.g.")
	return dots > 0 && letters && a[0] != '.' && a[len(a)-1] != '.' && isLetter(a[len(a)-1]) && indexFrom(a, "..", 0) < 0
}

// noJudgeKey is a test hook: shellScan judges every command, the same as
// the one before or not (FuzzJudgeKey).
var noJudgeKey bool
