package sqlguard

import (
	"github.com/fnguard/fnguard/guard"
)

// Rules of SQL sink findings.
const (
	RuleComment   = "sql.comment"   // the input opens a comment that cuts the rest of the statement
	RuleStacked   = "sql.stacked"   // the input ends the statement and starts another
	RuleUnion     = "sql.union"     // the input adds a UNION
	RuleTautology = "sql.tautology" // the input adds OR/XOR/|| or a literal compared with itself
	RuleStructure = "sql.structure" // the input spans several tokens, some of them keywords, operators or parentheses
	RuleSyntax    = "sql.syntax"    // the statement no longer tokenises because of the input (monitor only)
)

// Judge says whether input, found in stmt, changes the statement's
// structure in dialect d. It is the decision sqlguard applies to every
// statement and every input of the invocation in the call's context; it
// does not allocate unless the statement fails to tokenise.
func Judge(d Dialect, stmt, input string) (guard.SinkVerdict, string) {
	if oneWord(input) {
		return guard.SinkSafe, ""
	}
	return guard.WorstOccurrence(stmt, input, func(s, e int) (guard.SinkVerdict, string) {
		return analyzeAt(d, stmt, s, e)
	})
}

// oneWord reports an input made only of letters, digits, '_' and '.': it
// can neither open a comment nor bring in an operator, separator, quote or
// parenthesis, so wherever it occurs it changes no structure (an id, a sort
// column, a qualified name, a number).
func oneWord(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// analyzeAt judges the occurrence of an input at stmt[s:e].
func analyzeAt(d Dialect, stmt string, s, e int) (guard.SinkVerdict, string) {
	l := lexer{src: stmt, d: d}
	var (
		prev, first, last         token
		havePrev                  bool
		n                         int
		sortCtx                   bool
		lastKw                    keyword
		opensComment, stacked     bool
		union, taut, nonLiteral   bool
		errInInput, broken        bool
		depth                     int
		ring                      [3]token // last three overlapped tokens, for 'a'='a'
		beforeLast, afterInputEnd bool
	)
	for {
		t := l.next()
		if t.kind == tEOF {
			break
		}
		if afterInputEnd {
			if t.kind == tError {
				broken = true
			}
			continue
		}
		if t.end <= s {
			if t.kind == tComment {
				continue
			}
			prev, havePrev = t, true
			if t.kind == tKeyword {
				switch t.kw {
				case kwBy:
					sortCtx = lastKw == kwOrder
				case kwAsc, kwDesc, kwNulls, kwFirst, kwLast:
				default:
					sortCtx = false
				}
				lastKw = t.kw
			}
			continue
		}
		if t.start >= e {
			afterInputEnd = true
			if t.kind == tError {
				broken = true
			}
			continue
		}
		n++
		if n == 1 {
			first = t
		}
		ring[0], ring[1], ring[2] = ring[1], ring[2], t
		switch t.kind {
		case tComment:
			if t.start >= s {
				opensComment = true
			}
		case tError:
			broken = true
			if t.start >= s {
				errInInput = true
				opensComment = opensComment || t.comment
			}
		case tSemicolon:
			stacked = true
		case tKeyword:
			switch t.kw {
			case kwOr, kwXor:
				taut = true
			case kwUnion:
				union = true
			case kwAsc, kwDesc, kwNulls, kwFirst, kwLast:
				if !sortCtx {
					nonLiteral = true
				}
			case kwTrue, kwFalse, kwNull:
			default:
				nonLiteral = true
			}
		case tOperator:
			nonLiteral = true
			if d == MySQL && stmt[t.start:t.end] == "||" {
				taut = true
			}
			if stmt[t.start:t.end] == "=" || stmt[t.start:t.end] == "==" {
				beforeLast = true
			}
		case tLParen:
			if n > 1 && (last.kind == tIdent || last.kind == tQIdent || last.kind == tKeyword) {
				nonLiteral = true // a function call
			}
			depth++
		case tRParen:
			if depth--; depth < 0 {
				nonLiteral = true // closes a parenthesis opened outside the input
			}
		}
		if beforeLast && isLiteral(ring[0].kind) && ring[1].kind == tOperator && isLiteral(ring[2].kind) &&
			unquote(stmt[ring[0].start:ring[0].end]) == unquote(stmt[ring[2].start:ring[2].end]) {
			taut = true
		}
		last = t
	}
	if depth > 0 {
		nonLiteral = true // opens a parenthesis it does not close
	}
	switch {
	case opensComment:
		return guard.SinkInjection, RuleComment
	case n == 0:
		return guard.SinkSafe, ""
	case n >= 2 && stacked:
		return guard.SinkInjection, RuleStacked
	case n >= 2 && union:
		return guard.SinkInjection, RuleUnion
	case n >= 2 && taut:
		return guard.SinkInjection, RuleTautology
	case n >= 2 && nonLiteral && !coincidence(first, last, prev, havePrev, s, e, afterInputEnd, errInInput):
		return guard.SinkInjection, RuleStructure
	case broken && tokenizes(d, stmt[:s]+"x"+stmt[e:]):
		return guard.SinkSuspect, RuleSyntax
	}
	return guard.SinkSafe, ""
}

// coincidence reports whether a multi-token input merely happens to appear
// in a statement written by the program: it lines up with whole tokens,
// follows a complete operand (or starts the statement without being all of
// it), and brings no quote, comment or separator. A search for "order by"
// against a parameterised "... = $1 ORDER BY rank" is such a case; an
// input inserted where a value belongs never follows a complete operand.
func coincidence(first, last, prev token, havePrev bool, s, e int, more, errInInput bool) bool {
	if errInInput || first.start != s || last.end != e {
		return false
	}
	if havePrev {
		return valueEnd(prev.kind)
	}
	return more
}

func isLiteral(k kind) bool {
	return k == tNumber || k == tString || k == tIdent || k == tQIdent
}

// unquote strips one pair of surrounding quotes (and a one-letter prefix
// such as E or N) for comparing two literals.
func unquote(s string) string {
	if len(s) >= 3 && s[1] == '\'' && s[len(s)-1] == '\'' {
		return s[2 : len(s)-1]
	}
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"' || s[0] == '`') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// tokenizes reports whether stmt lexes without an unterminated string,
// identifier or comment.
func tokenizes(d Dialect, stmt string) bool {
	l := lexer{src: stmt, d: d}
	for {
		switch l.next().kind {
		case tEOF:
			return true
		case tError:
			return false
		}
	}
}
