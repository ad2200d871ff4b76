package detect

// Cross-site scripting: HTML tags that execute script (script, iframe,
// object, embed, ...), event-handler attributes in any tag or after an
// attribute break, script-bearing URLs (javascript:, vbscript:,
// data:text/html) even when split by whitespace/control bytes, CSS
// expressions, AngularJS sandbox escapes, and JavaScript sinks reached by
// breaking out of a string.

func detectXSS(st *state) hit {
	const need = kLT | kColon | kParen | kEq | kQuote | kBrace | kBracket
	if st.cls&kHigh != 0 {
		if h := asciiHighTags(st); h.rule != "" {
			return h
		}
	}
	if st.cls&need == 0 {
		if st.rawCls&(kBslash|kPct) != 0 {
			if h := jsObfuscated(st); h.rule != "" {
				return h // \u0064ocument.cookie
			}
		}
		if st.cls&kDot != 0 && cookieValue(bufString(st.n)) {
			// the cookie jar read as the whole value (a probe of where
			// it lands, or an expression for an eval sink)
			return hit{rule: "xss.js_sink", frag: trimSpace(st.n)}
		}
		return hit{}
	}
	b := st.n
	if st.decoded {
		// A value that is nothing but an encoded '<' ("&#x3C", "\\u003c",
		// "%3C"): the probe scanners use to see whether '<' survives.
		t := trimSpace(b)
		if len(t) == 1 && (t[0] == '<' || t[0] == '>') && len(trimSpace([]byte(st.raw))) > 1 {
			return hit{rule: "xss.encoded_angle", frag: t}
		}
	}
	if st.cls&kLT != 0 {
		if h := xssTags(b); h.rule != "" {
			return h
		}
	}
	if st.cls&kAmp != 0 {
		// Netscape JavaScript entities: &{expression};
		brace := newCloser(b, "}")
		for i := indexFrom(b, "&{", 0); i >= 0; i = indexFrom(b, "&{", i+2) {
			e := brace.from(i + 2)
			if e < 0 {
				break
			}
			if e > i+2 && e-i < 256 {
				return hit{rule: "xss.js_entity", frag: span(b, i, e+2)}
			}
		}
	}
	if st.cls&kEq != 0 {
		if h := xssLooseHandler(b); h.rule != "" {
			return h
		}
	}
	if st.cls&kColon != 0 {
		if h := xssSchemes(b); h.rule != "" {
			return h
		}
		if h := cssTagless(b); h.rule != "" {
			return h
		}
	}
	if st.cls&kAt != 0 {
		if h := cssImport(b); h.rule != "" {
			return h
		}
	}
	if st.cls&(kParen|kQuote|kBracket|kBrace|kEq) != 0 {
		raw := st.raw
		if st.decoded || len(raw) != len(b) {
			raw = "" // offsets of b are not those of the value as sent
		}
		if h := xssSinks(b, raw); h.rule != "" {
			return h
		}
	}
	if i := indexFrom(b, "document.cookie", 0); i >= 0 && i+15 < len(b) {
		switch b[i+15] {
		case '=', ')', ';', '+', ',', '`':
			return hit{rule: "xss.js_sink", frag: around(b, i, i+24)}
		}
	} else if i >= 0 && i+15 == len(b) && i > 0 {
		// ending the value, joined to what comes before by an operator:
		// "...src='//x/?c='+document.cookie"
		p := i - 1
		for p > 0 && (b[p] == ' ' || b[p] == '\t') {
			p--
		}
		switch b[p] {
		case '+', '=', '(', ',':
			return hit{rule: "xss.js_sink", frag: around(b, p, i+15)}
		}
	}
	if st.cls&kBrace != 0 {
		if i := indexFrom(b, "{{", 0); i >= 0 {
			e := indexFrom(b, "}}", i+2)
			if e < 0 {
				e = len(b)
			}
			in := b[i:e]
			if wordIn(in, "constructor") || indexFrom(in, "$eval", 0) >= 0 || indexFrom(in, "$on", 0) >= 0 ||
				wordIn(in, "alert(") || indexFrom(in, "$parent", 0) >= 0 {
				return hit{rule: "xss.template", frag: span(b, i, e+2)}
			}
		}
	}
	if st.cls&(kParen|kQuote|kBracket|kEq) != 0 {
		// sinks reached through the expression grammar (jsexpr.go)
		raw := st.raw
		if st.decoded || len(raw) != len(b) {
			raw = "" // offsets of b are not those of the value as sent
		}
		if h := jsExec(b, raw); h.rule != "" {
			return h
		}
	}
	if h := jsObfuscated(st); h.rule != "" {
		return h
	}
	return hit{}
}

// cookieValue reports a whole value (any case, blanks around it) that is
// document.cookie, maybe ended by a ';'.
func cookieValue[T ~string | ~[]byte](s T) bool {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	if j > i && s[j-1] == ';' {
		j--
	}
	return j-i == len("document.cookie") && foldPrefix(s[i:j], "document.cookie")
}

// wordIn reports lit in b as a whole word (not glued to an identifier
// byte on either side), as the feature pass sees words.
func wordIn(b []byte, lit string) bool {
	identEnd := isIdent(lit[len(lit)-1])
	for i := indexFrom(b, lit, 0); i >= 0; i = indexFrom(b, lit, i+1) {
		e := i + len(lit)
		if (i == 0 || !isIdent(b[i-1])) && (!identEnd || e >= len(b) || !isIdent(b[e])) {
			return true
		}
	}
	return false
}

// tag classes
const (
	tagPlain = iota
	tagScript
	tagDangerous // executes or loads active content by itself
	tagDocument  // document/form structure: never part of user rich text
)

func tagClass(name []byte) int {
	switch string(name) {
	case "script":
		return tagScript
	case "iframe", "frame", "frameset", "object", "embed", "applet", "meta", "base", "isindex", "vmlframe",
		"import", "xss", "portal", "xml", "bgsound", "layer", "ilayer", "listing", "xmp", "plaintext", "noscript",
		"svg", "math", "link", "listener", "handler", "stylesheet", "transform":
		return tagDangerous
	case "html", "body", "head", "title", "input", "textarea", "form", "button", "keygen", "noembed", "frameset_", "template", "marquee", "style":
		return tagDocument
	}
	return tagPlain
}

// isTagNameByte: the bytes of a tag name after its first letter (lower
// case letters, digits, ':', '-' and '_').
var isTagNameByte = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t[':'], t['-'], t['_'] = true, true, true
	return t
}()

// xssTags scans every '<' that opens a tag.
func xssTags(b []byte) hit {
	n := len(b)
	var br blankRuns // the tag window counts tokens (tagEnd)
	for i := indexByte(b, '<'); i >= 0 && i < n; {
		j := i + 1
		closing := false
		if j < n && b[j] == '/' {
			closing = true
			j++
		}
		k := j
		colon := -1 // the first ':' of the name
		if k < n && isLetter(b[k]) {
			for k++; k < n && isTagNameByte[b[k]]; k++ {
				if b[k] == ':' && colon < 0 {
					colon = k - j
				}
			}
		}
		// where the search for the next '<' starts: b[i+1:k] is a name
		from := k
		if k > j {
			name := b[j:k]
			// strip a namespace prefix such as svg:script
			if c := colon; c >= 0 {
				if string(name[:c]) == "xsl" || string(name[:c]) == "svg" || string(name[:c]) == "xlink" || string(name[:c]) == "xml" {
					return hit{rule: "xss.dangerous_tag", frag: span(b, i, i+MaxFragment)}
				}
				name = name[c+1:]
			}
			cls := tagClass(name)
			if cls == tagPlain || closing && cls == tagDangerous {
				// only tagAttrs can flag such a tag, and not one that a
				// '<' or '>' ends before minJudgedTag bytes: the next
				// '<' is searched from there ("<a <a <a ")
				if e := shortTagEnd(b, i, k); e >= 0 {
					if b[e] == '<' {
						i = e
						continue
					}
					from = e
					goto next
				}
			}
			var end int
			end, from = tagEnd(b, k, &br)
			// (tagEnd reads at most maxTag tokens: attributes beyond
			// them are not judged)
			switch cls {
			case tagScript:
				return hit{rule: "xss.script_tag", frag: span(b, i, end+1)}
			case tagDangerous:
				if !closing {
					return hit{rule: "xss.dangerous_tag", frag: span(b, i, end+1)}
				}
			case tagDocument:
				// <body>, <form>, <input ...>, and closing tags that end a
				// raw-text context (</textarea>, </title>, </style>)
				if end < n || closing {
					return hit{rule: "xss.html_injection", frag: span(b, i, end+1)}
				}
			}
			if !closing && end-i >= minJudgedTag {
				if h, ok := tagAttrs(b, i, k, end); ok {
					return h
				}
			}
		}
		if k == j && j < n && b[j] == '?' && (hasAt(b, j+1, "import") || hasAt(b, j+1, "xml-stylesheet")) {
			return hit{rule: "xss.processing_instruction", frag: span(b, i, i+MaxFragment)}
		}
	next:
		nx := nextByteIn(b, from, '<')
		if nx < 0 {
			break
		}
		i = nx
	}
	// <style> content: @import, expression(), bindings
	if st := indexFrom(b, "<style", 0); st >= 0 {
		for _, d := range [...]string{"@import", "expression(", "expression\\28", "binding", "behavior", "behaviour", "javascript:"} {
			if i := indexFrom(b, d, st); i >= 0 {
				return hit{rule: "xss.css_expression", frag: around(b, st, i+24)}
			}
		}
	}
	return hit{}
}

// tagWords judges the attribute names and CSS words of one tag in a single
// pass (one look per word start instead of one substring search per
// attribute name): script-loading attributes and active CSS.
func tagWords(tag []byte) (hit, bool) {
	n := len(tag)
	css := false
	for p := 1; p < n; p++ {
		c := tag[p]
		if c == 'e' || c == 'b' {
			// active CSS anywhere in the tag (cssActive confirms)
			css = css || hasAt(tag, p, "expression") || hasAt(tag, p, "binding") || hasAt(tag, p, "behavio")
		}
		if !isLetter(c) || isIdent(tag[p-1]) {
			continue
		}
		switch c {
		case 'd':
			if hasAt(tag, p, "datasrc") || hasAt(tag, p, "dataformatas") || hasAt(tag, p, "datafld") {
				return hit{rule: "xss.dangerous_attribute", frag: span(tag, 0, MaxFragment)}, true
			}
		case 'f':
			if hasAt(tag, p, "formaction") || hasAt(tag, p, "fscommand") {
				return hit{rule: "xss.dangerous_attribute", frag: span(tag, 0, MaxFragment)}, true
			}
		case 's':
			if hasAt(tag, p, "srcdoc") || hasAt(tag, p, "seeksegmenttime") {
				return hit{rule: "xss.dangerous_attribute", frag: span(tag, 0, MaxFragment)}, true
			}
		case 'x':
			if hasAt(tag, p, "xlink:href") || hasAt(tag, p, "xmlns") {
				return hit{rule: "xss.dangerous_attribute", frag: span(tag, 0, MaxFragment)}, true
			}
		case 'a':
			if hasAt(tag, p, `attributename="href`) || hasAt(tag, p, `attributename="xlink:href`) {
				return hit{rule: "xss.dangerous_attribute", frag: span(tag, 0, MaxFragment)}, true
			}
		case 'e':
			if hasAt(tag, p, "ev:event") {
				return hit{rule: "xss.dangerous_attribute", frag: span(tag, 0, MaxFragment)}, true
			}
		}
	}
	if css && cssActive(tag) {
		return hit{rule: "xss.css_expression", frag: span(tag, 0, MaxFragment)}, true
	}
	return hit{}, false
}

// cssTagless finds CSS that loads or runs code outside a tag (a value that
// lands in a style sheet or a style attribute): a -moz-binding or behavior
// property whose value is a url(), or expression() as a property's value
// ("width:expression(...)"); not the word in prose ("expression (math)").
func cssTagless(b []byte) hit {
	for c := indexByte(b, ':'); c >= 0; {
		k := c
		for k > 0 && isSpace(b[k-1]) {
			k--
		}
		s := k
		for s > 0 && k-s < 16 && (isLetter(b[s-1]) || b[s-1] == '-') {
			s--
		}
		v := c + 1
		for v < len(b) && isSpace(b[v]) {
			v++
		}
		// the name starts a word, as the keyword gate reads words
		// ("0x41behavior" is another word), or follows one '_' (IE's
		// "_behavior" hack: a gate word too)
		glued := s > 0 && isWordByte[b[s-1]] && (b[s-1] != '_' || s > 1 && isWordByte[b[s-2]])
		switch string(b[s:k]) {
		case "-moz-binding", "behavior", "behaviour":
			if !glued && hasAt(b, v, "url(") {
				return hit{rule: "xss.css_expression", frag: around(b, s, v+24)}
			}
		}
		if s < k && (hasAt(b, v, "expression(") && cssCodeArg(b, v+len("expression(")) || hasAt(b, v, "expression\\28")) {
			return hit{rule: "xss.css_expression", frag: around(b, s, v+24)}
		}
		nx := byteFrom(b, c+1, ':')
		if nx < 0 {
			break
		}
		c = nx
	}
	return hit{}
}

// cssCodeArg reports an argument list (opened before i) holding code before
// its ')': a call, member access, assignment or concatenation
// ("expression(alert(1))", not "expression(s)").
func cssCodeArg(b []byte, i int) bool {
	for k := i; k < len(b) && k < i+64; k++ {
		switch b[k] {
		case ')':
			return false
		case '(', '.', '=', '+', '[':
			return true
		}
	}
	return false
}

// cssImport finds a CSS @import of a style sheet ("@import 'x.css'",
// "@import url(//x/x.css)"): a value that lands in a style context and
// pulls in styles the attacker chose (expressions, bindings, exfiltration
// by selectors). An @import in prose ("@import rules come first") names
// no sheet.
func cssImport(b []byte) hit {
	for i := indexFrom(b, "@import", 0); i >= 0; i = indexFrom(b, "@import", i+7) {
		v := i + 7
		if v < len(b) && (isIdent(b[v]) || b[v] == '-') {
			continue // another at-rule name: "@imports", "@importurl(" (another word for the keyword gate too)
		}
		for v < len(b) && isSpace(b[v]) {
			v++
		}
		if hasAt(b, v, "url(") || v < len(b) && (b[v] == '\'' || b[v] == '"') && v+1 < len(b) && b[v+1] != b[v] {
			return hit{rule: "xss.css_expression", frag: around(b, i, v+24)}
		}
	}
	return hit{}
}

func cssActive(b []byte) bool {
	return indexFrom(b, "expression(", 0) >= 0 || indexFrom(b, "expression\\28", 0) >= 0 || indexFrom(b, "binding:", 0) >= 0 ||
		indexFrom(b, "behavior:", 0) >= 0 || indexFrom(b, "behaviour:", 0) >= 0
}

// cssUnescape decodes CSS escapes (\ followed by 1-6 hex digits and an
// optional space, or \ before any other character) into dst, at most
// cap(dst) bytes.
func cssUnescape(dst, b []byte) []byte {
	for i := 0; i < len(b) && len(dst) < cap(dst)-4; i++ {
		c := b[i]
		if c != '\\' || i+1 >= len(b) {
			dst = append(dst, c)
			continue
		}
		j := i + 1
		var v rune
		for j < len(b) && j-i <= 6 && isHex(b[j]) {
			v = v<<4 | unhex(b[j])
			j++
		}
		if j == i+1 {
			dst = append(dst, lower(b[j]))
			i = j
			continue
		}
		if j < len(b) && b[j] == ' ' {
			j++
		}
		dst = emitRune(dst, v, true)
		i = j - 1
	}
	return dst
}

// tagEnd returns the index of the '>' closing the tag whose name ends at
// k, skipping quoted attribute values; len(b) if the tag is not closed.
// maxTag bounds how much of a tag (name to '>') is examined. from is
// where a search for the next '<' may start: b[k:from] has none outside
// the quoted values it skipped (from is the first one's start).
const maxTag = 4096

// shortTagEnd returns where tagEnd(b, k) stops for the tag opened at i
// when that is a '<' or '>' before i+minJudgedTag with no quote before
// it (nothing skipped), and -1 otherwise.
func shortTagEnd(b []byte, i, k int) int {
	for p := k; p < len(b) && p < i+minJudgedTag; p++ {
		switch b[p] {
		case '<', '>':
			return p
		case '"', '\'':
			return -1
		}
	}
	return -1
}

func tagEnd(b []byte, k int, br *blankRuns) (end, from int) {
	n := len(b)
	e := k
	lim := min(n, k+maxTag)
	from = -1
	for {
		for ; e < lim; e++ {
			switch b[e] {
			case '>', '<':
				if from < 0 {
					from = e
				}
				if b[e] == '<' {
					return e - 1, from // a new tag starts: this one ends here
				}
				return e, from
			case '"', '\'':
				if e > 0 && b[e-1] == '=' || e > 1 && b[e-1] == ' ' && b[e-2] == '=' {
					if from < 0 {
						from = e + 1
					}
					q := indexByte(b[e+1:lim], b[e])
					if q < 0 {
						return lim, from
					}
					e += 1 + q
				}
			}
		}
		// maxTag bytes read: the window is maxTag tokens, blanks and
		// line breaks between the attributes (a browser skips any
		// number of them) do not count. Once, and counted only up to the
		// next '<' or '>' (the bytes the scan reads on to).
		if lim == k+maxTag && lim < n {
			stop := lim
			for stop < n && b[stop] != '<' && b[stop] != '>' {
				stop++
			}
			if l := tokenEnd(b, k, min(n, stop+1), maxTag, br); l > lim {
				lim = l
				continue
			}
		}
		break
	}
	if from < 0 {
		from = e
	}
	return e, from
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// tagAttrs looks for event handlers and script URLs in the attributes of
// the tag b[i:end] whose name ends at k.
// minJudgedTag is the least end-i of a tag b[i:end+1] that tagAttrs can
// flag: the shortest word it looks for is 5 bytes ("xmlns") after the
// '<' (an event handler needs "on", three letters and '=' after the
// name). Shorter tags ("<a ", "<b>", "<br>") are not read again.
const minJudgedTag = 5

func tagAttrs(b []byte, i, k, end int) (hit, bool) {
	for p := k; p < end; p++ {
		c := b[p]
		if c != 'o' || p+2 >= end || b[p+1] != 'n' {
			continue
		}
		prev := b[p-1]
		if isIdent(prev) || prev == '-' || prev == '.' {
			continue
		}
		q := p + 2
		for q < end && isLetter(b[q]) {
			q++
		}
		if q-p < 5 {
			continue
		}
		r := q
		for r < end && (isSpace(b[r]) || b[r] < 0x20) {
			r++
		}
		if r < len(b) && b[r] == '=' {
			return hit{rule: "xss.event_handler", frag: span(b, i, end+1)}, true
		}
	}
	tag := b[i:min(end+1, len(b))]
	if h, ok := tagWords(tag); ok {
		return h, true
	}
	if indexByte(tag, '\\') >= 0 && indexFrom(tag, "style", 0) >= 0 {
		// CSS escapes: \0075\0072\006C\0028 is "url("
		var buf [512]byte
		if u := cssUnescape(buf[:0], tag); cssActive(u) || indexFrom(u, "javascript:", 0) >= 0 || indexFrom(u, "vbscript:", 0) >= 0 {
			return hit{rule: "xss.css_expression", frag: span(tag, 0, MaxFragment)}, true
		}
	}
	return hit{}, false
}

// xssLooseHandler finds a known event-handler attribute outside a tag
// (attribute breakout: `" onmouseover=alert(1)`).
func xssLooseHandler(b []byte) hit {
	for p := indexFrom(b, "on", 0); p >= 0; p = indexFrom(b, "on", p+2) {
		if p > 0 && (isIdent(b[p-1]) || b[p-1] == '-' || b[p-1] == '.' || b[p-1] == '$') {
			continue
		}
		q := p + 2
		for q < len(b) && isLetter(b[q]) {
			q++
		}
		if q-p < 5 || q-p > 30 {
			continue
		}
		r := q
		for r < len(b) && isSpace(b[r]) {
			r++
		}
		if r >= len(b) || b[r] != '=' {
			continue
		}
		if r+1 < len(b) && b[r+1] == '=' {
			continue // a comparison "onx == y"
		}
		if isEventName(b[p+2 : q]) {
			return hit{rule: "xss.event_handler", frag: around(b, p, r+24)}
		}
	}
	return hit{}
}

// xssSchemes finds script-bearing URL schemes, tolerating the tabs and
// newlines a URL parser removes inside the scheme name (java\tscript:).
func xssSchemes(b []byte) hit {
	for c := indexByte(b, ':'); c >= 0; {
		// collect up to 16 letters backwards, skipping whitespace/controls
		var word [16]byte
		wn := 0
		p := c - 1
		for p >= 0 && wn < len(word) {
			ch := b[p]
			if isLetter(ch) {
				word[len(word)-1-wn] = ch
				wn++
			} else if ch == '\t' || ch == '\n' || ch == '\r' {
				// skipped: the URL parser removes ASCII tab and newline
				// anywhere (WHATWG URL); other control bytes inside the
				// scheme make it no scheme at all.
			} else {
				break
			}
			p--
		}
		start := p + 1
		w := word[len(word)-wn:]
		if rule := scriptScheme(w); rule != "" {
			// What precedes the scheme: start of value, an attribute, a
			// quote or a bracket; what follows: code without a space
			// ("javascript:alert(1)", not "JavaScript: the good parts").
			pre := byte(' ')
			pp := start - 1
			for pp >= 0 && (b[pp] == ' ' || b[pp] == '\t') {
				pp--
			}
			if pp >= 0 {
				pre = b[pp]
			}
			atStart := pp < 0
			// (or, past blanks, a call: "javascript:  alert(1)" runs
			// as well, an href's leading blanks being code's)
			nextOK := c+1 < len(b) && (!isSpace(b[c+1]) || callAfterBlanks(b, c+1))
			if rule == "xss.data_uri" {
				if dataURIActive(b, c) && (atStart || !isIdent(pre)) {
					return hit{rule: rule, frag: around(b, start, c+32)}
				}
			} else if (nextOK && (atStart || !isIdent(pre) && pre != '.')) || pre == '=' || pre == '"' || pre == '\'' {
				return hit{rule: rule, frag: around(b, start, c+32)}
			}
		}
		nx := byteFrom(b, c+1, ':')
		if nx < 0 {
			break
		}
		c = nx
	}
	return hit{}
}

// callAfterBlanks reports code at b[i:] past blanks and line breaks: a
// name or a dotted chain of names directly followed by '(' or a backtick
// ("  alert(1)", "\n top.alert`1`"), which a script URL runs; prose after
// a colon ("JavaScript: the good parts") is no call.
func callAfterBlanks(b []byte, i int) bool {
	i = skipSpaces(b, i)
	if i >= len(b) || !(isLetter(b[i]) || b[i] == '_' || b[i] == '$') {
		return false
	}
	for i < len(b) && (isIdent(b[i]) || b[i] == '$' || b[i] == '.') {
		i++
	}
	return i < len(b) && (b[i] == '(' || b[i] == '`')
}

// scriptScheme names the rule of a scheme word w: the whole run of letters
// before the ':' ("ajscript:" is no scheme a browser runs, and the keyword
// gate sees words, not suffixes).
func scriptScheme(w []byte) string {
	switch string(w) {
	case "javascript", "vbscript", "livescript", "ecmascript", "jscript", "mocha", "mhtml":
		return "xss.script_url"
	case "data":
		return "xss.data_uri"
	}
	return ""
}

// dataURIActive reports a data: URL whose media type can run script.
func dataURIActive(b []byte, c int) bool {
	p := skipSpaces(b, c+1)
	for _, mt := range [...]string{"text/html", "text/javascript", "application/javascript", "application/x-javascript",
		"image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml", "text/vbscript", "application/ecmascript",
		";base64,", "text/x-javascript", "application/x-shockwave-flash"} {
		if hasAt(b, p, mt) {
			return true
		}
	}
	return false
}

// xssSinks finds JavaScript sinks called directly after a delimiter
// (string breakout: `';alert(1)//`, `"-prompt(1)-"`). raw is the value as
// sent when b is only its lower-case view ("" otherwise): JavaScript names
// are case-sensitive where it matters to a rule.
func xssSinks(b []byte, raw string) hit {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !isLetter(c) {
			continue
		}
		if i > 0 && (isIdent(b[i-1]) || b[i-1] == '$') {
			continue
		}
		j := i + 1
		for j < len(b) && (isIdent(b[j]) || b[j] == '.') {
			j++
		}
		w := b[i:j]
		if j < len(b) {
			// a sink reached through an object: x.parentWindow.alert(1)
			if d := lastDot(w); d >= 0 && (b[j] == '(' || b[j] == '`') && !(hasAt(b, j, "()") && !windowObject(w[:d])) {
				// (a method of that name called without an argument on
				// an object of its own, readline's "rl.prompt()", is an
				// API call, not a dialog)
				switch string(w[d+1:]) {
				case "alert", "prompt", "confirm", "eval", "execscript", "fromcharcode":
					return hit{rule: "xss.js_sink", frag: around(b, i, j+24)}
				}
			}
			// window-object indexing: top['al'+'ert'](1), self[...]
			if b[j] == '[' && (i == 0 || jsDelim(b[i-1])) {
				if identKind(w) == jsGlobal {
					// searched within the 128 bytes that can count, so
					// that a run of "top[" stays linear
					if e := indexFrom(b[:min(len(b), j+128)], "](", j); e > j {
						return hit{rule: "xss.js_sink", frag: around(b, i, e+24)}
					}
				}
			}
			// print(): the dialog opened where alert() is blocked, a
			// call without arguments after a delimiter (print(x) is
			// Python's; Print() is no JavaScript name)
			if string(w) == "print" && (raw == "" || raw[i:j] == "print") && hasAt(b, j, "()") && (i == 0 || jsDelim(b[i-1])) && callEnds(b, j+2) && !markdownCodeSpan(b, i, j) {
				return hit{rule: "xss.js_sink", frag: around(b, max(0, i-1), j+24)}
			}
			// function reference: [1].find(alert), setTimeout(alert)
			if b[j] == ')' && i > 0 && b[i-1] == '(' {
				switch string(w) {
				case "alert", "prompt", "confirm", "eval":
					return hit{rule: "xss.js_sink", frag: around(b, max(0, i-8), j+8)}
				}
			}
			switch string(w) {
			case "alert", "prompt", "confirm", "eval", "settimeout", "setinterval", "execscript", "msgbox",
				"window.alert", "window.eval", "top.alert", "self.alert", "parent.alert", "window.open", "document.write",
				"document.writeln", "string.fromcharcode", "fromcharcode", "atob", "importscripts", "window.location.replace",
				"location.replace", "location.assign", "top.eval", "self.eval":
				if sinkCallContext(b, i, j) && !markdownCodeSpan(b, i, j) {
					return hit{rule: "xss.js_sink", frag: around(b, max(0, i-1), j+24)}
				}
			case "document.cookie", "document.domain", "document.location", "window.location", "location.href",
				"window.location.href", "document.location.href", "top.location.href", "self.location.href", "parent.location.href",
				"document.body.innerhtml", "top.location", "window.name", "document.referrer":
				if i == 0 || jsDelim(b[i-1]) || jsBlankBefore(b, i) < i || b[j] == '=' {
					return hit{rule: "xss.js_sink", frag: around(b, i, j+24)}
				}
			}
		}
		i = j - 1
	}
	return hit{}
}

// sinkCallContext reports a call of the sink named b[i:j] in code: the
// name directly after a delimiter of code, or after JavaScript white
// space that follows a quote break (quoteBreakBefore: "'; alert(1)//",
// "');\u2028alert(1)//"; not code as written, "x = setTimeout(f, 9)",
// or prose, "Note: confirm(it)"), or after an operator word
// (jsOperatorWordBefore), then '(' or a template's backtick. White space
// between the name and its '(' ("';alert (1)//") counts only after a
// delimiter right before the name or an operator word: a word at the
// start of prose is no call ("Prompt (a) shape", "I'm in prompt (a)").
func sinkCallContext(b []byte, i, j int) bool {
	direct := i == 0 || jsDelim(b[i-1])
	opWord := !direct && jsOperatorWordBefore(b, i)
	if b[j] == '(' || b[j] == '`' {
		if direct || opWord {
			return true
		}
		k := jsBlankBefore(b, i)
		return k < i && (k == 0 || quoteBreakBefore(b, k))
	}
	if p := jsBlankAfter(b, j); p > j && p < len(b) && b[p] == '(' {
		return direct && i > 0 || opWord
	}
	return false
}

// quoteBreakBefore reports that b[:k] ends with a quote, or with a quote
// and then operators, parentheses or brackets closed and blanks (at most
// 16 bytes of them): a string broken out of ("x'", "x');", "x\" +",
// "x'] ;").
func quoteBreakBefore(b []byte, k int) bool {
	for e := k; k > 0 && e-k < 16; k-- {
		switch b[k-1] {
		case '\'', '"', '`':
			return true
		case ';', ')', ']', '}', '+', '-', '*', '/', '%', ',', '|', '&', '^', '~', '!', '?', ' ', '\t', '\n', '\r', '\v', '\f':
		default:
			return false
		}
	}
	return false
}

// jsBlankBefore returns the start of the run of JavaScript white space and
// line terminators that ends at i: the ASCII blanks (tab, line feed,
// vertical tab, form feed, carriage return, space) and, in UTF-8, U+00A0,
// U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and
// U+FEFF (ECMAScript's WhiteSpace and LineTerminator).
func jsBlankBefore(b []byte, i int) int {
	for i > 0 {
		if isSpace(b[i-1]) {
			i--
			continue
		}
		if b[i-1] < 0x80 {
			return i
		}
		switch {
		case i >= 2 && jsWideBlank(b, i-2) == 2:
			i -= 2
		case i >= 3 && jsWideBlank(b, i-3) == 3:
			i -= 3
		default:
			return i
		}
	}
	return i
}

// jsBlankAfter returns the end of the run of JavaScript white space and
// line terminators that starts at j (jsBlankBefore's set).
func jsBlankAfter(b []byte, j int) int {
	for j < len(b) {
		if isSpace(b[j]) {
			j++
			continue
		}
		w := jsWideBlank(b, j)
		if w == 0 {
			return j
		}
		j += w
	}
	return j
}

// jsWideBlank returns the length of the UTF-8 encoded non-ASCII
// JavaScript white space or line terminator at b[i:], or 0.
func jsWideBlank(b []byte, i int) int {
	if i+1 < len(b) && b[i] == 0xc2 && b[i+1] == 0xa0 {
		return 2 // U+00A0
	}
	if i+2 >= len(b) {
		return 0
	}
	c1, c2 := b[i+1], b[i+2]
	switch b[i] {
	case 0xe1:
		if c1 == 0x9a && c2 == 0x80 {
			return 3 // U+1680
		}
	case 0xe2:
		if c1 == 0x80 && (c2 <= 0x8a || c2 == 0xa8 || c2 == 0xa9 || c2 == 0xaf) || c1 == 0x81 && c2 == 0x9f {
			return 3 // U+2000-U+200A, U+2028, U+2029, U+202F, U+205F
		}
	case 0xe3:
		if c1 == 0x80 && c2 == 0x80 {
			return 3 // U+3000
		}
	case 0xef:
		if c1 == 0xbb && c2 == 0xbf {
			return 3 // U+FEFF
		}
	}
	return 0
}

// callEnds reports that a call ending at i ends its expression: the end
// of the value or, after blanks, a delimiter of code ("print();",
// "'-print()-'", "print()//"), not a word of prose ("print() is ...").
func callEnds(b []byte, i int) bool {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i >= len(b) {
		return true
	}
	switch b[i] {
	case ';', ',', ')', '}', '\'', '"', '`', '>', '-', '+', '|', '&', '/', '\n', '\r':
		return true
	}
	return false
}

func lastDot(w []byte) int {
	for k := len(w) - 1; k >= 0; k-- {
		if w[k] == '.' {
			return k
		}
	}
	return -1
}

func jsDelim(c byte) bool {
	switch c {
	case ';', '-', '+', '(', '=', '{', '|', '&', ',', '>', '"', '\'', ':', '*', '/', '!', '?', '[', '`', '}', '\n', '\t', '~', '^', '%':
		return true
	}
	return false
}

// isEventName knows the DOM/SVG event handler names (without "on").
func isEventName(w []byte) bool {
	if len(w) < 3 || len(w) > 28 {
		return false
	}
	switch string(w) {
	case "abort", "activate", "afterprint", "afterscriptexecute", "afterupdate", "animationcancel", "animationend",
		"animationiteration", "animationstart", "auxclick", "beforeactivate", "beforecopy", "beforecut",
		"beforedeactivate", "beforeeditfocus", "beforeinput", "beforepaste", "beforeprint", "beforescriptexecute",
		"beforetoggle", "beforeunload", "beforeupdate", "begin", "blur", "bounce", "cancel", "canplay", "canplaythrough",
		"cellchange", "change", "click", "close", "contextmenu", "controlselect", "copy", "cuechange", "cut",
		"dataavailable", "datasetchanged", "datasetcomplete", "dblclick", "deactivate", "drag", "dragdrop", "dragend",
		"dragenter", "dragexit", "dragleave", "dragover", "dragstart", "drop", "durationchange", "emptied", "end",
		"ended", "error", "errorupdate", "filterchange", "finish", "focus", "focusin", "focusout", "formdata",
		"fullscreenchange", "gotpointercapture", "hashchange", "help", "input", "invalid", "keydown", "keypress",
		"keyup", "layoutcomplete", "load", "loadeddata", "loadedmetadata", "loadend", "loadstart", "losecapture",
		"lostpointercapture", "message", "mousedown", "mouseenter", "mouseleave", "mousemove", "mouseout",
		"mouseover", "mouseup", "mousewheel", "move", "moveend", "movestart", "mozfullscreenchange", "offline",
		"online", "pagehide", "pageshow", "paste", "pause", "play", "playing", "pointercancel", "pointerdown",
		"pointerenter", "pointerleave", "pointermove", "pointerout", "pointerover", "pointerrawupdate", "pointerup",
		"popstate", "progress", "propertychange", "ratechange", "readystatechange", "repeat", "reset", "resize",
		"resizeend", "resizestart", "rowenter", "rowexit", "rowsdelete", "rowsinserted", "scroll", "scrollend",
		"search", "securitypolicyviolation", "seeked", "seeking", "select", "selectionchange", "selectstart", "show",
		"stalled", "start", "storage", "submit", "suspend", "timeout", "timeupdate", "toggle", "touchcancel",
		"touchend", "touchmove", "touchstart", "transitioncancel", "transitionend", "transitionrun",
		"transitionstart", "unhandledrejection", "unload", "volumechange", "waiting", "webkitanimationend",
		"webkitanimationiteration", "webkitanimationstart", "webkittransitionend", "wheel", "zoom":
		return true
	}
	return false
}

// markdownCodeSpan reports a call b[i:j](...) that is the whole of a
// Markdown code span in prose ("use `alert()` to show a dialog"): a
// backtick after a space or the start, the call with plain arguments, a
// backtick, then a space, punctuation or the end. A template literal
// broken out of needs more than that (`;alert(1);`, ${...}).
func markdownCodeSpan(b []byte, i, j int) bool {
	if i > 0 && b[i-1] == '`' && (i == 1 || b[i-2] == ' ' || b[i-2] == '\n' || b[i-2] == '(' || b[i-2] == '[') && j < len(b) && b[j] == '`' {
		// the name alone in a code span ("`setTimeout` is mocked"): in
		// JavaScript a template literal holding the name, not a call;
		// a tagged template ("alert`1`") has the name before its
		// backtick, not inside a span closed by blank or punctuation
		return j+1 == len(b) || b[j+1] == ' ' || b[j+1] == '\n' || b[j+1] == '.' || b[j+1] == ',' || b[j+1] == ';' || b[j+1] == ':' || b[j+1] == ')' || b[j+1] == ']'
	}
	if i == 0 || b[i-1] != '`' || i >= 2 && b[i-2] != ' ' || j >= len(b) || b[j] != '(' {
		return false
	}
	e := j + 1
	for e < len(b) && e-j < 64 && (isIdent(b[e]) || b[e] == ' ' || b[e] == ',' || b[e] == '.') {
		e++
	}
	if e+1 >= len(b) || b[e] != ')' || b[e+1] != '`' {
		return false
	}
	return e+2 == len(b) || b[e+2] == ' ' || b[e+2] == '.' || b[e+2] == ',' || b[e+2] == ';' || b[e+2] == ':' || b[e+2] == ')'
}

// windowObject reports a receiver chain w (lower case) that starts at the
// global object or one of its aliases (identKind's jsGlobal: window, self,
// top, parent, frames, globalThis, content, this), at opener, or at the
// document (its defaultView).
func windowObject(w []byte) bool {
	first := w
	if d := indexByte(w, '.'); d >= 0 {
		first = w[:d]
	}
	k := identKind(first)
	return k == jsGlobal || k == jsDoc || string(first) == "opener"
}

// jsOperatorWordBefore reports a sink call at i preceded by a JavaScript
// operator word (typeof, void, instanceof, in, delete, new, await) that
// itself follows a delimiter: "'instanceof alert(1)//", "';void prompt(1)".
func jsOperatorWordBefore(b []byte, i int) bool {
	k := jsBlankBefore(b, i)
	if k == i {
		return false
	}
	e := k
	for k > 0 && isLetter(b[k-1]) {
		k--
	}
	switch string(b[k:e]) {
	case "typeof", "void", "instanceof", "in", "delete", "new", "await":
		return k > 0 && jsDelim(b[k-1]) && b[k-1] != ' '
	}
	return false
}

// asciiHighTags judges markup written with the Latin-1 characters whose
// low seven bits are '<', '>' and '"' (U+00BC '¼', U+00BE '¾', U+00A2 '¢'):
// a page served as US-ASCII drops the high bit, and "¼script¾alert(¢XSS¢)
// ¼/script¾" becomes a script element (CRS 941310). The tag rules read
// a view with those characters replaced, so "¼ cup sugar, ¾ cup flour"
// stays text.
func asciiHighTags(st *state) hit {
	b := st.n
	if indexFrom(b, "\u00bc", 0) < 0 {
		return hit{}
	}
	v := st.scratch()
	for i := 0; i < len(b); i++ {
		if b[i] == 0xc2 && i+1 < len(b) {
			switch b[i+1] {
			case 0xbc:
				v = append(v, '<')
				i++
				continue
			case 0xbe:
				v = append(v, '>')
				i++
				continue
			case 0xa2:
				v = append(v, '"')
				i++
				continue
			}
		}
		v = append(v, b[i])
	}
	return xssTags(v)
}
