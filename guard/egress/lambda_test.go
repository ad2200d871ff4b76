package egress

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	lambda.Start(func(ctx context.Context, ev map[string]string) (map[string]string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://169.254.169.254/latest/meta-data/", nil)
		if err != nil {
			return nil, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		return map[string]string{"echo": ev["k"], "metadataDenied": fmt.Sprint(errors.Is(err, ErrDenied))}, nil
	})
}

// TestLambdaRuntimeLoop runs aws-lambda-go's real runtime loop against a fake
// Runtime API on 127.0.0.1 with a policy installed whose allow list does not
// mention loopback: the runtime must still fetch the event and post the
// response (the Runtime API address is allowed implicitly), while the
// handler's SSRF attempt on the metadata endpoint is denied.
func TestLambdaRuntimeLoop(t *testing.T) {
	if os.Getenv(lambdaHelperEnv) != "" {
		t.Skip("inside the helper")
	}
	done := make(chan struct{})
	responses := make(chan string, 1)
	var mu sync.Mutex
	nexts := 0
	rt := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/2018-06-01/runtime/invocation/next":
			mu.Lock()
			nexts++
			first := nexts == 1
			mu.Unlock()
			if !first {
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

	cmd := exec.Command(os.Args[0], "-test.run=^TestLambdaRuntimeHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		lambdaHelperEnv+"=api.stripe.com:443",
		RuntimeAPIEnv+"="+strings.TrimPrefix(rt.URL, "http://"),
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
		want := `/2018-06-01/runtime/invocation/req-1/response {"echo":"v","metadataDenied":"true"}`
		if got != want {
			t.Fatalf("runtime API received %q, want %q", got, want)
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
