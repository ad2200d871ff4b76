package pattern_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/pattern"
)

func TestCompile(t *testing.T) {
	find, err := pattern.Compile(`(?i)corp\.internal`)
	if err != nil {
		t.Fatal(err)
	}
	if got := find("http://db.CORP.internal/x"); got != "CORP.internal" {
		t.Errorf("find = %q, want CORP.internal", got)
	}
	if got := find("http://example.com/"); got != "" {
		t.Errorf("find = %q, want no match", got)
	}
	if _, err := pattern.Compile("(unclosed"); err == nil {
		t.Error("Compile accepted an invalid pattern")
	}
}

// With this package linked, FNGUARD_DENY_PATTERNS works: a value matching a
// pattern (as sent or once decoded) is a custom finding.
func TestDenyPatternsFromEnv(t *testing.T) {
	t.Setenv("FNGUARD_DENY_PATTERNS", `{"internal-host":"(?i)corp\\.internal"}`)
	g, err := guard.New(guard.WithMode(guard.Block))
	if err != nil {
		t.Fatal(err)
	}
	inv := func(q string) *guard.Invocation {
		return &guard.Invocation{Method: "GET", Path: "/fetch", Query: []guard.Param{{Name: "url", Value: q}}}
	}
	for _, q := range []string{"see wiki.corp.internal", "see wiki.CORP%2Einternal"} {
		d := g.Inspect(context.Background(), inv(q))
		if d.Allowed() || len(d.Findings) != 1 || d.Findings[0].Category != guard.Custom || d.Findings[0].Rule != "custom.internal-host" {
			t.Errorf("%s: decision %+v, want blocked by custom.internal-host", q, d)
		}
	}
	if d := g.Inspect(context.Background(), inv("see wiki.example.com")); !d.Allowed() {
		t.Errorf("benign value blocked: %+v", d)
	}
}

func TestInvalidDenyPatternFromEnv(t *testing.T) {
	t.Setenv("FNGUARD_DENY_PATTERNS", `{"bad":"(unclosed"}`)
	_, err := guard.New()
	var ce *guard.ConfigError
	if !errors.As(err, &ce) || ce.Var != "FNGUARD_DENY_PATTERNS" || !strings.Contains(err.Error(), "bad") {
		t.Errorf("New = %v, want a *ConfigError for FNGUARD_DENY_PATTERNS naming the rule", err)
	}
}
