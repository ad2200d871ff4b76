package guard

import (
	"net/netip"
	"strings"
	"time"

	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard/detect"
)

// Defaults.
const (
	DefaultMaxBodyBytes   = 6 << 20 // the Lambda synchronous invocation payload limit
	DefaultMaxDepth       = 64
	DefaultMaxStringBytes = 1 << 20
	DefaultMaxElements    = 100000
	DefaultTrustedHops    = 1
	DefaultWebhookWindow  = 5 * time.Minute
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
	logRate        float64
	logBurst       int
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
	redactKeys     []string

	maxBody      int64
	maxDepth     int
	maxString    int
	maxElements  int
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
	denyRules  []detect.Rule

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
		maxString:   DefaultMaxStringBytes,
		maxElements: DefaultMaxElements,
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
	case Custom, Validation, Allowlist, Caller, Egress, Leak:
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
	b.WriteString(", custom, validation, allowlist, caller, egress, leak")
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
