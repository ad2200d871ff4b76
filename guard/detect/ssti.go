package detect

// Server-side template injection: template delimiters ({{ }}, {% %},
// ${ }, #{ }, *{ }, @( ), <%= %>, [[ ]]) whose content is an expression
// (arithmetic, method calls, attribute chains, dunder names, filters with
// side effects, well-known template globals) or a statement; FreeMarker,
// Velocity and Smarty directives; Java reflection chains. A plain
// placeholder such as {{name}}, {{ user.name }} or ${price} is not an
// attack and passes.

import "math/bits"

const maxTemplateExpr = 512

func detectSSTI(st *state) hit {
	const need = kBrace | kLT | kHash | kBracket | kParen | kAt
	if st.cls&need == 0 {
		return hit{}
	}
	b := st.n
	n := len(b)
	if st.cls&(kHash|kAt) != 0 {
		if h := ognlExpr(b); h.rule != "" {
			return h // java.go
		}
	}
	if st.cls&kBrace != 0 && templatePolyglot(b) {
		return hit{rule: "ssti.polyglot", frag: span(b, 0, MaxFragment)}
	}
	if st.cls&kBrace != 0 {
		pctClose, braceClose := newCloser(b, "%}"), newCloser(b, "}}")
		// backticks in b[:btAt] counted (btOdd: an odd number, so a '${'
		// after them is inside a JavaScript template literal)
		btAt, btOdd := 0, false
		br := blankRunsFor(st.cls) // a window counts tokens: blanks padded inside a delimiter do not push the code out of it
		for i := 0; i+1 < n; i++ {
			c := b[i]
			if b[i+1] != '{' && !(c == '{' && b[i+1] == '%') {
				continue
			}
			switch c {
			case '{':
				if b[i+1] == '%' {
					e := pctClose.from(i + 2)
					if e < 0 {
						e = n
					}
					e = tokenEnd(b, i+2, e, maxTemplateExpr, &br)
					in := trimTemplate(b[i+2 : e])
					if len(in) > 0 && isLetter(in[0]) {
						return hit{rule: "ssti.statement", frag: span(b, i, e+2)}
					}
					if rule := judgeExpr(in); rule != "" {
						return hit{rule: rule, frag: span(b, i, e+2)}
					}
					i = max(i, e-1) // linear: the judged text is not judged again
					continue
				}
				// {{ ... }}
				j := i + 2
				for j < n && b[j] == '{' {
					j++
				}
				e := braceClose.from(j)
				if e < 0 {
					e = n
				}
				e = tokenEnd(b, j, e, maxTemplateExpr, &br)
				in := trimTemplate(b[j:e])
				if len(in) > 0 {
					switch in[0] {
					case '#', '/', '>', '=', '~', '!':
						// Handlebars block helpers / partials, Underscore
						// "{{= }}": {{#with}}, {{/each}}
						if len(in) > 1 && (isLetter(in[1]) || in[1] == ' ' || in[1] == '\t' || in[1] == '_') {
							return hit{rule: "ssti.helper", frag: span(b, i, e+2)}
						}
					case '.':
						// Go templates {{.}}, {{.Field.Method arg}}
						if len(in) == 1 || indexByte(in, ' ') > 0 || indexByte(in, '\t') > 0 {
							return hit{rule: "ssti.go_template", frag: span(b, i, e+2)}
						}
					}
					if goTemplateAction(in) {
						return hit{rule: "ssti.go_template", frag: span(b, i, e+2)}
					}
				}
				if rule := judgeExpr(in); rule != "" {
					return hit{rule: rule, frag: span(b, i, e+2)}
				}
				i = max(j-1, e-1) // linear: the judged text is not judged again
			case '$', '#', '*', '@', '%':
				// ${...} #{...} *{...} @{...} %{...} (OGNL): balanced braces
				j := i + 2
				e := braceEnd(b, j, tokenEnd(b, j, n, maxTemplateExpr, &br))
				in := trimTemplate(b[j:e])
				if rule := judgeExpr(in); rule != "" {
					if c == '$' && rule == "ssti.call" {
						for ; btAt < i; btAt++ {
							if b[btAt] == '`' {
								btOdd = !btOdd
							}
						}
						if btOdd && indexByte(b[min(e+1, n):], '`') >= 0 {
							// a method call interpolated in a JavaScript
							// template literal, "`${buf.toString('hex')}`":
							// code the JavaScript rules judge, not a
							// server template; what it calls is judged
							// there (and by every other rule here)
							i = max(i, e-1)
							continue
						}
					}
					return hit{rule: rule, frag: span(b, i, e+1)}
				}
				if c == '$' && len(in) > 0 && in[0] == '{' {
					// ${{7*7}}: the inner {{ is judged on its own
					continue
				}
				// skip what was just judged: keeps the scan linear
				i = max(i, e-1)
			}
		}
	}
	if st.cls&kLT != 0 {
		erbClose := newCloser(b, "%>")
		br := blankRunsFor(st.cls)
		for i := indexByte(b, '<'); i >= 0 && i+1 < n; {
			switch b[i+1] {
			case '%':
				e := erbClose.from(i + 2)
				closed := e >= 0
				if e < 0 {
					e = n
				}
				e = tokenEnd(b, i+2, e, maxTemplateExpr, &br)
				in := b[i+2 : e]
				if len(in) > 0 && (in[0] == '=' || in[0] == '-' || in[0] == '#') {
					in = in[1:]
				}
				in = trimTemplate(in)
				if rule := judgeExpr(in); rule != "" {
					return hit{rule: rule, frag: span(b, i, e+2)}
				}
				if len(in) > 0 && (hasAt(in, 0, "require") || hasAt(in, 0, "import") || hasAt(in, 0, "include") || in[0] == '`' || hasAt(in, 0, "@")) || rubyCommandCall(in, closed) {
					return hit{rule: "ssti.erb", frag: span(b, i, e+2)}
				}
				if nx := byteFrom(b, max(i+1, e), '<'); nx >= 0 {
					i = nx
					continue
				}
				i = n
				continue
			case '#':
				if i+2 < n && isLetter(b[i+2]) {
					for _, d := range [...]string{"assign", "list", "if", "include", "import", "macro", "function", "setting", "attempt", "visit", "global", "local", "ftl", "escape", "compress"} {
						if wordAt(b, i+2, d) {
							return hit{rule: "ssti.freemarker", frag: around(b, i, i+40)}
						}
					}
				}
			}
			nx := byteFrom(b, i+1, '<')
			if nx < 0 {
				break
			}
			i = nx
		}
	}
	if st.cls&kHash != 0 {
		for _, d := range [...]string{"#set(", "#set (", "#foreach(", "#foreach (", "#if(", "#macro(", "#include(", "#parse(", "#evaluate(", "#define("} {
			if i := indexFrom(b, d, 0); i >= 0 {
				return hit{rule: "ssti.velocity", frag: around(b, i, i+40)}
			}
		}
	}
	if st.cls&kBrace != 0 {
		// each tag after its '{' (a run of braces is no candidate)
		for _, d := range [...]string{"php}", "/php}", "$smarty", "system(", "literal}", "include file=", "fetch file=", "smarty_internal", "math equation="} {
			if i := indexAfter(b, '{', d); i >= 0 {
				return hit{rule: "ssti.smarty", frag: around(b, i, i+40)}
			}
		}
	}
	if st.cls&kParen != 0 {
		// Razor @( expression )
		paren := newCloser(b, ")")
		for i := indexFrom(b, "@(", 0); i >= 0; i = indexFrom(b, "@(", i+2) {
			e := paren.from(i + 2)
			if e < 0 {
				break
			}
			if rule := judgeExpr(trimTemplate(b[i+2 : e])); rule != "" {
				return hit{rule: rule, frag: span(b, i, e+1)}
			}
		}
		for _, d := range [...]string{"getclass().forname(", ".getclass().getclassloader", "t(java.lang.runtime)", "java.lang.runtime",
			"freemarker.template.utility.execute", "getruntime().exec(", "scriptenginemanager", ".__class__.__mro__", ".__subclasses__()",
			"__globals__", "__builtins__", "__import__(", "@(7*7)", "@(1+1)"} {
			for i := indexFrom(b, d, 0); i >= 0; i = indexFrom(b, d, i+1) {
				if i > 0 && isIdent(d[0]) && isIdent(b[i-1]) {
					continue // inside a longer word ("ajava.lang..."), as the keyword gate reads it
				}
				if e := i + len(d); e < len(b) && isIdent(d[len(d)-1]) && isIdent(b[e]) {
					continue // the start of a longer word ("scriptenginemanager5")
				}
				return hit{rule: "ssti.reflection", frag: around(b, i, i+40)}
			}
		}
	}
	if st.cls&kBracket != 0 {
		// FreeMarker's square-bracket syntax: [#assign x = ...], [#list xs as x],
		// [#include "..."], and [=expr] interpolations
		rb := newCloser(b, "]")
		br := blankRunsFor(st.cls)
		for i := indexFrom(b, "[#", 0); i >= 0; i = indexFrom(b, "[#", i+2) {
			if freemarkerSquare(b, i+2, &rb, &br) {
				return hit{rule: "ssti.freemarker", frag: around(b, i, i+40)}
			}
		}
		sqb := newCloser(b, "]")
		for i := indexFrom(b, "[=", 0); i >= 0; i = indexFrom(b, "[=", i+2) {
			e := sqb.from(i + 2)
			if e < 0 {
				break
			}
			if e-i < maxTemplateExpr {
				if rule := judgeExpr(trimTemplate(b[i+2 : e])); rule != "" {
					return hit{rule: rule, frag: span(b, i, e+1)}
				}
			}
		}
		sq := newCloser(b, "]]")
		for i := indexFrom(b, "[[", 0); i >= 0; i = indexFrom(b, "[[", i+2) {
			e := sq.from(i + 2)
			if e < 0 {
				break
			}
			if rule := judgeExpr(trimTemplate(b[i+2 : e])); rule != "" {
				return hit{rule: rule, frag: span(b, i, e+2)}
			}
		}
	}
	return hit{}
}

// templatePolyglot reports text that opens several template syntaxes at
// once ("${{<%[%'\"}}%\\."): the probe used to fingerprint engines.
func templatePolyglot(b []byte) bool {
	kinds := 0
	for _, o := range [...]string{"${", "{{", "<%", "#{", "{%", "*{"} {
		if indexFrom(b, o, 0) >= 0 {
			kinds++
		}
	}
	return kinds >= 3
}

// braceEnd returns the index of the '}' that closes the '{' before
// b[j] (braces nest), or lim when there is none before lim.
func braceEnd(b []byte, j, lim int) int {
	depth := 1
	e := j
	for e < lim {
		if e+8 <= lim {
			// eight bytes without a '}' at a time: their '{' add depth
			w := b[e : e+8]
			x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
				uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
			if hasByte(x, '}') == 0 {
				depth += bits.OnesCount64(isByte(x, '{'))
				e += 8
				continue
			}
		}
		if c := b[e]; c == '}' {
			if depth--; depth == 0 {
				return e
			}
		} else if c == '{' {
			depth++
		}
		e++
	}
	return e
}

func trimTemplate(b []byte) []byte {
	for len(b) > 0 && (isSpace(b[0]) || b[0] == '-' || b[0] == '+' || b[0] == '~') {
		b = b[1:]
	}
	for len(b) > 0 && (isSpace(b[len(b)-1]) || b[len(b)-1] == '-' || b[len(b)-1] == '~') {
		b = b[:len(b)-1]
	}
	return b
}

// goTemplateAction reports Go text/template actions and functions.
func goTemplateAction(in []byte) bool {
	e := identEnd(in, 0)
	if e == 0 {
		return false
	}
	if e < len(in) && in[e] != ' ' && in[e] != '\t' {
		return false // (a Go template separates an action's words by spaces or tabs)
	}
	switch string(in[:e]) {
	case "printf", "print", "println", "call", "define", "template", "block", "index", "html", "js", "urlquery",
		"slice", "range", "with", "len":
		return e < len(in) || string(in[:e]) == "define"
	}
	return false
}

// judgeExpr decides whether a template expression is an attack rather than
// a placeholder. It returns the rule id or "".
// exprClass sorts the bytes judgeExpr's loop tells apart: the byte itself
// for '(' ')' '.' '|' '[' '=' '`' '?' ' ', '*' for the arithmetic
// operators, '0' for digits, 'a' for identifier bytes and quotes, 0 for
// the rest (one table look-up and a jump per byte, not a chain of tests).
var exprClass = func() (t [256]byte) {
	// set by ranges and lists, not by a test of each of the 256 bytes:
	// this runs in every cold start (TestExprClass checks the table)
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = 'a', 'a'
	}
	for _, c := range []byte("_'\"") {
		t[c] = 'a'
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = '0'
	}
	for _, c := range []byte("().|[=`? ") {
		t[c] = c
	}
	for _, c := range []byte("*/%+-") {
		t[c] = '*'
	}
	return t
}()

func judgeExpr(in []byte) string {
	for len(in) > 0 && (in[0] == '=' || in[0] == ' ') {
		in = in[1:] // "${= _.VERSION}", "<%= x %>"
	}
	if len(in) == 0 {
		return ""
	}
	if len(in) > maxTemplateExpr {
		in = in[:maxTemplateExpr]
	}
	// dunder names
	for i := indexFrom(in, "__", 0); i >= 0; {
		j := indexFrom(in, "__", i+2)
		if j < 0 {
			break
		}
		if j > i+2 && isLetter(in[i+2]) {
			k := i + 2
			for k < j && (isLetter(in[k]) || isDigit(in[k])) {
				k++
			}
			if k == j {
				return "ssti.dunder" // __class__, __globals__
			}
		}
		i = j
	}
	// Log4j lookups and ${IFS}-style shell are other detectors' business.
	first := identEnd(in, 0)
	if first < len(in) && in[first] == ':' && first > 0 && lookupPrefix(in[:first]) {
		return ""
	}
	calls, dots, arith, filters, index, assign, bt := 0, 0, false, false, false, false, false
	prevOperand := false
	depth := 0
	for i := 0; i < len(in); i++ {
		c := in[i]
		switch exprClass[c] {
		case 0:
			prevOperand = false
			for i+1 < len(in) && exprClass[in[i+1]] == 0 {
				i++ // the rest of the run does the same
			}
		case '(':
			if i > 0 && (isIdent(in[i-1]) || in[i-1] == ')' || in[i-1] == ']') {
				calls++
			}
			depth++
			prevOperand = false
		case ')':
			depth--
			prevOperand = true
		case '.':
			if i+1 < len(in) && isLetter(in[i+1]) && i > 0 && (isIdent(in[i-1]) || in[i-1] == ')' || in[i-1] == ']' || in[i-1] == '\'' || in[i-1] == '"') {
				dots++
			}
			prevOperand = false
		case '*':
			// arithmetic between operands: 7*7, 7*'7', a+1
			j := i + 1
			for j < len(in) && in[j] == ' ' {
				j++
			}
			if prevOperand && j < len(in) && (isDigit(in[j]) || in[j] == '\'' || in[j] == '"' || in[j] == '(') {
				arith = true
			}
			prevOperand = false
		case '|':
			// a filter with side effects
			j := i + 1
			for j < len(in) && in[j] == ' ' {
				j++
			}
			e := identEnd(in, j)
			switch string(in[j:e]) {
			case "attr", "join", "map", "filter", "sort", "reduce", "system", "passthru", "exec", "file_excerpt",
				"format", "safe", "e", "first", "last", "slice", "split", "trim", "select", "selectattr", "batch",
				"string", "list", "lower", "upper", "replace", "reverse", "cat", "add", "render", "include", "eval":
				filters = true
			}
			prevOperand = false
		case '[':
			if i > 0 && (isIdent(in[i-1]) || in[i-1] == ')' || in[i-1] == ']' || in[i-1] == '\'' || in[i-1] == '"') {
				index = true
			}
			prevOperand = false
		case '=':
			if i+1 < len(in) && in[i+1] == '=' {
				i++
			} else if i > 0 && in[i-1] != '!' && in[i-1] != '<' && in[i-1] != '>' {
				assign = true
			}
			prevOperand = false
		case '`':
			bt = true
		case '?':
			// FreeMarker built-ins: "x"?new(), ?api, ?eval
			e := identEnd(in, i+1)
			switch string(in[i+1 : e]) {
			case "new", "api", "eval", "exec", "interpret", "lower_abc", "upper_abc", "join", "c":
				return "ssti.freemarker"
			}
		case '0':
			prevOperand = true
			for i+1 < len(in) && (isDigit(in[i+1]) || in[i+1] == '.' && i+2 < len(in) && isDigit(in[i+2])) {
				i++
			}
		case 'a':
			if c == '\'' || c == '"' {
				e := i + 1
				for e < len(in) && in[e] != c {
					e++
				}
				i = e
			} else {
				i = identEnd(in, i) - 1
			}
			prevOperand = true
		case ' ':
		}
	}
	_ = depth
	switch {
	case arith:
		return "ssti.expression"
	case calls > 0:
		return "ssti.call"
	case filters:
		return "ssti.filter"
	case bt:
		return "ssti.expression"
	case assign:
		return "ssti.expression"
	case index:
		return "ssti.expression"
	case dots >= 3:
		return "ssti.attribute_chain"
	}
	// well-known template globals on their own or at the head of a chain
	e := identEnd(in, 0)
	if e > 0 && (e == len(in) || in[e] == '.' || in[e] == '[' || in[e] == '|' || in[e] == ' ') {
		switch string(in[:e]) {
		case "config", "self", "_self", "settings", "request", "app", "lipsum", "cycler", "joiner", "namespace",
			"url_for", "get_flashed_messages", "_context", "this", "process", "global", "root", "os", "class",
			"object", "dump", "debug", "env", "session", "smarty", "runtime", "system", "java", "t", "dwf",
			"product", "module", "g", "range", "constructor", "application", "servletcontext", "facescontext", "sys", "_":
			if e == len(in) || string(in[:e]) != "t" {
				return "ssti.object"
			}
		}
	}
	return ""
}

// freemarkerSquare judges the directive after "[#" at i: a FreeMarker
// directive with the arguments it takes (an assignment, "xs as x", a
// quoted template name), so that "[#1]" or "[#list of things]" in prose
// are not directives.
func freemarkerSquare(b []byte, i int, rb *closer, br *blankRuns) bool {
	e := identEnd(b, i)
	if e == i || e >= len(b) || !isSpace(b[e]) {
		return false
	}
	// the next ']' for directives read left to right (a run of "[#x "
	// without one reads the rest once, not once per directive), within
	// maxTemplateExpr tokens (blanks padded between them, which FreeMarker
	// skips, do not count)
	end := rb.from(e)
	if end < 0 || tokenEnd(b, e, end, maxTemplateExpr, br) < end {
		return false
	}
	args := b[e+1 : end]
	switch string(b[i:e]) {
	case "assign", "global", "local", "setting":
		return indexByte(args, '=') > 0
	case "list", "items":
		return blankWord(args, "as")
	case "include", "import":
		t := trimTemplate(args)
		return len(t) > 0 && (t[0] == '"' || t[0] == '\'')
	case "attempt", "ftl", "compress", "escape", "noparse":
		return true
	}
	return false
}

// blankWord reports whether w stands in b as a word with blanks or line
// breaks on both sides ("1..3 as i", "xs\tas\tx").
func blankWord(b []byte, w string) bool {
	for i := indexFrom(b, w, 1); i > 0; i = indexFrom(b, w, i+1) {
		if isSpace(b[i-1]) && i+len(w) < len(b) && isSpace(b[i+len(w)]) {
			return true
		}
	}
	return false
}

// rubyCommandCall reports ERB content that is a Ruby method call without
// parentheses and with a literal argument: "system 'id'", "exec \"ls\"",
// "File.read '/etc/passwd'", "IO.popen %x(id)", and in a closed tag
// "exec'id'" (closed: the tag's %> was found).
func rubyCommandCall(in []byte, closed bool) bool {
	e := 0
	for e < len(in) && (isIdent(in[e]) || in[e] == '.' || in[e] == ':') {
		e++
	}
	if e == 0 || e >= len(in) || !isLetter(in[0]) {
		return false
	}
	switch string(in[:e]) {
	case "if", "unless", "else", "elsif", "end", "while", "until", "for", "case", "when", "do", "return", "and", "or", "not":
		return false
	}
	t := in[e:]
	for len(t) > 0 && (t[0] == ' ' || t[0] == '\t') {
		t = t[1:]
	}
	if len(t) == len(in)-e {
		// no blank: Ruby reads a string glued to a name as its argument
		// too (exec'ls', Kernel.open"|id"), not %x() (a modulo); in a
		// tag closed by %> ("50<%off'20'" is no template)
		return closed && len(t) > 1 && (t[0] == '\'' || t[0] == '"' || t[0] == '`')
	}
	return len(t) > 1 && (t[0] == '\'' || t[0] == '"' || t[0] == '`' || hasAt(t, 0, "%x") || hasAt(t, 0, "%w"))
}
