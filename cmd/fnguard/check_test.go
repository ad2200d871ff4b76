package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard/detect"
)

func TestCheck(t *testing.T) {
	cleanEnv(t)
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{"sqli in a query", []string{"check", "1' OR '1'='1' --"}, exitFindings, []string{"verdict: block (403)", "sqli.tautology", "[x] sqli"}},
		{"apostrophe name", []string{"check", "O'Brien"}, exitOK, []string{"verdict: allow", "[-] sqli"}},
		{"xss in a JSON body field", []string{"check", "--location", "body.comment.text", "<img src=x onerror=alert(1)>"}, exitFindings, []string{"body.comment.text", "xss."}},
		{"encoded traversal in a path parameter", []string{"check", "--location", "pathParameters.file", "..%2f..%2f..%2fetc%2fpasswd"}, exitFindings, []string{"decoded: ../../../etc/passwd", "path_traversal"}},
		{"prose in a header", []string{"check", "--location", "headers.x-note", "see you at 5; bring snacks"}, exitOK, []string{"verdict: allow"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCmd(t, "", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, out, stderr)
			}
			for _, c := range tc.contains {
				if !strings.Contains(out, c) {
					t.Errorf("output lacks %q:\n%s", c, out)
				}
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	cleanEnv(t)
	code, out, _ := runCmd(t, "", "check", "--format", "json", "--location", "query.next", "http://169.254.169.254/latest/meta-data/")
	var rep checkReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if code != exitFindings || rep.Verdict != "block" || len(rep.Findings) == 0 || rep.Findings[0].Category != "ssrf" || rep.Findings[0].Location != "query.next" {
		t.Errorf("exit %d, report %+v", code, rep)
	}
	if len(rep.Detail) != len(detect.Categories()) {
		t.Errorf("%d category notes, want one per category (%d)", len(rep.Detail), len(detect.Categories()))
	}
}

// TestCheckRedacts: the excerpt and decoded form never show a secret.
func TestCheckRedacts(t *testing.T) {
	cleanEnv(t)
	_, out, _ := runCmd(t, "", "check", "' OR 1=1 -- AKIAIOSFODNN7EXAMPLE")
	if strings.Contains(strings.ToLower(out), "akiaiosfodnn7example") {
		t.Errorf("secret in output:\n%s", out)
	}
}

func TestCheckEnvFile(t *testing.T) {
	cleanEnv(t)
	env := filepath.Join(t.TempDir(), "f.env")
	os.WriteFile(env, []byte("FNGUARD_EXCLUDE=\"query.q=sqli\"\n"), 0o644)
	t.Setenv("FNGUARD_EXCLUDE", "")
	if code, out, _ := runCmd(t, "", "check", "--env", env, "1' OR '1'='1' --"); code != exitOK {
		t.Errorf("excluded: exit %d\n%s", code, out)
	}
	os.WriteFile(env, []byte("FNGUARD_MODE=sometimes\n"), 0o644)
	t.Setenv("FNGUARD_MODE", "")
	if code, _, stderr := runCmd(t, "", "check", "--env", env, "x"); code != exitUsage || !strings.Contains(stderr, "FNGUARD_MODE") {
		t.Errorf("bad policy: exit %d, stderr %q", code, stderr)
	}
}

func TestParseDotenv(t *testing.T) {
	good := "# comment\n\nexport A=1\nB = 'two words' \nC=\"quoted \\\"x\\\"\"\nD=bare # trailing comment\nE=\n"
	env, err := parseDotenv("f.env", strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": "1", "B": "two words", "C": `quoted "x"`, "D": "bare", "E": ""}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q", k, env[k], v)
		}
	}
	for _, bad := range []string{"NOEQUALS\n", "A='open\n", "A=\"open\n", "=x\n", "A B=1\n"} {
		if _, err := parseDotenv("f.env", strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "f.env:1") {
			t.Errorf("%q: err %v, want one naming f.env:1", bad, err)
		}
	}
}

func TestRules(t *testing.T) {
	code, out, _ := runCmd(t, "", "rules")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	all := detect.Rules()
	for _, r := range all {
		if !strings.Contains(out, r.ID) {
			t.Errorf("rule %s missing from the listing", r.ID)
		}
	}
	code, out, _ = runCmd(t, "", "rules", "--format", "json")
	var views []ruleView
	if err := json.Unmarshal([]byte(out), &views); err != nil || code != exitOK {
		t.Fatalf("exit %d, %v", code, err)
	}
	if len(views) != len(all) {
		t.Errorf("%d rules in JSON, inventory has %d", len(views), len(all))
	}
	for _, v := range views {
		if v.ID == "" || v.Category == "" || v.Description == "" || len(v.Attacks) == 0 {
			t.Errorf("incomplete rule %+v", v)
		}
	}
}
