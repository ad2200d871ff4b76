package guardlambda

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard"
)

func TestAWSResponseURL(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://cloudformation-custom-resource-response-uswest2.s3-us-west-2.amazonaws.com/arn%3Aaws?X-Amz-Signature=abc", true},
		{"https://cloudformation-custom-resource-response-cnnorth1.s3.cn-north-1.amazonaws.com.cn/x", true},
		{"https://S3.AMAZONAWS.COM/x", true},
		{"http://s3.amazonaws.com/x", false},            // not https
		{"https://amazonaws.com.evil.example/x", false}, // suffix elsewhere
		{"https://evilamazonaws.com/x", false},
		{"https://user:pw@s3.amazonaws.com/x", false},
		{"https://169.254.169.254/latest", false},
		{"http://pre-signed-S3-url-for-response", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if got := awsResponseURL(u); got != tt.want {
				t.Fatalf("awsResponseURL = %v, want %v", got, tt.want)
			}
		})
	}
}

// cfnServer is the pre-signed S3 URL: an httptest TLS server that records
// what CloudFormation would receive.
type cfnServer struct {
	*httptest.Server
	mu     sync.Mutex
	got    []cfnResponse
	method string
	ctype  []string
	status int
}

func newCFNServer(t *testing.T, status int) *cfnServer {
	s := &cfnServer{status: status}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var resp cfnResponse
		if err := json.Unmarshal(b, &resp); err != nil {
			t.Errorf("response body %q: %v", b, err)
		}
		s.mu.Lock()
		s.got = append(s.got, resp)
		s.method, s.ctype = r.Method, r.Header.Values("Content-Type")
		s.mu.Unlock()
		w.WriteHeader(s.status)
	}))
	t.Cleanup(s.Close)
	old, oldAllowed := cfnClient, cfnURLAllowed
	cfnClient = s.Client()
	cfnURLAllowed = func(u *url.URL) bool { return u.Scheme == "https" && u.Host == s.Listener.Addr().String() }
	t.Cleanup(func() { cfnClient, cfnURLAllowed = old, oldAllowed })
	return s
}

func cfnEvent(t *testing.T, responseURL, command string) []byte {
	var m map[string]any
	if err := json.Unmarshal(fixture(t, "real/aws-lambda-go/cfn/cloudformation-event.json"), &m); err != nil {
		t.Fatal(err)
	}
	m["ResponseURL"] = responseURL
	m["ResourceProperties"].(map[string]any)["Command"] = command
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCloudFormationRefusalSendsFailed: a refused custom resource request
// is answered to CloudFormation with FAILED (through aws-lambda-go's own
// handler); the stack does not wait an hour for a response.
func TestCloudFormationRefusalSendsFailed(t *testing.T) {
	const attack = "backup; cat /etc/passwd"
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-cfn-1"})
	tests := []struct {
		name      string
		status    int // what the pre-signed URL answers
		url       func(s *cfnServer) string
		command   string // the resource property
		wantSent  int
		wantErr   error
		wantCalls int
	}{
		{"attack: FAILED sent, invocation succeeds", 200, func(s *cfnServer) string { return s.URL + "/stack?X-Amz-Signature=s3cr3t" }, attack, 1, nil, 0},
		{"attack, URL refuses: the error, for a retry", 403, func(s *cfnServer) string { return s.URL + "/stack" }, attack, 1, guard.ErrBlocked, 0},
		{"attack, URL not an AWS host: nothing sent", 200, func(s *cfnServer) string { return "https://attacker.example/collect" }, attack, 0, guard.ErrBlocked, 0},
		{"benign: the handler answers", 200, func(s *cfnServer) string { return s.URL + "/stack" }, "backup --full", 0, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newCFNServer(t, tt.status)
			g, logs := testGuard(t)
			calls := 0
			h := lambda.NewHandler(Wrap(g, func(ctx context.Context, ev map[string]any) (string, error) {
				calls++
				return "handled", nil
			}))
			out, err := h.Invoke(ctx, cfnEvent(t, tt.url(s), tt.command))
			if calls != tt.wantCalls {
				t.Fatalf("handler calls %d, want %d", calls, tt.wantCalls)
			}
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err %v, want %v (out %s)", err, tt.wantErr, out)
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if len(s.got) != tt.wantSent {
				t.Fatalf("%d responses sent, want %d", len(s.got), tt.wantSent)
			}
			if tt.wantSent == 0 {
				return
			}
			r := s.got[0]
			if s.method != http.MethodPut || len(s.ctype) != 0 {
				t.Errorf("method %s, Content-Type %q; want PUT without a content type", s.method, s.ctype)
			}
			if r.Status != "FAILED" || r.RequestID != "unique id for this create request" || r.LogicalResourceID != "MyTestResource" ||
				r.StackID != "arn:aws:cloudformation:us-west-2:EXAMPLE/stack-name/guid" || r.PhysicalResourceID == "" ||
				!strings.Contains(r.Reason, "fnguard") || !strings.Contains(r.Reason, "req-cfn-1") {
				t.Errorf("response %+v", r)
			}
			if strings.Contains(r.Reason, "/etc/passwd") {
				t.Errorf("the reason echoes the attack to CloudFormation: %q", r.Reason)
			}
			for _, e := range logs.All() {
				for _, f := range e.Context {
					if strings.Contains(f.String, "s3cr3t") {
						t.Errorf("log line %q carries the pre-signed URL", e.Message)
					}
				}
			}
		})
	}
}
