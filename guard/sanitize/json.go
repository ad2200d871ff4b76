package sanitize

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxDepth matches encoding/json's nesting limit.
const maxDepth = 10000

// maxErrPath is how many trailing steps of the location a JSONError shows.
const maxErrPath = 16

type stepKind uint8

const (
	stepKey      stepKind = iota // member with a given name
	stepAnyKey                   // every member: *
	stepIndex                    // element N: [N]
	stepAnyIndex                 // every element: [*]
)

type step struct {
	kind  stepKind
	key   string
	index int
}

func (st step) matchKey(k string) bool {
	return st.kind == stepAnyKey || (st.kind == stepKey && st.key == k)
}

func (st step) matchIndex(i int) bool {
	return st.kind == stepAnyIndex || (st.kind == stepIndex && st.index == i)
}

// parsePath compiles one field path (surrounding white space ignored); see
// the package documentation.
func parsePath(orig string) ([]step, error) {
	path := strings.TrimSpace(orig)
	lead := len(orig) - len(strings.TrimLeft(orig, " \t\r\n\v\f"))
	bad := func(off int, reason string) error {
		return &PathError{Path: orig, Offset: lead + off, Reason: reason}
	}
	if path == "" {
		return nil, bad(0, "empty path")
	}
	var steps []step
	i := 0
	for i < len(path) {
		switch c := path[i]; {
		case c == '[':
			j := i + 1
			switch {
			case j < len(path) && path[j] == '"':
				end := j + 1
				for end < len(path) && path[end] != '"' {
					if path[end] == '\\' {
						end++
					}
					end++
				}
				if end >= len(path) {
					return nil, bad(j, "unterminated quoted member name")
				}
				var key string
				if err := json.Unmarshal([]byte(path[j:end+1]), &key); err != nil {
					return nil, bad(j, "quoted member name is not a JSON string")
				}
				if end+1 >= len(path) || path[end+1] != ']' {
					return nil, bad(end+1, "missing ']' after quoted member name")
				}
				steps = append(steps, step{kind: stepKey, key: key})
				i = end + 2
			case j < len(path) && path[j] == '*':
				if j+1 >= len(path) || path[j+1] != ']' {
					return nil, bad(j+1, "missing ']' after '[*'")
				}
				steps = append(steps, step{kind: stepAnyIndex})
				i = j + 2
			default:
				end := strings.IndexByte(path[j:], ']')
				if end < 0 {
					return nil, bad(i, "missing ']'")
				}
				num := path[j : j+end]
				n, err := strconv.Atoi(num)
				if err != nil || n < 0 || num == "" || (len(num) > 1 && num[0] == '0') || num[0] == '+' {
					return nil, bad(j, "array index must be a non-negative integer, '*' or a quoted member name")
				}
				steps = append(steps, step{kind: stepIndex, index: n})
				i = j + end + 1
			}
		case c == '.':
			if i == 0 || i+1 >= len(path) || path[i+1] == '.' || path[i+1] == '[' {
				return nil, bad(i, "empty member name")
			}
			i++
			fallthrough
		default:
			j := i
			for j < len(path) && !nameEnd(path[j]) {
				j++
			}
			if j == i {
				return nil, bad(i, "unexpected "+strconv.QuoteRune(rune(path[i])))
			}
			if i > 0 && path[i-1] != '.' {
				return nil, bad(i, "missing '.' before member name")
			}
			name := path[i:j]
			if name == "*" {
				steps = append(steps, step{kind: stepAnyKey})
			} else {
				steps = append(steps, step{kind: stepKey, key: name})
			}
			i = j
		}
	}
	return steps, nil
}

func nameEnd(c byte) bool {
	switch c {
	case '.', '[', ']', '"', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

// JSONFields returns body with the string values at paths sanitised with
// the policy of s; see the package documentation for the path syntax. Every
// byte outside the rewritten strings is kept as it was (white space, key
// order, number spelling, escapes), and a string whose sanitised value
// equals its value keeps its original spelling. When nothing changes, body
// itself is returned.
//
// JSONFields fails with a [*PathError] naming a path it cannot parse, and
// with a [*JSONError] giving the byte offset and document location where
// body stops being valid JSON (nesting deeper than 10000 included).
func (s *Sanitizer) JSONFields(body []byte, paths []string) ([]byte, error) {
	compiled := make([][]step, 0, len(paths))
	for _, p := range paths {
		steps, err := parsePath(p)
		if err != nil {
			return nil, err
		}
		compiled = append(compiled, steps)
	}
	w := walker{src: body, paths: compiled, html: s.HTML}
	active := make([]state, len(compiled))
	for i := range compiled {
		active[i] = state{path: i}
	}
	w.skipSpace()
	if err := w.value(active, false); err != nil {
		return nil, err
	}
	w.skipSpace()
	if w.pos < len(body) {
		return nil, w.fail("unexpected data after the top-level value")
	}
	if len(w.edits) == 0 {
		return body, nil
	}
	out := make([]byte, 0, len(body)+len(body)/8)
	prev := 0
	for _, e := range w.edits {
		out = append(out, body[prev:e.start]...)
		out = append(out, e.repl...)
		prev = e.end
	}
	return append(out, body[prev:]...), nil
}

// state: path has matched its first step steps at the current value.
type state struct{ path, step int }

type edit struct {
	start, end int
	repl       []byte
}

// pathElem is one step of the location being walked, for error messages:
// an array index, or a member whose name literal is src[start:end].
type pathElem struct {
	start, end int
	index      int // -1 for members
}

type walker struct {
	src   []byte
	pos   int
	paths [][]step
	html  func(string) string
	edits []edit
	stack []pathElem
}

func (w *walker) fail(reason string) error {
	var b strings.Builder
	elems := w.stack
	if len(elems) > maxErrPath {
		b.WriteString("…")
		elems = elems[len(elems)-maxErrPath:]
	}
	for _, e := range elems {
		if e.index >= 0 {
			b.WriteString("[" + strconv.Itoa(e.index) + "]")
			continue
		}
		if b.Len() > 0 && b.String() != "…" {
			b.WriteByte('.')
		}
		b.WriteString(decodeString(w.src[e.start:e.end]))
	}
	return &JSONError{Offset: w.pos, Path: b.String(), Reason: reason}
}

func (w *walker) skipSpace() {
	for w.pos < len(w.src) {
		switch w.src[w.pos] {
		case ' ', '\t', '\r', '\n':
			w.pos++
		default:
			return
		}
	}
}

// value parses the value at w.pos. active lists the paths that reached it;
// all says it lies inside a targeted subtree, so every string is rewritten.
func (w *walker) value(active []state, all bool) error {
	if len(w.stack) >= maxDepth {
		return w.fail("nesting deeper than 10000")
	}
	for _, st := range active {
		if st.step == len(w.paths[st.path]) {
			all = true
			break
		}
	}
	if w.pos >= len(w.src) {
		return w.fail("unexpected end of input, want a value")
	}
	switch c := w.src[w.pos]; {
	case c == '{':
		return w.object(active, all)
	case c == '[':
		return w.array(active, all)
	case c == '"':
		start := w.pos
		esc, err := w.str()
		if err != nil {
			return err
		}
		if all {
			w.rewrite(start, w.pos, esc)
		}
		return nil
	case c == '-' || ('0' <= c && c <= '9'):
		return w.number()
	case c == 't':
		return w.literal("true")
	case c == 'f':
		return w.literal("false")
	case c == 'n':
		return w.literal("null")
	}
	return w.fail("unexpected " + strconv.QuoteRune(rune(w.src[w.pos])) + ", want a value")
}

func (w *walker) object(active []state, all bool) error {
	w.pos++ // {
	w.skipSpace()
	if w.pos < len(w.src) && w.src[w.pos] == '}' {
		w.pos++
		return nil
	}
	var next []state
	for {
		if w.pos >= len(w.src) || w.src[w.pos] != '"' {
			return w.fail("want a member name")
		}
		start := w.pos
		esc, err := w.str()
		if err != nil {
			return err
		}
		keyLit := w.src[start:w.pos]
		w.skipSpace()
		if w.pos >= len(w.src) || w.src[w.pos] != ':' {
			return w.fail("want ':' after member name")
		}
		w.pos++
		w.skipSpace()
		next = next[:0]
		if len(active) > 0 {
			key := string(keyLit[1 : len(keyLit)-1]) // converted only when compared, no copy
			if esc {
				key = decodeString(keyLit)
			}
			for _, st := range active {
				if steps := w.paths[st.path]; st.step < len(steps) && steps[st.step].matchKey(key) {
					next = append(next, state{st.path, st.step + 1})
				}
			}
		}
		w.stack = append(w.stack, pathElem{start: start, end: start + len(keyLit), index: -1})
		if err := w.value(next, all); err != nil {
			return err
		}
		w.stack = w.stack[:len(w.stack)-1]
		w.skipSpace()
		if w.pos >= len(w.src) {
			return w.fail("unexpected end of input in object")
		}
		switch w.src[w.pos] {
		case ',':
			w.pos++
			w.skipSpace()
		case '}':
			w.pos++
			return nil
		default:
			return w.fail("want ',' or '}' in object")
		}
	}
}

func (w *walker) array(active []state, all bool) error {
	w.pos++ // [
	w.skipSpace()
	if w.pos < len(w.src) && w.src[w.pos] == ']' {
		w.pos++
		return nil
	}
	var next []state
	for i := 0; ; i++ {
		next = next[:0]
		for _, st := range active {
			if steps := w.paths[st.path]; st.step < len(steps) && steps[st.step].matchIndex(i) {
				next = append(next, state{st.path, st.step + 1})
			}
		}
		w.stack = append(w.stack, pathElem{index: i})
		if err := w.value(next, all); err != nil {
			return err
		}
		w.stack = w.stack[:len(w.stack)-1]
		w.skipSpace()
		if w.pos >= len(w.src) {
			return w.fail("unexpected end of input in array")
		}
		switch w.src[w.pos] {
		case ',':
			w.pos++
			w.skipSpace()
		case ']':
			w.pos++
			return nil
		default:
			return w.fail("want ',' or ']' in array")
		}
	}
}

// str consumes a string literal and reports whether it holds escapes.
func (w *walker) str() (bool, error) {
	w.pos++ // "
	esc := false
	for w.pos < len(w.src) {
		c := w.src[w.pos]
		switch {
		case c == '"':
			w.pos++
			return esc, nil
		case c < 0x20:
			return false, w.fail("control character in string")
		case c == '\\':
			esc = true
			w.pos++
			if w.pos >= len(w.src) {
				return false, w.fail("unexpected end of input in string escape")
			}
			switch w.src[w.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				w.pos++
			case 'u':
				if w.pos+5 > len(w.src) {
					return false, w.fail("short \\u escape")
				}
				for _, h := range w.src[w.pos+1 : w.pos+5] {
					if !isHex(h) {
						return false, w.fail("bad hex digit in \\u escape")
					}
				}
				w.pos += 5
			default:
				return false, w.fail("invalid escape character " + strconv.QuoteRune(rune(w.src[w.pos])))
			}
		default:
			w.pos++
		}
	}
	return false, w.fail("unterminated string")
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func (w *walker) number() error {
	s, p := w.src, w.pos
	if p < len(s) && s[p] == '-' {
		p++
	}
	switch {
	case p < len(s) && s[p] == '0':
		p++
	case p < len(s) && '1' <= s[p] && s[p] <= '9':
		for p < len(s) && '0' <= s[p] && s[p] <= '9' {
			p++
		}
	default:
		w.pos = p
		return w.fail("want a digit")
	}
	if p < len(s) && s[p] == '.' {
		p++
		if p >= len(s) || s[p] < '0' || s[p] > '9' {
			w.pos = p
			return w.fail("want a digit after '.'")
		}
		for p < len(s) && '0' <= s[p] && s[p] <= '9' {
			p++
		}
	}
	if p < len(s) && (s[p] == 'e' || s[p] == 'E') {
		p++
		if p < len(s) && (s[p] == '+' || s[p] == '-') {
			p++
		}
		if p >= len(s) || s[p] < '0' || s[p] > '9' {
			w.pos = p
			return w.fail("want a digit in exponent")
		}
		for p < len(s) && '0' <= s[p] && s[p] <= '9' {
			p++
		}
	}
	w.pos = p
	return nil
}

func (w *walker) literal(lit string) error {
	if !strings.HasPrefix(string(w.src[w.pos:min(len(w.src), w.pos+len(lit))]), lit) {
		return w.fail("invalid literal, want " + lit)
	}
	w.pos += len(lit)
	return nil
}

// rewrite records the sanitised form of the string literal src[start:end].
func (w *walker) rewrite(start, end int, esc bool) {
	lit := w.src[start:end]
	val := string(lit[1 : len(lit)-1])
	if esc {
		val = decodeString(lit)
	}
	clean := w.html(val)
	if clean == val {
		return
	}
	w.edits = append(w.edits, edit{start: start, end: end, repl: encodeString(clean)})
}

// decodeString decodes a string literal already validated by walker.str.
func decodeString(lit []byte) string {
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		// Unreachable: str validated the literal. Fall back to the raw text
		// so that the caller still sanitises something.
		return string(lit[1 : len(lit)-1])
	}
	return s
}

// encodeString writes s as a JSON string literal like encoding/json does,
// but without escaping '<', '>' and '&' (sanitised HTML keeps its entities
// readable).
func encodeString(s string) []byte {
	const hex = "0123456789abcdef"
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
