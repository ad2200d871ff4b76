package sanitize

import (
	"fmt"
	"strings"

	"github.com/microcosm-cc/bluemonday"

	"github.com/fnguard/fnguard/guard/internal/hooks"
)

// Policy names a bluemonday policy.
type Policy string

const (
	Strict Policy = "strict" // strip all HTML, keep the text
	UGC    Policy = "ugc"    // keep safe user-generated-content markup
)

func init() {
	hooks.HTMLSanitizer = func(policy string) (func(string) string, error) {
		p, err := ParsePolicy(policy)
		if err != nil {
			return nil, err
		}
		s, err := New(p)
		if err != nil {
			return nil, err
		}
		return s.HTML, nil
	}
	hooks.HTMLFields = func(policy string, paths []string) (func([]byte) ([]byte, error), error) {
		p, err := ParsePolicy(policy)
		if err != nil {
			return nil, err
		}
		s, err := New(p)
		if err != nil {
			return nil, err
		}
		for _, path := range paths {
			if _, err := parsePath(path); err != nil {
				return nil, err
			}
		}
		paths = append([]string(nil), paths...)
		return func(body []byte) ([]byte, error) { return s.JSONFields(body, paths) }, nil
	}
}

// ParsePolicy parses a policy name, ignoring case and surrounding white
// space: "strict" or "ugc".
func ParsePolicy(s string) (Policy, error) {
	switch p := Policy(strings.ToLower(strings.TrimSpace(s))); p {
	case Strict, UGC:
		return p, nil
	}
	return "", fmt.Errorf("%w %q: want %q or %q", ErrUnknownPolicy, s, Strict, UGC)
}

// Sanitizer applies one policy. It is safe for concurrent use.
type Sanitizer struct {
	policy Policy
	bm     *bluemonday.Policy
}

// New returns a Sanitizer for p, which must be [Strict] or [UGC].
func New(p Policy) (*Sanitizer, error) {
	var bm *bluemonday.Policy
	switch p {
	case Strict:
		bm = bluemonday.StrictPolicy()
	case UGC:
		bm = bluemonday.UGCPolicy()
	default:
		return nil, fmt.Errorf("%w %q: want %q or %q", ErrUnknownPolicy, string(p), Strict, UGC)
	}
	return &Sanitizer{policy: p, bm: bm}, nil
}

// Policy returns the policy s applies.
func (s *Sanitizer) Policy() Policy { return s.policy }

// HTML returns in sanitised by the policy.
func (s *Sanitizer) HTML(in string) string { return s.bm.Sanitize(in) }
