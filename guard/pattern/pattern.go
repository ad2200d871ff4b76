// Package pattern links the RE2 engine for FNGUARD_DENY_PATTERNS.
//
// The deny patterns of FNGUARD_DENY_PATTERNS are RE2 regular expressions
// (package regexp). The engine does not import regexp itself, so that a
// function without deny patterns does not carry it; a program that sets
// FNGUARD_DENY_PATTERNS links this package:
//
//	import _ "github.com/fnguard/fnguard/guard/pattern"
//
// Without it, a set FNGUARD_DENY_PATTERNS makes guard.New fail with a
// *guard.ConfigError naming this package: the patterns are never silently
// ignored. guard.WithDenyPattern needs no import (the option links regexp
// itself).
package pattern

import (
	"regexp"

	"github.com/fnguard/fnguard/guard/internal/hooks"
)

func init() {
	hooks.DenyPattern = Compile
}

// Compile compiles an RE2 pattern (regexp.Compile's syntax) into a function
// returning the leftmost match in a string, "" when there is none. It is
// what guard.New uses for FNGUARD_DENY_PATTERNS.
func Compile(pattern string) (func(string) string, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	return re.FindString, nil
}
