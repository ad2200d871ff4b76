package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// TestQuickstart runs what `go run ./examples/quickstart` runs and checks
// every sample against its documented verdict, finding and location.
func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	results, err := run(context.Background(), &out, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("quickstart output:\n%s", out.String())

	all := samples()
	if len(results) != len(all) {
		t.Fatalf("got %d results for %d samples", len(results), len(all))
	}
	var benign, attacks int
	for i := range results {
		r := &results[i]
		if r.sample.name != all[i].name {
			t.Fatalf("result %d is for %q, want %q", i, r.sample.name, all[i].name)
		}
		t.Run(r.sample.name, func(t *testing.T) {
			if r.err != nil {
				t.Fatalf("wrapped handler returned an error: %v", r.err)
			}
			if !r.sample.malicious() {
				benign++
				if !r.handlerRan {
					t.Fatalf("benign request did not reach the handler: status %d, %s", r.status, r.describe())
				}
				if r.status < 200 || r.status > 299 {
					t.Errorf("handler answered %d, want a 2xx", r.status)
				}
				if len(r.decisions) != 0 {
					t.Errorf("fnguard logged a decision for benign traffic: %s", r.describe())
				}
				return
			}
			attacks++
			if r.handlerRan {
				t.Fatalf("attack reached the handler (status %d)", r.status)
			}
			if r.status != 403 {
				t.Errorf("status %d, want 403", r.status)
			}
			if !r.has(r.sample.category, r.sample.location) {
				t.Errorf("no %s finding at %s; fnguard logged: %s", r.sample.category, r.sample.location, r.describe())
			}
			if len(r.decisions) != 1 {
				t.Fatalf("%d decision lines, want 1", len(r.decisions))
			}
			d := r.decisions[0]
			if d.Action != "block" {
				t.Errorf("fnguard.action = %q, want block", d.Action)
			}
			if d.RequestID != r.requestID {
				t.Errorf("function_request_id = %q, want %q (from lambdacontext)", d.RequestID, r.requestID)
			}
			f, _ := r.finding()
			if f.Rule == "" || f.Excerpt == "" {
				t.Errorf("first finding lacks a rule or excerpt: %+v", f)
			}
			if err := r.check(); err != nil {
				t.Errorf("check: %v", err)
			}
		})
	}
	if benign != 3 || attacks != 6 {
		t.Errorf("%d benign and %d malicious samples, want 3 and 6", benign, attacks)
	}

	// The report: one aligned line per sample, then the summary.
	lines := strings.Split(out.String(), "\n")
	for i := range results {
		r := &results[i]
		want := "ALLOWED"
		if r.sample.malicious() {
			want = fmt.Sprintf("BLOCKED 403  %s", r.sample.category)
		}
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, "  "+r.sample.name+"  ") && strings.Contains(l, want) {
				found = true
			}
		}
		if !found {
			t.Errorf("report has no line for %q with %q", r.sample.name, want)
		}
	}
	if !strings.Contains(out.String(), "3 allowed, 6 blocked, 9 events: every sample got the verdict it should.") {
		t.Errorf("report lacks the success summary")
	}
	if !strings.Contains(out.String(), `"fnguard.category"`) {
		t.Errorf("-v report lacks fnguard's JSON log lines")
	}
}

// TestCheck covers the verdict logic that decides the program's exit status.
func TestCheck(t *testing.T) {
	attack := sample{name: "attack", category: guard.SQLi, location: "query.q"}
	benign := sample{name: "benign"}
	logged := []loggedDecision{{Action: "block", Findings: []loggedFinding{{Category: "sqli", Location: "query.q", Rule: "sqli.tautology"}}}}
	tests := []struct {
		name      string
		r         result
		verdict   string
		wantErrIn string
	}{
		{"benign served", result{sample: benign, handlerRan: true, status: 200}, "ALLOWED", ""},
		{"benign blocked", result{sample: benign, status: 403, decisions: logged}, "BLOCKED", "benign request stopped with status 403: sqli sqli.tautology at query.q"},
		{"attack blocked where expected", result{sample: attack, status: 403, decisions: logged}, "BLOCKED", ""},
		{"attack reached the handler", result{sample: attack, handlerRan: true, status: 200}, "ALLOWED", "the attack reached the handler"},
		{"attack rejected instead", result{sample: attack, status: 400, decisions: logged}, "REJECTED", "got status 400, want 403"},
		{"attack found elsewhere", result{sample: attack, status: 403, decisions: []loggedDecision{{Findings: []loggedFinding{{Category: "sqli", Location: "body"}}}}}, "BLOCKED", "want a sqli finding at query.q"},
		{"attack without log line", result{sample: attack, status: 403}, "BLOCKED", "fnguard logged: no finding"},
		{"inspection failed", result{sample: attack, status: 503}, "FAILED", "got status 503"},
		{"handler error", result{sample: benign, err: errors.New("boom")}, "ERROR", "the wrapped handler failed: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v := tt.r.verdict(); v != tt.verdict {
				t.Errorf("verdict = %s, want %s", v, tt.verdict)
			}
			err := tt.r.check()
			switch {
			case tt.wantErrIn == "" && err != nil:
				t.Errorf("check: %v", err)
			case tt.wantErrIn != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErrIn)):
				t.Errorf("check = %v, want an error containing %q", err, tt.wantErrIn)
			}
		})
	}
}

// TestNilGuard: a program that ignored guard.New's error hands Wrap a nil
// guard; the handler must then never run.
func TestNilGuard(t *testing.T) {
	s := newShop()
	h := guardlambda.Wrap(nil, s.handle)
	sm := samples()[0] // benign: even clean traffic must not run unprotected
	payload, err := json.Marshal(sm.event)
	if err != nil {
		t.Fatal(err)
	}
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "nil-guard-1"})
	out, err := h.Invoke(ctx, payload)
	if n := s.served.Load(); n != 0 {
		t.Fatalf("handler ran %d times with a nil guard", n)
	}
	if err != nil {
		if !errors.Is(err, guard.ErrNoGuard) {
			t.Fatalf("error %v does not wrap guard.ErrNoGuard", err)
		}
		return
	}
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("response %q: %v", out, err)
	}
	if resp.StatusCode != 503 {
		t.Fatalf("status %d with a nil guard, want 503", resp.StatusCode)
	}
}
