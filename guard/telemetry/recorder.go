package telemetry

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard/redact"
)

// Finding is one thing fnguard noticed, as recorded.
type Finding struct {
	Rule     string // stable rule id, e.g. "sqli.tautology"
	Category string // e.g. "sqli", "xss", "validation"
	Location string // e.g. "query.q", "body.items[2].note"
	Excerpt  string // the text as sent around what triggered the rule
	// DecodedExcerpt is the decoded text that matched, when it differs
	// from the text as sent (logged as decoded_excerpt).
	DecodedExcerpt string
	Action         string // "block", "reject", "monitor"... for this finding
	Record         int    // index of the batch record, -1 if not record-scoped
	// RecordID is the record's own id (SQS messageId, Kinesis sequence
	// number, DynamoDB eventID, Firehose recordId…), so the message can be
	// found in a dead-letter queue; empty when not record-scoped or unknown.
	RecordID string
}

// Attr is extra string context for a decision, such as a GCP execution id.
type Attr struct{ Key, Value string }

// Event describes one decision.
type Event struct {
	Action       string // "allow", "monitor", "block", "reject", "error"
	Source       string // event source, e.g. "aws:apigateway:rest", "aws:sqs", "gcp:pubsub", "http"
	Reason       string // short reason for reject/error
	RequestID    string
	FunctionName string
	TraceID      string // X-Ray trace id / Cloud trace context, from the invocation
	SpanID       string // the caller's span id in TraceID (16 hex digits), when known
	ClientIP     string
	ColdStart    bool
	Duration     time.Duration // inspection time
	Findings     []Finding
	// FindingCount is how many findings the decision has when Findings
	// holds only its first ones (at least LoggedFindings of them: all the
	// Recorder details); 0 when Findings holds them all.
	FindingCount int
	Attrs        []Attr // extra context, e.g. gcp execution id, k_service, function_target
}

// LoggedFindings is how many findings of a decision a Recorder details
// (in a log line or a span event); the rest are counted.
const LoggedFindings = maxLoggedFindings

// findings returns how many findings the decision has.
func (ev *Event) findings() int { return max(ev.FindingCount, len(ev.Findings)) }

// Config configures a [Recorder]. The zero value is usable.
type Config struct {
	// Slog, when Logger is nil, receives the decision lines instead of the
	// default zap logger: through SlogCore (redacted), with the same keys
	// as the default logger's lines, service included.
	Slog *slog.Logger
	// Logger receives the decision lines. Nil: Slog, else NewLogger(Level, Service).
	// Every string the Recorder logs is redacted whatever the logger; wrap
	// your own logger's core in RedactCore to protect your own lines too.
	Logger *zap.Logger
	// Level is the minimum level of the logger built when Logger is nil
	// (FNGUARD_LOG_LEVEL); it must be between DebugLevel and FatalLevel.
	Level zapcore.Level
	// Service names the service in log lines built when Logger is nil
	// (POWERTOOLS_SERVICE_NAME, K_SERVICE or the function name).
	Service string
	// Redactor scrubs every string. Nil: the built-in rules plus the
	// process's credentials (redact.FromEnv).
	Redactor *redact.Redactor
	// TracerProvider is the provider the application traces with. Nil:
	// otel.GetTracerProvider(). The Recorder never starts spans: it adds an
	// event to the span in the context of Record. Setting a no-op provider
	// (go.opentelemetry.io/otel/trace/noop) turns span events off.
	TracerProvider trace.TracerProvider
	// MeterProvider creates the instruments. Nil: otel.GetMeterProvider().
	MeterProvider metric.MeterProvider
	// LogRate is how many decision lines per second a Recorder writes at
	// most (a token bucket): 0 means 20, a negative value or +Inf no limit.
	LogRate float64
	// LogBurst is the bucket size: 0 means 50.
	LogBurst int
	// Metrics is where metrics go (FNGUARD_METRICS): "" or MetricsAuto
	// picks OpenTelemetry when MeterProvider is set or the application
	// installed a global MeterProvider, CloudWatch EMF on Lambda, and none
	// elsewhere.
	Metrics Metrics
	// Namespace is the CloudWatch namespace of EMF metrics. "": the
	// POWERTOOLS_METRICS_NAMESPACE environment variable, else "fnguard".
	Namespace string
	// EMFOutput receives the EMF lines. Nil: stdout, where Lambda's log
	// capture hands them to CloudWatch.
	EMFOutput zapcore.WriteSyncer
	// Format is the schema of the decision lines: FormatAuto (Google
	// Cloud's when K_SERVICE is set, Powertools' otherwise),
	// FormatPowertools or FormatGoogle. It also shapes the logger built
	// when Logger is nil.
	Format Format
}

const (
	defaultLogRate  = 20
	defaultLogBurst = 50

	maxExcerpt        = 64  // bytes of an excerpt kept, before the ellipsis
	maxText           = 256 // bytes kept of other strings (reason, location...)
	maxLoggedFindings = 20  // findings detailed in one log line or span event
	maxAttrKey        = 64
	maxLabel          = 64  // longest metric attribute value kept as is
	maxCachedSets     = 512 // distinct metric attribute sets cached
)

// instrumentationName is the OpenTelemetry scope of the instruments.
const instrumentationName = "github.com/fnguard/fnguard/guard/telemetry"

// Recorder records decisions. It is safe for concurrent use.
type Recorder struct {
	log      *zap.Logger
	red      *redact.Redactor
	spans    bool // false when TracerProvider is a no-op provider
	limiter  *limiter
	coldFlag *atomic.Bool

	decisions  metric.Int64Counter
	duration   metric.Float64Histogram
	coldstarts metric.Int64Counter

	setsMu sync.RWMutex
	sets   map[labelKey]labelOpts

	faults atomic.Int64 // contained telemetry panics

	format  Format // resolved
	project string // Google Cloud project, for trace names

	metricsCfg   Metrics // as configured
	explicitMP   bool    // Config.MeterProvider was set
	emfNamespace string
	emfService   string
	emfOut       zapcore.WriteSyncer
	resolveOnce  sync.Once
	metrics      Metrics // resolved destination (emf, otel or off), set by resolve
	emf          *emf    // nil unless metrics == MetricsEMF
	now          func() time.Time
}

// resolve settles where metrics go, at the first decision rather than at
// New: a function typically builds its guard in a package variable and
// installs its MeterProvider later, in main.
func (r *Recorder) resolve() {
	r.resolveOnce.Do(func() {
		r.metrics = resolveMetrics(r.metricsCfg, r.explicitMP)
		if r.metrics == MetricsEMF {
			out := r.emfOut
			if out == nil {
				out = zapcore.Lock(os.Stdout)
			}
			r.emf = newEMF(r.emfNamespace, r.emfService, newDeadlineWriter(out))
		}
	})
}

// labelOpts holds ready-made option slices for one label set, so that
// recording a measurement allocates nothing.
type labelOpts struct {
	add []metric.AddOption
	rec []metric.RecordOption
}

// processColdStart is taken by the first ColdStart call in the process.
var processColdStart atomic.Bool

// New builds a Recorder. It fails with a [*ConfigError] naming the field
// when the configuration is unusable or an instrument cannot be created.
func New(cfg Config) (*Recorder, error) {
	if math.IsNaN(cfg.LogRate) {
		return nil, &ConfigError{Field: "LogRate", Value: "NaN", Reason: "want lines per second (0: default 20, negative: unlimited)"}
	}
	if cfg.LogBurst < 0 {
		return nil, &ConfigError{Field: "LogBurst", Value: fmt.Sprint(cfg.LogBurst), Reason: "want a bucket size >= 0 (0: default 50)"}
	}
	if cfg.Logger == nil && (cfg.Level < zapcore.DebugLevel || cfg.Level > zapcore.FatalLevel) {
		return nil, &ConfigError{Field: "Level", Value: fmt.Sprint(int8(cfg.Level)), Reason: "want a zap level from debug (-1) to fatal (5)"}
	}
	if cfg.Metrics != "" {
		if _, err := ParseMetrics(string(cfg.Metrics)); err != nil {
			return nil, &ConfigError{Field: "Metrics", Value: string(cfg.Metrics), Reason: "want auto, emf, otel or off"}
		}
	}
	r := &Recorder{red: cfg.Redactor, coldFlag: &processColdStart, sets: make(map[labelKey]labelOpts), now: time.Now}
	r.metricsCfg, r.explicitMP, r.emfService, r.emfOut = cfg.Metrics, cfg.MeterProvider != nil, cfg.Service, cfg.EMFOutput
	r.emfNamespace = cfg.Namespace
	if r.emfNamespace == "" {
		r.emfNamespace = os.Getenv("POWERTOOLS_METRICS_NAMESPACE")
	}
	if r.emfNamespace == "" {
		r.emfNamespace = DefaultNamespace
	}
	if r.red == nil {
		r.red = envRedactor()
	}
	r.format, r.project = resolveFormat(cfg.Format), googleProject()
	log := cfg.Logger
	if log == nil && cfg.Slog != nil {
		log = zap.New(SlogCore(cfg.Slog, r.red)).With(serviceField(cfg.Service, r.format))
	}
	if log == nil {
		log = newFormatLogger(zapcore.Lock(os.Stdout), cfg.Level, cfg.Service, r.red, r.format)
	}
	r.log = log.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core { return safeCore{Core: c, faults: &r.faults} }))
	tp := cfg.TracerProvider
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	switch tp.(type) {
	case noop.TracerProvider, *noop.TracerProvider:
	default:
		r.spans = true
	}
	rate, burst := cfg.LogRate, cfg.LogBurst
	if rate == 0 {
		rate = defaultLogRate
	}
	if burst == 0 {
		burst = defaultLogBurst
	}
	if rate > 0 && !math.IsInf(rate, 1) {
		r.limiter = newLimiter(rate, burst, time.Now)
	}

	mp := cfg.MeterProvider
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	if cfg.Metrics == MetricsEMF || cfg.Metrics == MetricsOff {
		mp = metricnoop.NewMeterProvider()
	}
	meter := mp.Meter(instrumentationName)
	var err error
	if r.decisions, err = meter.Int64Counter("fnguard.decisions",
		metric.WithUnit("{decision}"),
		metric.WithDescription("Invocations inspected by fnguard, by action, primary finding category and event source.")); err != nil {
		return nil, &ConfigError{Field: "MeterProvider", Value: fmt.Sprintf("%T", mp), Reason: "cannot create counter fnguard.decisions", Err: err}
	}
	if r.duration, err = meter.Float64Histogram("fnguard.inspection.duration",
		metric.WithUnit("s"),
		metric.WithDescription("Time fnguard spent inspecting an invocation."),
		metric.WithExplicitBucketBoundaries(0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1)); err != nil {
		return nil, &ConfigError{Field: "MeterProvider", Value: fmt.Sprintf("%T", mp), Reason: "cannot create histogram fnguard.inspection.duration", Err: err}
	}
	if r.coldstarts, err = meter.Int64Counter("fnguard.coldstarts",
		metric.WithUnit("{coldstart}"),
		metric.WithDescription("Cold starts seen by fnguard, by event source.")); err != nil {
		return nil, &ConfigError{Field: "MeterProvider", Value: fmt.Sprintf("%T", mp), Reason: "cannot create counter fnguard.coldstarts", Err: err}
	}
	return r, nil
}

// Logger returns the logger decision lines are written to.
func (r *Recorder) Logger() *zap.Logger { return r.log }

// ColdStart reports true to exactly one caller per process, the first, and
// false to every other, however many invocations run concurrently.
func (r *Recorder) ColdStart() bool { return r.coldFlag.CompareAndSwap(false, true) }

// Record records one decision: metrics always, a span event when the span in
// ctx is recording, and a log line unless ev is a plain allow (action
// "allow" without findings) or the rate limit is exhausted. A nil ev is
// logged as an error.
func (r *Recorder) Record(ctx context.Context, ev *Event) {
	if ctx == nil {
		ctx = context.Background()
	}
	if ev == nil {
		r.log.Error("fnguard telemetry: Record called with a nil Event")
		return
	}
	action := actionLabel(ev.Action)
	source := label(ev.Source)
	category := "none"
	if len(ev.Findings) > 0 {
		category = label(ev.Findings[0].Category)
	}

	// Each stage is contained on its own: a meter, a span or a log core
	// that panics loses its own output, never the others', and never
	// reaches the caller.
	r.resolve()
	if r.metrics == MetricsOTel {
		r.guardCall("metrics", func() { r.measure(ctx, ev, action, category, source) })
	}

	var fs []cleanFinding
	if r.spans {
		r.guardCall("span event", func() {
			if span := trace.SpanFromContext(ctx); span.IsRecording() {
				fs = r.cleanFindings(ev.Findings)
				span.AddEvent("fnguard.decision", trace.WithAttributes(r.spanAttrs(ev, action, fs)...))
			}
		})
	}

	if action == "allow" && len(ev.Findings) == 0 {
		return
	}
	r.guardCall("log", func() { r.logLine(ctx, ev, action, fs) })
	if r.emf != nil && len(ev.Findings) > 0 {
		r.guardCall("EMF metrics", func() {
			var buf [512]byte
			line := r.emf.line(buf[:0], r.now(), action, category, source, r.text(ev.RequestID), ev.findings(), ev.Duration)
			_, _ = r.emf.out.writeBy(line, writeDeadline(ctx))
		})
	}
}

// MetricsDestination returns where the Recorder's metrics go: MetricsEMF,
// MetricsOTel or MetricsOff (auto resolved).
func (r *Recorder) MetricsDestination() Metrics {
	r.resolve()
	return r.metrics
}

func (r *Recorder) measure(ctx context.Context, ev *Event, action, category, source string) {
	r.decisions.Add(ctx, 1, r.set(action, category, source).add...)
	r.duration.Record(ctx, max(ev.Duration, 0).Seconds(), r.set(action, "", source).rec...)
	if ev.ColdStart {
		r.coldstarts.Add(ctx, 1, r.set("", "", source).add...)
	}
}

func (r *Recorder) logLine(ctx context.Context, ev *Event, action string, fs []cleanFinding) {
	level, msg := logLevel(action)
	ce := r.log.Check(level, msg)
	if ce == nil {
		return
	}
	suppressed, ok := r.limiter.take()
	if !ok {
		return
	}
	if fs == nil {
		fs = r.cleanFindings(ev.Findings)
	}
	fields := r.logFields(ctx, ev, action, fs, suppressed)
	ce.Write(append(fields, deadlineField(writeDeadline(ctx)))...)
}

func logLevel(action string) (zapcore.Level, string) {
	switch action {
	case "block":
		return zapcore.WarnLevel, "fnguard blocked request"
	case "monitor":
		return zapcore.WarnLevel, "fnguard monitored request: would have blocked"
	case "reject":
		return zapcore.WarnLevel, "fnguard rejected request"
	case "error":
		return zapcore.ErrorLevel, "fnguard failed to inspect request"
	case "allow":
		return zapcore.InfoLevel, "fnguard allowed request with findings"
	}
	return zapcore.ErrorLevel, "fnguard recorded a decision with an unknown action"
}

// actionLabel maps an action to its metric label: one of the five known
// actions, or "unknown".
func actionLabel(a string) string {
	switch a {
	case "allow", "monitor", "block", "reject", "error":
		return a
	}
	return "unknown"
}

// label bounds a source or category for use as a metric attribute: short
// lower-case identifiers ([a-z0-9:._-], up to 64 bytes) are kept, an empty
// value is "unknown" and anything else "other".
func label(v string) string {
	if v == "" {
		return "unknown"
	}
	if len(v) > maxLabel {
		return "other"
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == ':', c == '.', c == '_', c == '-':
		default:
			return "other"
		}
	}
	return v
}

type labelKey struct{ action, category, source string }

// set returns the measurement option for a label combination, cached:
// labels are bounded, and the cache stops growing at maxCachedSets.
func (r *Recorder) set(action, category, source string) labelOpts {
	k := labelKey{action, category, source}
	r.setsMu.RLock()
	o, ok := r.sets[k]
	r.setsMu.RUnlock()
	if ok {
		return o
	}
	kvs := make([]attribute.KeyValue, 0, 3)
	if action != "" {
		kvs = append(kvs, attribute.String("action", action))
	}
	if category != "" {
		kvs = append(kvs, attribute.String("category", category))
	}
	kvs = append(kvs, attribute.String("source", source))
	m := metric.WithAttributeSet(attribute.NewSet(kvs...))
	o = labelOpts{add: []metric.AddOption{m}, rec: []metric.RecordOption{m}}
	r.setsMu.Lock()
	if len(r.sets) < maxCachedSets {
		r.sets[k] = o
	}
	r.setsMu.Unlock()
	return o
}

// cleanFinding is a Finding whose strings have been redacted and truncated;
// it is built only by cleanFindings.
type cleanFinding struct {
	rule, category, location, excerpt, action string
	decoded                                   string // "" unless it differs from excerpt
	record                                    int
	recordID                                  string
}

func (f cleanFinding) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("rule", f.rule)
	enc.AddString("category", f.category)
	enc.AddString("location", f.location)
	enc.AddString("excerpt", f.excerpt)
	if f.decoded != "" {
		enc.AddString("decoded_excerpt", f.decoded)
	}
	if f.action != "" {
		enc.AddString("action", f.action)
	}
	if f.record >= 0 {
		enc.AddInt("record", f.record)
	}
	if f.recordID != "" {
		enc.AddString("record_id", f.recordID)
	}
	return nil
}

type findingList []cleanFinding

func (l findingList) MarshalLogArray(enc zapcore.ArrayEncoder) error {
	for _, f := range l {
		if err := enc.AppendObject(f); err != nil {
			return err
		}
	}
	return nil
}

// cleanFindings redacts the first maxLoggedFindings findings. An excerpt
// taken from a location whose last key is a secret key (body.password,
// headers.authorization) is masked wholesale: whatever it contains is that
// secret, attack or not.
func (r *Recorder) cleanFindings(in []Finding) []cleanFinding {
	if len(in) == 0 {
		return nil
	}
	out := make([]cleanFinding, min(len(in), maxLoggedFindings))
	for i := range out {
		f := &in[i]
		out[i] = cleanFinding{
			rule:     r.text(f.Rule),
			category: r.text(f.Category),
			location: r.textFold(f.Location),
			excerpt:  r.excerpt(f.Location, f.Excerpt),
			action:   r.text(f.Action),
			record:   max(f.Record, -1),
			recordID: r.text(f.RecordID),
		}
		if f.DecodedExcerpt != "" {
			if d := r.excerpt(f.Location, f.DecodedExcerpt); d != out[i].excerpt {
				out[i].decoded = d
			}
		}
	}
	return out
}

// text redacts and cuts any string taken from an Event (an id, a source):
// it redacts first and cuts only at a token boundary.
func (r *Recorder) text(s string) string {
	return redact.Cut(strings.ToValidUTF8(r.red.String(s), "\uFFFD"), maxText)
}

// textFold is text for strings built from attacker-chosen names and text
// (a location, a reason), with the rules for case-folded text: a header
// name lower-cased on the way can be a credential.
func (r *Recorder) textFold(s string) string {
	return redact.Cut(strings.ToValidUTF8(r.red.StringFold(s), "\uFFFD"), maxText)
}

// excerpt is text for an excerpt found at loc: masked whole when the
// location's last key is a secret key.
func (r *Recorder) excerpt(loc, s string) string {
	if r.red.IsSecretKey(lastKey(loc)) {
		return redact.Mask
	}
	return redact.Cut(strings.ToValidUTF8(r.red.StringFold(s), "\uFFFD"), maxExcerpt)
}

// field is text for an attribute under key: masked whole when key is a
// secret key.
func (r *Recorder) field(key, s string) string {
	if r.red.IsSecretKey(key) {
		return redact.Mask
	}
	return r.text(s)
}

// lastKey returns the last member name of a location such as
// "body.user.password" or "records[3].body.items[0].token"; "" if none.
func lastKey(loc string) string {
	for {
		loc = strings.TrimRight(loc, "]")
		if i := strings.LastIndexAny(loc, ".["); i >= 0 {
			k := loc[i+1:]
			if loc[i] == '[' && isIndex(k) {
				loc = loc[:i]
				continue
			}
			return strings.Trim(k, `"'`)
		}
		return loc
	}
}

func isIndex(s string) bool {
	if s == "" || s == "*" {
		return s == "*"
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (r *Recorder) spanAttrs(ev *Event, action string, fs []cleanFinding) []attribute.KeyValue {
	kv := make([]attribute.KeyValue, 0, 16)
	kv = append(kv,
		attribute.String("fnguard.action", action),
		attribute.String("fnguard.source", r.text(ev.Source)),
		semconv.FaaSColdstart(ev.ColdStart),
		trigger(ev.Source),
		attribute.Float64("fnguard.duration_ms", durationMS(ev.Duration)),
	)
	if p, ok := provider(ev.Source); ok {
		kv = append(kv, p)
	}
	if ev.RequestID != "" {
		kv = append(kv, semconv.FaaSInvocationID(r.text(ev.RequestID)))
	}
	if ev.Reason != "" {
		kv = append(kv, attribute.String("fnguard.reason", r.textFold(ev.Reason)))
	}
	if len(fs) > 0 {
		f := fs[0]
		kv = append(kv,
			semconv.SecurityRuleName(f.rule),
			semconv.SecurityRuleCategory(f.category),
			attribute.String("fnguard.location", f.location),
			attribute.String("fnguard.excerpt", f.excerpt),
			attribute.Int("fnguard.findings.count", ev.findings()),
		)
		if f.decoded != "" {
			kv = append(kv, attribute.String("fnguard.decoded_excerpt", f.decoded))
		}
		if f.record >= 0 {
			kv = append(kv, attribute.Int("fnguard.record", f.record))
		}
		if f.recordID != "" {
			kv = append(kv, attribute.String("fnguard.record_id", f.recordID))
		}
		if len(fs) > 1 {
			rules := make([]string, len(fs))
			locs := make([]string, len(fs))
			for i, f := range fs {
				rules[i], locs[i] = f.rule, f.location
			}
			kv = append(kv, attribute.StringSlice("fnguard.findings.rules", rules), attribute.StringSlice("fnguard.findings.locations", locs))
		}
	}
	return kv
}

// trigger maps an event source to the faas.trigger semantic convention.
func trigger(source string) attribute.KeyValue {
	switch {
	case source == "http", strings.HasPrefix(source, "aws:apigateway"), source == "aws:lambda:url",
		source == "aws:alb", strings.HasSuffix(source, ":http"):
		return semconv.FaaSTriggerHTTP
	case source == "aws:sqs", source == "aws:sns", source == "aws:kinesis", source == "aws:eventbridge",
		source == "aws:mq", source == "aws:kafka", source == "gcp:pubsub":
		return semconv.FaaSTriggerPubSub
	case source == "aws:s3", source == "aws:dynamodb", source == "gcp:storage", source == "gcp:firestore":
		return semconv.FaaSTriggerDatasource
	case strings.Contains(source, "schedule"), strings.Contains(source, "cron"), strings.Contains(source, "timer"):
		return semconv.FaaSTriggerTimer
	}
	return semconv.FaaSTriggerOther
}

func provider(source string) (attribute.KeyValue, bool) {
	switch {
	case strings.HasPrefix(source, "aws:"):
		return semconv.CloudProviderAWS, true
	case strings.HasPrefix(source, "gcp:"):
		return semconv.CloudProviderGCP, true
	}
	return attribute.KeyValue{}, false
}

func durationMS(d time.Duration) float64 { return float64(max(d, 0)) / float64(time.Millisecond) }

// reservedKey reports log keys an Attr must not overwrite (a switch, not a
// map literal: that is built by code at every cold start).
func reservedKey(k string) bool {
	switch k {
	case "level", "message", "timestamp", "service", "logger", "cold_start", "function_name",
		"function_request_id", "xray_trace_id", "client_ip", "trace_id", "span_id",
		"function_memory_size", "function_arn", "severity", "logging.googleapis.com/trace",
		"logging.googleapis.com/spanId", "logging.googleapis.com/labels":
		return true
	}
	return false
}

// attrKey makes an Attr key safe as a log key: [A-Za-z0-9_.-] only, at
// most 64 bytes, prefixed with "attr." when it would clash with a key of
// the line.
func attrKey(k string) string {
	if k == "" {
		return "attr."
	}
	b := []byte(k[:min(len(k), maxAttrKey)])
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			b[i] = '_'
		}
	}
	k = string(b)
	if reservedKey(k) || strings.HasPrefix(k, "fnguard.") {
		return "attr." + k
	}
	return k
}

// logFields builds a decision line. Every string comes from text, Field or
// cleanFindings, so it is redacted.
func (r *Recorder) logFields(ctx context.Context, ev *Event, action string, fs []cleanFinding, suppressed int64) []zap.Field {
	out := make([]zap.Field, 0, 16+len(ev.Attrs))
	str := func(key, v string) {
		if v != "" {
			out = append(out, zap.String(key, r.text(v)))
		}
	}
	out = append(out, zap.Bool("cold_start", ev.ColdStart))
	str("function_name", ev.FunctionName)
	str("function_request_id", ev.RequestID)
	out = r.contextFields(ctx, out, ev)
	if action == "unknown" {
		str("fnguard.action", ev.Action)
	} else {
		out = append(out, zap.String("fnguard.action", action))
	}
	str("fnguard.source", ev.Source)
	if ev.Reason != "" {
		out = append(out, zap.String("fnguard.reason", r.textFold(ev.Reason)))
	}
	str("client_ip", ev.ClientIP)
	out = append(out, zap.Float64("fnguard.duration_ms", durationMS(ev.Duration)))
	if len(fs) > 0 {
		f := fs[0]
		out = append(out,
			zap.String("fnguard.rule", f.rule),
			zap.String("fnguard.category", f.category),
			zap.String("fnguard.location", f.location),
			zap.String("fnguard.excerpt", f.excerpt),
		)
		if f.decoded != "" {
			out = append(out, zap.String("fnguard.decoded_excerpt", f.decoded))
		}
		if f.record >= 0 {
			out = append(out, zap.Int("fnguard.record", f.record))
		}
		if f.recordID != "" {
			out = append(out, zap.String("fnguard.record_id", f.recordID))
		}
		if ev.findings() > 1 {
			out = append(out, zap.Int("fnguard.finding_count", ev.findings()), zap.Array("fnguard.findings", findingList(fs)))
		}
	}
	for _, a := range ev.Attrs {
		k := attrKey(a.Key)
		out = append(out, zap.String(k, r.field(a.Key, a.Value)))
	}
	if suppressed > 0 {
		out = append(out, zap.Int64("fnguard.suppressed", suppressed))
	}
	return out
}
