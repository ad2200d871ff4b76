package guard

import (
	"errors"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard/internal/hooks"
	_ "github.com/fnguard/fnguard/guard/pattern" // links FNGUARD_DENY_PATTERNS for the env tests
)

// Without guard/pattern linked, FNGUARD_DENY_PATTERNS must fail New, never
// leave the patterns unchecked; WithDenyPattern needs no link.
func TestDenyPatternsNotLinked(t *testing.T) {
	saved := hooks.DenyPattern
	hooks.DenyPattern = nil
	defer func() { hooks.DenyPattern = saved }()
	t.Setenv("FNGUARD_DENY_PATTERNS", `{"internal":"(?i)corp\\.internal"}`)
	_, err := New()
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Var != "FNGUARD_DENY_PATTERNS" || !strings.Contains(err.Error(), "guard/pattern") {
		t.Fatalf("err = %v", err)
	}
	g, err := New(WithoutEnv(), WithDenyPattern("internal", `(?i)corp\.internal`))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.custom) != 1 || g.custom[0].find("wiki.CORP.internal") != "CORP.internal" {
		t.Errorf("WithDenyPattern without guard/pattern: custom rules %+v", g.custom)
	}
}

func TestWithDenyPatternInvalid(t *testing.T) {
	_, err := New(WithoutEnv(), WithDenyPattern("bad", "(unclosed"))
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Var != "WithDenyPattern" || !strings.Contains(err.Error(), "bad") {
		t.Fatalf("err = %v", err)
	}
}
