package orders

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/internal/fftest"
)

// deployLine returns the gcloud line of ../README.md.
func deployLine(t *testing.T) string {
	t.Helper()
	f, err := os.Open("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "gcloud functions deploy ") {
			return line
		}
	}
	t.Fatal("deploy/README.md has no gcloud functions deploy line")
	return ""
}

// flags parses --name=value flags of a command line.
func flags(line string) map[string]string {
	out := map[string]string{}
	for _, f := range strings.Fields(line) {
		if !strings.HasPrefix(f, "--") {
			continue
		}
		k, v, _ := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		out[k] = v
	}
	return out
}

// TestDeployLine checks the documented gcloud line: 2nd gen, the go125
// runtime, HTTP trigger, the entry point this package registers, and
// FNGUARD_* settings guard.New accepts.
func TestDeployLine(t *testing.T) {
	line := deployLine(t)
	fl := flags(line)
	for _, k := range []string{"gen2", "trigger-http"} {
		if _, ok := fl[k]; !ok {
			t.Errorf("the deploy line has no --%s", k)
		}
	}
	if fl["runtime"] != "go125" {
		t.Errorf("--runtime=%q, want go125", fl["runtime"])
	}
	if fl["entry-point"] != "Orders" {
		t.Errorf("--entry-point=%q, want Orders (the name function.go registers)", fl["entry-point"])
	}
	if fl["source"] != "." {
		t.Errorf("--source=%q, want . (this directory)", fl["source"])
	}
	doc, err := os.ReadFile("function.go")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), line) {
		t.Error("function.go's doc comment and deploy/README.md give different deploy lines")
	}
	env := fl["set-env-vars"]
	if env == "" {
		t.Fatal("the deploy line sets no FNGUARD_* variables")
	}
	for _, kv := range strings.Split(env, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, "FNGUARD_") {
			t.Fatalf("--set-env-vars entry %q is not FNGUARD_NAME=value", kv)
		}
		t.Setenv(k, v)
	}
	if _, err := guard.New(); err != nil {
		t.Errorf("guard.New with the deploy line's settings: %v", err)
	}
}

var goLineRE = regexp.MustCompile(`^go 1\.(\d+)(\.\d+)?$`)

// TestGo125 checks what the go125 builder needs: this module's go line and
// the go line of every module in its build graph are at most 1.25 (a Go
// 1.25 toolchain refuses a module that declares a later version, and
// GOTOOLCHAIN=local forbids fetching one), and no toolchain line asks for
// more. The build itself runs with GOTOOLCHAIN=local: go test compiled this
// package, and `go vet` (stdversion) flags any standard library API newer
// than the go line. No go1.25 toolchain can be downloaded here, so this is
// what proves the go125 runtime accepts the module.
func TestGo125(t *testing.T) {
	b, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var goLine string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "go ") {
			goLine = l
		}
		if strings.HasPrefix(l, "toolchain ") {
			t.Errorf("go.mod has %q: the go125 builder would need another toolchain", l)
		}
	}
	m := goLineRE.FindStringSubmatch(goLine)
	if m == nil {
		t.Fatalf("go.mod go line %q", goLine)
	}
	if minor, _ := strconv.Atoi(m[1]); minor > 25 {
		t.Errorf("go.mod says %q, the go125 runtime needs <= go 1.25", goLine)
	}
	// go list -m all needs the go.mod checksums of the whole graph, which
	// a tidy go.sum does not hold: -mod=mod lets it add them, to copies of
	// go.mod and go.sum (-modfile), so the test leaves the checkout as it is.
	tmp := t.TempDir()
	for _, f := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "list", "-mod=mod", "-modfile="+filepath.Join(tmp, "go.mod"), "-m", "-f", "{{.Path}} {{.GoVersion}}", "all")
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -m all: %v\n%s", err, out)
	}
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, v, _ := strings.Cut(l, " ")
		n++
		if v == "" {
			continue // no go line: Go treats it as go 1.16
		}
		parts := strings.Split(v, ".")
		if len(parts) < 2 {
			t.Errorf("%s: go line %q", path, v)
			continue
		}
		if minor, _ := strconv.Atoi(parts[1]); parts[0] != "1" || minor > 25 {
			t.Errorf("%s declares go %s: the go125 builder refuses it", path, v)
		}
	}
	if n < 2 {
		t.Fatalf("go list -m all listed %d modules", n)
	}
}

// ff is the real Functions Framework with FUNCTION_TARGET=Orders, as Cloud
// Functions runs it (Orders registers itself in init).
var ff = fftest.Server{Target: "Orders"}

// server returns the framework's base URL, starting it on first use.
func server(t *testing.T) string { return ff.URL(t) }

// TestOrdersFunction sends requests to the function through the Functions
// Framework: a clean order is accepted, an injection is refused with 403
// before the handler runs, and a body that is not an order gets the
// handler's own 400.
func TestOrdersFunction(t *testing.T) {
	base := server(t)
	client := &http.Client{Timeout: 10 * time.Second}
	tests := []struct {
		name, body string
		status     int
		contains   string
	}{
		{"clean order", `{"id":"o-1","note":"ring twice; leave at the door"}`, http.StatusOK, `"status":"accepted"`},
		{"sql injection", `{"id":"o-2","note":"1' UNION SELECT password FROM users--"}`, http.StatusForbidden, `"message":"Forbidden"`},
		{"path traversal", `{"id":"../../../../etc/passwd","note":""}`, http.StatusForbidden, `"message":"Forbidden"`},
		{"not an order", `{"note":"no id"}`, http.StatusBadRequest, "want a JSON order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.Post(base+"/", "application/json", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
			if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.contains) {
				t.Errorf("status %d body %q, want %d containing %q", resp.StatusCode, b, tt.status, tt.contains)
			}
		})
	}
}
