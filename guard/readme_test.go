package guard

import (
	"os"
	"strings"
	"testing"
)

// The README's variable table is what users read: every variable must be in it.
func TestREADMEDocumentsEveryEnvVar(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Skipf("README.md not found: %v", err)
	}
	for _, ev := range EnvVars() {
		if !strings.Contains(string(b), "`"+ev.Name+"`") {
			t.Errorf("README.md does not document %s", ev.Name)
		}
	}
}
