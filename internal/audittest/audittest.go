// Package audittest runs fnguard's own template audit (cmd/fnguard's
// "fnguard audit") over the templates of the deployment recipes, so that
// each recipe's test proves the recipe passes it. cmd/fnguard is its own
// module: it is built from this checkout with the go command, as a user
// would build it, into the test's temporary directory. It is internal:
// not part of fnguard's API.
package audittest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Finding is one result of fnguard audit --format json.
type Finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Resource string `json:"resource"`
	Message  string `json:"message"`
}

func (f Finding) String() string {
	return fmt.Sprintf("%s:%d: %s %s [%s] %s", f.File, f.Line, f.Severity, f.Rule, f.Resource, f.Message)
}

// build compiles cmd/fnguard of the checkout whose root is root into dir
// (after the first build, the go command's cache makes it a link).
func build(root, dir string) (string, error) {
	bin := filepath.Join(dir, "fnguard")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = filepath.Join(root, "cmd", "fnguard")
	cmd.Env = append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building cmd/fnguard: %v\n%s", err, out)
	}
	return bin, nil
}

// Run runs "fnguard audit --format json --fail-on low" over one template,
// with cmd/fnguard built from the checkout rooted at root (relative to the
// test's directory, e.g. "../.."), and returns its findings. A template the
// audit cannot read, or output that is not the JSON it documents, fails t.
func Run(t testing.TB, root, template string) []Finding {
	t.Helper()
	bin, err := build(root, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "audit", "--format", "json", "--fail-on", "low", template)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var findings []Finding
	if err := json.Unmarshal(stdout.Bytes(), &findings); err != nil {
		t.Fatalf("fnguard audit %s: output is not JSON (%v, exit %v): %s\n%s", template, err, runErr, stdout.Bytes(), stderr.Bytes())
	}
	// Exit 0 with no findings, 1 with findings (--fail-on low); anything
	// else is a usage or input error.
	if code := cmd.ProcessState.ExitCode(); code != 0 && (code != 1 || len(findings) == 0) {
		t.Fatalf("fnguard audit %s: exit %d with %d findings\n%s", template, code, len(findings), stderr.Bytes())
	}
	return findings
}
