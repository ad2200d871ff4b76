package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/cloudevents/sdk-go/v2/event"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

func TestReplayGolden(t *testing.T) {
	cleanEnv(t)
	for _, format := range []string{"text", "json", "markdown"} {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := runCmd(t, "", "replay", "--format", format, filepath.Join("testdata", "events"))
			if code != exitFindings {
				t.Errorf("exit %d, want 1 (stderr %q)", code, stderr)
			}
			golden(t, "replay."+format, out)
		})
	}
}

func TestReplayExitStatus(t *testing.T) {
	cleanEnv(t)
	clean := filepath.Join("testdata", "events", "apigw-clean.json")
	if code, out, _ := runCmd(t, "", "replay", clean); code != exitOK || !strings.Contains(out, "1 events: 0 would be blocked") {
		t.Errorf("clean event: exit %d\n%s", code, out)
	}
	attack := filepath.Join("testdata", "events", "apigw-sqli.json")
	if code, _, _ := runCmd(t, "", "replay", attack); code != exitFindings {
		t.Errorf("attack: exit %d, want 1", code)
	}
	// The policy comes from the environment: in monitor mode nothing would
	// be blocked, so a team can see the effect of FNGUARD_MODE before
	// switching it.
	t.Setenv("FNGUARD_MODE", "monitor")
	if code, out, _ := runCmd(t, "", "replay", attack); code != exitOK || !strings.Contains(out, "monitor") {
		t.Errorf("monitor mode: exit %d\n%s", code, out)
	}
	// --env wins over the environment.
	env := filepath.Join(t.TempDir(), "policy.env")
	os.WriteFile(env, []byte("# the policy we plan to deploy\nexport FNGUARD_MODE=block\nFNGUARD_EXCLUDE='query.q=sqli'\n"), 0o644)
	t.Setenv("FNGUARD_EXCLUDE", "")
	if code, out, _ := runCmd(t, "", "replay", "--env", env, attack); code != exitOK || strings.Contains(out, "would be blocked or refused, 0") == false {
		t.Errorf("--env with an exclusion: exit %d\n%s", code, out)
	}
}

func TestReplayInputs(t *testing.T) {
	cleanEnv(t)
	dir := t.TempDir()
	clean, _ := os.ReadFile(filepath.Join("testdata", "events", "apigw-clean.json"))
	attack, _ := os.ReadFile(filepath.Join("testdata", "events", "apigw-sqli.json"))
	compact := func(b []byte) string {
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(compact(clean) + "\n" + compact(attack) + "\n"))
	zw.Close()
	files := map[string][]byte{
		"lines.jsonl":  []byte(compact(clean) + "\n\n" + compact(attack) + "\n"),
		"array.json":   []byte("[\n" + string(clean) + ",\n" + string(attack) + "\n]\n"),
		"export.log":   []byte("2024-01-01T00:00:00.000Z\tabc\tINFO\t" + compact(clean) + "\n2024-01-01T00:00:01.000Z\tdef\tINFO\t" + compact(attack) + "\n"),
		"lines.log.gz": gz.Bytes(),
		"two.json":     []byte(string(clean) + "\n" + string(attack)),
	}
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			os.WriteFile(p, data, 0o644)
			code, out, stderr := runCmd(t, "", "replay", "--format", "json", p)
			if code != exitFindings {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			results := decodeResults(t, out)
			if len(results) != 2 || results[0].Verdict != "allow" || results[1].Verdict != "block" {
				t.Errorf("results %+v", results)
			}
		})
	}
	t.Run("stdin", func(t *testing.T) {
		code, out, _ := runCmd(t, compact(attack)+"\n", "replay", "--format", "json", "-")
		if r := decodeResults(t, out); code != exitFindings || len(r) != 1 || r[0].File != "stdin" {
			t.Errorf("exit %d, %+v", code, r)
		}
	})
	t.Run("line numbers", func(t *testing.T) {
		_, out, _ := runCmd(t, "", "replay", "--format", "json", filepath.Join(dir, "two.json"))
		r := decodeResults(t, out)
		if len(r) != 2 || r[0].Line != 1 || r[1].Line != strings.Count(string(clean), "\n")+2 {
			t.Errorf("lines %+v", r)
		}
	})
}

func TestReplayInputErrors(t *testing.T) {
	cleanEnv(t)
	dir := t.TempDir()
	tests := []struct {
		name, data, where string
	}{
		{"bad-line.jsonl", `{"a":1}` + "\n" + `{"a":` + "\n", "bad-line.jsonl:2"},
		{"text.log", "hello\n", "text.log:1"},
		{"broken.json", "{\n  \"a\": [1,\n", "broken.json:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name)
			os.WriteFile(p, []byte(tc.data), 0o644)
			code, _, stderr := runCmd(t, "", "replay", p)
			if code != exitUsage || !strings.Contains(stderr, tc.where) {
				t.Errorf("exit %d, stderr %q: want 2 naming %s", code, stderr, tc.where)
			}
		})
	}
	// A bad input does not stop the others from being replayed.
	code, out, _ := runCmd(t, "", "replay", filepath.Join(dir, "text.log"), filepath.Join("testdata", "events", "apigw-sqli.json"))
	if code != exitUsage || !strings.Contains(out, "sqli.tautology") {
		t.Errorf("exit %d, output %q", code, out)
	}
	if code, _, stderr := runCmd(t, "", "replay", filepath.Join(dir, "absent.json")); code != exitUsage || !strings.Contains(stderr, "absent.json") {
		t.Errorf("missing file: exit %d %q", code, stderr)
	}
}

func decodeResults(t *testing.T, out string) []replayResult {
	t.Helper()
	var rs []replayResult
	dec := json.NewDecoder(strings.NewReader(out))
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err == io.EOF {
			return rs
		} else if err != nil {
			t.Fatalf("%v in %q", err, out)
		}
		if bytes.HasPrefix(raw, []byte(`{"summary"`)) {
			continue
		}
		var r replayResult
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		rs = append(rs, r)
	}
}

// fixtureEvents lists the event files replay is compared on: this
// package's testdata and, when present beside the repository, the shared
// real-event fixtures (aws-lambda-go, Powertools, functions framework,
// google-cloudevents).
func fixtureEvents(t *testing.T) []string {
	var out []string
	roots := []string{filepath.Join("testdata", "events"), filepath.Join("..", "..", "..", "shared", "fixtures", "events")}
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") && !strings.Contains(p, "output") {
				out = append(out, p)
			}
			return nil
		})
	}
	return out
}

// TestReplayMatchesMiddleware: for every fixture event, replay's verdict
// is what the middleware does with it — the handler runs with the whole
// event exactly when replay says allow or monitor.
func TestReplayMatchesMiddleware(t *testing.T) {
	cleanEnv(t)
	g, err := guard.New(guard.WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	rp := &replayer{g: g}
	compared := 0
	for _, p := range fixtureEvents(t) {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		var evs []rawEvent
		rerr := readEvents(p, f, func(e rawEvent) error { evs = append(evs, e); return nil })
		f.Close()
		if rerr != nil {
			continue // not an event file (a malformed fixture is an input error, tested above)
		}
		for _, ev := range evs {
			r := rp.replay(context.Background(), ev)
			ran := middlewareRuns(t, g, ev.raw)
			want := r.Verdict == "allow" || r.Verdict == "monitor"
			if ran != want {
				t.Errorf("%s:%d: replay says %s (%v) but the middleware ran the handler: %v", ev.file, ev.line, r.Verdict, r.Findings, ran)
			}
			compared++
		}
	}
	if compared < 5 {
		t.Fatalf("compared only %d events", compared)
	}
	t.Logf("replay and middleware agree on %d events", compared)
}

// middlewareRuns reports whether the wrapped handler received the whole
// event: guardlambda through aws-lambda-go's own handler, or guardgcf's
// CloudEvent wrapper.
func middlewareRuns(t *testing.T, g *guard.Guard, raw []byte) bool {
	t.Helper()
	if ce, ok := structuredCloudEvent(raw); ok {
		ran := false
		fn := guardgcf.CloudEvent(g, func(_ context.Context, e event.Event) error { ran = true; return nil })
		fn(context.Background(), ce)
		return ran
	}
	var got []byte
	h := lambda.NewHandler(func(_ context.Context, in json.RawMessage) (any, error) {
		got = append([]byte(nil), in...)
		return map[string]any{"statusCode": 200}, nil
	})
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "cmp"})
	guardlambda.WrapHandler(g, h).Invoke(ctx, raw)
	if got == nil {
		return false
	}
	// A batch whose poisoned records were removed reached the handler,
	// but not whole.
	return bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(raw)) || jsonEqual(got, raw)
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

// TestReplayMemoryFlat streams many events through replay and checks the
// heap does not grow with the input (the per-event results are written,
// not kept; the summary is bounded by distinct rule × location pairs).
func TestReplayMemoryFlat(t *testing.T) {
	cleanEnv(t)
	if testing.Short() {
		t.Skip("streams 60 000 events")
	}
	const n = 60000
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	before := heap()
	code := run([]string{"replay", "--quiet", "-"}, newSyntheticEvents(n), io.Discard, io.Discard)
	after := heap()
	if code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	if after > before+8<<20 {
		t.Errorf("heap grew from %d to %d bytes over %d events", before, after, n)
	}
}

// syntheticEvents generates JSON Lines of small SQS events, one in 100
// with an attack, without holding them in memory.
type syntheticEvents struct {
	n, i int
	buf  []byte
}

func newSyntheticEvents(n int) *syntheticEvents { return &syntheticEvents{n: n} }

func (s *syntheticEvents) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		if s.i == s.n {
			return 0, io.EOF
		}
		note := fmt.Sprintf("order %d, leave at the door", s.i)
		if s.i%100 == 0 {
			note = fmt.Sprintf("x' OR '1'='1' -- %d", s.i)
		}
		body, _ := json.Marshal(map[string]string{"order": fmt.Sprint(s.i), "note": note})
		ev := map[string]any{"Records": []any{map[string]any{
			"messageId": fmt.Sprintf("m-%d", s.i), "receiptHandle": "rh", "body": string(body),
			"attributes": map[string]string{"ApproximateReceiveCount": "1"}, "messageAttributes": map[string]any{},
			"md5OfBody": "x", "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:orders", "awsRegion": "eu-west-1",
		}}}
		b, _ := json.Marshal(ev)
		s.buf = append(b, '\n')
		s.i++
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// BenchmarkReplay measures events per second through replay (JSON Lines of
// small SQS events, one in 100 an attack), output discarded.
func BenchmarkReplay(b *testing.B) {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "FNGUARD_") {
			b.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	const perRun = 5000
	data, err := io.ReadAll(newSyntheticEvents(perRun))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"replay", "--quiet", "-"}, bytes.NewReader(data), io.Discard, io.Discard); code != exitFindings {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(float64(perRun*b.N)/b.Elapsed().Seconds(), "events/s")
}
