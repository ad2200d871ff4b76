package guard

import "strings"

// gqlDocumentRef is gqlDocument as it was before its byte-class table
// (FuzzGraphQL compares them); it reports whether src is a GraphQL executable document; when
// fn is non-nil it is called for each string value.
func gqlDocumentRef(src string, fn func(arg, v string)) bool {
	var stack [64]byte
	depth := 0
	first := true
	sawSelection := false
	lastName := "" // the most recent name
	argName := ""  // the name before the most recent ':'
	// inArgs counts the open '(' and '[' on the stack: outside them a
	// '{' opens a selection set, where only names, aliases, fragment
	// spreads and directives may stand (no values, no variables), and a
	// selection set opens only after a name, a ')' or at the start.
	inArgs := 0
	prev := byte(0) // the previous token: 'n' name, else the punctuator
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',':
			i++
			continue
		case c == 0xEF && strings.HasPrefix(src[i:], "\uFEFF"):
			i += 3
			continue
		case c == '#':
			j := i + 1
			for j < len(src) && src[j] != '\n' && src[j] != '\r' {
				j++
			}
			if fn != nil && j > i+1 {
				// Comments reach no resolver, but a string that only
				// looks like GraphQL could hide text in one: judge it.
				fn("#", src[i+1:j])
			}
			i = j
			continue
		}
		if first {
			first = false
			if c != '{' {
				j := i
				for j < len(src) && refNameChar(src[j]) {
					j++
				}
				switch src[i:j] {
				case "query", "mutation", "subscription", "fragment":
				default:
					return false
				}
			}
		}
		if inArgs == 0 && !(c == '{' || c == '}' || c == '(' || c == ':' || c == '@' || c == '.' || refNameStart(c)) {
			return false // a value, variable or type-system punctuator inside a selection set
		}
		switch {
		case c == '{' || c == '(' || c == '[':
			if depth == len(stack) {
				return false
			}
			if c == '{' && inArgs == 0 {
				// where a selection set may open: at the start, after a
				// field name or its arguments, after "..." (an inline
				// fragment with no type condition), and at the top level
				// after a definition (a shorthand query)
				opens := false
				switch prev {
				case 0, 'n', ')':
					opens = true
				case '.':
					opens = depth > 0
				case '}':
					opens = depth == 0
				}
				if !opens {
					return false
				}
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
		case c == '}' || c == ')' || c == ']':
			if depth == 0 || stack[depth-1] != opener(c) {
				return false
			}
			depth--
			if c != '}' {
				inArgs--
			}
			prev = c
			i++
		case c == ':':
			argName = lastName
			prev = c
			i++
		case c == '!' || c == '$' || c == '&' || c == '=' || c == '@' || c == '|':
			prev = c
			i++
		case c == '.':
			if !strings.HasPrefix(src[i:], "...") {
				return false
			}
			prev = '.'
			i += 3
		case refNameStart(c):
			j := i + 1
			for j < len(src) && refNameChar(src[j]) {
				j++
			}
			lastName = src[i:j]
			prev = 'n'
			i = j
		case c == '-' || '0' <= c && c <= '9':
			j := gqlNumber(src, i)
			if j < 0 {
				return false
			}
			i = j
		case c == '"':
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
				fn(argName, v)
			}
		default:
			return false
		}
	}
	return depth == 0 && sawSelection && !first
}

func refNameStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func refNameChar(c byte) bool  { return refNameStart(c) || '0' <= c && c <= '9' }
