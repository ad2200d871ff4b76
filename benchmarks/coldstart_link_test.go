package benchmarks_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGuardedBinaryLinks builds the cold-start guarded Lambda
// (coldstart/guarded: guardlambda.Wrap(guard.Must(guard.New()), ...)) and
// checks that what only some functions need stays out of a default binary
// (issue 20): the regexp engine (FNGUARD_DENY_PATTERNS links it through
// guard/pattern, WithDenyPattern and detect.New's Config.Rules by
// themselves), the rule inventory's descriptions and examples (detect.Rules
// and LookupRule; IsRule reads the generated id list), HTML sanitising,
// and JSON Schema (opt-in imports). The egress policy and the process
// lockdown are linked by default (guard/links.go), so that their variables
// are all a function needs.
func TestGuardedBinaryLinks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bin := filepath.Join(t.TempDir(), "guarded")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, goBin, "build", "-tags", "lambda.norpc", "-trimpath", "-o", bin, "./coldstart/guarded")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.CommandContext(ctx, goBin, "tool", "nm", bin).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	unwanted := []string{
		// (regexp's package init stays: detect imports it for New)
		"regexp.compile", "regexp.Compile", "regexp.(*Regexp).", "regexp/syntax.Parse", "regexp/syntax.parse",
		"github.com/fnguard/fnguard/guard/detect.ruleInventory",
		"github.com/fnguard/fnguard/guard/sanitize.", "github.com/microcosm-cc/bluemonday.",
		"github.com/fnguard/fnguard/guard/schema.", "github.com/santhosh-tekuri/jsonschema",
	}
	found := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	seen := 0
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 {
			continue
		}
		sym := strings.Join(f[2:], " ")
		if strings.HasPrefix(sym, "github.com/fnguard/fnguard/guard.") {
			seen++
		}
		for _, u := range unwanted {
			if strings.HasPrefix(sym, u) && found[u] == "" {
				found[u] = sym
			}
		}
	}
	if seen == 0 {
		t.Fatal("no symbol of package guard in the binary: the check reads nothing")
	}
	for _, u := range unwanted {
		if s := found[u]; s != "" {
			t.Errorf("the default guarded binary links %s", s)
		}
	}
}
