package detect

import "bytes"

// Script execution without tags: JavaScript that reaches an execution
// sink in an attribute, a JavaScript string or a script context without a
// <script> element, judged with a small expression grammar rather than a
// list of spellings. The grammar knows identifiers, string and template
// literals (with '+' concatenation folded), parenthesised comma lists,
// member access (.name, ?.name, [expr]), calls, tagged templates and
// 'new'; each expression gets an abstract value (the global object,
// document, a sink function, the Function constructor, Reflect, a string
// of known or run-time text ...). A call of a sink is reported when the
// sink was reached in a way prose and ordinary markup never use: through
// a computed member (window['al'+'ert'], document["cookie"]), .call /
// .apply / .bind, a comma list ((0,eval)), Reflect.apply, the Function
// constructor (Function('...'), x.constructor.constructor('...')), a
// dynamic import of a URL, or a tagged template. Plain "alert(1)" after a
// delimiter is xssSinks' business. Separately, JSFuck-style code (long
// runs of []()!+) and identifiers spelled with JavaScript escapes
// (c\u006fnsole.log) are reported as obfuscation.
//
// Cost: every expression start is parsed at most once (the scan resumes
// where a parse ended), nesting is bounded, so the work is linear in the
// input; nothing is allocated.

type jsKind uint8

const (
	jsNone        jsKind = iota
	jsGlobal             // the global object: window, self, top, parent, frames, globalThis, content
	jsDoc                // document
	jsSink               // a function that runs code, opens a dialog or writes markup
	jsTimer              // setTimeout / setInterval: runs a string as code
	jsFuncCtor           // the Function constructor
	jsCtor               // x.constructor
	jsBuiltin            // a built-in constructor (Object, String ...): its .constructor is Function
	jsReflect            // Reflect
	jsReflectCall        // Reflect.apply / Reflect.construct
	jsImport             // import(...)
	jsStrFn              // returns text made at run time: atob, String.fromCharCode, unescape
	jsDynMember          // a property of the global object or document chosen at run time
	jsSecret             // document.cookie, document.domain
	jsStr                // a string; its text in s when known
	jsName               // a plain identifier of no interest (a variable)
	jsNav                // a navigation target: location, document.location, top.location.href
	jsSource             // text the attacker controls: window.name, location.hash, document.referrer
)

type jsVal struct {
	k       jsKind
	obf     bool // reached through something other than a plain (dotted) name
	tainted bool // text made from a source or a secret: 'x'+document.cookie, decodeURI(location.hash)
	known   bool // jsStr: s[:n] is the whole text
	// literal: a jsStr whose whole text was read (a literal, or known
	// ones joined), however long; url: that text names another origin
	// (jsURLText), read from all of it, not only from s
	literal, url bool
	n            uint8
	s            [24]byte
}

func (v *jsVal) setStr(b []byte) {
	v.k, v.known = jsStr, len(b) <= len(v.s)
	v.literal, v.url = true, jsURLText(b)
	v.n = uint8(copy(v.s[:], b))
}

const (
	jsMaxDepth  = 8
	jsMaxSteps  = 256  // tokens per parse from one start
	jsMaxItems  = 6    // arguments / elements / comma items judged per list
	jsWindow    = 2048 // bytes a parse from one start may look at
	jsMaxString = 512  // longest string literal followed
)

type jsParser struct {
	b      []byte // the window parsed from one start
	i      int
	depth  int
	steps  int
	hit    bool
	hs, he int
	// unclosed[q] is where a string opened by quote q (', ", `) was found
	// unclosed: a later opening of the same quote before it is unclosed
	// too (it was an escaped quote of the first string, so its scan
	// follows the same path).
	unclosed [3]int
	comment  closer // "*/" in the whole input
	// aliases are names the value assigned a sink to (x=alert): calling
	// one later calls the sink (x(1))
	aliases  [jsMaxAliases]jsAlias
	naliases int
	// stmt: the parse started where a statement starts (the start of the
	// value or after a delimiter, not after a word of prose)
	stmt bool
	// raw is the value as sent when b is only its lower-case view ("":
	// unknown, decoded): JavaScript names are case-sensitive, and the
	// keyword "function" is no Function constructor
	raw string
}

// kindAt is identKind of the name b[i:e], told by raw that a "function"
// written in lower case is the keyword, not the constructor.
func (p *jsParser) kindAt(b []byte, i, e int) jsKind {
	k := identKind(b[i:e])
	if k == jsFuncCtor && p.raw != "" && i < len(p.raw) && p.raw[i] == 'f' {
		return jsNone
	}
	return k
}

// jsAlias is a name bound to a sink by an assignment in the value.
type jsAlias struct {
	name [16]byte
	n    uint8
	v    jsVal
}

const jsMaxAliases = 4

// alias returns the value bound to the identifier w.
func (p *jsParser) alias(w []byte) (jsVal, bool) {
	for k := 0; k < p.naliases; k++ {
		if a := &p.aliases[k]; int(a.n) == len(w) && string(a.name[:a.n]) == string(w) {
			return a.v, true
		}
	}
	return jsVal{}, false
}

// bind records that w was assigned v (a sink): a later call through w is
// the sink called under another name.
func (p *jsParser) bind(w []byte, v jsVal) {
	if len(w) > len(p.aliases[0].name) {
		return
	}
	k := p.naliases
	for j := 0; j < p.naliases; j++ {
		if a := &p.aliases[j]; int(a.n) == len(w) && string(a.name[:a.n]) == string(w) {
			k = j
		}
	}
	if k == jsMaxAliases {
		return // the first few bindings are kept
	}
	a := &p.aliases[k]
	a.n = uint8(copy(a.name[:], w))
	v.obf = true
	a.v = v
	if k == p.naliases {
		p.naliases++
	}
}

// jsExec scans b (normalised: decoded, lower case) for script execution
// reached without tags.
func jsExec(b []byte, raw string) hit {
	if !noGates && !jsNamesIn(b) {
		// no name of identKind and no string: every value the grammar
		// makes is of no interest, and nothing can be reported
		// (FuzzJSNamesGate checks it against jsExecFull)
		return hit{}
	}
	return jsExecFull(b, raw)
}

// jsNamesIn reports that b may lead jsExecFull to a report: b holds a
// quote or a backtick (a string literal, whose text may name a member),
// or a run of identifier bytes ([A-Za-z0-9_$], whole: the grammar reads a
// name from a byte no identifier byte precedes to the end of the run) that
// identKind knows. Every report of the grammar comes from a value of
// identKind, or from a member named by a string (window['al'+'ert'],
// 'x'['constructor']), or from x.constructor ("constructor" is a name of
// identKind); without those every value is jsNone or jsName, which no
// member, call or operator turns into another kind. Reading the names
// costs one pass, where the grammar spends a few hundred instructions on
// each expression it parses: a storm of "(uid=*)" or "href=::x-char("
// parses a start every few bytes, and names nothing.
func jsNamesIn(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if !jsRunByte[c] {
			if c == '\'' || c == '"' || c == '`' {
				return true
			}
			i++
			continue
		}
		j := i + 1
		for j < len(b) && jsRunByte[b[j]] {
			j++
		}
		if l := j - i; l >= 3 && l <= len("decodeuricomponent") && identKind(b[i:j]) != jsNone {
			return true
		}
		i = j
	}
	return false
}

// jsRunByte marks the bytes of a run jsNamesIn reads as one name: isIdent
// and '$'.
var jsRunByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isIdent(byte(c)) || c == '$'
	}
	return t
}()

// jsExecFull is jsExec without its gate.
func jsExecFull(b []byte, raw string) hit {
	if len(raw) != len(b) {
		raw = ""
	}
	p := jsParser{unclosed: [3]int{-1, -1, -1}, comment: newCloser(b, "*/"), raw: raw}
	n := len(b)
	budget := 8*n + 4096 // total tokens: linear however the starts overlap
	// the last backtick before tickFrom (tagSubstitution)
	lastTick, tickFrom := -1, 0
	for i := 0; i < n && budget > 0; i++ {
		c := b[i]
		quote := false
		switch {
		case isLetter(c) || c == '_' || c == '$':
			if i > 0 && (isIdent(b[i-1]) || b[i-1] == '$' || b[i-1] >= 0x80) {
				continue
			}
			e := i + 1
			for e < n && (isIdent(b[e]) || b[e] == '$') {
				e++
			}
			k := p.kindAt(b, i, e)
			if i > 0 && b[i-1] == '.' && (string(b[i:e]) == "innerhtml" || string(b[i:e]) == "outerhtml") {
				// el.innerHTML=location.hash: markup written from the
				// attacker's text
				if a := assignedAt(b, e); a > 0 {
					p.b = b[:min(n, a+jsWindow)]
					p.i, p.depth, p.steps = a, 0, 0
					v := p.expr()
					budget -= p.steps + 1
					if p.hit || (v.k == jsSource || v.tainted) && stmtEnd(p.b, p.i) {
						return hit{rule: "xss.js_sink", frag: sinkFrag(b, max(0, i-8), p.i+8)}
					}
					if p.i > a {
						i = p.i - 1 // the right side is judged: the scan goes on after it
					}
				}
				continue
			}
			if i > 0 && b[i-1] == '.' && k != jsCtor {
				// a member: judged with its object; x.constructor is
				// Function's way in whatever x is
				i = e - 1
				continue
			}
			if (k == jsSink || k == jsTimer || k == jsFuncCtor) && i >= 3 && b[i-1] == '{' && b[i-2] == '$' {
				// the nearest backtick before: each byte is looked at once
				if k := bytes.LastIndexByte(b[tickFrom:i-2], '`'); k >= 0 {
					lastTick = tickFrom + k
				}
				tickFrom = i - 2
			}
			if (k == jsSink || k == jsTimer || k == jsFuncCtor) && tagSubstitution(b, i, e, lastTick) {
				// [].map.call`${eval}...`: a sink handed to a tag function,
				// which calls it with the template's strings
				return hit{rule: "xss.js_sink", frag: sinkFrag(b, max(0, i-16), e+24)}
			}
			if k == jsNone && string(b[i:e]) != "new" {
				if _, ok := p.alias(b[i:e]); ok {
					break // a name bound to a sink: judged as the sink
				}
				if a := assignedAt(b, e); a > 0 && (i == 0 || b[i-1] != '.') {
					// x=alert: what the name is bound to
					p.b = b[:min(n, a+jsWindow)]
					p.i, p.depth, p.steps = a, 0, 0
					p.stmt = true // the right side starts an expression
					v := p.expr()
					budget -= p.steps + 1
					if p.hit {
						return hit{rule: "xss.js_sink", frag: sinkFrag(b, p.hs, p.he+8)}
					}
					if v.k == jsSink || v.k == jsTimer || v.k == jsFuncCtor {
						p.bind(b[i:e], v)
					}
					if p.i > a {
						i = p.i - 1
					}
					continue
				}
				i = e - 1
				continue
			}
		case c == '(':
		case c == '\'' || c == '"' || c == '`':
			// only a literal with a member or call after it can lead
			// anywhere ("".constructor.constructor, 'x'['constructor'])
			if !jsLiteralWithChain(b, i, &p) {
				continue
			}
			quote = true
		default:
			continue
		}
		p.b = b[:min(n, i+jsWindow)]
		p.i, p.depth, p.steps = i, 0, 0
		p.stmt = stmtStart(b, i)
		if quote {
			// A quote may close a string rather than open one ("it's
			// window['al'+'ert']"): only the literal and its members and
			// calls are judged from here, and the scan goes on inside.
			p.chain(p.primary(), i)
		} else {
			p.expr()
		}
		budget -= p.steps + 1
		if p.hit {
			return hit{rule: "xss.js_sink", frag: sinkFrag(b, p.hs, p.he+8)}
		}
		if !quote && p.i > i {
			i = p.i - 1
		}
	}
	return hit{}
}

// stmtStart reports that position i starts a statement or an expression
// of code: the start of the value or a delimiter before it (blanks
// skipped), not a word of prose ("set location = name").
func stmtStart(b []byte, i int) bool {
	k := i - 1
	for k >= 0 && (b[k] == ' ' || b[k] == '\t') {
		k--
	}
	return k < 0 || !isIdent(b[k]) && b[k] != '.' && b[k] != ')' && b[k] != ']'
}

// stmtEnd reports that the expression ending at i ends its statement: the
// end of the value, a ; , ) } or a line break, a quote or '>' closing an
// attribute or tag, or a comment (not a word of prose: "location=name
// mapping is fine").
func stmtEnd(b []byte, i int) bool {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i >= len(b) {
		return true
	}
	switch b[i] {
	case ';', ',', ')', '}', '\n', '\r', '\'', '"', '`', '>', '/':
		return true
	}
	return false
}

// assignedAt reports an assignment '=' (not == or =>) after blanks at e,
// the end of a name: the offset of its right side, or -1.
func assignedAt(b []byte, e int) int {
	for e < len(b) && (b[e] == ' ' || b[e] == '\t') {
		e++
	}
	if e+1 >= len(b) || b[e] != '=' || b[e+1] == '=' || b[e+1] == '>' {
		return -1
	}
	return e + 1
}

// tagSubstitution reports an identifier b[i:e] that is the whole of a ${}
// substitution of a tagged template: the template's opening backtick (k,
// the nearest one before, within jsMaxString bytes) follows a tag
// expression (a name, ')' or ']') glued to it.
func tagSubstitution(b []byte, i, e, k int) bool {
	if i < 3 || b[i-1] != '{' || b[i-2] != '$' || e >= len(b) || b[e] != '}' || k < 1 || i-k > jsMaxString {
		return false
	}
	// glued: "hello `${alert}`" is a code span in prose
	return isIdent(b[k-1]) || b[k-1] == ')' || b[k-1] == ']'
}

func (p *jsParser) report(start int) {
	if !p.hit {
		p.hit, p.hs, p.he = true, start, p.i
	}
}

// ws skips white space and /* */ comments. Most tokens have none before
// them: that test is inlined at the call, the loop is wsRun's.
func (p *jsParser) ws() {
	if p.i < len(p.b) && !jsWSLead[p.b[p.i]] {
		return
	}
	p.wsRun()
}

// jsWSLead marks the bytes that may start white space or a comment.
var jsWSLead = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '\f': true, '\v': true, '/': true}

func (p *jsParser) wsRun() {
	b := p.b
	for p.i < len(b) {
		c := b[p.i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' {
			p.i++
			continue
		}
		if c == '/' && p.i+1 < len(b) && b[p.i+1] == '*' {
			e := p.comment.from(p.i + 2)
			if e < 0 || e+2 > len(b) {
				p.i = len(b)
				return
			}
			p.i = e + 2
			continue
		}
		return
	}
}

// expr parses an assignment/conditional/binary expression and returns the
// value of its last operand of interest.
func (p *jsParser) expr() jsVal {
	if p.depth >= jsMaxDepth || p.hit {
		return jsVal{}
	}
	p.depth++
	v := p.binary()
	p.depth--
	return v
}

func (p *jsParser) binary() jsVal {
	v := p.unary()
	for !p.hit && p.steps < jsMaxSteps {
		p.steps++
		p.ws()
		if p.i >= len(p.b) {
			break
		}
		c := p.b[p.i]
		switch c {
		case '+':
			if p.i+1 < len(p.b) && (p.b[p.i+1] == '+' || p.b[p.i+1] == '=') {
				return v
			}
			p.i++
			r := p.unary()
			v = jsConcat(v, r)
		case '-', '*', '%', '&', '|', '^', '<', '>', '?', ':':
			p.i++
			for p.i < len(p.b) && (p.b[p.i] == c || p.b[p.i] == '=' || p.b[p.i] == '.') {
				p.i++
			}
			p.unary()
			v = jsVal{}
		case '=', '!':
			if c == '!' && (p.i+1 >= len(p.b) || p.b[p.i+1] != '=') {
				return v
			}
			if c == '=' && v.k == jsNav && p.i+1 < len(p.b) && p.b[p.i+1] != '=' && p.b[p.i+1] != '>' {
				// location=name, top.location.href=location.hash.slice(1),
				// location='javascript:...', location='//evil.example':
				// the page navigates to text the attacker controls
				start := p.i
				p.i++
				r := p.concat()
				if (r.k == jsSource || r.tainted || r.k == jsStr && r.known && (jsScriptURL(r.s[:r.n]) || jsAbsURL(r.s[:r.n]))) && p.stmt && stmtEnd(p.b, p.i) {
					p.report(start)
				}
				return jsVal{}
			}
			p.i++
			for p.i < len(p.b) && p.b[p.i] == '=' {
				p.i++
			}
			p.unary()
			v = jsVal{}
		default:
			return v
		}
	}
	return v
}

// concat parses operands joined by '+' (the right side of an assignment
// judged on its own: what follows it, '>' closing a tag or a word of
// prose, is judged by stmtEnd, not read as an operator).
func (p *jsParser) concat() jsVal {
	if p.depth >= jsMaxDepth {
		return jsVal{}
	}
	p.depth++
	v := p.unary()
	for !p.hit && p.steps < jsMaxSteps {
		p.steps++
		p.ws()
		if p.i+1 >= len(p.b) || p.b[p.i] != '+' || p.b[p.i+1] == '+' || p.b[p.i+1] == '=' {
			break
		}
		p.i++
		v = jsConcat(v, p.unary())
	}
	p.depth--
	return v
}

func jsConcat(a, b jsVal) jsVal {
	if a.k == jsStr && b.k == jsStr && a.known && b.known && int(a.n)+int(b.n) <= len(a.s) {
		copy(a.s[a.n:], b.s[:b.n])
		a.n += b.n
		a.url = jsURLText(a.s[:a.n])
		return a
	}
	if a.k == jsStr || b.k == jsStr {
		// text made at run time
		return jsVal{k: jsStr, obf: true, tainted: a.tainted || b.tainted || jsTaint(a.k) || jsTaint(b.k)}
	}
	return jsVal{}
}

// jsTaint reports the kinds whose text the attacker controls or wants.
func jsTaint(k jsKind) bool { return k == jsSource || k == jsSecret }

// jsAbsURL: a URL of another site (http://x, //x): navigating there from
// script is an open redirect the attacker wrote.
func jsAbsURL(s []byte) bool {
	return hasAt(s, 0, "http://") || hasAt(s, 0, "https://") || hasAt(s, 0, "//")
}

// jsScriptURL: a navigation target that runs script.
func jsScriptURL(s []byte) bool {
	return hasAt(s, 0, "javascript:") || hasAt(s, 0, "data:text/html") || hasAt(s, 0, "vbscript:")
}

// unary parses prefix operators, a primary expression and its member /
// call chain.
func (p *jsParser) unary() jsVal {
	p.ws()
	for p.i < len(p.b) && p.steps < jsMaxSteps {
		c := p.b[p.i]
		if c == '!' || c == '~' || c == '+' || c == '-' {
			p.i++
			p.steps++
			p.ws()
			continue
		}
		break
	}
	start := p.i
	v := p.primary()
	return p.chain(v, start)
}

func (p *jsParser) primary() jsVal {
	b := p.b
	if p.i >= len(b) || p.depth >= jsMaxDepth {
		return jsVal{}
	}
	p.steps++
	c := b[p.i]
	switch {
	case isLetter(c) || c == '_' || c == '$':
		s := p.i
		for p.i < len(b) && (isIdent(b[p.i]) || b[p.i] == '$') {
			p.i++
		}
		w := b[s:p.i]
		switch string(w) {
		case "new":
			p.ws()
			v := p.primary()
			// new X(...) / new X`...`: the constructor is called
			v = p.members(v)
			p.ws()
			if v.k == jsFuncCtor && p.i < len(b) && (b[p.i] == '(' || b[p.i] == '`') {
				v.obf = true
			}
			return v
		case "typeof", "void", "delete", "await", "in", "instanceof", "return", "throw":
			return p.unary()
		}
		k := p.kindAt(b, s, p.i)
		if k == jsNone {
			if v, ok := p.alias(w); ok {
				return v
			}
		}
		return jsVal{k: k}
	case isDigit(c):
		for p.i < len(b) && (isAlnum(b[p.i]) || b[p.i] == '.') {
			p.i++
		}
		return jsVal{}
	case c == '\'' || c == '"':
		q := quoteIndex(c)
		if p.i < p.unclosed[q] {
			p.i++
			return jsVal{}
		}
		e := p.i + 1
		lim := min(len(b), p.i+jsMaxString)
		for e < lim && b[e] != c && b[e] != '\n' {
			if b[e] == '\\' {
				e++
			}
			e++
		}
		if e >= lim || b[e] != c {
			p.unclosed[q] = e
			p.i++
			return jsVal{}
		}
		var v jsVal
		v.setStr(b[p.i+1 : e])
		p.i = e + 1
		return v
	case c == '`':
		if p.i < p.unclosed[2] {
			p.i++
			return jsVal{}
		}
		e, dyn := templateEnd(b[:min(len(b), p.i+jsMaxString)], p.i+1)
		if e < 0 {
			p.unclosed[2] = min(len(b), p.i+jsMaxString)
			p.i++
			return jsVal{}
		}
		var v jsVal
		if dyn {
			v = jsVal{k: jsStr, obf: true}
		} else {
			v.setStr(b[p.i+1 : e])
		}
		p.i = e + 1
		return v
	case c == '(':
		// a parenthesised comma list: its value is the last element's,
		// and a sink taken out of it loses its name ((0,eval)).
		p.i++
		var v jsVal
		items := 0
		for !p.hit && p.steps < jsMaxSteps && items < jsMaxItems {
			v = p.expr()
			items++
			p.ws()
			if p.i < len(b) && b[p.i] == ',' {
				p.i++
				continue
			}
			break
		}
		if p.i < len(b) && b[p.i] == ')' {
			p.i++
			if items > 1 {
				v.obf = true
			}
			return v
		}
		return jsVal{}
	case c == '[':
		// an array literal: elements are judged, the value is an array
		p.i++
		for items := 0; !p.hit && p.steps < jsMaxSteps && items < jsMaxItems; items++ {
			p.ws()
			if p.i < len(b) && b[p.i] == ']' {
				break
			}
			before := p.i
			p.expr()
			p.ws()
			if p.i < len(b) && b[p.i] == ',' {
				p.i++
				continue
			}
			if p.i == before {
				break
			}
			break
		}
		if p.i < len(b) && b[p.i] == ']' {
			p.i++
		}
		return jsVal{}
	}
	return jsVal{}
}

// templateEnd returns the closing backtick of a template literal whose
// text starts at i, and whether it has substitutions.
func quoteIndex(c byte) int {
	switch c {
	case '\'':
		return 0
	case '"':
		return 1
	}
	return 2
}

func templateEnd(b []byte, i int) (int, bool) {
	dyn := false
	for ; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '`':
			return i, dyn
		case '$':
			if i+1 < len(b) && b[i+1] == '{' {
				dyn = true
			}
		}
	}
	return -1, dyn
}

// members applies member accesses only (no calls): the operand of 'new'.
func (p *jsParser) members(v jsVal) jsVal {
	for !p.hit && p.steps < jsMaxSteps {
		p.steps++
		save := p.i
		p.ws()
		if p.i < len(p.b) && p.b[p.i] == '.' {
			p.i++
			p.ws()
			s := p.i
			for p.i < len(p.b) && (isIdent(p.b[p.i]) || p.b[p.i] == '$') {
				p.i++
			}
			if p.i == s {
				return jsVal{}
			}
			v = jsMember(v, p.b[s:p.i], false)
			continue
		}
		p.i = save
		return v
	}
	return v
}

// chain applies member accesses, calls and tagged templates to v.
func (p *jsParser) chain(v jsVal, start int) jsVal {
	b := p.b
	for !p.hit && p.steps < jsMaxSteps {
		p.steps++
		save := p.i
		p.ws()
		if p.i >= len(b) {
			return v
		}
		if b[p.i] == '?' {
			// optional chaining ?. ?.[ ?.(
			if p.i+1 >= len(b) || b[p.i+1] != '.' || p.i+2 < len(b) && isDigit(b[p.i+2]) {
				p.i = save
				return v
			}
			p.i++
			if p.i+1 < len(b) && (b[p.i+1] == '[' || b[p.i+1] == '(') {
				p.i++
			}
			// window?.alert(1), alert?.(1): optional chaining on a
			// sink's path is code written around a filter
			v.obf = true
		}
		switch b[p.i] {
		case '.':
			p.i++
			p.ws()
			s := p.i
			for p.i < len(b) && (isIdent(b[p.i]) || b[p.i] == '$') {
				p.i++
			}
			if p.i == s {
				p.i = save
				return v
			}
			name := b[s:p.i]
			if (v.k == jsGlobal || v.k == jsDoc) && len(name) > 4 && hasAt(name, 0, "on") && isEventName(name[2:]) {
				// window.onerror=alert: a handler installed from text
				e := p.i
				for e < len(b) && (b[e] == ' ' || b[e] == '\t') {
					e++
				}
				if e+1 < len(b) && b[e] == '=' && b[e+1] != '=' {
					p.report(start)
					return v
				}
			}
			v = jsMember(v, name, false)
		case '[':
			if v.k == jsNone || v.k == jsName {
				p.i = save
				return v // nothing to resolve: the scan judges the index on its own
			}
			p.i++
			idx := p.expr()
			p.ws()
			if p.i >= len(b) || b[p.i] != ']' {
				return jsVal{} // judged up to here; the scan resumes after it
			}
			p.i++
			switch {
			case idx.k == jsStr && idx.known:
				v = jsMember(v, idx.s[:idx.n], true)
			case idx.k == jsStr || idx.k == jsDynMember || idx.k == jsNone && idx.obf:
				// a name computed at run time
				if v.k == jsGlobal || v.k == jsDoc {
					v = jsVal{k: jsDynMember, obf: true}
				} else {
					v = jsVal{}
				}
			default:
				v = jsVal{}
			}
			if v.k == jsSecret && v.obf {
				p.report(start)
				return v
			}
		case '(':
			if v.k == jsNone || v.k == jsName || v.k == jsStr {
				p.i = save
				return v // an ordinary call: its arguments are judged by the scan
			}
			p.i++
			first := jsVal{}
			args := 0
			for !p.hit && p.steps < jsMaxSteps && args < jsMaxItems {
				p.ws()
				if p.i < len(b) && b[p.i] == ')' {
					break
				}
				before := p.i
				a := p.expr()
				if args == 0 || first.k != jsStr && first.k != jsSink && (a.k == jsStr || a.k == jsSink) {
					first = a // the code argument: f.call(this, 'code')
				}
				args++
				p.ws()
				if p.i < len(b) && b[p.i] == ',' {
					p.i++
					continue
				}
				if p.i == before {
					break
				}
				break
			}
			if p.i >= len(b) || b[p.i] != ')' {
				// an unclosed call still runs in a lenient context only
				// when it is the end of the value
				if p.i < len(b) {
					return jsVal{}
				}
			} else {
				p.i++
			}
			v = p.call(v, first, args, start)
		case '`':
			if v.k == jsNone || v.k == jsName || v.k == jsStr || v.k == jsImport || p.i < p.unclosed[2] {
				// (import is no tag: import`x` does not parse)
				p.i = save
				return v
			}
			e, dyn := templateEnd(b[:min(len(b), p.i+jsMaxString)], p.i+1)
			if e < 0 {
				p.unclosed[2] = min(len(b), p.i+jsMaxString)
				p.i = save
				return v
			}
			var a jsVal
			if dyn {
				a = jsVal{k: jsStr, obf: true}
			} else {
				a.setStr(b[p.i+1 : e])
			}
			p.i = e + 1
			v.obf = true // a tagged template call
			v = p.call(v, a, 1, start)
		default:
			p.i = save
			return v
		}
	}
	return v
}

// call judges calling v with first argument a; it returns the call's
// value.
func (p *jsParser) call(v, a jsVal, args int, start int) jsVal {
	switch v.k {
	case jsSink:
		if v.obf {
			p.report(start)
		}
		return jsVal{}
	case jsTimer:
		if v.obf && (a.k == jsStr || a.k == jsSink || a.k == jsFuncCtor) {
			p.report(start)
		}
		return jsVal{}
	case jsFuncCtor:
		// Function('code'), new Function`code`, x.constructor.constructor('code')
		if a.k == jsStr && (v.obf || a.obf || !a.known || jsCodeText(a.s[:a.n])) {
			p.report(start)
			return jsVal{}
		}
		if args > 0 && v.obf && a.k != jsNone && a.k != jsName {
			p.report(start)
			return jsVal{}
		}
		return jsVal{k: jsSink, obf: true} // the function made: calling it runs the code
	case jsReflectCall:
		if a.k == jsSink || a.k == jsFuncCtor || a.k == jsTimer {
			p.report(start)
		}
		return jsVal{}
	case jsImport:
		// a module from another origin, or text made at run time (a long
		// literal is judged whole: import("github.com/x/y") is a local
		// module's path, not a URL)
		if a.k == jsStr && (!a.literal || a.url) {
			p.report(start)
		}
		return jsVal{}
	case jsDynMember:
		p.report(start)
		return jsVal{}
	case jsStrFn:
		// atob(x), decodeURI(location.hash): run-time text, the
		// attacker's when its argument is
		return jsVal{k: jsStr, obf: true, tainted: a.tainted || jsTaint(a.k)}
	case jsSource:
		// location.hash.slice(1), name.replace(...): still the
		// attacker's text
		return jsVal{k: jsSource}
	case jsCtor:
		// f.constructor is Function when f is a function: called with
		// text that reads as code, it is
		if a.k == jsStr && (!a.known || jsCodeText(a.s[:a.n])) {
			p.report(start)
		}
		return jsVal{}
	}
	return jsVal{}
}

// jsCodeText: text that reads as code (a call or an assignment).
func jsCodeText(s []byte) bool {
	for _, c := range s {
		switch c {
		case '(', '`', '=', ';':
			return true
		}
	}
	return false
}

// jsURLText: a module specifier that loads from elsewhere.
func jsURLText(s []byte) bool {
	return hasAt(s, 0, "//") || hasAt(s, 0, "http") || hasAt(s, 0, "data:") || hasAt(s, 0, "blob:") || indexFrom(s, "://", 0) >= 0
}

// identKind is what a free identifier names.
func identKind(w []byte) jsKind {
	switch string(w) {
	case "window", "self", "top", "parent", "frames", "globalthis", "content", "this":
		return jsGlobal
	case "document":
		return jsDoc
	case "location":
		return jsNav
	case "name":
		// a free "name" is window.name in a page: text that survives
		// navigation from the attacker's page
		return jsSource
	case "alert", "prompt", "confirm", "eval", "execscript", "msgbox", "importscripts":
		return jsSink
	case "settimeout", "setinterval", "setimmediate":
		return jsTimer
	case "function":
		return jsFuncCtor
	case "constructor":
		return jsCtor
	case "object", "array", "string", "number", "boolean", "symbol", "date", "regexp", "promise", "error", "map", "set":
		return jsBuiltin
	case "reflect":
		return jsReflect
	case "import":
		return jsImport
	case "atob", "unescape", "decodeuri", "decodeuricomponent":
		return jsStrFn
	}
	return jsNone
}

// jsMember is v.name (computed reports v[name] with a constant name).
func jsMember(v jsVal, name []byte, computed bool) jsVal {
	obf := v.obf || computed
	switch string(name) {
	case "call", "apply", "bind":
		switch v.k {
		case jsSink, jsTimer, jsFuncCtor:
			v.obf = true
			return v
		}
	case "constructor":
		switch v.k {
		case jsCtor, jsBuiltin, jsSink, jsTimer, jsStrFn, jsImport:
			return jsVal{k: jsFuncCtor, obf: true}
		}
		return jsVal{k: jsCtor, obf: true}
	}
	switch v.k {
	case jsGlobal:
		k := identKind(name)
		switch k {
		case jsNone, jsCtor:
			return jsVal{}
		}
		return jsVal{k: k, obf: obf}
	case jsNav:
		switch string(name) {
		case "href":
			return jsVal{k: jsNav, obf: obf}
		case "hash", "search", "pathname":
			return jsVal{k: jsSource}
		}
		return jsVal{}
	case jsSource:
		// a method of the attacker's text (slice, substr, replace ...)
		return jsVal{k: jsSource}
	case jsDoc:
		switch string(name) {
		case "location":
			return jsVal{k: jsNav, obf: obf}
		case "referrer", "url", "documenturi", "baseuri":
			return jsVal{k: jsSource}
		case "cookie", "domain":
			return jsVal{k: jsSecret, obf: computed}
		case "write", "writeln":
			return jsVal{k: jsSink, obf: obf}
		case "defaultview":
			return jsVal{k: jsGlobal, obf: obf}
		}
	case jsReflect:
		switch string(name) {
		case "apply", "construct":
			return jsVal{k: jsReflectCall, obf: true}
		}
	case jsBuiltin:
		if string(name) == "fromcharcode" || string(name) == "fromcodepoint" {
			return jsVal{k: jsStrFn}
		}
	}
	return jsVal{}
}

// jsFuck finds JavaScript written with only []()!+ (JSFuck and its
// relatives): a long run of those bytes that builds values from "![]",
// "+[]" and "[]+".
func jsFuck(b []byte) hit {
	const minRun = 24
	if indexFrom(b, "[]", 0) < 0 {
		return hit{} // a hit counts "[]" twice at least
	}
	for i := 0; i < len(b); {
		if !jsFuckByte(b[i]) {
			i++
			continue
		}
		j := i
		bangs, plus := 0, 0
		for j < len(b) && jsFuckByte(b[j]) {
			if b[j] == '[' && j+1 < len(b) && b[j+1] == ']' {
				if j > 0 && b[j-1] == '!' {
					bangs++
				}
				if j > 0 && b[j-1] == '+' || j+2 < len(b) && b[j+2] == '+' {
					plus++
				}
			}
			j++
		}
		if j-i >= minRun && bangs >= 2 && plus >= 2 {
			return hit{rule: "xss.js_obfuscated", frag: span(b, i, j)}
		}
		i = j
	}
	return hit{}
}

func jsFuckByte(c byte) bool { return jsFuckBytes[c] }

var jsFuckBytes = [256]bool{'[': true, ']': true, '(': true, ')': true, '!': true, '+': true}

// jsEscapedIdent finds an identifier spelled with JavaScript escapes
// (\u0061lert, c\u006fnsole, \u{61}lert, \x61lert) that is called, tagged
// or dereferenced: no one escapes an ASCII letter of a name except to hide
// it. raw is the string before decoding.
func jsEscapedIdent(raw string) hit {
	n := len(raw)
	for i := 0; i < n; i++ {
		if raw[i] != '\\' {
			continue
		}
		c, w := jsIdentEscape(raw, i)
		if w == 0 || !(isIdent(c) || c == '$') {
			continue
		}
		// the whole identifier around the escape
		s := i
		for s > 0 && (isIdent(raw[s-1]) || raw[s-1] == '$') {
			s--
		}
		e := i
		letters := 0
		for e < n {
			if raw[e] == '\\' {
				c, w := jsIdentEscape(raw, e)
				if w == 0 || !(isIdent(c) || c == '$') {
					break
				}
				if isLetter(c) {
					letters++
				}
				e += w
				continue
			}
			if !isIdent(raw[e]) && raw[e] != '$' {
				break
			}
			e++
		}
		if letters == 0 || e-s < 2 || (s < i && isDigit(raw[s])) {
			i = e - 1
			continue
		}
		k := e
		for k < n && (raw[k] == ' ' || raw[k] == '\t') {
			k++
		}
		if k < n {
			switch raw[k] {
			case '(', '`':
				return hit{rule: "xss.js_obfuscated", frag: spanOf(raw, s, k+8)}
			case '.', '[':
				if k+1 < n && (isLetter(raw[k+1]) || raw[k+1] == '\'' || raw[k+1] == '"' || raw[k+1] == '\\') {
					return hit{rule: "xss.js_obfuscated", frag: spanOf(raw, s, k+8)}
				}
			}
		}
		i = e - 1
	}
	return hit{}
}

// jsIdentEscape decodes a \uXXXX, \u{X...} or \xXX escape at raw[i] to an
// ASCII byte; w is 0 when there is none or it is not ASCII.
func jsIdentEscape(raw string, i int) (byte, int) {
	n := len(raw)
	if i+1 >= n {
		return 0, 0
	}
	switch raw[i+1] {
	case 'u', 'U':
		if i+2 < n && raw[i+2] == '{' {
			j := i + 3
			var v rune
			for j < n && j < i+11 && isHex(raw[j]) {
				v = v<<4 | unhex(raw[j])
				j++
			}
			if j > i+3 && j < n && raw[j] == '}' && v > 0 && v < 0x80 {
				return lower(byte(v)), j + 1 - i
			}
			return 0, 0
		}
		if r, ok := hexN(raw, i+2, 4); ok && r > 0 && r < 0x80 {
			return lower(byte(r)), 6
		}
	case 'x', 'X':
		if r, ok := hexN(raw, i+2, 2); ok && r > 0 && r < 0x80 {
			return lower(byte(r)), 4
		}
	}
	return 0, 0
}

// spanOf is a copy of b[i:j], cut to MaxFragment bytes.
func spanOf(b string, i, j int) []byte {
	j = min(j, len(b), i+MaxFragment)
	return []byte(b[i:j])
}

// sinkFrag is around(b, i, j) cut to at most MaxFragment bytes on a rune
// boundary, as fragment cuts it: a sink's expression may span more than a
// fragment holds (a long string argument of constructor(...); FuzzJSExec).
func sinkFrag(b []byte, i, j int) []byte {
	f := around(b, i, j)
	if len(f) <= MaxFragment {
		return f
	}
	k := MaxFragment
	for k > 0 && f[k]&0xc0 == 0x80 {
		k--
	}
	return f[:k]
}

// jsObfuscated reports JSFuck-style code and escaped identifiers.
func jsObfuscated(st *state) hit {
	if st.cls&(kBang|kBracket) == kBang|kBracket {
		if h := jsFuck(st.n); h.rule != "" {
			return h
		}
	}
	if st.rawCls&kBslash != 0 {
		return jsEscapedIdent(st.raw)
	}
	if st.decoded && st.rawCls&kPct != 0 && containsFold(st.raw, "%5c") {
		// a backslash sent percent-encoded: one round of decoding shows it
		v, _ := decodeRound(st.scratch(), st.raw, false)
		return jsEscapedIdent(bufString(v)) // its fragment is a copy: v is scratch space
	}
	return hit{}
}

// jsEscapeHint: s holds a JavaScript \u or \x escape (the gate for
// jsEscapedIdent).
func jsEscapeHint(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '\\' && (s[i+1]|0x20 == 'u' || s[i+1]|0x20 == 'x') {
			return true
		}
	}
	return false
}

// jsLiteralWithChain reports a string or template literal at i that is
// closed and followed by '.', '[' , '(' or a backtick (a member access or
// a call on it). Unclosed literals are remembered in p.unclosed, so the
// scan stays linear.
func jsLiteralWithChain(b []byte, i int, p *jsParser) bool {
	c := b[i]
	q := quoteIndex(c)
	if i < p.unclosed[q] {
		return false
	}
	lim := min(len(b), i+jsMaxString)
	e := i + 1
	for e < lim && b[e] != c && (b[e] != '\n' || c == '`') {
		if b[e] == '\\' {
			e++
		}
		e++
	}
	if e >= lim || b[e] != c {
		p.unclosed[q] = e
		return false
	}
	e++
	for e < len(b) && (b[e] == ' ' || b[e] == '\t') {
		e++
	}
	return e < len(b) && (b[e] == '.' || b[e] == '[' || b[e] == '(' || b[e] == '`')
}
