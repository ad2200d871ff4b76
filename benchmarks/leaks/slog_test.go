package leaks

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard"
)

// The guard's slog handler composes with aws-lambda-go's lambdacontext
// handler: the application's own records keep the Lambda fields and lose
// their secrets.
func TestSlogHandlerComposesWithLambdacontext(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "Qm8tZz9vXr2Lp4Wk7Ns1Jd5Hf3Gb6Cv0Ty8Ue2Ai")
	g, err := guard.New(guard.WithoutEnv())
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = f
	log := slog.New(g.SlogHandler(lambdacontext.NewLogHandler()))
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "req-77"})
	log.InfoContext(ctx, "calling billing with Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2ln",
		"password", "hunter2hunter2", "creds", slog.GroupValue(slog.String("key", "qm8tzz9vxr2lp4wk7ns1jd5hf3gb6cv0ty8ue2ai")), "order", 42)
	os.Stdout = old
	out, _ := os.ReadFile(f.Name())
	t.Logf("%s", out)
	for _, leak := range []string{"eyJzdWIi", "hunter2", "qm8tzz9v"} {
		if bytes.Contains(bytes.ToLower(out), bytes.ToLower([]byte(leak))) {
			t.Errorf("%q leaked: %s", leak, out)
		}
	}
	// aws-lambda-go reads AWS_LAMBDA_LOG_FORMAT at start-up: text here.
	for _, want := range []string{"requestId=req-77", "order=42", "level=INFO", "Bearer [REDACTED]"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("line lacks %q: %s", want, out)
		}
	}
}

// WithSlog sends fnguard's own decision lines through the application's
// slog logger.
func TestWithSlogCarriesDecisionLines(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, nil))
	g, err := guard.New(guard.WithoutEnv(), guard.WithSlog(l), guard.WithLogRate(-1, 0))
	if err != nil {
		t.Fatal(err)
	}
	g.Inspect(context.Background(), &guard.Invocation{Source: guard.SourceHTTP, RequestID: "r1",
		Query: []guard.Param{{Name: "q", Value: "' OR 1=1 -- AKIAIOSFODNN7EXAMPLE"}}})
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("not a JSON line: %q", buf.String())
	}
	t.Logf("%s", buf.String())
	for k, want := range map[string]any{"level": "WARN", "msg": "fnguard blocked request", "fnguard.action": "block",
		"fnguard.rule": "sqli.tautology", "fnguard.excerpt": "' OR 1=1 -- [REDACTED]", "function_request_id": "r1"} {
		if m[k] != want {
			t.Errorf("%s = %v, want %v", k, m[k], want)
		}
	}
	if strings.Contains(buf.String(), "IOSFODNN") {
		t.Error("secret leaked through slog")
	}
	if _, err := guard.New(guard.WithoutEnv(), guard.WithSlog(nil)); err == nil {
		t.Error("WithSlog(nil) accepted")
	}
}
