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
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/fnguard/fnguard/guard/lockdown"
)

// End-to-end: the function runs as a process of its own (the lockdown
// cannot be undone, and Protect changes http.DefaultTransport) against a
// fake Lambda Runtime API on 127.0.0.1, once with the runtime controls and
// once without, and the same attacks are sent to both.
//
// Two kinds of process run the function:
//
//   - the bootstrap binary, built as for Lambda;
//   - this test binary, re-executed, whose TestMain calls the same main()
//     after pointing the process's default resolver at a DNS server of the
//     test's on 127.0.0.1. The /preview requests need it: a built binary
//     resolves names with the system's resolver, which a test must not ask,
//     and the point of the SSRF payload is a host name that resolves to an
//     internal address.

const (
	functionName = "fnguard-runtimeguard-example"
	functionARN  = "arn:aws:lambda:eu-west-1:123456789012:function:" + functionName
	runtimePath  = "/2018-06-01/runtime/"

	buildTimeout  = 2 * time.Minute // the Go build; seconds with a warm cache
	invokeTimeout = 10 * time.Second
	exitTimeout   = 10 * time.Second

	// functionProcessEnv makes the re-executed test binary run the function;
	// its value is the address of the test DNS server.
	functionProcessEnv = "RUNTIMEGUARD_FUNCTION_PROCESS"
	// probeLockdownEnv makes the re-executed test binary try the exec
	// lockdown and print the result.
	probeLockdownEnv = "RUNTIMEGUARD_PROBE_LOCKDOWN"
	probeOK          = "LOCKDOWN-AVAILABLE"
)

func TestMain(m *testing.M) {
	if addr := os.Getenv(functionProcessEnv); addr != "" {
		runFunctionProcess(addr)
	}
	if os.Getenv(probeLockdownEnv) != "" {
		if err := lockdown.Exec(); err != nil {
			fmt.Println(err)
		} else {
			fmt.Println(probeOK)
		}
		os.Exit(0)
	}
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// runFunctionProcess runs the function (main) in this process with every
// name resolved by the test DNS server at addr, which must be on loopback.
func runFunctionProcess(addr string) {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().IsLoopback() {
		fmt.Fprintf(os.Stderr, "%s=%q: want the test DNS server's loopback address and port\n", functionProcessEnv, addr)
		os.Exit(2)
	}
	net.DefaultResolver.PreferGo = true
	net.DefaultResolver.Dial = func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}
	main()
	os.Exit(0) // lambda.Start does not return
}

// world is what the function can reach in a test: a DNS server, the help
// centre the function needs, and an internal service it must not reach,
// all on 127.0.0.1.
type world struct {
	dns      *testDNS
	docs     *site // docs.example.com
	internal *site // what cdn.example.net resolves to
}

func newWorld(t *testing.T) *world {
	w := &world{
		docs:     startSite(t, "Getting started"),
		internal: startSite(t, "internal status: 3 services, 0 alarms"),
	}
	w.dns = startDNS(t, map[string]string{docsHost: "127.0.0.1", ssrfHost: "127.0.0.1"})
	return w
}

func (w *world) docsURL() string { return "http://" + docsHost + ":" + w.docs.port() + "/start" }
func (w *world) ssrfURL() string { return "http://" + ssrfHost + ":" + w.internal.port() + "/status" }

// site is a web server on 127.0.0.1 that counts the requests it receives.
type site struct {
	srv   *httptest.Server
	mu    sync.Mutex
	hosts []string // Host header of each request received
}

func startSite(t *testing.T, title string) *site {
	t.Helper()
	s := &site{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hosts = append(s.hosts, r.Host)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><title>%s</title><p>ok</p>", title)
	})}}
	s.srv.Start()
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) port() string {
	_, p, _ := net.SplitHostPort(s.srv.Listener.Addr().String())
	return p
}

func (s *site) hits() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.hosts...)
}

// launcher starts the function with the given extra environment.
type launcher func(t *testing.T, rt *fakeRuntime, env ...string) *function

func bootstrapLauncher(bin string) launcher {
	return func(t *testing.T, rt *fakeRuntime, env ...string) *function {
		return startFunction(t, bin, rt, env...)
	}
}

func reexecLauncher(w *world) launcher {
	return func(t *testing.T, rt *fakeRuntime, env ...string) *function {
		return startFunction(t, os.Args[0], rt, append(env, functionProcessEnv+"="+w.dns.addr())...)
	}
}

// TestEndToEnd sends the same requests to the function with and without
// the runtime controls:
//
//   - the preview of the help centre works in both;
//   - the SSRF preview reaches the internal service without the controls,
//     and with them fails in the handler (502) while fnguard logs the
//     egress denial naming cdn.example.net, the service seeing nothing;
//   - the injected command runs without the controls (it writes its file),
//     and with them the shell cannot start: the handler answers 500 and
//     fnguard logs the lockdown.exec finding. The cmdi monitor finding is
//     logged in both.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the function as processes; skipped with -short")
	}
	bin := buildBootstrap(t)
	w := newWorld(t)
	lockdownOK, why := lockdownAvailable(t)

	controls := []string{"FNGUARD_EGRESS_ALLOW=" + docsHost}
	if lockdownOK {
		controls = append(controls, "FNGUARD_LOCKDOWN=exec")
	}
	runs := []struct {
		name      string
		launch    launcher
		protected bool
		preview   bool // send the /preview requests (they need the test DNS)
	}{
		{"bootstrap/with controls", bootstrapLauncher(bin), true, false},
		{"bootstrap/without controls", bootstrapLauncher(bin), false, false},
		{"test DNS/with controls", reexecLauncher(w), true, true},
		{"test DNS/without controls", reexecLauncher(w), false, true},
	}
	for _, run := range runs {
		t.Run(run.name, func(t *testing.T) {
			uploads := newUploads(t)
			// FNGUARD_SINK_MODE=off: this example shows the runtime
			// controls. Every host of this test resolves to 127.0.0.1, so
			// the SSRF sink check (on by default, see examples/sinks) would
			// refuse the help centre's page as well as the internal one
			// before the egress layer is reached.
			env := []string{"FNGUARD_MODE=block", "FNGUARD_CATEGORY_MODES=cmdi=monitor", "FNGUARD_SINK_MODE=off", "UPLOAD_DIR=" + uploads}
			if run.protected {
				env = append(env, controls...)
			}
			rt := newFakeRuntime(t)
			fn := run.launch(t, rt, env...)
			docsBefore, internalBefore := len(w.docs.hits()), len(w.internal.hits())

			if run.preview {
				t.Run("help centre preview", func(t *testing.T) {
					resp := invokeOK(t, rt, fn, "docs", "/preview", map[string]string{"url": w.docsURL()})
					var p Preview
					if err := json.Unmarshal([]byte(resp.Body), &p); resp.StatusCode != 200 || err != nil || p.Title != "Getting started" {
						t.Fatalf("%d %s, want 200 with the help centre's title", resp.StatusCode, resp.Body)
					}
					if hits := w.docs.hits()[docsBefore:]; len(hits) != 1 || !strings.HasPrefix(hits[0], docsHost+":") {
						t.Fatalf("help centre requests: %q, want one for %s", hits, docsHost)
					}
				})
				t.Run("SSRF", func(t *testing.T) {
					asked := w.dns.count(ssrfHost)
					resp := invokeOK(t, rt, fn, "ssrf", "/preview", map[string]string{"url": w.ssrfURL()})
					hits := w.internal.hits()[internalBefore:]
					t.Logf("DNS questions about %s for this request: %d", ssrfHost, w.dns.count(ssrfHost)-asked)
					if !run.protected {
						if resp.StatusCode != 200 || !strings.Contains(resp.Body, "internal status") {
							t.Fatalf("without controls: %d %s, want 200 with the internal service's page", resp.StatusCode, resp.Body)
						}
						if len(hits) != 1 || !strings.HasPrefix(hits[0], ssrfHost+":") {
							t.Fatalf("without controls the internal service got %q, want one request for %s", hits, ssrfHost)
						}
						return
					}
					if resp.StatusCode != 502 || resp.Body != `{"message":"could not fetch the link"}` {
						t.Fatalf("with controls: %d %s, want the handler's 502", resp.StatusCode, resp.Body)
					}
					if len(hits) != 0 {
						t.Fatalf("with controls the internal service still got %q", hits)
					}
					line := fn.waitLogLine(t, func(m map[string]any) bool { return m["fnguard.rule"] == "egress.denied" })
					want := map[string]any{"fnguard.action": "block", "fnguard.category": "egress", "fnguard.source": "egress",
						"fnguard.location": "egress.tcp", "fnguard.excerpt": ssrfHost, "level": "WARN"}
					checkFields(t, line, want)
					if r, _ := line["fnguard.reason"].(string); !strings.Contains(r, "outbound connection to "+ssrfHost+" denied") {
						t.Errorf("fnguard.reason %q does not name %s", r, ssrfHost)
					}
				})
			}
			t.Run("command injection", func(t *testing.T) {
				if run.protected && !lockdownOK {
					t.Skipf("exec lockdown unavailable on this machine (%s); the function ran without FNGUARD_LOCKDOWN", why)
				}
				resp := invokeOK(t, rt, fn, "cmdi", "/stats", map[string]string{"file": cmdiPayload})
				marker, mErr := os.ReadFile(filepath.Join(uploads, markerFile))
				if !run.protected {
					if resp.StatusCode != 200 || !strings.Contains(resp.Body, "notes.txt") {
						t.Errorf("without controls: %d %s, want wc's output", resp.StatusCode, resp.Body)
					}
					if mErr != nil || !strings.Contains(string(marker), "uid=") {
						t.Errorf("without controls the injected command did not run: %s = %q, %v", markerFile, marker, mErr)
					}
				} else {
					if resp.StatusCode != 500 || !strings.Contains(resp.Body, "this function may not start programs") {
						t.Errorf("with controls: %d %s, want the handler's 500", resp.StatusCode, resp.Body)
					}
					if !errors.Is(mErr, os.ErrNotExist) {
						t.Errorf("with controls the injected command ran: %s = %q, %v", markerFile, marker, mErr)
					}
					line := fn.waitLogLine(t, func(m map[string]any) bool { return m["fnguard.rule"] == "lockdown.exec" })
					checkFields(t, line, map[string]any{"fnguard.action": "block", "fnguard.category": "lockdown", "fnguard.source": "lockdown",
						"fnguard.location": "exec", "fnguard.excerpt": "/bin/sh", "level": "WARN",
						"fnguard.reason": "start of /bin/sh refused by the exec lockdown (FNGUARD_LOCKDOWN=exec)"})
					if raw, _ := json.Marshal(line); bytes.Contains(raw, []byte("pwned")) {
						t.Errorf("the lockdown line carries the payload: %s", raw)
					}
				}
				// Input inspection saw it in both runs and let it through.
				line := fn.waitLogLine(t, func(m map[string]any) bool { return m["function_request_id"] == "cmdi" })
				checkFields(t, line, map[string]any{"fnguard.action": "monitor", "fnguard.category": "cmdi", "fnguard.location": "query.file"})
			})

			fn.stop(t)
			lines := fn.logLines(t)
			if !run.protected {
				for _, m := range lines {
					if r := m["fnguard.rule"]; r == "egress.denied" || r == "lockdown.exec" {
						t.Errorf("a runtime-control finding without the controls: %v", m)
					}
				}
			}
			if run.protected && rt.fetched() > 0 { // Protect runs before the first invocation
				want := []string{"fnguard egress allowlist installed"}
				if lockdownOK {
					want = append(want, "fnguard process lockdown applied")
				}
				for _, msg := range want {
					if !slices.ContainsFunc(lines, func(m map[string]any) bool { return m["message"] == msg }) {
						t.Errorf("no %q line", msg)
					}
				}
			}
			t.Logf("function stdout:\n%s\nfunction stderr:\n%s", fn.stdout.String(), fn.stderr.String())
		})
	}
}

func checkFields(t *testing.T, line map[string]any, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if line[k] != v {
			t.Errorf("%s = %v, want %v; line %v", k, line[k], v, line)
		}
	}
}

// invokeOK sends one API Gateway event and returns the proxy response the
// handler (or fnguard) answered with.
func invokeOK(t *testing.T, rt *fakeRuntime, fn *function, id, resource string, query map[string]string) events.APIGatewayProxyResponse {
	t.Helper()
	out := rt.invoke(t, fn, id, apiEvent(id, resource, query))
	if out.kind != "response" {
		t.Fatalf("%s: the function reported an error instead of a response: %s %s\nstderr:\n%s", id, out.errorType, out.body, fn.stderr.String())
	}
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out.body, &resp); err != nil {
		t.Fatalf("%s: response %s is not an API Gateway proxy response: %v", id, out.body, err)
	}
	if resp.Headers["X-Request-Id"] != id {
		t.Fatalf("%s: %d %s did not come from the handler (X-Request-Id %q): fnguard stopped it at the input", id, resp.StatusCode, resp.Body, resp.Headers["X-Request-Id"])
	}
	return resp
}

var (
	probeOnce sync.Once
	probeErr  string
)

// lockdownAvailable tries the exec lockdown in a throw-away child, the way
// guard/lockdown's own tests do, and reports why it is not available.
func lockdownAvailable(t *testing.T) (bool, string) {
	t.Helper()
	probeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, os.Args[0])
		cmd.Env = append(os.Environ(), probeLockdownEnv+"=1")
		out, err := cmd.CombinedOutput()
		switch {
		case err != nil:
			probeErr = fmt.Sprintf("probe failed: %v: %s", err, out)
		case !bytes.Contains(out, []byte(probeOK)):
			probeErr = strings.TrimSpace(string(out))
		}
	})
	if strings.HasPrefix(probeErr, "probe failed") {
		t.Fatal(probeErr)
	}
	return probeErr == "", probeErr
}

// TestConfigErrorFailsColdStart: a bad runtime-control setting stops the
// cold start, naming the variable; the function never takes an invocation
// without the controls it was configured with.
func TestConfigErrorFailsColdStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the Lambda binary; skipped with -short")
	}
	bin := buildBootstrap(t)
	tests := []struct {
		name string
		env  []string
		want []string // in stderr
	}{
		{"lockdown typo", []string{"FNGUARD_LOCKDOWN=exce"}, []string{"FNGUARD_LOCKDOWN", "exce"}},
		{"bad allowlist entry", []string{"FNGUARD_EGRESS_ALLOW=docs.example.com:http"}, []string{"FNGUARD_EGRESS_ALLOW", "docs.example.com:http"}},
		{"relative upload dir", []string{"UPLOAD_DIR=uploads"}, []string{"UPLOAD_DIR", "want an absolute path"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := newFakeRuntime(t)
			rt.queue <- invocation{id: "cfg-1", payload: apiEvent("cfg-1", "/stats", map[string]string{"file": "notes.txt"})}
			fn := startFunction(t, bin, rt, tt.env...)
			select {
			case <-fn.exited:
				var ee *exec.ExitError
				if !errors.As(fn.err, &ee) || ee.ExitCode() == 0 {
					t.Fatalf("the function exited with %v, want a non-zero exit status", fn.err)
				}
			case <-time.After(exitTimeout):
				t.Fatalf("the function is still running %s after start; stderr:\n%s", exitTimeout, fn.stderr.String())
			}
			if n := rt.fetched(); n != 0 {
				t.Errorf("the misconfigured function fetched %d invocations", n)
			}
			stderr := fn.stderr.String()
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not contain %q:\n%s", w, stderr)
				}
			}
		})
	}
}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
	buildTime time.Duration
)

// buildBootstrap builds the function as doc.go says, once per test binary,
// and returns the path of the executable.
func buildBootstrap(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "fnguard-runtimeguard-*")
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

// function is the running function process.
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

// logLines parses stdout, every line of which must be a JSON log line.
func (fn *function) logLines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for n, l := range strings.Split(strings.TrimSpace(fn.stdout.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Errorf("stdout line %d is not JSON: %q", n+1, l)
			continue
		}
		out = append(out, m)
	}
	return out
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
