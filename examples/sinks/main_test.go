package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// TestDemo runs every request of the demonstration through
// guardlambda and aws-lambda-go: each attack passes the input checks
// (monitor) and is refused at its sink with a sink log line; each benign
// request is answered. Run with -v to see the log lines.
func TestDemo(t *testing.T) {
	core, logs := observer.New(zapcore.InfoLevel)
	g, err := newGuard(guard.WithoutEnv(), guard.WithLogger(zap.New(core)))
	if err != nil {
		t.Fatal(err)
	}
	internal := internalService()
	defer internal.Close()
	a, err := newApp(t.TempDir(), internal.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	h := guardlambda.Wrap(g, a.handle)
	for _, c := range demo(internal.URL) {
		t.Run(c.kind+"/"+c.what+c.path, func(t *testing.T) {
			before := logs.Len()
			status, body, err := invoke(context.Background(), h, c.path, c.query)
			if err != nil {
				t.Fatal(err)
			}
			var sink []observer.LoggedEntry
			for _, e := range logs.All()[before:] {
				m := e.ContextMap()
				t.Logf("log: %s %v", e.Message, m)
				if m["fnguard.source"] == "sink:"+c.what {
					sink = append(sink, e)
				}
			}
			t.Logf("%s %v -> %d %s", c.path, c.query, status, body)
			if !c.blocked {
				if status != 200 || len(sink) != 0 {
					t.Fatalf("benign request: %d %q, %d sink lines", status, body, len(sink))
				}
				return
			}
			if status != 403 || !strings.Contains(body, "refused") {
				t.Fatalf("attack answered %d %q, want 403 from the sink", status, body)
			}
			if strings.Contains(body, "hunter2") || strings.Contains(body, "AKIA") || strings.Contains(body, "the secret") || strings.Contains(body, "uid=") {
				t.Fatalf("attack succeeded: %q", body)
			}
			if len(sink) != 1 {
				t.Fatalf("%d sink:%s log lines, want 1", len(sink), c.what)
			}
			m := sink[0].ContextMap()
			if m["fnguard.action"] != "block" || m["fnguard.location"] == "" || m["fnguard.rule"] == "" || m["function_request_id"] != "demo-"+c.path {
				t.Errorf("sink log line = %v", m)
			}
		})
	}
}

func TestMain(m *testing.M) {
	os.Unsetenv("AWS_LAMBDA_RUNTIME_API")
	os.Exit(m.Run())
}
