package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// cleanEnv removes every FNGUARD_* variable for the test, so the policy is
// the default one unless the test sets its own.
func cleanEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "FNGUARD_") || k == "AWS_LAMBDA_FUNCTION_NAME" || k == "K_SERVICE" {
			t.Setenv(k, "") // restores the value after the test
			os.Unsetenv(k)
		}
	}
}

// runCmd runs the command in-process and returns its exit code and output.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", p, got, want)
	}
}

func TestUsage(t *testing.T) {
	cleanEnv(t)
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no command", nil, exitUsage, "Usage:"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{"replay without paths", []string{"replay"}, exitUsage, "usage: fnguard replay"},
		{"replay bad format", []string{"replay", "--format", "yaml", "x"}, exitUsage, `--format "yaml"`},
		{"check without string", []string{"check"}, exitUsage, "usage: fnguard check"},
		{"check bad location", []string{"check", "--location", "nowhere", "x"}, exitUsage, `--location "nowhere"`},
		{"audit bad fail-on", []string{"audit", "--fail-on", "critical", "x.yaml"}, exitUsage, `--fail-on "critical"`},
		{"audit missing file", []string{"audit", "testdata/templates/missing.yaml"}, exitUsage, "missing.yaml"},
		{"rules extra arg", []string{"rules", "x"}, exitUsage, "usage: fnguard rules"},
		{"replay bad format names the formats", []string{"replay", "--format", "yaml", "x"}, exitUsage, `fnguard replay: --format "yaml": want text, json or markdown`},
		{"check bad format", []string{"check", "--format", "sarif", "x"}, exitUsage, `fnguard check: --format "sarif": want text or json`},
		{"check two strings", []string{"check", "x", "y"}, exitUsage, "usage: fnguard check"},
		{"rules bad format", []string{"rules", "--format", "yaml"}, exitUsage, `fnguard rules: --format "yaml": want text or json`},
		{"audit bad format", []string{"audit", "--format", "markdown", "x.yaml"}, exitUsage, `fnguard audit: --format "markdown": want text, json or sarif`},
		{"audit without templates", []string{"audit"}, exitUsage, "usage: fnguard audit"},
		{"unknown flag", []string{"audit", "--frobnicate", "x.yaml"}, exitUsage, "flag provided but not defined: -frobnicate"},
		{"replay env file missing", []string{"replay", "--env", "testdata/absent.env", "testdata/events"}, exitUsage, "fnguard replay: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if !strings.Contains(stderr, tc.err) {
				t.Errorf("stderr %q does not contain %q", stderr, tc.err)
			}
		})
	}
}

func TestVersionAndHelp(t *testing.T) {
	if code, out, _ := runCmd(t, "", "version"); code != 0 || !strings.HasPrefix(out, "fnguard ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
	if code, out, _ := runCmd(t, "", "help"); code != 0 || !strings.Contains(out, "fnguard audit") {
		t.Errorf("help: exit %d, %q", code, out)
	}
}
