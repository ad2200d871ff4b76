package telemetry

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sort"
	"time"

	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard/redact"
)

// RedactHandler wraps next so that every record passing through it is
// redacted by r (nil: the built-in rules plus the process's credentials),
// as [RedactCore] does for zap: the message passes through r.String; an
// attribute whose key is a secret key becomes [redact.Mask]; string values,
// errors, fmt.Stringers and slog.LogValuers (resolved first) pass through
// r.String; groups are redacted member by member. A nil next discards
// everything.
func RedactHandler(next slog.Handler, r *redact.Redactor) slog.Handler {
	if next == nil {
		next = slog.DiscardHandler
	}
	if r == nil {
		r = envRedactor()
	}
	return &redactHandler{next: next, red: r}
}

type redactHandler struct {
	next slog.Handler
	red  *redact.Redactor
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.red.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(h.red, a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = redactAttr(h.red, a)
	}
	return &redactHandler{next: h.next.WithAttrs(clean), red: h.red}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), red: h.red}
}

func redactAttr(red *redact.Redactor, a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	if a.Key != "" && red.IsSecretKey(a.Key) && v.Kind() != slog.KindGroup {
		return slog.String(a.Key, redact.Mask)
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, red.String(v.String()))
	case slog.KindGroup:
		as := v.Group()
		clean := make([]any, len(as))
		for i, m := range as {
			clean[i] = redactAttr(red, m)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, red.String(safeString(x.Error)))
		case fmt.Stringer:
			return slog.String(a.Key, red.String(safeString(x.String)))
		case []byte:
			return slog.String(a.Key, red.String(string(x)))
		}
		s, _ := reflectedJSON(red, v.Any())
		return slog.String(a.Key, s)
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// SlogCore returns a zap core whose entries are handed to l's handler:
// fnguard's own lines then go wherever the application's slog output goes,
// with the same keys (zap.New(SlogCore(l, r)) is the logger). Levels map
// debug, info, warn and error to slog's; everything is redacted by r
// (nil: the built-in rules plus the process's credentials) first.
func SlogCore(l *slog.Logger, r *redact.Redactor) zapcore.Core {
	if l == nil {
		return zapcore.NewNopCore()
	}
	return &zapLoggerFromSlog{h: RedactHandler(l.Handler(), r)}
}

// zapLoggerFromSlog is a zapcore.Core writing to a slog.Handler.
type zapLoggerFromSlog struct {
	h     slog.Handler
	attrs []slog.Attr
}

func slogLevel(l zapcore.Level) slog.Level {
	switch {
	case l <= zapcore.DebugLevel:
		return slog.LevelDebug
	case l == zapcore.InfoLevel:
		return slog.LevelInfo
	case l == zapcore.WarnLevel:
		return slog.LevelWarn
	}
	return slog.LevelError
}

func (c *zapLoggerFromSlog) Enabled(l zapcore.Level) bool {
	return c.h.Enabled(context.Background(), slogLevel(l))
}

func (c *zapLoggerFromSlog) With(fs []zapcore.Field) zapcore.Core {
	return &zapLoggerFromSlog{h: c.h, attrs: append(append([]slog.Attr(nil), c.attrs...), fieldsToAttrs(fs)...)}
}

func (c *zapLoggerFromSlog) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(ent.Level) {
		return ce.AddCore(ent, c)
	}
	return ce
}

func (c *zapLoggerFromSlog) Write(ent zapcore.Entry, fs []zapcore.Field) error {
	rec := slog.NewRecord(ent.Time, slogLevel(ent.Level), ent.Message, 0)
	rec.AddAttrs(c.attrs...)
	rec.AddAttrs(fieldsToAttrs(fs)...)
	return c.h.Handle(context.Background(), rec)
}

func (c *zapLoggerFromSlog) Sync() error { return nil }

// fieldsToAttrs converts zap fields through zap's map encoder.
func fieldsToAttrs(fs []zapcore.Field) []slog.Attr {
	if len(fs) == 0 {
		return nil
	}
	enc := zapcore.NewMapObjectEncoder()
	keys := make([]string, 0, len(fs))
	for _, f := range fs {
		if f.Type == zapcore.SkipType {
			continue
		}
		f.AddTo(enc)
		keys = append(keys, f.Key)
	}
	out := make([]slog.Attr, 0, len(keys))
	for _, k := range keys {
		if v, ok := enc.Fields[k]; ok {
			out = append(out, anyAttr(k, v))
			delete(enc.Fields, k) // a key given twice is written once
		}
	}
	return out
}

func anyAttr(k string, v any) slog.Attr {
	switch x := v.(type) {
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return slog.String(k, fmt.Sprint(x))
		}
	case time.Duration:
		return slog.Float64(k, float64(x)/float64(time.Millisecond))
	case map[string]any:
		keys := make([]string, 0, len(x))
		for mk := range x {
			keys = append(keys, mk)
		}
		sort.Strings(keys)
		as := make([]any, 0, len(x))
		for _, mk := range keys {
			as = append(as, anyAttr(mk, x[mk]))
		}
		return slog.Group(k, as...)
	}
	return slog.Any(k, v)
}
