package recipes

import (
	"bufio"
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/fnguard/fnguard/guard"
)

// buildLineRE matches the documented build lines of the Lambda bootstrap.
var buildLineRE = regexp.MustCompile(`^CGO_ENABLED=0 GOOS=linux GOARCH=(amd64|arm64) go build .*$`)

// docBuildLines returns the build lines of ../README.md by GOARCH.
func docBuildLines(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if m := buildLineRE.FindStringSubmatch(line); m != nil {
			if _, dup := lines[m[1]]; !dup {
				lines[m[1]] = line
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"amd64", "arm64"} {
		if lines[arch] == "" {
			t.Fatalf("deploy/README.md has no build line for GOARCH=%s", arch)
		}
	}
	return lines
}

var buildOnce sync.Map // build line -> *builtBootstrap

type builtBootstrap struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// buildBootstrap runs the documented line for arch, writing the binary to a
// temporary directory instead of build/bootstrap, once per test binary.
func buildBootstrap(t *testing.T, line string) string {
	t.Helper()
	fields := strings.Fields(line)
	var env, args []string
	for len(fields) > 0 && strings.Contains(fields[0], "=") {
		env = append(env, fields[0])
		fields = fields[1:]
	}
	if len(fields) < 2 || fields[0] != "go" || fields[1] != "build" {
		t.Fatalf("not a go build line: %q", line)
	}
	args = fields[1:]
	v, _ := buildOnce.LoadOrStore(line, &builtBootstrap{})
	b := v.(*builtBootstrap)
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "fnguard-bootstrap-")
		if err != nil {
			b.err = err
			return
		}
		b.path = filepath.Join(dir, "bootstrap")
		out := false
		for i, a := range args {
			if a == "-o" && i+1 < len(args) {
				args[i+1] = b.path
				out = true
			}
		}
		if !out {
			b.err = fmt.Errorf("build line %q has no -o", line)
			return
		}
		cmd := exec.Command("go", args...)
		cmd.Env = append(os.Environ(), env...)
		b.out, b.err = cmd.CombinedOutput()
	})
	if b.err != nil {
		t.Fatalf("%s: %v\n%s", line, b.err, b.out)
	}
	return b.path
}

// TestBootstrapStatic builds the function with each documented line and
// checks what provided.al2023 needs: an ELF for the right machine with no
// program interpreter and no shared libraries (a glibc-linked binary fails
// to start there), built with CGO_ENABLED=0, -tags lambda.norpc and -trimpath.
func TestBootstrapStatic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	machines := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}
	for arch, line := range docBuildLines(t) {
		t.Run(arch, func(t *testing.T) {
			bin := buildBootstrap(t, line)
			f, err := elf.Open(bin)
			if err != nil {
				t.Fatalf("%s: %v", bin, err)
			}
			defer f.Close()
			if f.Machine != machines[arch] {
				t.Errorf("ELF machine %v, want %v", f.Machine, machines[arch])
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					t.Errorf("the binary has a PT_INTERP program header (dynamically linked)")
				}
				if p.Type == elf.PT_DYNAMIC {
					t.Errorf("the binary has a PT_DYNAMIC segment")
				}
			}
			libs, err := f.ImportedLibraries()
			if err != nil {
				t.Fatal(err)
			}
			if len(libs) > 0 {
				t.Errorf("the binary needs shared libraries %v (DT_NEEDED)", libs)
			}
			info, err := buildinfo.ReadFile(bin)
			if err != nil {
				t.Fatal(err)
			}
			settings := map[string]string{}
			for _, s := range info.Settings {
				settings[s.Key] = s.Value
			}
			for k, want := range map[string]string{"CGO_ENABLED": "0", "GOOS": "linux", "GOARCH": arch, "-tags": "lambda.norpc", "-trimpath": "true"} {
				if settings[k] != want {
					t.Errorf("build setting %s = %q, want %q", k, settings[k], want)
				}
			}
			if info.Path != "github.com/fnguard/fnguard/deploy/aws/function" {
				t.Errorf("built %s, want the recipe's function", info.Path)
			}
		})
	}
}

// recipeEnv checks FNGUARD_* settings of a recipe: each a variable guard.New
// knows, and together accepted by it. Values the template computes (the
// queue ARN) are given by the caller as a plausible literal.
func recipeEnv(t *testing.T, vars map[string]string) {
	t.Helper()
	known := map[string]bool{}
	for _, ev := range guard.EnvVars() {
		known[ev.Name] = true
	}
	for _, want := range []string{"FNGUARD_MODE", "FNGUARD_ALLOW_EVENT_SOURCES"} {
		if _, ok := vars[want]; !ok {
			t.Errorf("the function sets no %s", want)
		}
	}
	for k, v := range vars {
		if !strings.HasPrefix(k, "FNGUARD_") {
			continue
		}
		if !known[k] {
			t.Errorf("%s is not a variable guard.New reads", k)
		}
		t.Setenv(k, v)
	}
	if _, err := guard.New(); err != nil {
		t.Errorf("guard.New with the recipe's settings: %v", err)
	}
}

// TestBuildLinesCarryFlags checks every documented Lambda build line of the
// repository (the README, deploy/, the examples, the recipes' comments):
// each go build writing a bootstrap sets CGO_ENABLED=0, -tags lambda.norpc
// and -trimpath.
func TestBuildLinesCarryFlags(t *testing.T) {
	files := []string{"../../README.md", "../README.md", "sam/template.yaml", "terraform/main.tf", "function/main.go", "../cdk/main.go", "../cdk/stack.go"}
	for _, pattern := range []string{"../../examples/*/doc.go", "../../examples/*/README.md"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	n := 0
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if !strings.Contains(line, "go build") || !strings.Contains(line, "bootstrap") {
				continue
			}
			n++
			for _, want := range []string{"CGO_ENABLED=0", "-tags lambda.norpc", "-trimpath"} {
				if !strings.Contains(line, want) {
					t.Errorf("%s:%d: build line without %s: %s", name, i+1, want, strings.TrimSpace(line))
				}
			}
		}
	}
	if n < 6 {
		t.Errorf("found %d build lines; the README, deploy/ and the examples document more", n)
	}
}
