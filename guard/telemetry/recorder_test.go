package telemetry

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/trace/noop"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard/redact"
)

// Secrets seeded into events; none may reach a log line, a span attribute
// or a metric label.
const (
	awsSecretKey   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	awsSessionTok  = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexample"
	awsAccessKeyID = "ASIAY34FZKBOKMUTVV7A"
	jwt            = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
	password       = "hunter2-Sup3r"
	card           = "4111 1111 1111 1111"
)

var seeded = []string{awsSecretKey, awsSessionTok, awsAccessKeyID, jwt, "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV", password, card, "4111111111111111"}

func TestNoSecretLeaves(t *testing.T) {
	red, err := redact.New(redact.Config{Secrets: []string{awsSecretKey, awsSessionTok, awsAccessKeyID}})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Config{Redactor: red, LogRate: -1})
	events := []*Event{
		{Action: "block", Source: "aws:apigateway:rest", RequestID: "req-1", FunctionName: "checkout",
			TraceID: "Root=1-5759e988-bd862e3fe1be46a994272793", ClientIP: "203.0.113.9", Duration: 250 * time.Microsecond,
			Findings: []Finding{{Rule: "sqli.tautology", Category: "sqli", Location: "body.password", Excerpt: "' OR 1=1-- " + password, Action: "block", Record: -1}}},
		{Action: "block", Source: "http", RequestID: "req-2",
			Findings: []Finding{{Rule: "xss.script_tag", Category: "xss", Location: "query.q", Excerpt: "<script>x</script> Bearer " + jwt, Action: "block", Record: -1}}},
		{Action: "reject", Source: "aws:sqs", Reason: `invalid JSON near "card":"` + card + `" with key ` + awsSecretKey},
		{Action: "monitor", Source: "gcp:pubsub", RequestID: "exec-9",
			Findings: []Finding{
				{Rule: "ssrf.metadata", Category: "ssrf", Location: "body.url", Excerpt: "http://169.254.169.254/?t=" + awsSessionTok, Action: "monitor", Record: 2},
				{Rule: "cmdi.subshell", Category: "cmdi", Location: "cookies.session=" + awsSessionTok, Excerpt: "$(id) " + awsAccessKeyID, Action: "monitor", Record: 3},
				{Rule: "custom.deny", Category: "custom", Location: "headers.authorization", Excerpt: "Basic dXNlcjpodW50ZXIy " + jwt, Action: "monitor", Record: 3},
			},
			Attrs: []Attr{{"authorization", "Bearer " + jwt}, {"gcp.execution_id", "exec-9"}, {"note", "card " + card}}},
		{Action: "error", Source: "aws:s3", Reason: "dial tcp: postgres://app:" + password + "@db:5432 failed; session " + awsSessionTok},
	}
	for _, ev := range events {
		h.record(ev)
	}

	logs := h.logs.String()
	var spanText, metricText strings.Builder
	for _, e := range h.events() {
		fmt.Fprint(&spanText, e)
	}
	for _, sm := range h.metrics().ScopeMetrics {
		for _, m := range sm.Metrics {
			fmt.Fprintf(&metricText, "%s %+v\n", m.Name, m.Data)
		}
	}
	for _, s := range seeded {
		for where, text := range map[string]string{"log": logs, "span": spanText.String(), "metric": metricText.String()} {
			if strings.Contains(text, s) {
				t.Errorf("secret %q leaked into %s output", s, where)
			}
		}
	}

	// The findings are still fully described.
	lines := h.lines()
	if len(lines) != len(events) {
		t.Fatalf("got %d log lines, want %d:\n%s", len(lines), len(events), logs)
	}
	want := []map[string]any{
		{"message": "fnguard blocked request", "fnguard.rule": "sqli.tautology", "fnguard.category": "sqli",
			"fnguard.location": "body.password", "fnguard.excerpt": redact.Mask, "function_name": "checkout",
			"xray_trace_id": "1-5759e988-bd862e3fe1be46a994272793", "client_ip": "203.0.113.9", "fnguard.duration_ms": 0.25},
		{"fnguard.rule": "xss.script_tag", "fnguard.location": "query.q", "fnguard.excerpt": "<script>x</script> Bearer " + redact.Mask},
		{"message": "fnguard rejected request", "fnguard.source": "aws:sqs", "level": "WARN"},
		{"fnguard.rule": "ssrf.metadata", "fnguard.record": 2.0, "fnguard.finding_count": 3.0, "gcp.execution_id": "exec-9",
			"authorization": redact.Mask, "fnguard.excerpt": "http://169.254.169.254/?t=" + redact.Mask},
		{"message": "fnguard failed to inspect request", "level": "ERROR"},
	}
	for i, w := range want {
		for k, v := range w {
			if lines[i][k] != v {
				t.Errorf("line %d: %s = %#v, want %#v", i, k, lines[i][k], v)
			}
		}
	}
	if r := lines[2]["fnguard.reason"].(string); !strings.Contains(r, "invalid JSON near") || !strings.Contains(r, redact.Mask) {
		t.Errorf("reason lost its meaning: %q", r)
	}
	fl, ok := lines[3]["fnguard.findings"].([]any)
	if !ok || len(fl) != 3 {
		t.Fatalf("fnguard.findings = %#v, want 3 objects", lines[3]["fnguard.findings"])
	}
	third := fl[2].(map[string]any)
	if third["rule"] != "custom.deny" || third["excerpt"] != redact.Mask || third["location"] != "headers.authorization" || third["record"] != 3.0 {
		t.Errorf("third finding = %v", third)
	}
	if loc := fl[1].(map[string]any)["location"]; loc != "cookies.session="+redact.Mask {
		t.Errorf("location with a secret = %v", loc)
	}

	// Span events carry the same, redacted.
	evs := h.events()
	if len(evs) != len(events) {
		t.Fatalf("got %d span events, want %d", len(evs), len(events))
	}
	for k, v := range map[string]string{"security_rule.name": "sqli.tautology", "security_rule.category": "sqli",
		"fnguard.action": "block", "fnguard.location": "body.password", "faas.trigger": "http", "cloud.provider": "aws",
		"faas.invocation_id": "req-1", "fnguard.excerpt": redact.Mask} {
		if evs[0][k] != v {
			t.Errorf("span event 0: %s = %q, want %q", k, evs[0][k], v)
		}
	}
	if evs[3]["faas.trigger"] != "pubsub" || evs[3]["cloud.provider"] != "gcp" || evs[3]["fnguard.findings.count"] != "3" {
		t.Errorf("span event 3 = %v", evs[3])
	}

	// Metric labels are bounded enums.
	allowed := map[string]map[string]bool{
		"action":   {"allow": true, "monitor": true, "block": true, "reject": true, "error": true, "unknown": true},
		"category": {"none": true, "sqli": true, "xss": true, "ssrf": true},
		"source":   {"aws:apigateway:rest": true, "http": true, "aws:sqs": true, "gcp:pubsub": true, "aws:s3": true},
	}
	for _, sm := range h.metrics().ScopeMetrics {
		for _, m := range sm.Metrics {
			forEachAttrs(m.Data, func(kvs []attributeKV) {
				for _, kv := range kvs {
					if !allowed[string(kv.Key)][kv.Value.String()] {
						t.Errorf("metric %s has label %s=%q", m.Name, kv.Key, kv.Value.String())
					}
				}
			})
		}
	}
}

func forEachAttrs(data metricdata.Aggregation, fn func([]attributeKV)) {
	switch d := data.(type) {
	case metricdata.Sum[int64]:
		for _, dp := range d.DataPoints {
			fn(dp.Attributes.ToSlice())
		}
	case metricdata.Histogram[float64]:
		for _, dp := range d.DataPoints {
			fn(dp.Attributes.ToSlice())
		}
	}
}

func TestPlainAllow(t *testing.T) {
	h := newHarness(t, Config{})
	h.record(&Event{Action: "allow", Source: "aws:sqs", Duration: 3 * time.Millisecond, ColdStart: true})
	h.record(&Event{Action: "allow", Source: "aws:sqs", Duration: time.Millisecond})
	if logs := h.logs.String(); logs != "" {
		t.Errorf("plain allow wrote a log line: %s", logs)
	}
	if n := h.sum("fnguard.decisions", map[string]string{"action": "allow", "category": "none", "source": "aws:sqs"}); n != 2 {
		t.Errorf("fnguard.decisions{allow,none,aws:sqs} = %d, want 2", n)
	}
	if n := h.sum("fnguard.coldstarts", map[string]string{"source": "aws:sqs"}); n != 1 {
		t.Errorf("fnguard.coldstarts = %d, want 1", n)
	}
	var count uint64
	var total float64
	for _, sm := range h.metrics().ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == "fnguard.inspection.duration" {
				if m.Unit != "s" {
					t.Errorf("duration unit = %q, want s", m.Unit)
				}
				for _, dp := range m.Data.(metricdata.Histogram[float64]).DataPoints {
					count += dp.Count
					total += dp.Sum
				}
			}
		}
	}
	if count != 2 || math.Abs(total-0.004) > 1e-9 {
		t.Errorf("duration histogram count=%d sum=%v, want 2 and 0.004", count, total)
	}
	evs := h.events()
	if len(evs) != 2 || evs[0]["fnguard.action"] != "allow" || evs[0]["faas.coldstart"] != "true" || evs[0]["faas.trigger"] != "pubsub" {
		t.Errorf("span events = %v", evs)
	}
	if _, ok := evs[0]["security_rule.name"]; ok {
		t.Error("plain allow has a security_rule.name")
	}
}

func TestAllowWithFindingsLogsAtInfo(t *testing.T) {
	h := newHarness(t, Config{})
	h.record(&Event{Action: "allow", Source: "http", Findings: []Finding{{Rule: "r", Category: "xss", Location: "query.q", Excerpt: "<b>", Record: -1}}})
	lines := h.lines()
	if len(lines) != 1 || lines[0]["level"] != "INFO" || lines[0]["message"] != "fnguard allowed request with findings" {
		t.Errorf("lines = %v", lines)
	}
	if n := h.sum("fnguard.decisions", map[string]string{"action": "allow", "category": "xss", "source": "http"}); n != 1 {
		t.Errorf("decisions = %d", n)
	}
}

func TestLogLineFormat(t *testing.T) {
	h := newHarness(t, Config{})
	ctx, span := h.tp.Tracer("t").Start(context.Background(), "x")
	h.rec.Record(ctx, &Event{Action: "block", Source: "http", ColdStart: true, Duration: 1500 * time.Microsecond,
		Findings: []Finding{{Rule: "xss.tag", Category: "xss", Location: "query.q", Excerpt: strings.Repeat("é", 40), Record: -1}},
		Attrs:    []Attr{{"message", "spoof"}, {"fnguard.action", "allow"}, {"k_service", "svc"}, {"bad key!", "v"}, {"", "empty"}}})
	span.End()
	l := h.lines()[0]
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`).MatchString(fmt.Sprint(l["timestamp"])) {
		t.Errorf("timestamp = %v", l["timestamp"])
	}
	for k, v := range map[string]any{"level": "WARN", "service": "checkout", "cold_start": true, "fnguard.action": "block",
		"fnguard.duration_ms": 1.5, "attr.message": "spoof", "attr.fnguard.action": "allow", "k_service": "svc", "bad_key_": "v", "attr.": "empty",
		"message": "fnguard blocked request", "trace_id": span.SpanContext().TraceID().String()} {
		if l[k] != v {
			t.Errorf("%s = %#v, want %#v", k, l[k], v)
		}
	}
	for _, k := range []string{"caller", "stacktrace", "xray_trace_id", "fnguard.reason", "fnguard.record", "fnguard.findings"} {
		if _, ok := l[k]; ok {
			t.Errorf("unexpected key %s", k)
		}
	}
	ex := l["fnguard.excerpt"].(string)
	if !strings.HasSuffix(ex, "…") || len(ex) > maxExcerpt+len("…") || !strings.HasPrefix(ex, "éé") {
		t.Errorf("excerpt not cut at 64 bytes on a rune boundary: %q (%d bytes)", ex, len(ex))
	}
}

func TestUnknownActionAndNilEvent(t *testing.T) {
	h := newHarness(t, Config{})
	h.record(&Event{Action: "Bearer abcDEF123456", Source: "Weird Source!"})
	var nilCtx context.Context
	h.rec.Record(nilCtx, nil)
	lines := h.lines()
	if len(lines) != 2 {
		t.Fatalf("lines = %v", lines)
	}
	if lines[0]["level"] != "ERROR" || lines[0]["fnguard.action"] != "Bearer "+redact.Mask {
		t.Errorf("unknown action line = %v", lines[0])
	}
	if !strings.Contains(fmt.Sprint(lines[1]["message"]), "nil Event") {
		t.Errorf("nil event line = %v", lines[1])
	}
	if n := h.sum("fnguard.decisions", map[string]string{"action": "unknown", "category": "none", "source": "other"}); n != 1 {
		t.Errorf("decisions{unknown,none,other} = %d", n)
	}
}

func TestRateLimit(t *testing.T) {
	h := newHarness(t, Config{LogRate: 1, LogBurst: 3})
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	h.rec.limiter.now = clock.now
	block := &Event{Action: "block", Source: "http", Findings: []Finding{{Rule: "r", Category: "xss", Record: -1}}}
	for range 5 {
		h.record(block) // 3 written, 2 suppressed
	}
	clock.advance(2 * time.Second) // 2 tokens
	h.record(block)                // written, reports 2 suppressed
	h.record(block)                // written
	h.record(block)                // suppressed
	clock.advance(time.Second)
	h.record(block) // written, reports 1
	h.record(&Event{Action: "allow", Source: "http"})

	lines := h.lines()
	var got []any
	for _, l := range lines {
		got = append(got, l["fnguard.suppressed"])
	}
	want := []any{nil, nil, nil, 2.0, nil, 1.0}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("suppressed per line = %v, want %v", got, want)
	}
	if n := h.sum("fnguard.decisions", map[string]string{"action": "block", "category": "xss", "source": "http"}); n != 9 {
		t.Errorf("metrics must count every decision: got %d, want 9", n)
	}
	if len(h.events()) != 10 {
		t.Errorf("span events must not be rate limited: got %d", len(h.events()))
	}
}

func TestLimiter(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	l := newLimiter(10, 2, clock.now)
	steps := []struct {
		advance time.Duration
		ok      bool
		supp    int64
	}{
		{0, true, 0},
		{0, true, 0},
		{0, false, 0},
		{0, false, 0},
		{50 * time.Millisecond, false, 0}, // half a token
		{50 * time.Millisecond, true, 3},  // one token
		{time.Hour, true, 0},              // refilled to burst (2), not more
		{0, true, 0},
		{0, false, 0},
		{-time.Second, false, 0}, // clock going backwards adds nothing
	}
	for i, s := range steps {
		clock.advance(s.advance)
		supp, ok := l.take()
		if ok != s.ok || supp != s.supp {
			t.Errorf("step %d: take() = %d, %v; want %d, %v", i, supp, ok, s.supp, s.ok)
		}
	}
	var nilLimiter *limiter
	if _, ok := nilLimiter.take(); !ok {
		t.Error("nil limiter must allow")
	}
}

func TestUnlimited(t *testing.T) {
	for _, rate := range []float64{-1, math.Inf(1)} {
		h := newHarness(t, Config{LogRate: rate})
		if h.rec.limiter != nil {
			t.Errorf("LogRate %v: limiter set", rate)
		}
	}
	h := newHarness(t, Config{})
	if h.rec.limiter.rate != defaultLogRate || h.rec.limiter.burst != defaultLogBurst {
		t.Errorf("defaults = %v/%v", h.rec.limiter.rate, h.rec.limiter.burst)
	}
}

func TestColdStart(t *testing.T) {
	h := newHarness(t, Config{})
	var trues atomic.Int64
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			if h.rec.ColdStart() {
				trues.Add(1)
			}
		})
	}
	wg.Wait()
	if trues.Load() != 1 {
		t.Errorf("ColdStart returned true %d times, want 1", trues.Load())
	}
	// By default all Recorders of a process share one flag.
	a, err := New(Config{Logger: h.rec.log})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{Logger: h.rec.log})
	if err != nil {
		t.Fatal(err)
	}
	if a.coldFlag != b.coldFlag || a.coldFlag != &processColdStart {
		t.Error("Recorders do not share the process cold-start flag")
	}
	if a.ColdStart() && b.ColdStart() {
		t.Error("two Recorders both saw the cold start")
	}
}

func TestNoopTracerProviderSkipsSpans(t *testing.T) {
	h := newHarness(t, Config{TracerProvider: noop.NewTracerProvider()})
	h.record(&Event{Action: "block", Source: "http"})
	if evs := h.events(); len(evs) != 0 {
		t.Errorf("span events with a no-op provider: %v", evs)
	}
	h2 := newHarness(t, Config{})
	h2.rec.Record(context.Background(), &Event{Action: "block", Source: "http"}) // no span in ctx: nothing to annotate
	if len(h2.events()) != 0 || len(h2.lines()) != 1 {
		t.Error("Record without a span in ctx misbehaved")
	}
}

type failingMeter struct {
	metricnoop.Meter
	fail string
}

func (m failingMeter) Int64Counter(name string, o ...metric.Int64CounterOption) (metric.Int64Counter, error) {
	if name == m.fail {
		return nil, errors.New("boom")
	}
	return m.Meter.Int64Counter(name, o...)
}

func (m failingMeter) Float64Histogram(name string, o ...metric.Float64HistogramOption) (metric.Float64Histogram, error) {
	if name == m.fail {
		return nil, errors.New("boom")
	}
	return m.Meter.Float64Histogram(name, o...)
}

type failingProvider struct {
	metricnoop.MeterProvider
	fail string
}

func (p failingProvider) Meter(string, ...metric.MeterOption) metric.Meter {
	return failingMeter{fail: p.fail}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		field string
		in    string
	}{
		{"nan rate", Config{LogRate: math.NaN()}, "LogRate", "NaN"},
		{"negative burst", Config{LogBurst: -1}, "LogBurst", "-1"},
		{"bad level", Config{Level: zapcore.Level(9)}, "Level", "9"},
		{"counter", Config{MeterProvider: failingProvider{fail: "fnguard.decisions"}}, "MeterProvider", "fnguard.decisions: boom"},
		{"histogram", Config{MeterProvider: failingProvider{fail: "fnguard.inspection.duration"}}, "MeterProvider", "fnguard.inspection.duration: boom"},
		{"coldstarts", Config{MeterProvider: failingProvider{fail: "fnguard.coldstarts"}}, "MeterProvider", "fnguard.coldstarts: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			var ce *ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, ErrConfig) || ce.Field != tt.field {
				t.Fatalf("New error = %v, want *ConfigError for %s", err, tt.field)
			}
			if !strings.Contains(err.Error(), "Config."+tt.field) || !strings.Contains(err.Error(), tt.in) {
				t.Errorf("error %q should name Config.%s and say %q", err, tt.field, tt.in)
			}
		})
	}
	if _, err := New(Config{Level: zapcore.Level(9), Logger: newLogger(&syncBuffer{}, 0, "", nil)}); err != nil {
		t.Errorf("Level is irrelevant with a Logger: %v", err)
	}
}

func TestLabelsAndHelpers(t *testing.T) {
	for in, want := range map[string]string{"": "unknown", "sqli": "sqli", "aws:apigateway:rest": "aws:apigateway:rest",
		"SQLi": "other", "x y": "other", strings.Repeat("a", 65): "other", "' OR 1=1": "other"} {
		if got := label(in); got != want {
			t.Errorf("label(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"body.password": "password", "records[3].body.items[0].token": "token",
		"headers.authorization": "authorization", "query": "query", "items[*]": "items", `body["pass word"]`: "pass word", "": ""} {
		if got := lastKey(in); got != want {
			t.Errorf("lastKey(%q) = %q, want %q", in, got, want)
		}
	}
	for src, want := range map[string]string{"aws:apigateway:http": "http", "aws:lambda:url": "http", "gcp:functions:http": "http",
		"aws:sqs": "pubsub", "aws:s3": "datasource", "gcp:storage": "datasource", "aws:events:schedule": "timer", "gcp:cloudevent": "other"} {
		if got := trigger(src).Value.AsString(); got != want {
			t.Errorf("trigger(%q) = %q, want %q", src, got, want)
		}
	}
}

func TestPlainAllowDoesNotAllocate(t *testing.T) {
	rec, err := New(Config{Logger: newLogger(&syncBuffer{}, zapcore.InfoLevel, "", nil),
		MeterProvider: metricnoop.NewMeterProvider(), TracerProvider: noop.NewTracerProvider()})
	if err != nil {
		t.Fatal(err)
	}
	ev := &Event{Action: "allow", Source: "aws:sqs", Duration: time.Millisecond}
	ctx := context.Background()
	rec.Record(ctx, ev) // warm the label cache
	if n := testing.AllocsPerRun(100, func() { rec.Record(ctx, ev) }); n != 0 {
		t.Errorf("Record(plain allow) allocates %v times", n)
	}
}

// TestFindingCount: an event that details only its first findings
// (FindingCount, as guard sends a decision of many) counts them all in the
// log line, the span event and EMF, and details LoggedFindings of them.
func TestFindingCount(t *testing.T) {
	h := newHarness(t, Config{})
	fs := make([]Finding, LoggedFindings)
	for i := range fs {
		fs[i] = Finding{Rule: "sqli.tautology", Category: "sqli", Location: fmt.Sprintf("body.k%d", i), Excerpt: "' OR 1=1--", Action: "block", Record: -1}
	}
	ctx, span := h.tp.Tracer("t").Start(context.Background(), "x")
	h.rec.Record(ctx, &Event{Action: "block", Source: "http", Findings: fs, FindingCount: 64})
	h.rec.Record(ctx, &Event{Action: "block", Source: "http", Findings: fs[:2]})
	span.End()
	lines := h.lines()
	if len(lines) != 2 {
		t.Fatalf("got %d log lines", len(lines))
	}
	if n := lines[0]["fnguard.finding_count"]; n != 64.0 {
		t.Errorf("finding_count = %v, want 64", n)
	}
	if l, ok := lines[0]["fnguard.findings"].([]any); !ok || len(l) != LoggedFindings {
		t.Errorf("findings detailed = %v, want %d", lines[0]["fnguard.findings"], LoggedFindings)
	}
	if n := lines[1]["fnguard.finding_count"]; n != 2.0 {
		t.Errorf("finding_count without FindingCount = %v, want 2", n)
	}
	if evs := h.events(); len(evs) != 2 || evs[0]["fnguard.findings.count"] != "64" || evs[1]["fnguard.findings.count"] != "2" {
		t.Errorf("span events = %v", evs)
	}
}
