package guard

import (
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard/detect"
	"github.com/fnguard/fnguard/guard/telemetry"
)

// Defaults.
const (
	DefaultMaxBodyBytes = 6 << 20 // the Lambda synchronous invocation payload limit
	DefaultMaxDepth     = 64
	// DefaultMaxStringBytes is the least string limit: by default the limit
	// is the body limit (FNGUARD_MAX_BODY_BYTES), so that every well-formed
	// JSON body the body limit admits is accepted.
	DefaultMaxStringBytes = 1 << 20
	// DefaultMaxElements is the headroom of the default element limit, which
	// is half the body limit (a body of n bytes holds at most n/2+1 values:
	// [0,0,...]) plus this, for the parameters and records around the body.
	DefaultMaxElements   = 100000
	DefaultTrustedHops   = 1
	DefaultWebhookWindow = 5 * time.Minute
)

type webhookConfig struct {
	style     WebhookStyle
	secret    []byte
	header    string
	tolerance time.Duration
}

// config is the mutable staging area of New; Guard holds the compiled result.
type config struct {
	noEnv   bool
	touched map[string]bool

	mode     Mode
	fail     FailMode
	catModes map[Category]Mode

	logger         *zap.Logger
	logLevel       zapcore.Level
	service        string
	metrics        telemetry.Metrics
	logLevelSet    bool // FNGUARD_LOG_LEVEL or WithLogLevel
	slog           *slog.Logger
	logRate        float64
	logBurst       int
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
	redactKeys     []string

	maxBody      int64
	maxDepth     int
	maxString    int // 0: scaled to maxBody (see effectiveLimits)
	maxElements  int // 0: scaled to maxBody
	allowDupKeys bool

	allowCIDRs        []netip.Prefix
	denyCIDRs         []netip.Prefix
	trustedHops       int
	proxyHeader       string
	allowMethods      []string
	allowRoutes       []string
	allowContentTypes []string
	allowEventSources []string
	allowEventTypes   []string

	requireAuthorizer bool
	requireClaims     map[string]string
	requireScopes     []string
	webhook           *webhookConfig
	snsVerify         bool
	snsFetch          func(url string) ([]byte, error)

	exclusions []exclusion
	denyRules  []denyRule

	responseScan   ResponseScan
	sanitizePolicy string
	sanitizeFields []string
	schemas        SchemaSet // WithSchemas; wins over schemasEnv
	schemasEnv     string    // FNGUARD_SCHEMAS

	egressAllow []string
	egressSet   bool
	egressMode  string
	lockdown    string
	ackBlocked  bool

	sinkMode    Mode // FNGUARD_SINK_MODE: block (default), monitor or off
	fifoScope   FIFOScope
	streamOrder StreamOrder
}

func defaultConfig() *config {
	return &config{
		mode:        Block,
		fail:        FailClosed,
		catModes:    map[Category]Mode{},
		logLevel:    zapcore.InfoLevel,
		maxBody:     DefaultMaxBodyBytes,
		maxDepth:    DefaultMaxDepth,
		trustedHops: DefaultTrustedHops,
	}
}

func knownCategory(c Category) bool {
	for _, k := range detect.Categories() {
		if k == c {
			return true
		}
	}
	switch c {
	case Custom, Validation, Allowlist, Caller, Egress, Leak, Protocol:
		return true
	}
	return false
}

func categoryList() string {
	var b strings.Builder
	for i, k := range detect.Categories() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(k))
	}
	b.WriteString(", custom, validation, allowlist, caller, egress, leak, protocol")
	return b.String()
}

func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return strings.ToUpper(s)
		}
	}
	return s
}

func validToken(s string) error {
	if s == "" {
		return errEmpty
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return errNotToken
		}
	}
	return nil
}

// scaledLimits returns the string and element limits: the explicit settings
// when given, else limits derived from the body limit so that any
// well-formed JSON body under it is accepted. Memory stays bounded by the
// body limit, as the engine walks bodies without building a tree (its
// memory grows with nesting depth, which keeps its own fixed limit).
func (c *config) scaledLimits() (maxString, maxElements int) {
	maxString, maxElements = c.maxString, c.maxElements
	if maxString == 0 {
		maxString = int(min(max(c.maxBody, DefaultMaxStringBytes), 1<<31))
	}
	if maxElements == 0 {
		maxElements = int(min(c.maxBody/2+1+DefaultMaxElements, 1<<30))
	}
	return maxString, maxElements
}
