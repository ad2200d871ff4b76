package audittest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRun audits a template with one known finding and a clean one.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/fnguard")
	}
	dir := t.TempDir()
	const head = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n"
	open := filepath.Join(dir, "open.yaml")
	if err := os.WriteFile(open, []byte(head+"      Handler: bootstrap\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	clean := filepath.Join(dir, "clean.yaml")
	if err := os.WriteFile(clean, []byte(head+"      ReservedConcurrentExecutions: 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := Run(t, "../..", open)
	if len(fs) != 1 || fs[0].Rule != "no-reserved-concurrency" || fs[0].Resource != "Fn" || fs[0].Line != 2 {
		t.Errorf("findings %v, want one no-reserved-concurrency on Fn at line 2", fs)
	}
	if fs := Run(t, "../..", clean); len(fs) != 0 {
		t.Errorf("findings on a clean template: %v", fs)
	}
}
