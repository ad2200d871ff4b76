package guardlambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnguard/fnguard/guard"
)

// TestMappingPanicGoesToFailMode: a panic in the adapter's own mapping is
// recovered and handed to the guard's fail mode.
func TestMappingPanicGoesToFailMode(t *testing.T) {
	testHookMap = func() { panic("mapping bug") }
	defer func() { testHookMap = nil }()

	tests := []struct {
		name    string
		fail    guard.FailMode
		fixture string
		status  int   // HTTP refusal
		err     error // async / batch refusal
		called  bool
	}{
		{"closed/http", guard.FailClosed, "apigw_v1_benign.json", 503, nil, false},
		{"closed/sqs", guard.FailClosed, "sqs_batch_clean.json", 0, guard.ErrFailed, false},
		{"closed/sns", guard.FailClosed, "sns_benign.json", 0, guard.ErrFailed, false},
		{"open/http", guard.FailOpen, "apigw_v1_benign.json", 0, nil, true},
		{"open/sqs", guard.FailOpen, "sqs_batch_clean.json", 0, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, logs := testGuard(t, guard.WithFailMode(tt.fail))
			called := false
			h := WrapHandler(g, handlerFunc(func(context.Context, []byte) ([]byte, error) {
				called = true
				return []byte(`{}`), nil
			}))
			out, err := h.Invoke(lambdaCtx("req-panic"), fixture(t, tt.fixture))
			if called != tt.called {
				t.Fatalf("handler called = %v, want %v", called, tt.called)
			}
			switch {
			case tt.status != 0:
				var resp events.APIGatewayProxyResponse
				if err != nil || json.Unmarshal(out, &resp) != nil || resp.StatusCode != tt.status {
					t.Fatalf("out %s err %v", out, err)
				}
			case tt.err != nil:
				var be *guard.BlockedError
				if !errors.As(err, &be) || !errors.Is(err, tt.err) || !strings.Contains(be.Decision.Reason, "mapping bug") {
					t.Fatalf("err %v", err)
				}
			default:
				if err != nil {
					t.Fatalf("err %v", err)
				}
			}
			found := false
			for _, e := range logs.All() {
				for _, f := range e.Context {
					if strings.Contains(f.String, "mapping bug") {
						found = true
					}
				}
			}
			if !found {
				t.Error("the recovered panic was not logged")
			}
		})
	}
}

// TestSanitisedBodySplice: when the decision carries a replacement body,
// the handler gets the envelope with it spliced in, base64 again if the body
// was, and every other byte unchanged.
func TestSanitisedBodySplice(t *testing.T) {
	for _, b64 := range []bool{false, true} {
		name := "plain"
		if b64 {
			name = "base64"
		}
		t.Run(name, func(t *testing.T) {
			body := `{"comment":"<b>hi</b>"}`
			ev := events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/c", Body: body, IsBase64Encoded: b64,
				Headers: map[string]string{"Content-Type": "application/json"}}
			if b64 {
				ev.Body = base64.StdEncoding.EncodeToString([]byte(body))
			}
			payload, _ := json.Marshal(ev)
			g, _ := testGuard(t)
			var got events.APIGatewayProxyRequest
			w := WrapHandler(g, lambda.NewHandler(func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
				got = req
				return events.APIGatewayProxyResponse{StatusCode: 200}, nil
			})).(*handler)
			st := getState()
			if d := w.inspect(context.Background(), st, payload); !d.Allowed() {
				t.Fatalf("decision %+v", d)
			}
			clean := []byte(`{"comment":"hi \"there\"\n"}`)
			d := guard.Decision{Action: guard.ActionMonitor, Body: clean}
			if st.Deliver(context.Background(), d, nil); st.err != nil {
				t.Fatal(st.err)
			}
			st.release(false)
			if got.IsBase64Encoded != b64 || got.HTTPMethod != "POST" || got.Headers["Content-Type"] != "application/json" {
				t.Errorf("envelope changed: %+v", got)
			}
			gotBody := got.Body
			if b64 {
				dec, err := base64.StdEncoding.DecodeString(gotBody)
				if err != nil {
					t.Fatal(err)
				}
				gotBody = string(dec)
			}
			if gotBody != string(clean) {
				t.Errorf("handler got body %q, want %q", gotBody, clean)
			}
		})
	}
}

// TestProtectBeforeHandler: the policy's runtime controls are installed on
// the first invocation, before the handler runs; if they cannot be, the
// invocation is refused. FNGUARD_LOCKDOWN=exec is process-wide, so this
// runs in a child process.
func TestProtectBeforeHandler(t *testing.T) {
	if os.Getenv("GUARDLAMBDA_PROTECT_CHILD") == "1" {
		protectChild()
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestProtectBeforeHandler$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GUARDLAMBDA_PROTECT_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	switch {
	case strings.Contains(string(out), "RESULT locked-before-handler"):
		t.Log("lockdown applied before the handler ran")
	case strings.Contains(string(out), "RESULT refused-503"):
		t.Log("lockdown unavailable here: the invocation was refused with 503")
	default:
		t.Fatalf("child output:\n%s", out)
	}
}

func protectChild() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLockdown("exec"))
	if err != nil {
		os.Stdout.WriteString("RESULT config-error " + err.Error() + "\n")
		return
	}
	execErr := error(nil)
	called := false
	h := WrapHandler(g, lambda.NewHandler(func(ctx context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		called = true
		execErr = exec.Command("/bin/true").Run()
		return events.APIGatewayProxyResponse{StatusCode: 200}, nil
	}))
	payload, _ := os.ReadFile("testdata/apigw_v1_benign.json")
	out, err := h.Invoke(lambdaCtx("req-protect"), payload)
	var resp events.APIGatewayProxyResponse
	_ = json.Unmarshal(out, &resp)
	switch {
	case err != nil:
		os.Stdout.WriteString("RESULT error " + err.Error() + "\n")
	case called && execErr != nil:
		os.Stdout.WriteString("RESULT locked-before-handler\n")
	case !called && resp.StatusCode == 503:
		os.Stdout.WriteString("RESULT refused-503\n")
	default:
		os.Stdout.WriteString("RESULT unexpected: called=" + boolStr(called) + " exec error=" + errStr(execErr) + " response=" + string(out) + "\n")
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func errStr(err error) string {
	if err == nil {
		return "nil"
	}
	return err.Error()
}

func TestResponseScanOn(t *testing.T) {
	_, hasMode := any((*guard.Guard)(nil)).(interface{ ResponseScanMode() guard.ResponseScan })
	off, _ := testGuard(t, guard.WithMode(guard.Off), guard.WithResponseScan(guard.ResponseScanBlock))
	dflt, _ := testGuard(t)
	block, _ := testGuard(t, guard.WithResponseScan(guard.ResponseScanBlock))
	tests := []struct {
		name string
		g    *guard.Guard
		want bool
	}{
		{"nil guard", nil, false},
		{"mode off", off, false},
		{"scan off", dflt, !hasMode}, // without ResponseScanMode every response is handed to ScanResponse
		{"scan block", block, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := responseScanOn(tt.g); got != tt.want {
				t.Errorf("responseScanOn = %v, want %v", got, tt.want)
			}
		})
	}
}
