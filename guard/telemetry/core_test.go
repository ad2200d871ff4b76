package telemetry

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard/redact"
)

// jsonLogger logs through RedactCore into a buffer.
func jsonLogger(t *testing.T, wrap func(zapcore.Core) zapcore.Core) (*zap.Logger, *syncBuffer) {
	t.Helper()
	buf := &syncBuffer{}
	enc := zapcore.NewJSONEncoder(zapcore.EncoderConfig{MessageKey: "msg", LevelKey: "level", EncodeLevel: zapcore.LowercaseLevelEncoder})
	var core zapcore.Core = zapcore.NewCore(enc, buf, zapcore.DebugLevel)
	if wrap != nil {
		core = wrap(core)
	}
	red, err := redact.New(redact.Config{Secrets: []string{awsSecretKey}})
	if err != nil {
		t.Fatal(err)
	}
	return zap.New(RedactCore(core, red)), buf
}

type request struct {
	Query, Auth string
	Creds       *request
}

func (r request) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("q", r.Query)
	enc.AddString("authorization", r.Auth)
	enc.AddInt("cvv", 123)
	enc.AddDuration("took", time.Millisecond)
	if err := enc.AddReflected("body", map[string]string{"password": password, "note": "Bearer abcDEF123456"}); err != nil {
		return err
	}
	if r.Creds != nil {
		if err := enc.AddObject("credentials", r.Creds); err != nil {
			return err
		}
		if err := enc.AddObject("child", r.Creds); err != nil {
			return err
		}
	}
	return enc.AddArray("hdrs", zapcore.ArrayMarshalerFunc(func(a zapcore.ArrayEncoder) error {
		a.AppendString("Bearer " + jwt)
		a.AppendInt(7)
		return a.AppendObject(zapcore.ObjectMarshalerFunc(func(o zapcore.ObjectEncoder) error {
			o.AddString("q", "card "+card)
			o.AddString("token", "x")
			return nil
		}))
	}))
}

type panicky struct{ p *int }

func (s *panicky) String() string { return "value " + string(rune(*s.p)) }

func TestRedactCore(t *testing.T) {
	log, buf := jsonLogger(t, nil)
	u, _ := url.Parse("postgres://app:" + password + "@db:5432/shop")
	log = log.With(zap.String("api_key", "k-123456"), zap.String("env", "prod"))
	log.Info("login with password="+password+" from "+awsSecretKey,
		zap.String("password", "x"),
		zap.String("note", "Bearer abcDEF123456"),
		zap.Int("pin", 1234),
		zap.Int("qty", 2),
		zap.Stringer("dsn_url", u),
		zap.Stringer("target", u),
		zap.Error(errors.New("dial "+u.String()+" failed")),
		zap.Object("req", request{Query: "' OR 1=1--", Auth: "Basic dXNlcjpwYXNz", Creds: &request{Query: jwt, Auth: "a"}}),
		zap.Strings("list", []string{"Bearer abcDEF123456", "ok"}),
		zap.Any("body", map[string]any{"password": password, "q": "' OR 1=1--"}),
		zap.Any("nested", map[string]any{"credentials": map[string]string{"k": "v"}, "q": "x"}),
		zap.ByteString("raw", []byte("token="+awsSecretKey)),
		zap.Binary("bin", []byte(awsSecretKey)),
		zap.Inline(zapcore.ObjectMarshalerFunc(func(o zapcore.ObjectEncoder) error {
			o.AddString("inline_q", "inline "+jwt)
			o.AddString("secret", "s")
			return nil
		})),
		zap.Stringer("nilptr", &panicky{}),
		zap.Duration("took", time.Second),
	)
	out := buf.String()
	for _, s := range append(seeded, "k-123456", "abcDEF123456", "dXNlcjpwYXNz", "1234") {
		if strings.Contains(out, s) {
			t.Errorf("%q leaked:\n%s", s, out)
		}
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	want := map[string]any{
		"msg":      "login with password=[REDACTED] from [REDACTED]",
		"api_key":  "[REDACTED]",
		"env":      "prod",
		"password": "[REDACTED]",
		"note":     "Bearer [REDACTED]",
		"pin":      "[REDACTED]",
		"qty":      2.0,
		"dsn_url":  "[REDACTED]",
		"target":   "postgres://app:[REDACTED]@db:5432/shop",
		"error":    "dial postgres://app:[REDACTED]@db:5432/shop failed",
		"raw":      "token=[REDACTED]",
		"nested":   `{"credentials":[REDACTED],"q":"x"}`,
		"inline_q": "inline [REDACTED]",
		"secret":   "[REDACTED]",
		"took":     1e9,
	}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	req := m["req"].(map[string]any)
	if req["q"] != "' OR 1=1--" || req["authorization"] != "[REDACTED]" || req["cvv"] != "[REDACTED]" ||
		req["credentials"] != "[REDACTED]" || req["took"] == nil {
		t.Errorf("req = %v", req)
	}
	if child := req["child"].(map[string]any); child["q"] != "[REDACTED]" {
		t.Errorf("nested object not redacted: %v", child)
	}
	if body := req["body"].(map[string]any); body["password"] != "[REDACTED]" || body["note"] != "Bearer [REDACTED]" {
		t.Errorf("reflected member = %v", body)
	}
	hdrs := req["hdrs"].([]any)
	if hdrs[0] != "Bearer [REDACTED]" || hdrs[1] != 7.0 || hdrs[2].(map[string]any)["q"] != "card [REDACTED]" {
		t.Errorf("array = %v", hdrs)
	}
	if l := m["list"].([]any); l[0] != "Bearer [REDACTED]" || l[1] != "ok" {
		t.Errorf("list = %v", l)
	}
	if b := m["body"].(map[string]any); b["password"] != "[REDACTED]" || b["q"] != "' OR 1=1--" {
		t.Errorf("body = %v", b)
	}
	if s, _ := m["nilptr"].(string); !strings.HasPrefix(s, "<PANIC=") {
		t.Errorf("panicking Stringer = %v", m["nilptr"])
	}
}

func TestRedactCoreKeepsInnerCheck(t *testing.T) {
	// A sampler inside RedactCore still samples.
	log, buf := jsonLogger(t, func(c zapcore.Core) zapcore.Core {
		return zapcore.NewSamplerWithOptions(c, time.Hour, 1, 0)
	})
	for range 3 {
		log.Info("same message", zap.String("token", "t0ken-value"))
	}
	if n := strings.Count(buf.String(), "\n"); n != 1 {
		t.Errorf("sampler bypassed: %d lines\n%s", n, buf.String())
	}
	if strings.Contains(buf.String(), "t0ken-value") {
		t.Error("sampled line not redacted")
	}
	// Level of the inner core is honoured.
	obs, logs := observer.New(zapcore.WarnLevel)
	l := zap.New(RedactCore(obs, nil))
	l.Info("dropped", zap.String("password", "x"))
	l.Warn("kept Bearer abcDEF123456", zap.String("password", "x"))
	if logs.Len() != 1 {
		t.Fatalf("observer got %d entries", logs.Len())
	}
	e := logs.All()[0]
	if e.Message != "kept Bearer [REDACTED]" || e.ContextMap()["password"] != "[REDACTED]" {
		t.Errorf("entry = %q %v", e.Message, e.ContextMap())
	}
	if !l.Core().Enabled(zapcore.WarnLevel) || l.Core().Enabled(zapcore.InfoLevel) {
		t.Error("Enabled not delegated")
	}
}

func TestRedactCoreDirectWriteAndNil(t *testing.T) {
	obs, logs := observer.New(zapcore.DebugLevel)
	c := RedactCore(obs, nil)
	if err := c.Write(zapcore.Entry{Message: "secret=abc123"}, []zapcore.Field{zap.String("authorization", "x")}); err != nil {
		t.Fatal(err)
	}
	e := logs.All()[0]
	if e.Message != "secret=[REDACTED]" || e.ContextMap()["authorization"] != "[REDACTED]" {
		t.Errorf("direct Write not redacted: %q %v", e.Message, e.ContextMap())
	}
	nop := RedactCore(nil, nil)
	if nop.Enabled(zapcore.FatalLevel) {
		t.Error("nil core must discard")
	}
	zap.New(nop).Error("nothing") // must not panic
}

func TestNewLoggerWritesPowertoolsJSON(t *testing.T) {
	buf := &syncBuffer{}
	l := newLogger(buf, zapcore.InfoLevel, "", nil)
	l.Debug("hidden")
	l.Info("hello", zap.String("cookie", "sid=abc"))
	var m map[string]any
	if err := json.Unmarshal([]byte(buf.String()), &m); err != nil {
		t.Fatalf("%v: %s", err, buf.String())
	}
	if m["level"] != "INFO" || m["message"] != "hello" || m["service"] != "service_undefined" || m["cookie"] != "[REDACTED]" {
		t.Errorf("line = %v", m)
	}
	if NewLogger(zapcore.InfoLevel, "svc") == nil {
		t.Fatal("NewLogger returned nil")
	}
}
