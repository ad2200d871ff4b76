package main

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/internal/audittest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	jsii.Close() // stops the node process of the jsii runtime, if one was started
	if synth.dir != "" {
		os.RemoveAll(synth.dir) // the bootstraps and the cloud assembly
	}
	os.Exit(code)
}

// requireNode skips the tests that run the CDK (jsii runs the construct
// library in node) when node is missing — except in CI, where .ci/run
// installs it and a missing node must fail rather than pass unseen.
func requireNode(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node not found (.ci/run installs it): %v", err)
		}
		t.Skip("node not found: the AWS CDK runs its construct library in node (apt-get install nodejs)")
	}
}

// buildLineRE matches the documented build lines of the bootstrap.
var buildLineRE = regexp.MustCompile(`^CGO_ENABLED=0 GOOS=linux GOARCH=(amd64|arm64) go build .*-o build/bootstrap \./function$`)

// buildBootstrap runs the build line deploy/README.md documents for goarch
// (from deploy/aws, as the README says), writing the bootstrap into dir.
func buildBootstrap(goarch, dir string) error {
	f, err := os.Open("../README.md")
	if err != nil {
		return err
	}
	defer f.Close()
	var line string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := buildLineRE.FindStringSubmatch(strings.TrimSpace(sc.Text())); m != nil && m[1] == goarch {
			line = strings.TrimSpace(sc.Text())
			break
		}
	}
	if line == "" {
		return fmt.Errorf("deploy/README.md documents no bootstrap build line for GOARCH=%s", goarch)
	}
	fields := strings.Fields(line)
	var env []string
	for strings.Contains(fields[0], "=") {
		env = append(env, fields[0])
		fields = fields[1:]
	}
	args := fields[1:] // after "go"
	for i, a := range args {
		if a == "-o" {
			args[i+1] = filepath.Join(dir, "bootstrap")
		}
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = "../aws"
	cmd.Env = append(append(os.Environ(), "GOWORK=off"), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v\n%s", line, err, out)
	}
	return nil
}

// synthesis is the result of synthesising the recipe once for both
// architectures (one jsii runtime per test binary).
type synthesis struct {
	once      sync.Once
	dir       string
	err       error
	bootstrap map[string]string // architecture -> bootstrap directory
	templates map[string]string // architecture -> template file
	load      time.Duration     // node start and construct library load
	took      time.Duration     // load, define and synthesise
}

var synth synthesis

var stackNames = map[string]string{"arm64": "FnguardOrders-arm64", "x86_64": "FnguardOrders-x86-64"}

func synthesise(t *testing.T) *synthesis {
	t.Helper()
	requireNode(t)
	synth.once.Do(func() {
		s := &synth
		s.dir, s.err = os.MkdirTemp("", "fnguard-cdk-")
		if s.err != nil {
			return
		}
		s.bootstrap = map[string]string{}
		for arch, ga := range goarch {
			d := filepath.Join(s.dir, "build-"+ga)
			if s.err = os.MkdirAll(d, 0o755); s.err != nil {
				return
			}
			if s.err = buildBootstrap(ga, d); s.err != nil {
				return
			}
			s.bootstrap[arch] = d
		}
		start := time.Now()
		out := filepath.Join(s.dir, "cdk.out")
		// The first call starts node and loads the construct library.
		app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(out)})
		s.load = time.Since(start)
		for arch, name := range stackNames {
			if _, s.err = NewOrdersStack(app, name, Config{Architecture: arch, BootstrapDir: s.bootstrap[arch]}, nil); s.err != nil {
				return
			}
		}
		asm := app.Synth(nil)
		s.took = time.Since(start)
		s.templates = map[string]string{}
		for arch, name := range stackNames {
			s.templates[arch] = *asm.GetStackByName(jsii.String(name)).TemplateFullPath()
		}
	})
	if synth.err != nil {
		t.Fatal(synth.err)
	}
	t.Logf("synthesised %d stacks in %v (jsii runtime start and library load %v)", len(stackNames), synth.took.Round(time.Millisecond), synth.load.Round(time.Millisecond))
	return &synth
}

type cfnTemplate struct {
	Resources map[string]struct {
		Type       string
		Properties map[string]any
		Metadata   map[string]any
	}
}

func loadTemplate(t *testing.T, path string) cfnTemplate {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tpl cfnTemplate
	if err := json.Unmarshal(b, &tpl); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return tpl
}

// ofType returns the logical ids of the resources of a type.
func (tpl cfnTemplate) ofType(typ string) []string {
	var ids []string
	for id, r := range tpl.Resources {
		if r.Type == typ {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// getAtt returns the logical id of {"Fn::GetAtt": [id, attr]}, or "".
func getAtt(v any, attr string) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	a, ok := m["Fn::GetAtt"].([]any)
	if !ok || len(a) != 2 || a[1] != attr {
		return ""
	}
	id, _ := a[0].(string)
	return id
}

// ref returns the logical id of {"Ref": id}, or "".
func ref(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	id, _ := m["Ref"].(string)
	return id
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// TestSynthesisedTemplate synthesises the stack for each architecture and
// checks the CloudFormation template: the function on provided.al2023 with
// its FNGUARD_* settings (each one guard.New reads, and together accepted
// by it), the SQS event source mapping with ReportBatchItemFailures, the
// dead-letter queue, and the code asset holding the bootstrap built by the
// documented line.
func TestSynthesisedTemplate(t *testing.T) {
	s := synthesise(t)
	known := map[string]bool{}
	for _, ev := range guard.EnvVars() {
		known[ev.Name] = true
	}
	for arch, path := range s.templates {
		t.Run(arch, func(t *testing.T) {
			tpl := loadTemplate(t, path)

			fns := tpl.ofType("AWS::Lambda::Function")
			if len(fns) != 1 {
				t.Fatalf("%d AWS::Lambda::Function resources (%v), want 1", len(fns), fns)
			}
			fnID := fns[0]
			fn := tpl.Resources[fnID].Properties
			for k, want := range map[string]any{"Runtime": "provided.al2023", "Handler": "bootstrap", "Architectures": []any{arch}, "ReservedConcurrentExecutions": float64(reservedConcurrency), "Timeout": float64(functionTimeoutSeconds)} {
				if got := fn[k]; fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("function %s = %v, want %v", k, got, want)
				}
			}

			queues := tpl.ofType("AWS::SQS::Queue")
			if len(queues) != 2 {
				t.Fatalf("%d AWS::SQS::Queue resources (%v), want the queue and its dead-letter queue", len(queues), queues)
			}
			esms := tpl.ofType("AWS::Lambda::EventSourceMapping")
			if len(esms) != 1 {
				t.Fatalf("%d AWS::Lambda::EventSourceMapping resources, want 1", len(esms))
			}
			esm := tpl.Resources[esms[0]].Properties
			queueID := getAtt(esm["EventSourceArn"], "Arn")
			if tpl.Resources[queueID].Type != "AWS::SQS::Queue" {
				t.Fatalf("event source mapping EventSourceArn = %v, want the Arn of a queue of the stack", esm["EventSourceArn"])
			}
			if ref(esm["FunctionName"]) != fnID {
				t.Errorf("event source mapping FunctionName = %v, want Ref %s", esm["FunctionName"], fnID)
			}
			types, _ := esm["FunctionResponseTypes"].([]any)
			if !slices.Contains(types, any("ReportBatchItemFailures")) {
				t.Errorf("event source mapping FunctionResponseTypes = %v: no ReportBatchItemFailures, so Lambda would delete poisoned messages with the batch", esm["FunctionResponseTypes"])
			}
			if esm["BatchSize"] != float64(batchSize) {
				t.Errorf("BatchSize = %v, want %d", esm["BatchSize"], batchSize)
			}

			queue := tpl.Resources[queueID].Properties
			dlqID := getAtt(dig(queue, "RedrivePolicy", "deadLetterTargetArn"), "Arn")
			if dlqID == "" || dlqID == queueID || tpl.Resources[dlqID].Type != "AWS::SQS::Queue" {
				t.Errorf("queue RedrivePolicy = %v, want the Arn of the other queue as deadLetterTargetArn", queue["RedrivePolicy"])
			}
			if n := dig(queue, "RedrivePolicy", "maxReceiveCount"); n != float64(maxReceiveCount) {
				t.Errorf("maxReceiveCount = %v, want %d", n, maxReceiveCount)
			}
			if vt, _ := queue["VisibilityTimeout"].(float64); vt < 6*functionTimeoutSeconds {
				t.Errorf("queue VisibilityTimeout = %v, want at least 6x the function timeout (%ds)", queue["VisibilityTimeout"], functionTimeoutSeconds)
			}

			vars, _ := dig(fn, "Environment", "Variables").(map[string]any)
			if vars["FNGUARD_MODE"] != "block" {
				t.Errorf("FNGUARD_MODE = %v, want block", vars["FNGUARD_MODE"])
			}
			if getAtt(vars["FNGUARD_ALLOW_EVENT_SOURCES"], "Arn") != queueID {
				t.Errorf("FNGUARD_ALLOW_EVENT_SOURCES = %v, want the Arn of the queue %s", vars["FNGUARD_ALLOW_EVENT_SOURCES"], queueID)
			}
			// The settings as the function sees them once deployed: each a
			// variable guard.New reads, and together accepted by it.
			n := 0
			for k, v := range vars {
				if !strings.HasPrefix(k, "FNGUARD_") {
					continue
				}
				n++
				if !known[k] {
					t.Errorf("%s is not a variable guard.New reads", k)
				}
				sv, ok := v.(string)
				if !ok && getAtt(v, "Arn") == queueID {
					sv, ok = "arn:aws:sqs:eu-west-1:123456789012:FnguardOrders-Orders-AbCdEf", true
				}
				if !ok {
					t.Errorf("%s = %v: not a literal the test can check", k, v)
					continue
				}
				t.Setenv(k, sv)
			}
			if n < 4 {
				t.Errorf("the function sets %d FNGUARD_* variables, want the recipe's settings", n)
			}
			if _, err := guard.New(); err != nil {
				t.Errorf("guard.New with the recipe's settings: %v", err)
			}

			// The code asset is the bootstrap the documented line built:
			// Code.S3Key is <hash>.zip, staged in the assembly as
			// asset.<hash>/ (what cdk deploy zips and uploads).
			key, _ := dig(fn, "Code", "S3Key").(string)
			hash, ok := strings.CutSuffix(key, ".zip")
			if !ok || hash == "" || strings.ContainsAny(hash, `/\.`) {
				t.Fatalf("function Code = %v, want a file asset <hash>.zip", fn["Code"])
			}
			got, err := os.ReadFile(filepath.Join(filepath.Dir(path), "asset."+hash, "bootstrap"))
			if err != nil {
				t.Fatalf("the code asset: %v", err)
			}
			want, err := os.ReadFile(filepath.Join(s.bootstrap[arch], "bootstrap"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("the code asset's bootstrap (%d bytes) is not the built one (%d bytes)", len(got), len(want))
			}
		})
	}
}

// TestTemplatePassesAudit runs fnguard's own template audit over the
// synthesised templates with --fail-on low: no finding of any severity
// (wildcard IAM, event sources outside FNGUARD_ALLOW_EVENT_SOURCES, batch
// sources without ReportBatchItemFailures, no reserved concurrency,
// plain-text secrets…).
func TestTemplatePassesAudit(t *testing.T) {
	s := synthesise(t)
	for arch, path := range s.templates {
		t.Run(arch, func(t *testing.T) {
			for _, f := range audittest.Run(t, "../..", path) {
				t.Errorf("audit finding: %v", f)
			}
		})
	}
}

type configCase struct {
	name string
	cfg  Config
	want string // in the message; "" for a valid configuration
}

// hostDynamicBinary copies the machine's true(1) into a directory as
// "bootstrap" when it is a dynamically linked ELF for arm64 or x86_64, and
// returns the directory and the matching architecture.
func hostDynamicBinary(t *testing.T) (dir, arch string) {
	t.Helper()
	p, err := exec.LookPath("true")
	if err != nil {
		return "", ""
	}
	f, err := elf.Open(p)
	if err != nil {
		return "", ""
	}
	defer f.Close()
	interp := false
	for _, pr := range f.Progs {
		interp = interp || pr.Type == elf.PT_INTERP
	}
	for a, m := range architectures {
		if m == f.Machine && interp {
			arch = a
		}
	}
	if arch == "" {
		return "", ""
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bootstrap"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, arch
}

// TestConfigCheck checks the errors that stop a synth before anything is
// deployed, each naming the context key to fix.
func TestConfigCheck(t *testing.T) {
	s := synthesise(t)
	notELF := t.TempDir()
	if err := os.WriteFile(filepath.Join(notELF, "bootstrap"), []byte("#!/bin/sh\necho hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []configCase{
		{"ok arm64", Config{Architecture: "arm64", BootstrapDir: s.bootstrap["arm64"]}, ""},
		{"ok x86_64", Config{Architecture: "x86_64", BootstrapDir: s.bootstrap["x86_64"]}, ""},
		{"unknown architecture", Config{Architecture: "amd64", BootstrapDir: s.bootstrap["x86_64"]}, `context "architecture" = "amd64": want arm64 or x86_64`},
		{"empty architecture", Config{BootstrapDir: s.bootstrap["arm64"]}, `context "architecture" = ""`},
		{"wrong machine", Config{Architecture: "x86_64", BootstrapDir: s.bootstrap["arm64"]}, "build it with GOARCH=amd64"},
		{"wrong machine arm64", Config{Architecture: "arm64", BootstrapDir: s.bootstrap["x86_64"]}, "build it with GOARCH=arm64"},
		{"no bootstrap", Config{Architecture: "arm64", BootstrapDir: t.TempDir()}, `context "bootstrap"`},
		{"empty dir setting", Config{Architecture: "arm64"}, `context "bootstrap" is empty`},
		{"not an executable", Config{Architecture: "arm64", BootstrapDir: notELF}, "is not a Linux executable"},
	}
	// A dynamically linked executable: the machine's own true(1), copied
	// as a bootstrap, for the architecture it is built for.
	if dyn, arch := hostDynamicBinary(t); dyn != "" {
		cases = append(cases, configCase{"dynamically linked", Config{Architecture: arch, BootstrapDir: dyn}, "build it with CGO_ENABLED=0"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Check()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Check = %v, want an ErrConfig saying %q", err, tc.want)
			}
		})
	}
}
