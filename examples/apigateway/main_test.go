package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// End-to-end: the real binary, built as for Lambda, against a fake Lambda
// Runtime API. This is what runs in the provided.al2023 runtime, minus AWS.

const (
	functionName = "fnguard-apigateway-example"
	functionARN  = "arn:aws:lambda:eu-west-1:123456789012:function:" + functionName
	runtimePath  = "/2018-06-01/runtime/"

	buildTimeout  = 2 * time.Minute // the Go build; seconds with a warm cache
	invokeTimeout = 10 * time.Second
	exitTimeout   = 10 * time.Second
)

// Fake credentials like the ones Lambda puts in every function's
// environment: fnguard must never write them.
var fakeCreds = map[string]string{
	"AWS_ACCESS_KEY_ID":     "ASIAZ7EXAMPLE4FNGRD2",
	"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYfnguardKEY9",
	"AWS_SESSION_TOKEN":     "IQoJb3JpZ2luX2VjEFNHUkRfbm90X2FfcmVhbF9zZXNzaW9uX3Rva2VuX2ZvcmV4YW1wbGU=",
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Lambda binary; skipped with -short")
	}
	bin := buildBootstrap(t)

	benign, sqli, xss := readFixture(t, "benign"), readFixture(t, "sqli"), readFixture(t, "xss")
	token := bearerToken(t, sqli)

	rt := newFakeRuntime(t)
	fn := startFunction(t, bin, rt, "FNGUARD_MODE=block")

	type want struct {
		name     string
		payload  []byte
		status   int
		category string // for blocks: fnguard.category of the log line
		location string
	}
	cases := []want{
		{name: "benign", payload: benign, status: 200},
		{name: "sqli", payload: sqli, status: 403, category: "sqli", location: "query.customer"},
		{name: "xss", payload: xss, status: 403, category: "xss", location: "body.items[0].note"},
	}
	for i, c := range cases {
		id := fmt.Sprintf("e2e-%d-%s", i+1, c.name)
		out := rt.invoke(t, fn, id, c.payload)
		if out.kind != "response" {
			t.Fatalf("%s: the function reported an error instead of a response: %s %s\nstderr:\n%s", c.name, out.errorType, out.body, fn.stderr.String())
		}
		var resp events.APIGatewayProxyResponse
		if err := json.Unmarshal(out.body, &resp); err != nil {
			t.Fatalf("%s: response %s is not an API Gateway proxy response: %v", c.name, out.body, err)
		}
		if resp.StatusCode != c.status {
			t.Fatalf("%s: status %d, want %d; body %s", c.name, resp.StatusCode, c.status, resp.Body)
		}
		if c.status == 200 {
			// The handler's own answer, with the Lambda request id it saw.
			var o Order
			if err := json.Unmarshal([]byte(resp.Body), &o); err != nil || o.ID != "ord-1001" || o.Status != "shipped" {
				t.Errorf("%s: handler body %s (%v), want order ord-1001", c.name, resp.Body, err)
			}
			if resp.Headers["X-Request-Id"] != id {
				t.Errorf("%s: X-Request-Id %q, want %q", c.name, resp.Headers["X-Request-Id"], id)
			}
			continue
		}
		var msg struct{ Message, RequestID string }
		if err := json.Unmarshal([]byte(resp.Body), &msg); err != nil {
			t.Fatalf("%s: 403 body %s is not JSON: %v", c.name, resp.Body, err)
		}
		if msg.Message != "Forbidden" || msg.RequestID != id {
			t.Errorf("%s: 403 body %s, want {\"message\":\"Forbidden\",\"requestId\":%q}", c.name, resp.Body, id)
		}
		if ct := resp.Headers["Content-Type"]; ct != "application/json" {
			t.Errorf("%s: Content-Type %q, want application/json", c.name, ct)
		}
		if _, ok := resp.Headers["X-Request-Id"]; ok {
			t.Errorf("%s: blocked response carries the handler's X-Request-Id header: the handler ran", c.name)
		}
	}

	// One JSON log line per block on stdout, found by request id.
	for i, c := range cases {
		id := fmt.Sprintf("e2e-%d-%s", i+1, c.name)
		if c.category == "" {
			continue
		}
		line := fn.waitLogLine(t, func(m map[string]any) bool { return m["function_request_id"] == id })
		if line["fnguard.category"] != c.category || line["fnguard.action"] != "block" {
			t.Errorf("%s: log line has fnguard.category=%v fnguard.action=%v, want %s/block: %v", c.name, line["fnguard.category"], line["fnguard.action"], c.category, line)
		}
		if !logHasLocation(line, c.location) {
			t.Errorf("%s: log line does not report location %s: %v", c.name, c.location, line)
		}
		if line["function_name"] != functionName {
			t.Errorf("%s: function_name %v, want %s", c.name, line["function_name"], functionName)
		}
	}
	fn.stop(t)

	stdout, stderr := fn.stdout.String(), fn.stderr.String()
	for n, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Errorf("stdout line %d is not JSON: %q", n+1, l)
			continue
		}
		if m["function_request_id"] == "e2e-1-benign" {
			t.Errorf("fnguard logged the benign request: %s", l)
		}
	}
	secrets := map[string]string{"bearer token": token, "token signature": token[strings.LastIndexByte(token, '.')+1:]}
	for k, v := range fakeCreds {
		secrets[k] = v
	}
	for what, s := range secrets {
		if strings.Contains(stdout, s) || strings.Contains(stderr, s) {
			t.Errorf("the %s appears in the function's output", what)
		}
	}
	t.Logf("function stdout:\n%s\nfunction stderr:\n%s", stdout, stderr)
}

// TestConfigErrorFailsColdStart: a typo in FNGUARD_MODE must stop the cold
// start; the function must never take an invocation unprotected.
func TestConfigErrorFailsColdStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Lambda binary; skipped with -short")
	}
	bin := buildBootstrap(t)
	rt := newFakeRuntime(t)
	rt.queue <- invocation{id: "cfg-1", payload: readFixture(t, "sqli")}
	fn := startFunction(t, bin, rt, "FNGUARD_MODE=blok")

	select {
	case <-fn.exited:
		var ee *exec.ExitError
		if !errors.As(fn.err, &ee) || ee.ExitCode() == 0 {
			t.Fatalf("the function exited with %v, want a non-zero exit status", fn.err)
		}
	case <-time.After(exitTimeout):
		t.Fatalf("the function is still running %s after start with FNGUARD_MODE=blok; stderr:\n%s", exitTimeout, fn.stderr.String())
	}
	if n := rt.fetched(); n != 0 {
		t.Errorf("the misconfigured function fetched %d invocations", n)
	}
	select {
	case o := <-rt.results:
		t.Errorf("the misconfigured function answered invocation %s: %s", o.id, o.body)
	default:
	}
	stderr := fn.stderr.String()
	if !strings.Contains(stderr, "FNGUARD_MODE") || !strings.Contains(stderr, "blok") {
		t.Errorf("stderr does not name FNGUARD_MODE and the bad value:\n%s", stderr)
	}
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
	buildTime time.Duration
)

// buildBootstrap builds the function as the README says, once per test
// binary, and returns the path of the executable.
func buildBootstrap(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "fnguard-apigateway-*")
		if buildErr != nil {
			return
		}
		goBin, err := goCommand()
		if err != nil {
			buildErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, goBin, "build", "-tags", "lambda.norpc", "-o", filepath.Join(buildDir, "bootstrap"), ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build -tags lambda.norpc (after %s): %v\n%s", time.Since(start).Round(time.Millisecond), err, out)
		}
		buildTime = time.Since(start)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	t.Logf("bootstrap built in %s", buildTime.Round(time.Millisecond))
	return filepath.Join(buildDir, "bootstrap")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

func goCommand() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	// go test puts its own GOROOT/bin first on PATH; elsewhere $GOROOT may say.
	root := os.Getenv("GOROOT")
	if root == "" {
		return "", errors.New("no go command on PATH and GOROOT is not set")
	}
	p := filepath.Join(root, "bin", "go")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("no go command on PATH nor in GOROOT %s: %v", root, err)
	}
	return p, nil
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bearerToken returns the token of the fixture's Authorization header.
func bearerToken(t *testing.T, payload []byte) string {
	t.Helper()
	var req events.APIGatewayProxyRequest
	if err := json.Unmarshal(payload, &req); err != nil {
		t.Fatal(err)
	}
	tok, ok := strings.CutPrefix(req.Headers["Authorization"], "Bearer ")
	if !ok || strings.Count(tok, ".") != 2 {
		t.Fatalf("fixture has no bearer JWT in Authorization: %q", req.Headers["Authorization"])
	}
	return tok
}

// logHasLocation reports whether a log line names loc as the location of a
// finding, in fnguard.location or in one of fnguard.findings.
func logHasLocation(line map[string]any, loc string) bool {
	if line["fnguard.location"] == loc {
		return true
	}
	list, _ := line["fnguard.findings"].([]any)
	for _, f := range list {
		if m, ok := f.(map[string]any); ok && (m["location"] == loc || m["fnguard.location"] == loc) {
			return true
		}
	}
	return false
}

// fakeRuntime implements the part of the Lambda Runtime API that
// aws-lambda-go uses: next, response, error and init/error.
type fakeRuntime struct {
	srv     *httptest.Server
	queue   chan invocation
	results chan outcome
	done    chan struct{}

	mu         sync.Mutex
	served     int
	unexpected []string
}

type invocation struct {
	id      string
	payload []byte
}

type outcome struct {
	id        string
	kind      string // "response", "error" or "init/error"
	body      []byte
	errorType string
}

func newFakeRuntime(t *testing.T) *fakeRuntime {
	rt := &fakeRuntime{
		queue:   make(chan invocation, 8),
		results: make(chan outcome, 8),
		done:    make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+runtimePath+"invocation/next", rt.next)
	mux.HandleFunc("POST "+runtimePath+"invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) {
		rt.record(w, r, "response", r.PathValue("id"))
	})
	mux.HandleFunc("POST "+runtimePath+"invocation/{id}/error", func(w http.ResponseWriter, r *http.Request) {
		rt.record(w, r, "error", r.PathValue("id"))
	})
	mux.HandleFunc("POST "+runtimePath+"init/error", func(w http.ResponseWriter, r *http.Request) {
		rt.record(w, r, "init/error", "")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		rt.mu.Lock()
		rt.unexpected = append(rt.unexpected, r.Method+" "+r.URL.Path)
		rt.mu.Unlock()
		http.NotFound(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rt.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: mux}}
	rt.srv.Start()
	t.Cleanup(func() {
		close(rt.done) // release a pending /next
		rt.srv.Close()
		rt.mu.Lock()
		defer rt.mu.Unlock()
		if len(rt.unexpected) > 0 {
			t.Errorf("unexpected Runtime API calls: %v", rt.unexpected)
		}
	})
	return rt
}

func (rt *fakeRuntime) addr() string { return rt.srv.Listener.Addr().String() }

func (rt *fakeRuntime) fetched() int {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.served
}

// next long-polls like the real API: it answers when an invocation is queued.
func (rt *fakeRuntime) next(w http.ResponseWriter, r *http.Request) {
	select {
	case inv := <-rt.queue:
		rt.mu.Lock()
		rt.served++
		n := rt.served
		rt.mu.Unlock()
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(30*time.Second).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", functionARN)
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-67f6a1b2-"+fmt.Sprintf("%024x", n)+";Parent=53995c3f42cd8ad8;Sampled=0")
		h.Set("Content-Type", "application/json")
		w.Write(inv.payload)
	case <-r.Context().Done():
	case <-rt.done:
		http.Error(w, "runtime shutting down", http.StatusGone)
	}
}

func (rt *fakeRuntime) record(w http.ResponseWriter, r *http.Request, kind, id string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 6<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	o := outcome{id: id, kind: kind, body: body, errorType: r.Header.Get("Lambda-Runtime-Function-Error-Type")}
	select {
	case rt.results <- o:
	default:
		rt.mu.Lock()
		rt.unexpected = append(rt.unexpected, "unread "+kind+" for "+id)
		rt.mu.Unlock()
	}
	w.WriteHeader(http.StatusAccepted)
	io.WriteString(w, `{"status":"OK"}`)
}

// invoke queues one event and waits for the function's answer.
func (rt *fakeRuntime) invoke(t *testing.T, fn *function, id string, payload []byte) outcome {
	t.Helper()
	rt.queue <- invocation{id: id, payload: payload}
	select {
	case o := <-rt.results:
		if o.kind != "init/error" && o.id != id {
			t.Fatalf("answer for %s while waiting for %s", o.id, id)
		}
		return o
	case <-fn.exited:
		t.Fatalf("the function exited (%v) during invocation %s; stderr:\n%s", fn.err, id, fn.stderr.String())
	case <-time.After(invokeTimeout):
		t.Fatalf("no answer to invocation %s within %s; stderr:\n%s", id, invokeTimeout, fn.stderr.String())
	}
	return outcome{}
}

// function is the running bootstrap process.
type function struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	exited         chan struct{} // closed when the process has exited
	err            error         // cmd.Wait's result, set before exited is closed
	once           sync.Once
}

func startFunction(t *testing.T, bin string, rt *fakeRuntime, extraEnv ...string) *function {
	t.Helper()
	fn := &function{stdout: &syncBuffer{}, stderr: &syncBuffer{}, exited: make(chan struct{})}
	cmd := exec.Command(bin)
	// Only what the Lambda runtime sets: nothing from the developer's shell
	// (an FNGUARD_* variable there must not change the test).
	cmd.Env = []string{
		"AWS_LAMBDA_RUNTIME_API=" + rt.addr(),
		"AWS_LAMBDA_FUNCTION_NAME=" + functionName,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + functionName,
		"AWS_LAMBDA_LOG_STREAM_NAME=2025/04/09/[$LATEST]0123456789abcdef0123456789abcdef",
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_REGION=eu-west-1",
		"AWS_DEFAULT_REGION=eu-west-1",
		"AWS_EXECUTION_ENV=AWS_Lambda_provided.al2023",
		"LAMBDA_TASK_ROOT=" + filepath.Dir(bin),
		"_HANDLER=bootstrap",
		"TZ=:UTC",
		"PATH=/usr/local/bin:/usr/bin:/bin",
	}
	for k, v := range fakeCreds {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stdout, cmd.Stderr = fn.stdout, fn.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	fn.cmd = cmd
	go func() {
		fn.err = cmd.Wait()
		close(fn.exited)
	}()
	t.Cleanup(func() { fn.stop(t) })
	return fn
}

// stop kills the process (if still running) and waits for it, bounded.
func (fn *function) stop(t *testing.T) {
	fn.once.Do(func() {
		_ = fn.cmd.Process.Kill() // fails harmlessly if it already exited
		select {
		case <-fn.exited:
		case <-time.After(exitTimeout):
			t.Errorf("the function did not exit within %s of SIGKILL", exitTimeout)
		}
	})
}

// waitLogLine waits until stdout holds a JSON line that match accepts:
// the line is written before the response is sent, but stdout is copied
// from a pipe by another goroutine.
func (fn *function) waitLogLine(t *testing.T, match func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(invokeTimeout)
	for {
		sc := bufio.NewScanner(bytes.NewReader([]byte(fn.stdout.String())))
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil && match(m) {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no matching JSON log line on stdout within %s; stdout:\n%s", invokeTimeout, fn.stdout.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// syncBuffer collects a process's output.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
