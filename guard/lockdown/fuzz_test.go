package lockdown

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseSpec: never panics; an error is a *ParseError whose token occurs
// in the (lower-cased) input; a success round-trips through String.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"", "off", "exec", "EXEC", "exec,fs", "exec,", ",", "off,exec", " exec , exec ", "fs", "exec\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := ParseSpec(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrInvalidSpec) || pe.Reason == "" || pe.Input != s {
				t.Fatalf("ParseSpec(%q) error %#v is not a complete *ParseError", s, err)
			}
			if !strings.Contains(strings.ToLower(s), pe.Token) {
				t.Fatalf("token %q not in input %q", pe.Token, s)
			}
			if spec != (Spec{}) {
				t.Fatalf("non-zero spec %+v with error", spec)
			}
			return
		}
		again, err := ParseSpec(spec.String())
		if err != nil || again != spec {
			t.Fatalf("ParseSpec(%q) = %+v but String %q re-parses to %+v, %v", s, spec, spec.String(), again, err)
		}
	})
}
