package egress

import (
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
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
)

const lambdaHelperEnv = "FNGUARD_EGRESS_LAMBDA_HELPER"

// TestLambdaRuntimeHelper is not a test: TestLambdaRuntimeLoop runs the test
// binary again with lambdaHelperEnv set, and this function then behaves like
// a Lambda function's main: build the policy, Install it, lambda.Start.
func TestLambdaRuntimeHelper(t *testing.T) {
	if os.Getenv(lambdaHelperEnv) == "" {
		t.Skip("helper process for TestLambdaRuntimeLoop")
	}
	rules, err := ParseAllowList(os.Getenv(lambdaHelperEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	p, err := New(Config{Allow: rules})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	p.Install() // before lambda.Start, as an engine would do at init
	api := os.Getenv(RuntimeAPIEnv)
	_, port, _ := net.SplitHostPort(api)
	// WithEnableSIGTERM makes the runtime register an internal extension
	// through its Extensions API client at start: that client must get
	// through the installed policy too.
	lambda.StartWithOptions(func(ctx context.Context, ev map[string]string) (map[string]string, error) {
		denied := func(c *http.Client, method, u string) string {
			ctx, cancel := context.WithTimeout(ctx, 2*time.Second) // a parked "next" must not hang the handler
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, method, u, strings.NewReader(`{"forged":true}`))
			if err != nil {
				return err.Error()
			}
			resp, err := c.Do(req)
			if err == nil {
				_ = resp.Body.Close()
				return "reached: " + resp.Status
			}
			return fmt.Sprint(errors.Is(err, ErrDenied))
		}
		out := map[string]string{"echo": ev["k"], "metadataDenied": denied(http.DefaultClient, http.MethodGet, "http://169.254.169.254/latest/meta-data/")}
		// SSRF on the Runtime API through the application's transports, in
		// several notations of its address (issue 19, item 5).
		own := &http.Client{Transport: p.Transport(nil)}
		for i, u := range []string{
			"http://" + api + "/2018-06-01/runtime/invocation/next",
			"http://[::ffff:127.0.0.1]:" + port + "/2018-06-01/runtime/invocation/next",
			"http://localhost:" + port + "/2018-06-01/runtime/invocation/next",
			"http://0.0.0.0:" + port + "/2018-06-01/runtime/invocation/next",
		} {
			out[fmt.Sprintf("runtimeNextDenied%d", i)] = denied(http.DefaultClient, http.MethodGet, u)
			out[fmt.Sprintf("runtimeNextDeniedOwn%d", i)] = denied(own, http.MethodGet, u)
		}
		out["runtimePostDenied"] = denied(http.DefaultClient, http.MethodPost, "http://"+api+"/2018-06-01/runtime/invocation/req-1/response")
		return out, nil
	}, lambda.WithEnableSIGTERM())
}

// TestLambdaRuntimeLoop runs aws-lambda-go's real runtime loop against a fake
// Runtime API on 127.0.0.1 with a policy installed whose allow list does not
// mention loopback: the runtime must still fetch the event and post the
// response (the Runtime API address is allowed implicitly for its client),
// while the handler's SSRF attempts on the metadata endpoint and on the
// Runtime API itself (GET next, POST a response; through DefaultTransport and
// through Policy.Transport; in several notations) are all denied (issue 19,
// item 5), under a narrow allow list and under "*".
func TestLambdaRuntimeLoop(t *testing.T) {
	if os.Getenv(lambdaHelperEnv) != "" {
		t.Skip("inside the helper")
	}
	done := make(chan struct{})
	responses := make(chan string, 1)
	events := make(chan struct{}, 1) // one event per helper run; later "next" calls park
	registered := make(chan struct{}, 2)
	rt := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/2018-06-01/runtime/invocation/next":
			select {
			case <-events:
			default:
				// Park the runtime until the test ends.
				select {
				case <-done:
				case <-r.Context().Done():
				}
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-1")
			w.Header().Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(time.Minute).UnixMilli()))
			w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:test")
			_, _ = io.WriteString(w, `{"k":"v"}`)
		case r.Method == http.MethodPost && r.URL.Path == "/2020-01-01/extension/register":
			w.Header().Set("Lambda-Extension-Identifier", "ext-1")
			_, _ = io.WriteString(w, `{}`)
			select {
			case registered <- struct{}{}:
			default:
			}
		case r.Method == http.MethodGet && r.URL.Path == "/2020-01-01/extension/event/next":
			select { // parked for good, as in Lambda
			case <-done:
			case <-r.Context().Done():
			}
		case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/2018-06-01/runtime/"):
			b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
			w.WriteHeader(http.StatusAccepted)
			select {
			case responses <- r.URL.Path + " " + string(b):
			default:
			}
		default:
			http.NotFound(w, r)
		}
	}))
	defer rt.Close()
	defer close(done)

	for _, allow := range []string{"api.stripe.com:443", "*"} {
		events <- struct{}{}
		t.Run(allow, func(t *testing.T) {
			runLambdaHelper(t, rt.URL, allow, responses)
			select {
			case <-registered:
			default:
				t.Fatal("the runtime's Extensions API client did not get through the policy (extension/register)")
			}
		})
	}
}

// runLambdaHelper starts the helper process with the allow list and waits
// for the response it posts to the fake Runtime API.
func runLambdaHelper(t *testing.T, rtURL, allow string, responses chan string) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestLambdaRuntimeHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		lambdaHelperEnv+"="+allow,
		RuntimeAPIEnv+"="+strings.TrimPrefix(rtURL, "http://"),
	)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start helper: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Kill() // only the helper we started
		<-exited
		exited <- nil
	}()

	select {
	case got := <-responses:
		path, body, _ := strings.Cut(got, " ")
		if path != "/2018-06-01/runtime/invocation/req-1/response" {
			t.Fatalf("runtime API received %q, want the handler's response", got)
		}
		var res map[string]string
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatalf("response %q: %v", body, err)
		}
		if res["echo"] != "v" || len(res) != 11 {
			t.Fatalf("response %v: want the echo and 10 checks", res)
		}
		for k, v := range res {
			if k != "echo" && v != "true" {
				t.Errorf("%s = %s: the handler's request was not denied", k, v)
			}
		}
	case err := <-exited:
		exited <- err
		t.Fatalf("helper exited (%v) before the runtime posted a response; output:\n%s", err, out.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("no response from the runtime loop within 20s; helper output:\n%s", out.String())
	}
}

// syncBuffer is a strings.Builder safe for the helper's output copiers and
// the test goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
