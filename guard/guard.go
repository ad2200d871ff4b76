package guard

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard/detect"
	"github.com/fnguard/fnguard/guard/internal/hooks"
	"github.com/fnguard/fnguard/guard/jsontree"
	"github.com/fnguard/fnguard/guard/redact"
	"github.com/fnguard/fnguard/guard/telemetry"
	"github.com/fnguard/fnguard/guard/verify"
)

// Guard is a compiled, immutable protection policy. It is safe for
// concurrent use by any number of invocations; build it once, at init.
type Guard struct {
	mode     Mode
	fail     FailMode
	catModes map[Category]Mode

	det    *detect.Detector
	detMon *detect.Detector // the categories in monitor mode only; nil when none (see scanner.detector)
	custom []customRule
	rec    *telemetry.Recorder
	red    *redact.Redactor

	limits  jsontree.Limits
	maxBody int64

	allowCIDRs        []netipPrefix
	denyCIDRs         []netipPrefix
	trustedHops       int
	proxyHeader       string
	allowMethods      []string
	allowRoutes       []string
	allowContentTypes []string
	allowEventSources []string
	allowAccounts     []string // "account:<glob>" entries of allowEventSources, prefix removed
	allowEventTypes   []string

	requireAuthorizer bool
	requireClaims     map[string]string
	requireScopes     []string
	webhook           *webhookConfig
	sns               *verify.SNSVerifier

	exclusions []exclusion

	responseScan ResponseScan
	leaks        *leakForms                        // encoded forms of the own credentials, for the response scan
	sanitize     func(body []byte) ([]byte, error) // HTML-sanitises the configured JSON fields
	schemas      *schemaRoutes                     // JSON Schema per route, nil when none

	egressAllow []string
	egressSet   bool
	egressMode  Mode
	lockdown    string
	lockExec    bool // the lockdown spec asks for the exec lockdown
	ackBlocked  bool
	sinkMode    Mode // FNGUARD_SINK_MODE

	fifoScope   FIFOScope
	streamOrder StreamOrder

	runtimeOnce sync.Once
	runtimeErr  error
	restore     func()

	now func() time.Time

	// values and names found clean before, by detect.Kind (cleanmemo.go)
	clean [2]cleanMemo
}

// New compiles a policy from the defaults, the FNGUARD_* environment
// variables and opts, in increasing order of precedence. Any invalid setting
// is a *ConfigError naming the variable or option and the value; New never
// returns a Guard weaker than what was asked for.
func New(opts ...Option) (*Guard, error) {
	c := defaultConfig()
	for _, o := range opts {
		if o == nil {
			return nil, &ConfigError{Var: "New", Value: "nil", Want: "non-nil options"}
		}
		if _, ok := o.(withoutEnv); ok { // known before the environment is read
			c.noEnv = true
		}
	}
	if !c.noEnv {
		if err := c.applyEnv(environ()); err != nil {
			return nil, err
		}
	}
	c.beginOptions()
	for _, o := range opts {
		if err := o.apply(c); err != nil {
			return nil, err
		}
	}
	return compile(c)
}

// Must is New for package-level initialisation: it panics on a configuration
// error, so that a misconfigured function fails its cold start loudly instead
// of serving unprotected.
func Must(g *Guard, err error) *Guard {
	if err != nil {
		panic(err)
	}
	return g
}

func compile(c *config) (*Guard, error) {
	maxString, maxElements := c.scaledLimits()
	g := &Guard{
		mode:              c.mode,
		fail:              c.fail,
		catModes:          c.catModes,
		maxBody:           c.maxBody,
		trustedHops:       c.trustedHops,
		proxyHeader:       c.proxyHeader,
		allowMethods:      c.allowMethods,
		allowContentTypes: lowerAll(c.allowContentTypes),
		allowEventTypes:   c.allowEventTypes,
		requireAuthorizer: c.requireAuthorizer,
		requireClaims:     c.requireClaims,
		requireScopes:     c.requireScopes,
		exclusions:        c.exclusions,
		responseScan:      c.responseScan,
		egressAllow:       c.egressAllow,
		egressSet:         c.egressSet,
		egressMode:        c.mode,
		lockdown:          c.lockdown,
		ackBlocked:        c.ackBlocked,
		sinkMode:          c.sinkMode,
		fifoScope:         c.fifoScope,
		streamOrder:       c.streamOrder,
		now:               time.Now,
		limits: jsontree.Limits{
			MaxDepth:           c.maxDepth,
			MaxStringBytes:     maxString,
			MaxElements:        maxElements,
			AllowDuplicateKeys: c.allowDupKeys,
		},
	}
	if g.egressMode == Off {
		g.egressMode = Monitor
	}
	switch c.egressMode {
	case "block":
		g.egressMode = Block
	case "monitor":
		g.egressMode = Monitor
	}
	for _, p := range c.allowCIDRs {
		g.allowCIDRs = append(g.allowCIDRs, netipPrefix{p})
	}
	for _, p := range c.denyCIDRs {
		g.denyCIDRs = append(g.denyCIDRs, netipPrefix{p})
	}
	for _, s := range c.allowEventSources {
		acct, ok := strings.CutPrefix(s, "account:")
		if !ok {
			g.allowEventSources = append(g.allowEventSources, s)
			continue
		}
		if err := checkAccountGlob(acct); err != nil {
			return nil, &ConfigError{Var: "FNGUARD_ALLOW_EVENT_SOURCES", Value: s, Want: "account:<12-digit AWS account id> (digits and * only)", Err: err}
		}
		g.allowAccounts = append(g.allowAccounts, acct)
	}
	for _, r := range c.allowRoutes {
		if err := checkGlob(r); err != nil {
			return nil, &ConfigError{Var: "FNGUARD_ALLOW_ROUTES", Value: r, Want: "route globs", Err: err}
		}
		g.allowRoutes = append(g.allowRoutes, r)
	}

	// Detectors: categories whose mode is off are not compiled at all.
	var cats, monCats []detect.Category
	for _, k := range detect.Categories() {
		if g.categoryMode(k) != Off {
			cats = append(cats, k)
		}
		if g.categoryMode(k) == Monitor {
			monCats = append(monCats, k)
		}
	}
	if len(cats) == 0 {
		cats = []detect.Category{} // explicit: none enabled
	}
	det, err := detect.NewBuiltin(cats...)
	if err != nil {
		return nil, &ConfigError{Var: "FNGUARD_CATEGORY_MODES", Value: "", Err: err}
	}
	g.det = det
	if len(monCats) > 0 {
		if g.detMon, err = detect.NewBuiltin(monCats...); err != nil {
			return nil, &ConfigError{Var: "FNGUARD_CATEGORY_MODES", Value: "", Err: err}
		}
	}
	if g.categoryMode(Custom) != Off {
		for _, r := range c.denyRules {
			if r.find == nil { // FNGUARD_DENY_PATTERNS: compiled by guard/pattern
				if hooks.DenyPattern == nil {
					return nil, &ConfigError{Var: "FNGUARD_DENY_PATTERNS", Value: r.id + "=" + r.pattern,
						Want: `RE2 deny patterns linked into the program: add import _ "github.com/fnguard/fnguard/guard/pattern"`}
				}
				find, err := hooks.DenyPattern(r.pattern)
				if err != nil {
					return nil, &ConfigError{Var: "FNGUARD_DENY_PATTERNS", Value: r.id + "=" + r.pattern, Want: "valid RE2 patterns", Err: err}
				}
				r.find = find
			}
			g.custom = append(g.custom, customRule{id: r.id, find: r.find})
		}
	}

	// Redaction and telemetry.
	secrets := redact.FromEnv()
	red, err := redact.New(redact.Config{ExtraKeys: c.redactKeys, Secrets: secrets})
	if err != nil {
		return nil, &ConfigError{Var: "FNGUARD_REDACT_KEYS", Value: strings.Join(c.redactKeys, ","), Want: "key patterns", Err: err}
	}
	g.red = red
	if c.responseScan != ResponseScanOff {
		g.leaks = newLeakForms(secrets)
	}
	level, err := resolveLogLevel(c)
	if err != nil {
		return nil, err
	}
	rec, err := telemetry.New(telemetry.Config{
		Logger:         c.logger,
		Slog:           c.slog,
		Level:          level,
		Service:        serviceName(c.service),
		Redactor:       red,
		TracerProvider: c.tracerProvider,
		MeterProvider:  c.meterProvider,
		LogRate:        c.logRate,
		LogBurst:       c.logBurst,
		Metrics:        c.metrics,
	})
	if err != nil {
		return nil, &ConfigError{Var: "telemetry", Value: "", Err: err}
	}
	g.rec = rec

	// Webhook signatures.
	if w := c.webhook; w != nil {
		if len(w.secret) == 0 {
			return nil, &ConfigError{Var: "FNGUARD_WEBHOOK_SECRET", Value: "", Want: "a secret when FNGUARD_WEBHOOK_STYLE, _HEADER or _TOLERANCE is set"}
		}
		if w.style == 0 {
			w.style = WebhookGitHub
		}
		if w.style == WebhookGeneric && w.header == "" {
			return nil, &ConfigError{Var: "FNGUARD_WEBHOOK_HEADER", Value: "", Want: "a header name for FNGUARD_WEBHOOK_STYLE=generic"}
		}
		if w.tolerance == 0 {
			w.tolerance = DefaultWebhookWindow
		}
		g.webhook = w
	}
	if c.snsVerify {
		g.sns = verify.NewSNSVerifier(c.snsFetch)
	}

	// HTML sanitising, only when linked.
	if c.sanitizePolicy != "" || len(c.sanitizeFields) > 0 {
		if c.sanitizePolicy == "" {
			return nil, &ConfigError{Var: "FNGUARD_SANITIZE_HTML", Value: "", Want: "strict or ugc when FNGUARD_SANITIZE_FIELDS is set"}
		}
		if len(c.sanitizeFields) == 0 {
			return nil, &ConfigError{Var: "FNGUARD_SANITIZE_FIELDS", Value: "", Want: "the JSON body fields to sanitise when FNGUARD_SANITIZE_HTML is set"}
		}
		if hooks.HTMLSanitizer == nil || hooks.HTMLFields == nil {
			return nil, &ConfigError{Var: "FNGUARD_SANITIZE_HTML", Value: c.sanitizePolicy,
				Want: `HTML sanitising linked into the program: add import _ "github.com/fnguard/fnguard/guard/sanitize"`}
		}
		if _, err := hooks.HTMLSanitizer(c.sanitizePolicy); err != nil {
			return nil, &ConfigError{Var: "FNGUARD_SANITIZE_HTML", Value: c.sanitizePolicy, Want: "strict or ugc", Err: err}
		}
		paths := make([]string, len(c.sanitizeFields))
		for i, f := range c.sanitizeFields {
			paths[i] = strings.TrimPrefix(strings.TrimSpace(f), "body.")
		}
		fn, err := hooks.HTMLFields(c.sanitizePolicy, paths)
		if err != nil {
			return nil, &ConfigError{Var: "FNGUARD_SANITIZE_FIELDS", Value: strings.Join(c.sanitizeFields, ","), Want: "field paths like comment, user.bio or items[*].note", Err: err}
		}
		g.sanitize = fn
	}

	if g.schemas, err = compileSchemas(c); err != nil {
		return nil, err
	}
	if err := g.checkRuntimeConfig(); err != nil {
		return nil, err
	}
	return g, nil
}

// customRule is a user deny pattern, matched against each string as sent
// and as decoded.
type customRule struct {
	id   string
	find func(string) string // the leftmost match, "" for none
}

// denyRule is a deny pattern as configured: WithDenyPattern compiles it
// (find is set), FNGUARD_DENY_PATTERNS leaves it to New, which compiles it
// with guard/pattern's hook, so that the engine does not link package
// regexp for functions that have no deny patterns.
type denyRule struct {
	id, pattern string
	find        func(string) string
}

func (g *Guard) categoryMode(c Category) Mode {
	if g.mode == Off {
		return Off
	}
	if m, ok := g.catModes[c]; ok {
		return m
	}
	if c == AttackTool && g.mode == Block {
		// a scanner's signature is worth a log line, not a refusal,
		// unless configured (FNGUARD_CATEGORY_MODES=attack_tool=block)
		return Monitor
	}
	return g.mode
}

// Mode returns the global mode.
func (g *Guard) Mode() Mode { return g.mode }

// Logger returns fnguard's logger (redacting); adapters log through it.
func (g *Guard) Logger() *zap.Logger { return g.rec.Logger() }

// SlogHandler returns a handler that redacts the application's own slog
// records with the guard's redactor (the built-in rules, FNGUARD_REDACT_KEYS
// and the function's own credentials) before passing them to next, as
// telemetry.RedactCore does for zap:
//
//	slog.SetDefault(slog.New(g.SlogHandler(lambdacontext.NewLogHandler())))
func (g *Guard) SlogHandler(next slog.Handler) slog.Handler {
	return telemetry.RedactHandler(next, g.red)
}

// Redactor returns the redactor applied to everything fnguard writes, for
// users who want to scrub their own output the same way.
func (g *Guard) Redactor() *redact.Redactor { return g.red }

// AckBlocked reports whether blocked CloudEvents are acknowledged and dropped
// (FNGUARD_ACK_BLOCKED) instead of returned as errors for redelivery.
func (g *Guard) AckBlocked() bool { return g.ackBlocked }

// ResponseScanMode reports what happens to responses that carry a
// credential (FNGUARD_RESPONSE_SCAN); ResponseScanOff when the guard is off.
// Adapters that stream responses (guardhttp, guardgcf) buffer them only when
// it is not ResponseScanOff.
func (g *Guard) ResponseScanMode() ResponseScan {
	if g == nil || g.mode == Off {
		return ResponseScanOff
	}
	return g.responseScan
}

// MaxBodyBytes is the largest body the policy accepts; adapters that read
// bodies from a stream stop reading one byte past it.
func (g *Guard) MaxBodyBytes() int64 { return g.maxBody }

// TrustedHops is the number of trusted proxies appending to X-Forwarded-For.
func (g *Guard) TrustedHops() int { return g.trustedHops }

// TrustedProxyHeader is the header a trusted proxy sets to the client IP, or "".
func (g *Guard) TrustedProxyHeader() string { return g.proxyHeader }

// resolveLogLevel is the level of fnguard's own logger: FNGUARD_LOG_LEVEL
// (or WithLogLevel), else POWERTOOLS_LOG_LEVEL, else info; raised to
// AWS_LAMBDA_LOG_LEVEL when Lambda's advanced logging controls set one
// (Lambda drops JSON lines below it anyway, so writing them costs for
// nothing).
func resolveLogLevel(c *config) (zapcore.Level, error) {
	level := c.logLevel
	if !c.logLevelSet && !c.noEnv {
		if v := strings.TrimSpace(os.Getenv("POWERTOOLS_LOG_LEVEL")); v != "" {
			l, ok := parseLambdaLevel(v)
			if !ok {
				return 0, &ConfigError{Var: "POWERTOOLS_LOG_LEVEL", Value: v, Want: "DEBUG, INFO, WARNING, ERROR or CRITICAL"}
			}
			level = l
		}
	}
	if c.noEnv {
		return level, nil
	}
	if v := strings.TrimSpace(os.Getenv("AWS_LAMBDA_LOG_LEVEL")); v != "" {
		l, ok := parseLambdaLevel(v)
		if !ok {
			return 0, &ConfigError{Var: "AWS_LAMBDA_LOG_LEVEL", Value: v, Want: "TRACE, DEBUG, INFO, WARN, ERROR or FATAL"}
		}
		level = max(level, l)
	}
	return level, nil
}

// parseLambdaLevel reads the level names of Powertools and of Lambda's
// advanced logging controls, in any case.
func parseLambdaLevel(v string) (zapcore.Level, bool) {
	switch strings.ToUpper(v) {
	case "TRACE", "DEBUG":
		return zapcore.DebugLevel, true
	case "INFO":
		return zapcore.InfoLevel, true
	case "WARN", "WARNING":
		return zapcore.WarnLevel, true
	case "ERROR":
		return zapcore.ErrorLevel, true
	case "CRITICAL", "FATAL":
		return zapcore.FatalLevel, true
	}
	return 0, false
}

func serviceName(s string) string {
	for _, v := range []string{s, os.Getenv("POWERTOOLS_SERVICE_NAME"), os.Getenv("K_SERVICE"), os.Getenv("AWS_LAMBDA_FUNCTION_NAME")} {
		if v != "" {
			return v
		}
	}
	return "fnguard"
}

func lowerAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

// Inspect judges one invocation. It never panics: an internal failure is
// turned into ActionFail (fail closed) or ActionAllow with a logged error
// (fail open). Every decision that is not a plain allow is logged, and every
// decision is counted and recorded on the span in ctx.
func (g *Guard) Inspect(ctx context.Context, inv *Invocation) (d Decision) {
	if g == nil {
		return Decision{Action: ActionFail, Status: 503, Reason: ErrNoGuard.Error()}
	}
	if g.mode == Off || inv == nil {
		return Decision{Action: ActionAllow}
	}
	start := time.Now()
	d = g.judge(inv, nil)
	g.record(ctx, inv, &d, time.Since(start))
	return d
}

// Fail turns an adapter's internal error (for example an event it could not
// map) into a decision according to the fail mode, and records it.
func (g *Guard) Fail(ctx context.Context, inv *Invocation, err error) Decision {
	if g == nil {
		return Decision{Action: ActionFail, Status: 503, Reason: ErrNoGuard.Error()}
	}
	d := g.failDecision(err)
	if inv == nil {
		inv = &Invocation{}
	}
	g.record(ctx, inv, &d, 0)
	return d
}

// Reject builds and records a rejection of malformed input found by an
// adapter before an Invocation could be built (an event that is not valid
// JSON, a body over the limit while streaming it). status is 400 or 413.
func (g *Guard) Reject(ctx context.Context, inv *Invocation, status int, rule, location, reason string) Decision {
	if g == nil {
		return Decision{Action: ActionFail, Status: 503, Reason: ErrNoGuard.Error()}
	}
	if inv == nil {
		inv = &Invocation{}
	}
	d := Decision{Action: ActionReject, Status: status, Reason: strings.ToValidUTF8(g.red.StringFold(reason), "\uFFFD"),
		Findings: []Finding{{Rule: rule, Category: Validation, Location: g.location(location), Excerpt: g.excerpt(reason), Action: ActionReject, Record: -1}}}
	if g.mode == Monitor || g.categoryMode(Validation) == Monitor {
		d.Action, d.Status, d.Findings[0].Action = ActionMonitor, 0, ActionMonitor
	}
	g.record(ctx, inv, &d, 0)
	return d
}

func (g *Guard) failDecision(err error) Decision {
	reason := "internal inspection error"
	if err != nil {
		reason = redact.Cut(g.red.StringFold(strings.ToValidUTF8(err.Error(), "\uFFFD")), 200)
	}
	if g.fail == FailOpen {
		return Decision{Action: ActionAllow, Reason: "fail open: " + reason,
			Findings: []Finding{{Rule: "fnguard.internal_error", Category: Validation, Action: ActionMonitor, Record: -1, Excerpt: reason}}}
	}
	return Decision{Action: ActionFail, Status: 503, Reason: reason,
		Findings: []Finding{{Rule: "fnguard.internal_error", Category: Validation, Action: ActionFail, Record: -1, Excerpt: reason}}}
}

func (g *Guard) record(ctx context.Context, inv *Invocation, d *Decision, dur time.Duration) {
	// Telemetry never changes a decision nor escapes: the Recorder
	// contains its own faults, and this catches anything left (an Attr or
	// a context whose methods panic).
	defer func() { _ = recover() }()
	ev := telemetry.Event{
		Action:       d.Action.String(),
		Source:       string(inv.Source),
		Reason:       d.Reason,
		RequestID:    inv.RequestID,
		FunctionName: inv.FunctionName,
		TraceID:      inv.TraceID,
		SpanID:       inv.SpanID,
		ColdStart:    g.rec.ColdStart(),
		Duration:     dur,
	}
	// The client address and the attributes go only into the log line,
	// which the Recorder writes only for an invocation that is not a
	// clean allow: building them for every clean invocation would cost
	// two allocations for nothing.
	logged := d.Action != ActionAllow || len(d.Findings) > 0
	if logged && inv.ClientIP.IsValid() {
		ev.ClientIP = inv.ClientIP.String()
	}
	if len(d.Findings) > 0 {
		// (the Recorder details the first ones and counts the rest: a
		// body of attack strings has a finding in each, up to maxFindings)
		ev.Findings = make([]telemetry.Finding, min(len(d.Findings), telemetry.LoggedFindings))
		if len(d.Findings) > len(ev.Findings) {
			ev.FindingCount = len(d.Findings)
		}
		for i, f := range d.Findings[:len(ev.Findings)] {
			ev.Findings[i] = telemetry.Finding{Rule: f.Rule, Category: string(f.Category), Location: f.Location,
				Excerpt: f.Excerpt, DecodedExcerpt: f.DecodedExcerpt, Action: f.Action.String(), Record: f.Record}
			if f.Record >= 0 && f.Record < len(inv.Records) {
				ev.Findings[i].RecordID = inv.Records[f.Record].ID
			}
		}
	}
	if logged && len(inv.Attrs) > 0 {
		ev.Attrs = make([]telemetry.Attr, len(inv.Attrs))
		for i, a := range inv.Attrs {
			ev.Attrs[i] = telemetry.Attr{Key: a.Name, Value: a.Value}
		}
	}
	g.rec.Record(ctx, &ev)
}

// String describes the compiled policy (without secrets), for start-up logs.
func (g *Guard) String() string {
	return fmt.Sprintf("fnguard{mode=%s fail=%s max_body=%d max_depth=%d}", g.mode, g.fail, g.maxBody, g.limits.MaxDepth)
}
