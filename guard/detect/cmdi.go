package detect

// OS command injection, Unix and Windows: a command separator (; | || &
// && newline, backticks, $( ), "() {" shellshock) followed by a command
// name whose arguments look like arguments; shell metasyntax that has no
// benign use in data (${IFS}, /???/??t globs, /dev/tcp, reverse shells);
// interpreter one-liners and code-execution functions. A de-quoted view
// (c''at, c\at, w"h"o"am"i) is checked too.

import (
	"bytes"
	"math/bits"
	"strings"
	"unsafe"
)

// command strength
const (
	cmdNone   = 0
	cmdWeak   = 1 // an English word too: needs argument-shaped text after it
	cmdStrong = 2 // never prose
)

func commandStrength(w []byte) int {
	// strip a trailing .exe
	if len(w) > 4 && string(w[len(w)-4:]) == ".exe" {
		w = w[:len(w)-4]
	}
	if len(w) == 0 || len(w) >= len(kwTable.possible) {
		return cmdNone
	}
	// the shared word lists (words.go), through the keyword table; most
	// words have no keyword of their length, first and last letter
	x := keywordIndex()
	if x.possible[len(w)][letterIdx[w[0]]&31]&(1<<(letterIdx[w[len(w)-1]]&31)) == 0 {
		return cmdNone
	}
	return groupStrength(lookup(x, bufString(w)))
}

// groupStrength is the strength of a command word of the keyword groups g
// (commandStrength's look-up, or proseFeatures' of the same word).
func groupStrength(g uint32) int {
	switch {
	case g&gShStrong != 0:
		return cmdStrong
	case g&gShWeak != 0:
		return cmdWeak
	}
	return cmdNone
}

func detectCmdI(st *state) hit {
	h := detectCmdIIn(st)
	if h.rule != "" || st.cls&kCtl == 0 {
		return h
	}
	t := indexByte(st.n, '\t')
	if t < 0 {
		return h
	}
	// A POSIX shell, cmd.exe and PowerShell read a tab between words as
	// they read a space (";aws sts\tget-caller-identity", "&\techo
	// test", "%09" decoded): the value is judged again with its tabs read
	// as spaces, so that every rule that reads the blanks of a command
	// line reads both. (A tab inside quotes is a character of the
	// argument: the verdict on the command does not depend on it.)
	n, raw, cls, f, kw := st.n, st.raw, st.cls, st.f, st.kw
	need := len(n)
	if !st.decoded {
		need += len(raw)
	}
	v := st.d[:0]
	if cap(v) < need {
		v = make([]byte, 0, need) // at once: not grown twice by the appends
	}
	v = append(v, n...)
	if !st.decoded {
		// raw is n before case folding, as long: the rules that ask
		// whether a word was written in capitals read it
		v = append(v, raw...)
	}
	for ; t < len(v); t++ {
		if v[t] == '\t' {
			v[t] = ' '
		}
	}
	if !st.decoded {
		st.raw = bufString(v[len(n):])
	}
	st.d = v
	// the normalisation buffer that holds n gives its place to the view
	// for the pass: the scratch buffer the grammars take (scratchFor, the
	// one not holding st.n) must not be n's
	var held *[]byte
	switch {
	case len(n) > 0 && cap(st.a) > 0 && unsafe.SliceData(n) == unsafe.SliceData(st.a):
		held = &st.a
	case len(n) > 0 && cap(st.b) > 0 && unsafe.SliceData(n) == unsafe.SliceData(st.b):
		held = &st.b
	}
	if held != nil {
		*held, st.d = st.d, *held
	}
	st.n = v[:len(n):len(n)]
	st.cls = classify(bufString(st.n))
	// (the features of the view: detectCmdIIn's own gates read them)
	st.f, st.kw, _ = features(bufString(st.n), keywordIndex())
	h = detectCmdIIn(st)
	st.n, st.raw, st.cls, st.f, st.kw = n, raw, cls, f, kw
	if held != nil {
		*held, st.d = st.d, *held
	}
	if p := unsafe.SliceData(h.frag); len(h.frag) > 0 && uintptr(unsafe.Pointer(p)) >= uintptr(unsafe.Pointer(&v[0])) &&
		uintptr(unsafe.Pointer(p))+uintptr(len(h.frag)) <= uintptr(unsafe.Pointer(&v[0]))+uintptr(len(n)) {
		// the fragment as the value has it, tabs and all
		off := int(uintptr(unsafe.Pointer(p)) - uintptr(unsafe.Pointer(&v[0])))
		h.frag = n[off : off+len(h.frag)]
	}
	return h
}

func detectCmdIIn(st *state) hit {
	const need = kSemi | kPipe | kAmp | kQuote | kDollar | kCtl | kBslash | kParen | kBrace | kLT | kGT | kSlash | kQuest | kStar | kPlus | kDash | kTilde | kPct | kBracket | kComma
	if st.cls&need == 0 {
		if st.cls&kEq != 0 && st.kw&gCodeExec != 0 {
			return codeInjection(st) // a php.ini setting (phpDirective)
		}
		return hit{}
	}
	b := st.n
	if !noGates && st.cls&kAmp != 0 && !st.decoded && proseAmpersands(b) {
		// "text 5 & more", "bags & more": words joined by spaced
		// ampersands, every command word one the grammar passes there
		return codeInjection(st) // php.go
	}
	if dataURLBase64(b) {
		// an inline image or file (RFC 2397): ";base64," is the data
		// URL's grammar, and what follows has no shell syntax
		return hit{}
	}
	if st.decoded && len(b) > 0 && b[0] == '&' && len(st.raw) > 5 && hasFoldAt(st.raw, 0, "&amp;") {
		// "&amp; more": the ampersand is an HTML character reference,
		// text of a page, not an operator of a shell
		b = b[1:]
	}
	if tableRow(b) {
		// a Markdown table row, "| id | name | email |": its pipes
		// divide cells of words, no other operator is there
		return hit{}
	}
	raw := st.raw
	if st.decoded {
		raw = ""
	}
	if st.cls&(kQuote|kTilde) != 0 && (indexFrom(b, "```", 0) >= 0 || indexFrom(b, "~~~", 0) >= 0) {
		// a Markdown document: its fenced code blocks are quoted for a
		// reader (markdown.go)
		if m, ok := maskFences(b); ok {
			b, raw = m, ""
		}
	}
	if h := newlineProbe(b, st.decoded); h.rule != "" {
		return h
	}
	if t := trimSpace(b); len(t) > 0 && len(t) <= 2 {
		// a bare control operator: the probe that tests whether ";", "&&"
		// or "||" reach a shell
		switch string(t) {
		case ";", "|", "||", "&", "&&", ";;", "|&":
			return hit{rule: "cmdi.separator_probe", frag: t}
		}
	}
	// the shell grammar: every simple command judged by what its command
	// word is; then the rules below over the value and over the
	// grammar's de-obfuscated view
	if noGates || cmdGate(st.f, st.kw, true, st.decoded, shortText(st.raw) || shortText(bufString(b))) {
		// the rules of cmdScan over the value itself; its gate (cmdGate,
		// with firstCmd read as true: a superset) holds whenever they can
		// match. A hit here ends the scan: the grammar need not read on.
		if h := cmdScan(b, st.cls); h.rule != "" {
			return h
		}
	}
	if !shellGate(st.f, st.kw) {
		return codeInjection(st) // php.go
	}
	sh, view, resolved := shellScan(st.scratchFor(len(b)), b, st.cls&kEq == 0, raw)
	if sh.rule != "" {
		return sh
	}
	if resolved {
		// the rules of cmdScan over the de-obfuscated view:
		// c''at${IFS}/etc/passwd, {cat,/etc/passwd}, $'\x69\x64'
		if h := cmdScan(view, classify(bufString(view))); h.rule != "" {
			return h
		}
	}
	if st.decoded {
		// cmd.exe's %CD%, %PROGRAMFILES:~10,-5%: percent-decoding read
		// "%CD" or "%12" as an escape, so the grammar judges the value
		// as sent too, or decoded once when it encodes its own '%' as
		// "%25" ("%26%20echo%20%25CD%25"), case folded
		low, ok := winVarView(st.c[:0], st.raw)
		st.c = low[:0]
		if ok {
			// (the first reading's view is no longer used: its
			// scratch buffer serves the second, as long as low: the
			// value as sent is longer than its decoded form)
			sh, view, resolved := shellScan(st.scratchFor(len(low)), low, classify(bufString(low))&kEq == 0, "")
			if sh.rule != "" {
				return sh
			}
			if resolved {
				if h := cmdScan(view, classify(bufString(view))); h.rule != "" {
					return h
				}
			}
		}
	}
	if k := quoteBreakLead(b); k > 0 {
		// "';ip a;'": the quote ends the application's string (a
		// break), not a quoted word of the shell; what follows is
		// judged as a value of its own
		if raw != "" {
			raw = raw[k:]
		}
		if sh, _, _ := shellScan(st.scratchFor(len(b)-k), b[k:], st.cls&kEq == 0, raw); sh.rule != "" {
			return sh
		}
	}
	return codeInjection(st) // php.go
}

// proseAmpersands reports a value that is plain words (lower-case
// letters and digits, one space apart) joined by single ampersands with a
// space on each side ("text 5 & more", "R & D dept", "bags & more"), in
// which neither grammar finds a command: the command words (the first
// word and the word after each '&') are no command name (commandStrength
// cmdNone), or an everyday word (everydayWord) alone after an '&', which
// commandAt reads as prose (proseConjunction) and judgeCommand passes
// (no option, path, redirection or argument; not glued, not leading);
// no other word is a reserved word, an interpreter, a wrapper or a
// PowerShell alias, whose rules read further (an everyday word is none of
// the others, and a wrapper's rules need an argument). Such a value has no quote, expansion,
// path, option or newline for the other rules of detectCmdI, and the
// shell grammar leads it with a word (shCmd.first never holds) and, when
// sepLead does not hold, no command of it is shCmd.lead. detectCmdI
// returns codeInjection's verdict for it without running the grammars:
// what they would conclude (TestProseAmpersands checks it against them).
func proseAmpersands(b []byte) bool {
	n := len(b)
	if n < 5 || b[0] == '&' || b[n-1] == '&' {
		return false
	}
	cmds := 0
	w0, w1, words := 0, 0, 0 // the current command's word b[w0:w1] and its word count
	for i := 0; ; {
		// a word b[i:j], then one space or the end
		j := i
		for j < n && isWordChar[b[j]] {
			j++
		}
		if j == i {
			return false // not a word: a blank, an '&' or another byte
		}
		if words == 0 {
			w0, w1 = i, j
		}
		words++
		if j == n {
			return cmds > 0 && proseCommand(b, b[w0:w1], words, cmds)
		}
		if b[j] != ' ' {
			return false
		}
		if i = j + 1; i == n {
			return false // a blank ends the value
		}
		if b[i] == '&' {
			// " & " and a word
			if i+2 >= n || b[i+1] != ' ' || !proseCommand(b, b[w0:w1], words, cmds) {
				return false
			}
			cmds++
			words = 0
			i += 2
		}
	}
}

// isWordChar marks the bytes of proseAmpersands' words.
var isWordChar = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	return t
}()

// proseCommand judges for proseAmpersands the k-th command of the value,
// whose command word is w, made of words words.
func proseCommand(b, w []byte, words, k int) bool {
	return proseCommandAs(b, w, words, k, commandStrength(w))
}

// proseCommandAs is proseCommand told w's commandStrength.
func proseCommandAs(b, w []byte, words, k, strength int) bool {
	switch strength {
	case cmdNone:
		// the first command alone before the first '&' leads the
		// value when sepLead holds ("5 & more"): judged by the grammar
		if k == 0 && words == 1 && sepLead(b) {
			return false
		}
	case cmdWeak:
		// an everyday word alone: none is a reserved word, an
		// interpreter or a PowerShell alias, and a wrapper's rules
		// need an argument (time, start, call)
		return k > 0 && words == 1 && everydayWord(w)
	default:
		return false
	}
	return !reservedWord(w) && interpreter(w) == 0 && !psDangerous(w) && !cmdWrapper(w)
}

// tableRow reports a Markdown table row: starts and ends with '|', three
// cells or more, every pipe spaced from the cells' words, and nothing but
// letters, digits, blanks and a little punctuation in them (no other
// shell operator, quote, expansion or path).
func tableRow(b []byte) bool {
	t := trimSpace(b)
	if len(t) < 7 || t[0] != '|' || t[len(t)-1] != '|' {
		return false
	}
	pipes := 0
	for k, c := range t {
		switch {
		case c == '|':
			pipes++
			if k > 0 && t[k-1] != ' ' || k < len(t)-1 && t[k+1] != ' ' {
				return false
			}
		case isAlnum(c), c == ' ', c == '_', c == '.', c == ',', c == ':', c == '@', c == '#':
		default:
			return false
		}
	}
	return pipes >= 4
}

// winVarView returns the value as sent, case folded, when it holds a
// cmd.exe variable reference (winVarRef), or else decoded once from
// percent escapes when that holds one.
// The view is built in dst's array when it is large enough (the state's
// own buffer for it: a storm of such values allocates it once).
func winVarView(dst []byte, raw string) ([]byte, bool) {
	if winVarRef(raw) {
		if cap(dst) < len(raw) {
			dst = make([]byte, 0, len(raw))
		}
		low := dst[:len(raw)]
		for k := 0; k < len(raw); k++ {
			low[k] = lower(raw[k])
			if low[k] == '\t' {
				low[k] = ' ' // cmd.exe reads a tab between words as a space
			}
		}
		return low, true
	}
	if !containsFold(raw, "%25") {
		return dst[:0], false // (no buffer made for a view not taken)
	}
	if cap(dst) < len(raw) {
		dst = make([]byte, 0, len(raw))
	}
	low := dst[:0]
	for k := 0; k < len(raw); k++ {
		c := raw[k]
		if c == '%' && k+2 < len(raw) && isHex(raw[k+1]) && isHex(raw[k+2]) {
			c = byte(unhex(raw[k+1])<<4 | unhex(raw[k+2]))
			k += 2
		} else if c == '+' {
			c = ' ' // a form's space, as the normaliser reads it
		}
		if c == '\t' {
			c = ' '
		}
		low = append(low, lower(c))
	}
	return low, winVarRef(bufString(low))
}

// winVarRef reports a cmd.exe variable reference in s: '%', a name that
// starts with a letter, then '%' or a ":~" substring.
func winVarRef(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '%' || !isLetter(lower(s[i+1])) {
			continue
		}
		e := i + 2
		for e < len(s) && e-i <= 40 && (isIdent(s[e]) || s[e] >= 'A' && s[e] <= 'Z') {
			e++
		}
		if e < len(s) && (s[e] == '%' || s[e] == ':' && e+1 < len(s) && s[e+1] == '~') {
			return true
		}
	}
	return false
}

// quoteBreakLead returns where the value starts after the quotes (and
// blanks) that lead it when a command separator follows them ("';ip a",
// "\" | id"): a quote breaking out of a shell string. It returns 0
// otherwise.
func quoteBreakLead(b []byte) int {
	k := 0
	q := false
	for k < len(b) && (b[k] == '\'' || b[k] == '"' || b[k] == ' ' || b[k] == '\t') {
		q = q || b[k] == '\'' || b[k] == '"'
		k++
	}
	if !q || k >= len(b) {
		return 0
	}
	switch b[k] {
	case ';', '|', '&', '\n':
		return k
	}
	return 0
}

// cmdScan runs the command-injection rules over one view.
func cmdScan(b []byte, cls uint32) hit {
	n := len(b)
	if cls&kDollar != 0 {
		// (searched from the letters: '$' and '{' may be every other byte)
		if i := indexAfter(b, '$', "{ifs"); i >= 0 {
			return hit{rule: "cmdi.ifs", frag: around(b, i, i+24)}
		}
		if i := indexAfter(b, '$', "ifs"); i >= 0 && (i+4 >= n || !isIdent(b[i+4])) {
			return hit{rule: "cmdi.ifs", frag: around(b, i, i+24)}
		}
	}
	if cls&kSlash != 0 {
		if i := indexFrom(b, "/dev/tcp/", 0); i >= 0 {
			return hit{rule: "cmdi.reverse_shell", frag: around(b, i, i+32)}
		}
		if i := indexFrom(b, "/dev/udp/", 0); i >= 0 {
			return hit{rule: "cmdi.reverse_shell", frag: around(b, i, i+32)}
		}
	}
	if cls&kLT != 0 {
		// the first place of the first directive in ssiDirectives that
		// has one, from one search of their common "<!--#" (not one
		// search a directive: a storm of "<!" read the text five times)
		best, at := len(ssiDirectives), -1
		for i := indexFrom(b, "<!--#", 0); i >= 0 && best > 0; i = indexFrom(b, "<!--#", i+1) {
			for j, d := range ssiDirectives[:best] {
				if hasAt(b, i+len("<!--#"), d) {
					best, at = j, i
					break
				}
			}
		}
		if at >= 0 {
			return hit{rule: "cmdi.ssi", frag: around(b, at, at+40)}
		}
	}
	if cls&kDollar != 0 {
		for _, d := range [...]string{"_get[", "_post[", "_request[", "_cookie[", "_server[", "_files["} {
			// every occurrence of '$' and d: "$f=$_GET['f'];$f($_GET['a'])"
			// assigns first and calls after
			for i := indexAfter(b, '$', d); i >= 0; i = indexAfterFrom(b, '$', d, i+1+len(d)) {
				if i > 0 && (b[i-1] == '{' || b[i-1] == '(' || b[i-1] == ';' || b[i-1] == '`') {
					return hit{rule: "cmdi.code_exec", frag: around(b, i-1, i+32)}
				}
			}
		}
	}
	if cls&kParen != 0 {
		if i := indexFrom(b, "() {", 0); i >= 0 {
			if j := skipSpaces(b, i+4); j < n && (b[j] == ':' || b[j] == '_') {
				return hit{rule: "cmdi.shellshock", frag: around(b, i, i+32)}
			}
		}
		if h := codeExec(b); h.rule != "" {
			return h
		}
		if h := phpCallbackExec(b); h.rule != "" {
			return h
		}
		if cls&kQuote != 0 {
			if h := psConcatCall(b); h.rule != "" {
				return h
			}
		}
	}
	if (cls&kQuest != 0 || cls&kStar != 0) && cls&kEq == 0 {
		// wildcards spelling a path; never in text with '=' (CSS, query
		// strings), which the gate does not send here either
		if h := shellGlob(b); h.rule != "" {
			return h
		}
	}
	// Separators (and the start of the value) followed by a command.
	// skipTo: inside a long run of the separators and blanks commandAt
	// skips, every start reaches the same command word; the run is judged
	// from its first starts and its last 16 bytes, so that a body of
	// separators stays linear.
	skipTo := 0
	paths := pathEnd{at: -1}
	pipeline := -1 // commandLineLead && !systemReach, read once when needed
	// backticks b[:btSeen] counted, btOdd when their count is odd (one not
	// escaped by a backslash): a backtick after an odd count closes a
	// substitution or a code span, and no command starts after it ("a
	// `b` at the `c`": "at" is an argument, not a command)
	btSeen, btOdd := 0, false
	for i := 0; i <= n; i++ {
		if i < skipTo {
			continue
		}
		var after int
		switch {
		case i == 0:
			after = 0
		case i == n:
			continue
		default:
			if !cmdSepAfter[b[i-1]] {
				// no command can start at i: on to the byte after the
				// next one that may precede a command (the cases below)
				j := i
				for j < n && !cmdSepAfter[b[j]] {
					j++
				}
				i = j
				continue
			}
			c := b[i-1]
			switch c {
			case ';', '|', '&', '\n', '\r':
				after = i
			case '`':
				for k := btSeen; k < i-1; k++ {
					if b[k] == '`' && (k == 0 || b[k-1] != '\\') {
						btOdd = !btOdd
					}
				}
				escaped := i >= 2 && b[i-2] == '\\'
				closing := btOdd && !escaped
				if !escaped {
					btOdd = !btOdd
				}
				btSeen = i
				if closing {
					continue
				}
				// Markdown code spans in prose ("I tried `npm ci`") are not
				// command substitution: a backtick counts as a separator
				// at the start of the value, glued to text, or around a
				// single word. Nor is a Markdown code fence (a line of
				// three backticks and a language name): the lines inside
				// it are judged as lines after a line break.
				if fenceBacktick(b, i-1) || !backtickSubst(b, i-1) {
					continue
				}
				after = i
			case '(':
				if i >= 2 && b[i-2] == '$' {
					after = i
				} else {
					continue
				}
			case 'n', 'r':
				// a literal "\n" as sent by scanners
				if i >= 2 && b[i-2] == '\\' {
					after = i
				} else {
					continue
				}
			default:
				continue
			}
		}
		if i > 0 {
			if e := separatorRunEnd(b, after); e-after > 2*separatorRunJudged {
				skipTo = e - separatorRunJudged
			}
		}
		if i > 0 && pipeline < 0 {
			pipeline = 0
			if commandLineLead(b) && !systemReach(b) {
				pipeline = 1
			}
		}
		if pipeline == 1 && (b[i-1] == '|' || b[i-1] == '&') && weakStage(b, after) {
			// a later stage of a command line quoted whole ("git log
			// --oneline | head -5"): judged with the line, at its start
			continue
		}
		if h, ok := commandAt(b, after, i == 0, &paths); ok {
			return h
		}
	}
	return hit{}
}

// ssiDirectives are the server-side include directives that cmdScan
// reports after "<!--#", in the order it prefers them.
var ssiDirectives = [...]string{"exec", "include", "echo", "config", "printenv"}

// cmdSepAfter marks the bytes after which cmdScan looks for a command:
// the cases of its switch.
var cmdSepAfter = func() (t [256]bool) {
	for _, c := range []byte(";|&\n\r`(nr") {
		t[c] = true
	}
	return t
}()

// maxBinaryPath is the longest absolute path commandAt reads as a program.
const maxBinaryPath = 256

// pathEnd finds the end of the path that starts at i (the first blank,
// ; | & ` " ' ) < or > at or after i, or len(b)) for starts read left to
// right, and keeps its answer: a later start before that end has the same
// end, found without reading the path again (separators glued to one long
// path, "$(!/\u$(!/\u...", read it once, not once per separator).
type pathEnd struct{ at int }

func (p *pathEnd) from(b []byte, i int) int {
	if p.at >= i {
		return p.at
	}
	j := i
	for j < len(b) && !isSpace(b[j]) && b[j] != ';' && b[j] != '|' && b[j] != '&' && b[j] != '`' && b[j] != '"' && b[j] != '\'' && b[j] != ')' && b[j] != '<' && b[j] != '>' {
		j++
	}
	p.at = j
	return j
}

// separatorRunJudged is how many starts at each end of a long run of
// separators cmdScan judges.
const separatorRunJudged = 16

// separatorRunEnd is where the run commandAt skips after a separator ends.
func separatorRunEnd(b []byte, i int) int {
	for i < len(b) && isCmdSkip(b[i]) {
		i++
	}
	return i
}

// isCmdSkip reports the bytes commandAt skips before a command word after
// a separator.
func isCmdSkip(c byte) bool {
	return c == ' ' || c == '\t' || c == '+' || c == '{' || c == '(' || c == '!' || c == '&' || c == '|' || c == ';' || c == '\n'
}

// reservedAt returns where the word after a shell reserved word (do, then,
// else, elif) and its blanks starts when one is at i, else i.
func reservedAt(b []byte, i int) int {
	j := i
	for j < len(b) && isLetter(b[j]) && j-i < 5 {
		j++
	}
	if j == i || j >= len(b) || b[j] != ' ' && b[j] != '\t' || !reservedWord(b[i:j]) {
		return i
	}
	for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
		j++
	}
	return j
}

// commandAt judges the text at i (right after a separator, or the start of
// the value when atStart) as the beginning of a command.
func commandAt(b []byte, i int, atStart bool, paths *pathEnd) (hit, bool) {
	n := len(b)
	start := i
	for i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '+' || b[i] == '{' || b[i] == '(' || b[i] == '!' ||
		(!atStart && isCmdSkip(b[i]))) {
		i++
	}
	if atStart {
		// allow the value to start with quotes/spaces around the command
		for i < n && (b[i] == '"' || b[i] == '\'' || b[i] == ' ') {
			i++
		}
	}
	if i >= n {
		return hit{}, false
	}
	if k := reservedAt(b, i); k > i {
		// "; do id", "then id": the command follows the reserved word
		if i = k; i >= n {
			return hit{}, false // "x;then ": nothing follows it
		}
	}
	j := i
	// absolute path to a binary: /bin/sh, /usr/bin/id, c:\windows\system32\cmd.exe
	if b[j] == '/' || b[j] == '\\' || (j+2 < n && isLetter(b[j]) && b[j+1] == ':' && (b[j+2] == '\\' || b[j+2] == '/')) {
		if j = paths.from(b, i); j-i > maxBinaryPath {
			// no program lives at such a path
			return hit{}, false
		}
		p := b[i:j]
		base := p
		for k := len(p) - 1; k >= 0; k-- {
			if p[k] == '/' || p[k] == '\\' {
				base = p[k+1:]
				break
			}
		}
		if commandStrength(base) > cmdNone && binDir(p) && (!atStart || j == n || argShaped(b, j, base, true) || b[j] == ';' || b[j] == '|' || b[j] == '&' || b[j] == '`') {
			// at the start of the value only a command line: "/bin/cat
			// /etc/passwd", not "/bin/bash is my shell"
			return hit{rule: "cmdi.binary_path", frag: around(b, start, j+24)}, true
		}
		return hit{}, false
	}
	for j < n && (isIdent(b[j]) || b[j] == '.' || b[j] == '-') {
		j++
	}
	if j == i {
		return hit{}, false
	}
	w := b[i:j]
	if j < n && b[j] == '/' && (string(w) == "usr" || string(w) == "bin" || string(w) == "sbin") {
		e := j
		for e < n && (isIdent(b[e]) || b[e] == '/' || b[e] == '.' || b[e] == '-') {
			e++
		}
		p := b[i:e]
		if k := lastSep(p); k >= 0 && commandStrength(p[k+1:]) > cmdNone {
			return hit{rule: "cmdi.binary_path", frag: around(b, start, e+16)}, true
		}
	}
	strength := commandStrength(w)
	if strength == cmdNone {
		return hit{}, false
	}
	if strength == cmdWeak && j+1 < n && b[j] == '&' && isLetter(b[j+1]) && i > 0 && (b[i-1] == ' ' || b[i-1] == '|') {
		// initials glued by '&' ("AT&T", "P&G"): the word after it is
		// judged on its own
		return hit{}, false
	}
	if start > 0 && b[start-1] == '&' && i == start && j < n && b[j] == ';' && (j+1 == n || !isLetter(b[j+1])) {
		// an HTML character reference, "&copy;", not "&" and "copy;"
		return hit{}, false
	}
	// what follows the command name must end it
	if j < n {
		switch c := b[j]; {
		case isSpace(c), c == ';', c == '|', c == '&', c == '`', c == ')', c == '<', c == '>', c == '$', c == '+', c == '\'', c == '"', c == '#', c == '}', c == ',', c == '/' && (string(w) == "cmd" || string(w) == "dir"),
			c == '\\' && j+1 < n && (b[j+1] == 'n' || b[j+1] == 'r'):
		default:
			return hit{}, false
		}
	}
	if j+1 < n && b[j] == ',' && i > 0 && b[i-1] == '{' && !isSpace(b[j+1]) {
		// brace expansion: {cat,/etc/passwd}
		return hit{rule: "cmdi.brace_expansion", frag: around(b, i-1, j+24)}, true
	}
	if atStart && interpreter(w) != 0 && j < n && b[j] == ' ' {
		// an interpreter at the start of the value: judged by the shell
		// grammar (its code flag and code), not by the shape of its
		// options ("python -c flag explained")
		return hit{}, false
	}
	if atStart {
		// A whole value that is a command line: only with argument-shaped
		// text (an option, a path, a redirection), never prose; or a
		// never-prose command glued to a separator ("id;", "id|").
		if j < n && (b[j] == ';' || b[j] == '|' || b[j] == '&' || b[j] == '`' || b[j] == '\n' && !everydayWord(w)) && j == n-1 {
			return hit{rule: "cmdi.command", frag: around(b, start, j+24)}, true
		}
		if strength == cmdStrong && i > start && (b[start] == '\'' || b[start] == '"' || b[i-1] == '\'' || b[i-1] == '"') {
			// "' whoami", "'uname'": a quote breaking out of a shell string
			for k := start; k < i; k++ {
				if b[k] == '\'' || b[k] == '"' {
					return hit{rule: "cmdi.quote_break", frag: around(b, start, j+24)}, true
				}
			}
		}
		// A weak command's number, host or subcommand ("sleep 5",
		// "ping a.com", "net user x") starts prose as often as a command
		// line ("sleep 5 hours (approx)"): the value must also show shell
		// syntax somewhere, as the gate (cmdGate) reads it.
		if argShaped(b, j, w, true) && (strength == cmdStrong || shellSyntax(b) && (systemReach(b) || hostTool(w) || closedValue(b))) && !proseTail(b, j, false) {
			return hit{rule: "cmdi.command", frag: around(b, start, j+24)}, true
		}
		return hit{}, false
	}
	if controlTail(b, start, i, j, w) || strength == cmdWeak && wrappedLine(b, start, j) {
		return hit{}, false
	}
	if (strength == cmdStrong || argShaped(b, j, w, false) && !proseConjunction(b, start, i, j, w)) && !proseAfter(b, j) {
		return hit{rule: "cmdi.separator", frag: around(b, max(0, start-1), j+24)}, true
	}
	// A short command (at most two plain words of arguments) that ends the
	// value or its substitution, after a separator prose does not use:
	// "$(touch pwned)", "`rm x`", "a && touch pwned", "x || tee out".
	if strength == cmdNone && j < n && (b[j] == ')' || b[j] == '`') && indexByte(w, '_') >= 0 {
		// "$(top_srcdir)", "$(install_sh_DATA)": a name with '_' and
		// nothing after it, substituted whole, is a Make or autotools
		// variable; Unix command names do not have one
		return hit{}, false
	}
	if plainArgsThenEnd(b, j) {
		// the separator run: from just before start (where "&&" or "$("
		// may begin) to the command word
		switch sep := b[max(0, start-2):i]; {
		case hasPair(sep, '$', '(') || indexByte(sep, '`') >= 0:
			return hit{rule: "cmdi.substitution", frag: around(b, max(0, start-2), j+24)}, true
		case (hasPair(sep, '&', '&') || hasPair(sep, '|', '|')) && shellOnlyWord(w):
			return hit{rule: "cmdi.separator", frag: around(b, max(0, start-2), j+24)}, true
		}
	}
	return hit{}, false
}

// hasPair reports the two bytes c0 c1 next to each other in b: indexFrom
// of a two-byte literal, without bytes.Index's set-up (sep above is a few
// bytes).
func hasPair(b []byte, c0, c1 byte) bool {
	for k := 1; k < len(b); k++ {
		if b[k] == c1 && b[k-1] == c0 {
			return true
		}
	}
	return false
}

// controlTail reports a command b[i:j] that runs nothing: true or false
// alone in text (textNear), or, after "&&" or "||" and ending the value,
// exit, return or logout with at most a numeric status or true/false
// alone — the control flow a script or a package manifest writes ('echo
// "Error: no test specified" && exit 1', "npm test || exit 1"). It is no
// payload: the value is judged by its other commands.
func controlTail(b []byte, start, i, j int, w []byte) bool {
	switch string(w) {
	case "true", "false":
		// true or false alone runs nothing after any separator, in a
		// substitution too ("`true` or `false`"): in text; the value
		// "`true`" alone is a probe (textNear)
		if k := skipBlanks(b, j); (k == len(b) || b[k] == '`' || b[k] == ')' || b[k] == ';' || b[k] == '|' || b[k] == '&' || b[k] == '\n') && textNear(b, i, j) {
			return true
		}
	case "exit", "return", "logout":
	default:
		return false
	}
	sep := b[max(0, start-2):i]
	if indexFrom(sep, "&&", 0) < 0 && indexFrom(sep, "||", 0) < 0 {
		return false
	}
	k := j
	for k < len(b) && b[k] == ' ' {
		k++
	}
	if w[0] != 't' && w[0] != 'f' {
		for d := k; k < len(b) && isDigit(b[k]) && k-d < 3; k++ {
		}
	}
	for k < len(b) && (b[k] == ' ' || b[k] == '\n' || b[k] == '\r') {
		k++
	}
	return k == len(b)
}

// shellSyntax reports whether b holds shell syntax: a command separator
// or line break, a backtick, a quote, an option (a dash starting a word),
// a path separator, a redirection, a %VAR% sign or an expansion ($NAME,
// ${, $(). These are the features with which cmdGate opens for a value
// starting with a weak command word.
func shellSyntax(b []byte) bool {
	for k, c := range b {
		switch c {
		case ';', '|', '&', '\n', '\r', '`', '\'', '"', '/', '\\', '<', '>', '%':
			return true
		case '-':
			// an option starts a word ("ncat 3-44d0" is a number with
			// dashes; cmdLineHint reads " -" the same way)
			if k > 0 && (b[k-1] == ' ' || b[k-1] == '\t') {
				return true
			}
		case '$':
			if k+1 < len(b) && (isLetter(b[k+1]) || b[k+1] == '_' || b[k+1] == '{' || b[k+1] == '(') {
				return true
			}
		}
	}
	return false
}

// commandLineLead reports a value that starts with a command line: a
// program's name (toolName) and, before the first operator, an option
// ("git log --oneline | head -5", "grep -r todo src/ | wc -l"); not a
// sentence ("use cat file.txt | grep error").
func commandLineLead(b []byte) bool {
	k := 0
	for k < len(b) && isSpace(b[k]) {
		k++
	}
	e := k
	for e < len(b) && e-k <= 32 && (isIdent(b[e]) || b[e] == '-' || b[e] == '.') {
		e++
	}
	if e == k || e >= len(b) || b[e] != ' ' || !toolName(b[k:e]) || proseWord(b[k:e]) {
		return false
	}
	for ; e < len(b) && e < 256; e++ {
		switch b[e] {
		case '|', '&', ';', '\n', '\r', '`':
			return false
		case '-':
			if b[e-1] == ' ' && e+1 < len(b) && (isLetter(b[e+1]) || b[e+1] == '-') {
				return true
			}
		}
	}
	return false
}

// weakStage reports a weak command (an English word too, not an
// interpreter) after blanks at i: the stage of a pipeline that a command
// line quoted whole has ("| head -5", "&& make").
func weakStage(b []byte, i int) bool {
	for i < len(b) && (b[i] == ' ' || b[i] == '|' || b[i] == '&') {
		i++
	}
	e := i
	for e < len(b) && (isIdent(b[e]) || b[e] == '-') {
		e++
	}
	w := b[i:e]
	return len(w) > 0 && commandStrength(w) != cmdStrong && interpreter(w) == 0 && !netTool(w)
}

// systemReach reports a value whose words reach beyond a project's own
// files: an absolute path into a system directory, a Windows drive path,
// a dotfile in a home directory (~/.ssh), an IPv4 address, a variable or
// substitution, a redirection, a UNC path. A command line quoted whole in
// a ticket works on relative paths and URLs ("tar -xzf release.tar.gz",
// "kubectl get pods -n prod"); an injected one reaches the host ("ls -l
// /etc/", "dir c:\users", "nc -e /bin/sh 10.0.0.1 4444").
func systemReach(b []byte) bool {
	for k := 0; k < len(b); {
		for k < len(b) && (isSpace(b[k]) || b[k] == '"' || b[k] == '\'' || b[k] == '=' || b[k] == '(' || b[k] == '+') {
			k++
		}
		e := k
		for e < len(b) && !isSpace(b[e]) && b[e] != '"' && b[e] != '\'' && b[e] != '+' {
			e++
		}
		if w := b[k:e]; len(w) > 0 && (sysPath(w) || winAbsPath(w) || hasAt(w, 0, "~/.") || hasAt(w, 0, "~root") || ipLike(w) ||
			len(w) > 2 && isLetter(w[0]) && w[1] == ':' && w[2] == '/' || hasAt(w, 0, "\\\\") || winSwitch(w) ||
			hasAt(w, 0, "hklm") || hasAt(w, 0, "hkcu") || hasAt(w, 0, "hkey_") || secretWord(w)) {
			return true
		}
		k = e
	}
	for _, c := range b {
		switch c {
		case '$', '`', '>', '<', '%':
			return true
		}
	}
	return false
}

// secretWord reports an argument that names what an attacker reads or
// destroys on a web host rather than a project's files: a dotfile (.env,
// .htpasswd, .git/config), a server-side script (index.php, x.jsp), a
// wildcard alone (rm -rf *), or a search for credentials (grep -r
// password .).
func secretWord(w []byte) bool {
	if len(w) == 1 && w[0] == '*' {
		return true
	}
	if len(w) > 1 && w[0] == '.' && isLetter(w[1]) {
		return true
	}
	if dot := lastIndexByte(w, '.'); dot > 0 {
		switch string(w[dot+1:]) {
		case "php", "jsp", "jspx", "asp", "aspx", "cgi", "htpasswd", "htaccess":
			return true
		}
	}
	for _, s := range [...]string{"passw", "secret", "credential", "private_key", "id_rsa", "shadow"} {
		if indexFrom(w, s, 0) >= 0 {
			return true
		}
	}
	return false
}

// winSwitch reports a cmd.exe switch: '/' and one to eight letters (/add,
// /v, /all), a word of its own.
func winSwitch(w []byte) bool {
	if len(w) < 2 || len(w) > 9 || w[0] != '/' {
		return false
	}
	for _, c := range w[1:] {
		if !isLetter(c) {
			return false
		}
	}
	return !sysPath(w)
}

// hostTool reports the commands that act on the host or another one
// whatever paths they are given: network tools, privilege, processes,
// power, accounts and services ("sudo -u root id", "kill -9 1").
func hostTool(w []byte) bool {
	if netTool(w) {
		return true
	}
	switch string(w) {
	case "sudo", "su", "doas", "runas", "pkexec", "kill", "killall", "pkill", "shutdown", "reboot", "halt", "poweroff",
		"init", "mount", "umount", "chown", "chmod", "chgrp", "passwd", "useradd", "usermod", "crontab", "net", "net1",
		"reg", "sc", "schtasks", "at", "nohup", "setsid", "timeout", "sleep",
		// the host's own state: processes, users, environment
		"ps", "id", "who", "w", "env", "printenv", "last", "history":
		return true
	}
	return false
}

// closedValue reports a value whose last byte other than a blank is a
// command separator: a command line closed off ("sleep 5;", "kill -9 1|").
func closedValue(b []byte) bool {
	e := len(b)
	for e > 0 && isSpace(b[e-1]) {
		e--
	}
	return e > 0 && (b[e-1] == ';' || b[e-1] == '|' || b[e-1] == '&')
}

// netTool reports the commands whose command line reaches another host by
// what they are given (a URL, a host name): the value reaches beyond the
// project whatever its paths.
func netTool(w []byte) bool {
	switch string(w) {
	case "curl", "wget", "nc", "ncat", "telnet", "ftp", "tftp", "ping", "nslookup", "dig", "host", "whois", "lynx", "fetch", "scp", "sftp", "rsync", "ssh":
		return true
	}
	return false
}

// proseTail reports a command line at the start of the value that goes on
// as a sentence: after the command's first argument (at j) and the
// options, numbers or paths after it, three words or more of letters
// only, maybe with a trailing punctuation mark, and nothing shaped like an
// argument ("ls -la is a command", "grep -r finds it in every file.",
// "nc -l 8080 is useful"); "sudo -u root id" and "ls -la /tmp" are command
// lines. linked: only a sentence whose first word is a verb of prose or a
// preposition ("wc -l to count"), as a command's arguments may be three
// words ("netsh firewall set opmode disable").
func proseTail(b []byte, j int, linked bool) bool {
	n := len(b)
	k := j
	for k < n && isSpace(b[k]) {
		k++
	}
	for k < n && !isSpace(b[k]) {
		k++ // the first argument
	}
	for more := 0; more < 2; more++ {
		// options, numbers and paths after it ("nc -l 8080 is useful")
		a := k
		for a < n && isSpace(b[a]) {
			a++
		}
		e := a
		for e < n && !isSpace(b[e]) {
			e++
		}
		if e == a || e-a > 64 || b[a] != '-' && b[a] != '/' && !isDigit(b[a]) {
			break
		}
		k = e
	}
	words := 0
	copula := false // the first word after the argument is a verb of prose: "rm -rf is dangerous"
	for {
		for k < n && isSpace(b[k]) {
			k++
		}
		if k >= n {
			return words >= 3 && !linked || words >= 2 && copula
		}
		e := k
		for e < n && !isSpace(b[e]) {
			e++
		}
		w := b[k:e]
		if len(w) > 1 && (w[len(w)-1] == '.' || w[len(w)-1] == ',' || w[len(w)-1] == '!' || w[len(w)-1] == '?' || w[len(w)-1] == ':') {
			w = w[:len(w)-1]
		}
		for _, c := range w {
			if !isLetter(c) {
				return false
			}
		}
		if words == 0 {
			copula = proseVerb(w) || proseLink(w)
		}
		words++
		k = e
	}
}

// proseAfter reports a command word (ending at j) that a sentence goes on
// from: a verb of prose right after it ("whoami is a command", "pwd are
// common commands"), or proseTail's sentence after its arguments ("wc -l
// to count", "sleep 5 hours tonight").
func proseAfter(b []byte, j int) bool {
	k := j
	for k < len(b) && b[k] == ' ' {
		k++
	}
	if k == j {
		return false // "id;", "id`": no blank, no sentence
	}
	e := k
	for e < len(b) && isLetter(b[e]) {
		e++
	}
	if e > k && e < len(b) && b[e] == ' ' && (proseVerb(b[k:e]) || proseLink(b[k:e])) && e+1 < len(b) && isLetter(b[e+1]) {
		return true
	}
	return proseTail(b, j, true)
}

// proseLink reports the words with which a sentence goes on after a
// command and its argument ("wc -l to count", "sleep 5 hours tonight"):
// prepositions, conjunctions and units of time, which no command takes
// as its next argument.
func proseLink(w []byte) bool {
	switch string(w) {
	case "to", "for", "and", "but", "in", "on", "with", "from", "into", "because", "when", "until", "after", "before",
		"seconds", "minutes", "hours", "days", "weeks", "times", "then":
		return true
	}
	return false
}

// proseVerb reports the verbs with which a sentence about a command goes
// on after it ("rm -rf is dangerous", "ls -la works fine"): forms of be,
// modals and auxiliaries, which no command takes as an argument.
func proseVerb(w []byte) bool {
	switch string(w) {
	case "is", "are", "was", "were", "isnt", "wasnt", "can", "cant", "cannot", "will", "wont", "would", "should",
		"could", "may", "might", "must", "does", "doesnt", "did", "didnt", "has", "had", "works", "worked", "fails",
		"failed", "deletes", "removes", "lists", "shows", "prints", "returns", "gives", "hangs", "breaks":
		return true
	}
	return false
}

// proseConjunction reports a weak command word that is also an everyday
// word, alone at the end of the value after a single spaced "&" or "|":
// "Shoes, Bags & More", "rock | more" read as prose, while "x & rm",
// "a;more" and "x & more /etc/passwd" (arguments) still count.
func proseConjunction(b []byte, start, i, j int, w []byte) bool {
	if start >= 2 && i == start && len(w) > 2 && j+1 < len(b) && b[j] == b[start-1] && isLetter(b[j+1]) && isLetter(b[start-2]) &&
		(b[j] == '|' || b[j] == ';' || b[j] == ',') {
		// inside a list of words glued by one separator: "node;deno;bun",
		// "eat|sleep|code" (not "x;id;y": two letters are a probe's)
		return true
	}
	if !everydayWord(w) {
		return false
	}
	if start >= 2 && isLetter(b[start-2]) {
		switch sep := b[start-1]; {
		case i == start && len(w) > 1 && (sep == '|' || sep == ';' || sep == ',') && (j == len(b) || b[j] == sep):
			// a list of words glued by one separator: "true|false",
			// "yes;no", "my;file;name.txt"
			return true
		case sep == ';' && i > start && b[i-1] == ' ' && j == len(b):
			// a word, "; " and an everyday word ending the value:
			// "Monday; date", "done; test"
			return true
		}
	}
	// the word ends the value, or a spaced & | follows: "time | date |
	// place", "true && false"
	if j != len(b) && !(j+1 < len(b) && b[j] == ' ' && (b[j+1] == '&' || b[j+1] == '|')) {
		return false
	}
	// b[start-1] is the separator the scan stopped at; prose spaces it on
	// both sides: " & more", " && false".
	if start < 2 || i == start || (b[start-1] != '&' && b[start-1] != '|') || b[i-1] != ' ' {
		return false
	}
	p := start - 1
	if b[p-1] == b[p] {
		p-- // && ||
	}
	if p < 1 || b[p-1] != ' ' {
		return false
	}
	for k := start; k < i; k++ {
		if b[k] != ' ' && b[k] != b[start-1] {
			return false
		}
	}
	return true
}

// wrappedLine reports a weak command word (b[:j] ends with it) that starts
// a line of a hard-wrapped paragraph: the line before it ends in the
// middle of a sentence (a letter or a comma after three words of prose)
// and the line goes on with words of prose and no shell operator ("... keeps
// the\nlast `n` images. This is the default", "... for the\ntimeout).
// The provider"). A command line quoted on a line of its own has options,
// paths or operators after its name.
func wrappedLine(b []byte, start, j int) bool {
	if start == 0 || b[start-1] != '\n' {
		return false
	}
	// the line before: three words of prose, ending mid-sentence
	e := start - 1
	if e > 0 && b[e-1] == '\r' {
		e--
	}
	for e > 0 && (b[e-1] == ' ' || b[e-1] == '\t') {
		e--
	}
	if e == 0 || !isLetter(b[e-1]) && b[e-1] != ',' {
		return false
	}
	words := 0
	for k := e - 1; k >= 0 && e-k < 200 && b[k] != '\n' && words < 3; {
		w := k
		for k >= 0 && isLetter(b[k]) {
			k--
		}
		if w-k >= 2 {
			words++
		}
		for k >= 0 && !isLetter(b[k]) && b[k] != '\n' {
			k--
		}
	}
	if words < 3 {
		return false
	}
	// the rest of the line: words of prose, at most one token that is
	// not, no shell operator, code spans closed
	prose, other, ticks := 0, 0, 0
	for k := j; k < len(b) && k-j < 200 && b[k] != '\n' && b[k] != '\r'; {
		for k < len(b) && (b[k] == ' ' || b[k] == '\t') {
			k++
		}
		t := k
		for k < len(b) && b[k] != ' ' && b[k] != '\t' && b[k] != '\n' && b[k] != '\r' {
			switch b[k] {
			case '|', ';', '&', '$', '<', '>':
				return false
			case '`':
				ticks++
			}
			k++
		}
		if t == k {
			break
		}
		if proseToken(b[t:k]) {
			prose++
		} else {
			other++
		}
	}
	return prose >= 3 && other <= 1 && ticks%2 == 0
}

// proseToken reports a token of letters, maybe wrapped in punctuation a
// sentence puts around a word ("images.", "(the", "`n`", "default,").
func proseToken(t []byte) bool {
	for len(t) > 0 && strings.IndexByte("([`'\"", t[0]) >= 0 {
		t = t[1:]
	}
	for len(t) > 0 && strings.IndexByte(")]`'\".,:;!?", t[len(t)-1]) >= 0 {
		t = t[:len(t)-1]
	}
	if len(t) == 0 {
		return false
	}
	for _, c := range t {
		if !isLetter(c) && c != '\'' && c != '-' {
			return false
		}
	}
	return true
}

// everydayWord reports weak command names that are ordinary English words
// ("Bags & More", "Q & A time", "tips | last"), unlike "id", "ps" or "nc",
// which after a spaced separator are the classic probe ("127.0.0.1 & id").
// It is not inlined: a copy of this string switch at each call site cost
// kilobytes of code for a call's worth of time.
//
//go:noinline
func everydayWord(w []byte) bool {
	switch string(w) {
	case "more", "less", "time", "date", "test", "true", "false", "yes", "last", "start", "call", "exit", "find", "w",
		"sort", "set", "type", "file", "host", "query", "fetch", "aws", "wish", "expect", "history", "alias", "source",
		"move", "copy", "who", "head", "tail", "service", "mount", "route", "finger", "strings", "cut", "halt":
		return true
	}
	return false
}

// plainArgsThenEnd reports whether the text after a command name at j is
// at most two plain words (letters, digits, . _ -) and then the end of the
// value, a closing ) or backtick, or another separator.
func plainArgsThenEnd(b []byte, j int) bool {
	n := len(b)
	k := j
	for words := 0; ; words++ {
		for k < n && (b[k] == ' ' || b[k] == '\t') {
			k++
		}
		if k >= n {
			return true
		}
		switch b[k] {
		case ')', '`', ';', '|', '&', '#':
			return true
		}
		if words == 2 {
			return false
		}
		e := k
		for e < n && (isIdent(b[e]) || b[e] == '.' || b[e] == '-') {
			e++
		}
		if e == k {
			return false
		}
		k = e
	}
}

// shellOnlyWord reports weak commands that are not also everyday words or
// values of code ("true", "more", "time", "test"), so that "x && rm y" is
// an injection while "yes || no" and "a && test" are not.
func shellOnlyWord(w []byte) bool {
	switch string(w) {
	case "touch", "rm", "rmdir", "mkdir", "cp", "mv", "tee", "cat", "wc", "ln", "nl", "dd", "od", "tar", "gzip",
		"unzip", "awk", "sed", "grep", "egrep", "xargs", "uniq", "chgrp", "env", "printf", "sftp", "openssl",
		"dig", "whois", "su", "kill", "sleep", "ping", "echo", "eval", "exec", "nohup", "setsid", "doas", "runas",
		"readlink", "realpath", "basename", "dirname", "unset", "export", "del", "ren", "attrib", "lua", "dash":
		return true
	}
	return false
}

func lastSep(p []byte) int {
	for k := len(p) - 1; k >= 0; k-- {
		if p[k] == '/' || p[k] == '\\' {
			return k
		}
	}
	return -1
}

// binDir reports paths inside directories that hold executables.
func binDir(p []byte) bool {
	for _, d := range binDirs {
		// (a path shorter than a directory cannot hold it: a storm of
		// "/" costs no search)
		if len(d) <= len(p) && indexFrom(p, d, 0) >= 0 {
			return true
		}
	}
	return false
}

// argShaped reports whether the text after a command name at j looks like
// its arguments: an option (-x, /x on Windows), a path, a redirection, a
// variable, a number (sleep 5), a URL/host for network tools, a pipe or
// separator, or nothing at all (the end of the injected command).
func argShaped(b []byte, j int, w []byte, atStart bool) bool {
	n := len(b)
	k := j
	for k < n && (b[k] == ' ' || b[k] == '\t' || b[k] == '+') {
		k++
	}
	if k >= n {
		return !atStart
	}
	c := b[k]
	switch {
	case c == '-' && k+1 < n && (isLetter(b[k+1]) || isDigit(b[k+1]) || b[k+1] == '-'):
		return true
	case c == '/' && k+1 < n && (isLetter(b[k+1]) || b[k+1] == '?' || b[k+1] == '.' || b[k+1] == '*'):
		return true
	case c == '`':
		// a substitution; at the start of the value after an everyday
		// word, a code span of prose ("Call `api.get()` first")
		return !atStart || !everydayWord(w)
	case c == '\\' || c == '>' || c == '<':
		return true
	case c == '~' && k+1 < n && b[k+1] == '/':
		return true // a home-relative path
	case c == '$' && k+1 < n && (isLetter(b[k+1]) || b[k+1] == '_' || b[k+1] == '{' || b[k+1] == '('):
		return true // a variable or a substitution
	case c == '%' && k+1 < n && isLetter(b[k+1]):
		// %SYSTEMROOT%\...
		e := k + 1
		for e < n && (isIdent(b[e])) {
			e++
		}
		return e < n && b[e] == '%'
	case c == '.' && k+1 < n && (b[k+1] == '/' || b[k+1] == '.'):
		return true
	case k+2 < n && isLetter(c) && b[k+1] == ':' && (b[k+2] == '\\' || b[k+2] == '/'):
		// a drive path; after "ps" at the start and ending in '>',
		// PowerShell's prompt ("PS C:\> Get-Date")
		return !(atStart && string(w) == "ps" && b[argEnd(b, k)-1] == '>')
	case k+1 < n && isLetter(c) && b[k+1] == ':' && (k+2 == n || !isAlnum(b[k+2]) && b[k+2] != ' '):
		// a bare drive: dir c:
		return !atStart || k+2 == n
	case c == '\'' || c == '"':
		// quoted argument: echo 'x', perl -e '...'
		return !atStart
	case isDigit(c):
		// sleep 5, ping 127.0.0.1, kill -9 (handled above)
		switch string(w) {
		case "sleep", "ping", "timeout", "kill", "nc", "ncat", "telnet", "exit", "echo":
			return true
		}
	case !atStart && (c == ';' || c == '|' || c == '&' || c == '\n' || c == '#' || c == '`' || c == ')'):
		return true
	case isLetter(c):
		// network tools take a host/URL
		switch string(w) {
		case "curl", "wget", "ping", "nslookup", "dig", "host", "telnet", "ftp", "tftp", "ssh", "nc", "ncat", "whois", "traceroute":
			e := argEnd(b, k)
			arg := b[k:e]
			if hasAt(arg, 0, "http") || (indexByte(arg, '.') > 0 && indexByte(arg, '.') < len(arg)-1) {
				return true
			}
		case "type", "cat", "more", "less", "head", "tail", "del", "rm", "cp", "mv", "copy", "move", "file", "strings":
			// type c:\..., cat file.txt
			e := argEnd(b, k)
			arg := b[k:e]
			if dot := indexByte(arg, '.'); dot > 0 && dot < len(arg)-1 && !atStart && e == n {
				return true
			}
		case "echo", "set", "export", "eval", "exec", "source":
			return !atStart && e2(b, k)
		case "net", "net1":
			e := identEnd(b, k)
			switch string(b[k:e]) {
			case "user", "localgroup", "group", "view", "share", "use", "start", "stop", "accounts", "config", "session", "sessions", "time":
				return true
			}
		case "aws":
			// the AWS CLI: a service, then an operation (aws sts
			// get-caller-identity, aws s3 ls)
			e := identEnd(b, k)
			if e == k || e-k > 24 {
				break
			}
			o := e
			for o < n && b[o] == ' ' {
				o++
			}
			oe := o
			for oe < n && oe-o < 48 && (isLetter(b[oe]) || b[oe] == '-') {
				oe++
			}
			op := b[o:oe]
			if o > e && (indexByte(op, '-') > 0 && op[len(op)-1] != '-' && (oe == n || b[oe] == ' ') ||
				string(b[k:e]) == "s3" && (string(op) == "ls" || string(op) == "cp" || string(op) == "sync" || string(op) == "mv" || string(op) == "rm")) {
				return true
			}
		case "kubectl":
			e := identEnd(b, k)
			switch string(b[k:e]) {
			case "get", "exec", "apply", "delete", "describe", "logs", "run", "create", "cp", "auth", "proxy":
				return true
			}
		case "query":
			// Windows: query user, query session
			e := identEnd(b, k)
			switch string(b[k:e]) {
			case "user", "session", "process", "termserver":
				return true
			}
		case "route":
			e := identEnd(b, k)
			switch string(b[k:e]) {
			case "print", "add", "delete", "change":
				return true
			}
		case "reg":
			e := identEnd(b, k)
			switch string(b[k:e]) {
			case "add", "query", "delete", "save", "export", "import", "load", "copy":
				return true
			}
		case "sc":
			e := identEnd(b, k)
			switch string(b[k:e]) {
			case "create", "config", "start", "stop", "query", "delete", "qc":
				return true
			}
		}
	}
	return false
}

// maxArg bounds how far argShaped reads one argument: reading to the next
// space from every command word would make a long unspaced value
// quadratic. An argument cut there is judged on its first maxArg bytes.
const maxArg = 256

// argEnd is the end of the argument starting at k (the next white space),
// at most maxArg bytes on.
func argEnd(b []byte, k int) int {
	e := k
	for e < len(b) && e-k < maxArg && !isSpace(b[e]) {
		e++
	}
	return e
}

// e2 reports "NAME=" assignments or shell-ish tokens after echo/set.
func e2(b []byte, k int) bool {
	e := identEnd(b, k)
	return e < len(b) && e > k && b[e] == '='
}

// shellGlob finds wildcard paths such as /???/??t or /e?c/p?ss??.
func shellGlob(b []byte) hit {
	for i := indexByte(b, '/'); i >= 0 && i < len(b); {
		segs, wild := 0, false
		j := i
		for j < len(b) && b[j] == '/' {
			k := j + 1
			w := false
			for k < len(b) && (isLetter(b[k]) || b[k] == '?' || b[k] == '*' || isDigit(b[k])) && k-j <= 12 {
				if b[k] == '?' || b[k] == '*' {
					w = true
				}
				k++
			}
			if k == j+1 || !w {
				break
			}
			if k < len(b) && b[k] != '/' && !isSpace(b[k]) && b[k] != ';' && b[k] != '|' {
				break
			}
			segs++
			wild = true
			j = k
		}
		if wild && segs >= 2 {
			return hit{rule: "cmdi.glob", frag: around(b, i, j)}
		}
		nx := byteFrom(b, i+1, '/')
		if nx < 0 {
			break
		}
		i = nx
	}
	return hit{}
}

// codeExec finds calls of code-execution functions with a string/variable
// argument (PHP system('id'), Python os.system(, Node child_process, Java
// Runtime.exec) and PHP tags.
func codeExec(b []byte) hit {
	if i := indexFrom(b, "<?php", 0); i >= 0 {
		return hit{rule: "cmdi.php", frag: around(b, i, i+32)}
	}
	// The hit is the first qualifying place of the first name in the list
	// that has one. The two names without '(' are searched for; the others
	// are found from the '(' of b in one pass, each '(' trying the names
	// whose byte before their '(' is the one before it, and only those
	// before the best name found so far: every place of a name has its
	// '(' at the same offset, so the places of each come in order. (One
	// search a name read the text 27 times: a storm of "expression(" and
	// "ex" cost a byte search every few bytes for each of the names.)
	best, at := len(codeExecNames), -1
	for j, f := range codeExecNames {
		if codeExecParen[j] >= 0 || j >= best {
			continue
		}
		for from := 0; ; {
			i := indexFrom(b, f, from)
			if i < 0 {
				break
			}
			from = i + 1
			if codeExecAt(b, i, f) {
				best, at = j, i
				break
			}
		}
	}
	for p := bytes.IndexByte(b, '('); p >= 0 && best > 0; p = byteFrom(b, p+1, '(') {
		if p == 0 {
			continue
		}
		m := codeExecBefore[b[p-1]] & (1<<best - 1)
		for ; m != 0; m &= m - 1 {
			j := bits.TrailingZeros32(m)
			f := codeExecNames[j]
			if i := p - int(codeExecParen[j]); hasAt(b, i, f) && codeExecAt(b, i, f) {
				best, at = j, i
				m &= 1<<best - 1
			}
		}
	}
	if at >= 0 {
		return hit{rule: "cmdi.code_exec", frag: around(b, at, at+32)}
	}
	return hit{}
}

// codeExecNames are the calls and names codeExec looks for, in the order
// it prefers them.
var codeExecNames = [...]string{"child_process", "runtime.getruntime(", "processbuilder(", "os.popen(", "subprocess.", "process.binding(", "process.dlopen(",
	"os.system(", "proc_open(", "pcntl_exec(", "shell_exec(", "passthru(", "popen(", "phpinfo()", "phpversion()",
	"system(", "exec(", "eval(", "assert(", "spawnsync(", "execsync(", "posix_system(", "create_function(",
	// Ruby: Process.spawn('id'), obj.send(:system, 'id')
	"process.spawn(", "send(:system", "send(:exec", "send(:eval", "send(:spawn", "send(:syscall"}

// codeExecParen is the offset of each name's '(' (-1: none), and
// codeExecBefore the names (bits by index) whose '(' comes after a byte.
var codeExecParen, codeExecBefore = func() (at [len(codeExecNames)]int8, before [256]uint32) {
	for j, f := range codeExecNames {
		at[j] = int8(strings.IndexByte(f, '('))
		if at[j] > 0 {
			before[f[at[j]-1]] |= 1 << j
		}
	}
	return at, before
}()

// codeExecAt reports that the name f at i of b is a call (or a module)
// that runs code: not part of a longer name, and a call whose argument is
// a string, a variable or decoded text, unless its name says so alone.
func codeExecAt(b []byte, i int, f string) bool {
	if i > 0 && isIdent(b[i-1]) || f == "child_process" && i+len(f) < len(b) && isIdent(b[i+len(f)]) {
		// part of a longer name ("returnexec(", "winexec(",
		// "objprocessbuilder("), as the keyword gate reads words
		return false
	}
	if f == "subprocess." {
		return subprocessRuns(b[i+len(f):])
	}
	if f[len(f)-1] != '(' || f == "runtime.getruntime(" || f == "processbuilder(" || f == "os.popen(" || f == "os.system(" || f == "process.binding(" || f == "process.dlopen(" {
		return true
	}
	if f == "exec(" && i > 0 && (b[i-1] == '.' || isIdent(b[i-1])) && !hasAt(b, i-5, "shell") {
		// regex.exec(x) in JavaScript: only with a shell-ish string
		if a := skipSpaces(b, i+len(f)); a >= len(b) || (b[a] != '\'' && b[a] != '"' && b[a] != '`') {
			return false
		}
	}
	a := skipSpaces(b, i+len(f))
	return a < len(b) && (b[a] == '\'' || b[a] == '"' || b[a] == '`' || b[a] == '$' || hasAt(b, a, "base64_decode") || hasAt(b, a, "chr(") || hasAt(b, a, "request"))
}

// subprocessRuns reports the name after "subprocess." (b starts after the
// dot) as a function of Python's subprocess module that runs a command
// (subprocess.Popen, call, run, check_output...); a Node.js ChildProcess
// named subprocess in documentation (subprocess.kill(), .unref(),
// .stdout) runs nothing.
func subprocessRuns(b []byte) bool {
	n := 0
	for n < len(b) && isIdent(b[n]) {
		n++
	}
	switch string(b[:n]) {
	case "popen", "call", "run", "check_output", "check_call", "getoutput", "getstatusoutput":
		return true
	}
	return false
}

// phpCallbackExec finds a PHP function that runs what it is given as a
// callback, given a command-execution function by name: the name is a
// string argument of the call (call_user_func('system','id'),
// array_map('passthru', ...), usort($a, 'assert')).
func phpCallbackExec(b []byte) hit {
	for p := indexByte(b, '('); p >= 0; p = byteFrom(b, p+1, '(') {
		// the name before this '(' (blanks allowed between)
		e := p
		for e > 0 && (b[e-1] == ' ' || b[e-1] == '\t') && p-e < 8 {
			e--
		}
		i := e
		for i > 0 && e-i < 32 && isIdent(b[i-1]) {
			i--
		}
		if i < e && (i == 0 || b[i-1] != '$' && !isIdent(b[i-1])) && callbackTaker(b[i:e]) {
			h, end := execNameArg(b, i, p)
			if h.rule != "" {
				return h
			}
			// the arguments are read: the calls inside them too (their
			// strings were judged), so the search goes on after them
			p = min(max(p, end-1), len(b)-1)
		}
	}
	return hit{}
}

// psConcatCall finds PowerShell's call operator (& or .) given a string
// built of quoted pieces joined by '+' that names a command: &('ie'+'x'),
// . ("i"+"ex") whoami, &("whoami").
func psConcatCall(b []byte) hit {
	for p := indexByte(b, '('); p >= 0; p = byteFrom(b, p+1, '(') {
		k := p - 1
		for k >= 0 && p-k < 4 && b[k] == ' ' {
			k--
		}
		if k >= 0 && (b[k] == '&' || b[k] == '.' && (k == 0 || b[k-1] == ' ' || b[k-1] == ';' || b[k-1] == '|')) {
			var name [32]byte
			n, q := 0, p+1
			ok := false
			for pieces := 0; pieces < 8; pieces++ {
				for q < len(b) && q-p < 64 && b[q] == ' ' {
					q++
				}
				if q >= len(b) || b[q] != '\'' && b[q] != '"' {
					break
				}
				e := q + 1
				for e < len(b) && e-q <= len(name) && b[e] != b[q] {
					e++
				}
				if e >= len(b) || b[e] != b[q] || n+e-q-1 > len(name) {
					break
				}
				n += copy(name[n:], b[q+1:e])
				q = e + 1
				for q < len(b) && q-e < 8 && b[q] == ' ' {
					q++
				}
				if q < len(b) && b[q] == '+' {
					q++
					continue
				}
				ok = q < len(b) && b[q] == ')'
				break
			}
			if w := name[:n]; ok && (psDangerous(w) || commandStrength(w) == cmdStrong || interpreter(w) != 0) {
				return hit{rule: "cmdi.powershell", frag: around(b, k, q+1)}
			}
		}
	}
	return hit{}
}

// callbackTaker reports PHP functions that call a callback they are given.
func callbackTaker(w []byte) bool {
	switch string(w) {
	case "call_user_func", "call_user_func_array", "array_map", "array_filter", "array_walk", "array_walk_recursive",
		"array_reduce", "usort", "uasort", "uksort", "iterator_apply", "forward_static_call", "forward_static_call_array",
		"register_shutdown_function", "register_tick_function", "preg_replace_callback", "ob_start", "set_error_handler",
		"set_exception_handler", "spl_autoload_register", "array_diff_ukey", "array_intersect_ukey":
		return true
	}
	return false
}

// execNameArg finds a command-execution function's name as a string
// argument of the call whose name starts at i and whose '(' is at a (up
// to its ')' or 128 bytes), and where its reading stopped.
func execNameArg(b []byte, i, a int) (hit, int) {
	depth := 0
	k := a + 1
	for ; k < len(b) && k < a+128 && depth >= 0; k++ {
		switch b[k] {
		case '(':
			depth++
			continue
		case ')':
			depth--
			continue
		case '\'', '"':
		default:
			continue
		}
		e := k + 1
		for e < len(b) && e-k <= 24 && isIdent(b[e]) {
			e++
		}
		if e < len(b) && b[e] == b[k] && execFunctionName(b[k+1:e]) {
			return hit{rule: "cmdi.code_exec", frag: around(b, i, e+16)}, e
		}
		k = e
	}
	return hit{}, k
}

// execFunctionName reports PHP functions that run a command or code (all
// of them gCodeExec words: they open the command-injection gate).
func execFunctionName(w []byte) bool {
	switch string(w) {
	case "system", "exec", "passthru", "shell_exec", "popen", "proc_open", "pcntl_exec", "assert", "create_function",
		"eval", "include", "posix_system":
		return true
	}
	return false
}

// newlineProbe reports a value that is nothing but an (encoded or escaped)
// line break: the probe scanners send to find command/header injection.
func newlineProbe(b []byte, decoded bool) hit {
	if len(b) == 0 || len(b) > 8 {
		return hit{}
	}
	lit := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\r', '\n':
			if !decoded {
				return hit{}
			}
		case '\\':
			if i+1 < len(b) && (b[i+1] == 'n' || b[i+1] == 'r') {
				i++
				lit++
				continue
			}
			return hit{}
		default:
			return hit{}
		}
	}
	return hit{rule: "cmdi.newline", frag: b}
}

// backtickSubst judges the backtick at i as command substitution.
// gnuQuoted reports b[i], a backtick that no other backtick follows,
// opening a quotation GNU documentation writes `like this': plain words,
// options and names (no shell operator, quote or '$') closed by an
// apostrophe that no letter follows (not "don't"), within 80 bytes. In a
// shell the backtick opens a substitution that never ends: a syntax
// error, not a command.
func gnuQuoted(b []byte, i int) bool {
	for k := i + 1; k < len(b) && k-i <= 80; k++ {
		switch c := b[k]; {
		case c == '\'':
			return k > i+1 && (k+1 == len(b) || !isLetter(b[k+1]))
		case isAlnum(c) || c == ' ' || c == '-' || c == '.' || c == '_' || c == '/' || c == '=' || c == ',' || c == ':' || c == '+':
		default:
			return false
		}
	}
	return false
}

// fenceBacktick reports b[i], a backtick, in a Markdown fence line
// (CommonMark's fenced code block): a run of three backticks or more at
// the start of a line, indented by three spaces at most, with no other
// backtick on the rest of its line ("```bash", "```", "  ```go"). A shell
// reads the run as an empty substitution and the opening of one that
// runs the language name and the lines up to the closing fence; the
// language name is no command a sender asks for, and the lines inside are
// judged as lines (a line break is a separator). "```id```" is no fence.
func fenceBacktick(b []byte, i int) bool {
	s, e := i, i+1
	for s > 0 && b[s-1] == '`' {
		s--
	}
	for e < len(b) && b[e] == '`' {
		e++
	}
	if e-s < 3 {
		return false
	}
	k := s
	for k > 0 && s-k < 4 && b[k-1] == ' ' {
		k--
	}
	if s-k > 3 || k > 0 && b[k-1] != '\n' {
		return false
	}
	for ; e < len(b) && b[e] != '\n'; e++ {
		if b[e] == '`' {
			return false
		}
	}
	return true
}

func backtickSubst(b []byte, i int) bool {
	if i == 0 {
		// a code span leading a sentence: "`whoami` prints the user"
		e := indexByte(b[1:], '`')
		if e < 0 {
			return !gnuQuoted(b, 0)
		}
		return !proseWordsAfter(b, e+2)
	}
	if b[i-1] != ' ' {
		return true
	}
	e := indexByte(b[i+1:], '`')
	if e < 0 {
		// no backtick closes it: a substitution the value does not
		// end, unless an apostrophe closes it as GNU documentation
		// quotes ("`set -e' causes", "the `kill' builtin")
		return !gnuQuoted(b, i)
	}
	if wordSpanInText(b, i, i+1+e) {
		// a single word quoted in a sentence: "Call `id` to print it"
		return false
	}
	return indexByte(b[i+1:i+1+e], ' ') < 0
}

// dataURLBase64 reports a whole value that is a base64 data URL (RFC
// 2397): "data:", a media type and parameters of token characters
// ("image/png", ";charset=utf-8"), ";base64," and then only base64
// characters. The value is the normalised (lower-case) view.
func dataURLBase64(b []byte) bool {
	if !hasAt(b, 0, "data:") {
		return false
	}
	i := len("data:")
	for i < len(b) && (isAlnum(b[i]) || b[i] == '/' || b[i] == '+' || b[i] == '.' || b[i] == '-' || b[i] == '_' || b[i] == ';' || b[i] == '=') {
		if b[i] == ';' && hasAt(b, i, ";base64,") {
			for k := i + len(";base64,"); k < len(b); k++ {
				if c := b[k]; !isAlnum(c) && c != '+' && c != '/' && c != '=' {
					return false
				}
			}
			return true
		}
		i++
	}
	return false
}

// byteFrom is the index of the first c in b at or after from, or -1: the
// byte at from, then one IndexByte, without indexFrom's literal search
// set up for one byte (the detectors that step from one '(' to the next
// call it at every '(', and "((" has the next at once).
func byteFrom(b []byte, from int, c byte) int {
	if from >= len(b) {
		return -1
	}
	if b[from] == c {
		return from
	}
	if j := bytes.IndexByte(b[from+1:], c); j >= 0 {
		return from + 1 + j
	}
	return -1
}
