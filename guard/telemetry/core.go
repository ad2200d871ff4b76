package telemetry

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/fnguard/fnguard/guard/redact"
)

// envRedactor is the redactor used when none is given: the built-in rules
// plus the process's own credentials.
var envRedactor = sync.OnceValue(func() *redact.Redactor {
	r, err := redact.New(redact.Config{Secrets: redact.FromEnv()})
	if err != nil {
		// Unreachable: a Config without ExtraKeys cannot fail. A nil
		// Redactor still applies the built-in rules.
		return nil
	}
	return r
})

// NewLogger returns a logger writing JSON lines to stdout with keys
// compatible with AWS Lambda Powertools: level (upper case), message,
// timestamp (RFC 3339 in UTC with milliseconds), service ("service_undefined"
// when empty), no caller and no stack traces. It is wrapped in [RedactCore]
// with the built-in rules and the process's credentials ([redact.FromEnv]).
func NewLogger(level zapcore.Level, service string) *zap.Logger {
	return newLogger(zapcore.Lock(os.Stdout), level, service, envRedactor())
}

func newLogger(w zapcore.WriteSyncer, level zapcore.Level, service string, red *redact.Redactor) *zap.Logger {
	return newFormatLogger(w, level, service, red, FormatPowertools)
}

func newFormatLogger(w zapcore.WriteSyncer, level zapcore.Level, service string, red *redact.Redactor, format Format) *zap.Logger {
	cfg := zapcore.EncoderConfig{
		MessageKey:     "message",
		LevelKey:       "level",
		TimeKey:        "timestamp",
		NameKey:        "logger",
		CallerKey:      zapcore.OmitKey,
		FunctionKey:    zapcore.OmitKey,
		StacktraceKey:  zapcore.OmitKey,
		LineEnding:     zapcore.DefaultLineEnding,
		EncodeLevel:    zapcore.CapitalLevelEncoder,
		EncodeTime:     encodeTimestamp,
		EncodeDuration: zapcore.MillisDurationEncoder,
	}
	if format == FormatGoogle {
		cfg.LevelKey, cfg.EncodeLevel = "severity", googleSeverity
	}
	enc := zapcore.NewJSONEncoder(cfg)
	core := RedactCore(&sinkCore{LevelEnabler: level, enc: enc, out: newDeadlineWriter(w)}, red)
	return zap.New(core, zap.ErrorOutput(zapcore.AddSync(faultOut()))).With(serviceField(service, format))
}

// serviceField is the service of every line: Powertools' "service" key, or
// Google Cloud's logging.googleapis.com/labels.service.
func serviceField(service string, format Format) zap.Field {
	if service == "" {
		service = "service_undefined"
	}
	if format == FormatGoogle {
		return zap.Object("logging.googleapis.com/labels", serviceLabel(service))
	}
	return zap.String("service", service)
}

type serviceLabel string

func (s serviceLabel) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("service", string(s))
	return nil
}

const timestampLayout = "2006-01-02T15:04:05.000Z07:00"

func encodeTimestamp(t time.Time, enc zapcore.PrimitiveArrayEncoder) {
	enc.AppendString(t.UTC().Format(timestampLayout))
}

// RedactCore wraps core so that everything logged through it is redacted by
// r (nil: the built-in rules plus the process's credentials):
//
//   - the message and the stack trace pass through r.String;
//   - a field whose key is a secret key (password, authorization, api_key,
//     ...) becomes the string [redact.Mask], whatever its type;
//   - string, byte-string and binary fields, fmt.Stringer and error fields
//     (the latter two rendered to strings) pass through r.String;
//   - zapcore.ObjectMarshaler and ArrayMarshaler fields (zap.Object,
//     zap.Dict, zap.Array, zap.Inline...) are redacted member by member, at
//     any depth, with the same rules;
//   - zap.Any/zap.Reflect values are marshalled to JSON, redacted as text
//     ("password":"..." pairs included) and logged as that JSON (or as a
//     string if masking broke the JSON).
//
// Fields given to With are redacted once, when With is called. Sampling and
// level decisions of core are kept: RedactCore redacts in a pre-write hook
// of the entries core accepts, so the other cores an entry is written to (a
// zapcore.NewTee sibling) see the redacted entry too. A nil core yields a
// core that discards everything.
func RedactCore(core zapcore.Core, r *redact.Redactor) zapcore.Core {
	if core == nil {
		core = zapcore.NewNopCore()
	}
	if r == nil {
		r = envRedactor()
	}
	return &redactCore{Core: core, red: r}
}

type redactCore struct {
	zapcore.Core
	red *redact.Redactor
}

func (c *redactCore) With(fs []zapcore.Field) zapcore.Core {
	return &redactCore{Core: c.Core.With(c.fields(fs)), red: c.red}
}

func (c *redactCore) Check(ent zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	before := ce
	ce = c.Core.Check(ent, ce)
	if ce == nil || (ce == before && !c.Core.Enabled(ent.Level)) {
		return ce
	}
	return ce.Before(ent, c.hook)
}

func (c *redactCore) hook(ent zapcore.Entry, fs []zapcore.Field) (zapcore.Entry, []zapcore.Field) {
	ent.Message = c.red.String(ent.Message)
	if ent.Stack != "" {
		ent.Stack = c.red.String(ent.Stack)
	}
	return ent, c.fields(fs)
}

// Write redacts too, for callers that bypass Check.
func (c *redactCore) Write(ent zapcore.Entry, fs []zapcore.Field) error {
	ent, fs = c.hook(ent, fs)
	return c.Core.Write(ent, fs)
}

func (c *redactCore) fields(fs []zapcore.Field) []zapcore.Field {
	if len(fs) == 0 {
		return fs
	}
	out := make([]zapcore.Field, len(fs))
	for i, f := range fs {
		out[i] = redactField(c.red, f)
	}
	return out
}

func redactField(red *redact.Redactor, f zapcore.Field) zapcore.Field {
	switch f.Type {
	case zapcore.SkipType, zapcore.NamespaceType, zapcore.UnknownType:
		return f
	case zapcore.InlineMarshalerType:
		if m, ok := f.Interface.(zapcore.ObjectMarshaler); ok {
			return zap.Inline(redactedObject{m, red})
		}
		return f
	}
	if red.IsSecretKey(f.Key) {
		return zap.String(f.Key, redact.Mask)
	}
	switch f.Type {
	case zapcore.StringType:
		f.String = red.String(f.String)
	case zapcore.ByteStringType, zapcore.BinaryType:
		if b, ok := f.Interface.([]byte); ok {
			if s := red.String(string(b)); s != string(b) {
				f.Interface = []byte(s)
			}
		}
	case zapcore.StringerType:
		if s, ok := f.Interface.(fmt.Stringer); ok {
			return zap.String(f.Key, red.String(safeString(s.String)))
		}
	case zapcore.ErrorType:
		if e, ok := f.Interface.(error); ok {
			return zap.String(f.Key, red.String(safeString(e.Error)))
		}
	case zapcore.ObjectMarshalerType:
		if m, ok := f.Interface.(zapcore.ObjectMarshaler); ok {
			return zap.Object(f.Key, redactedObject{m, red})
		}
	case zapcore.ArrayMarshalerType:
		if m, ok := f.Interface.(zapcore.ArrayMarshaler); ok {
			return zap.Array(f.Key, redactedArray{m, red})
		}
	case zapcore.ReflectType:
		return redactReflected(red, f.Key, f.Interface)
	}
	return f
}

// safeString calls fn, turning a panic (a nil pointer Stringer, say) into
// text as fmt does.
func safeString(fn func() string) (s string) {
	defer func() {
		if p := recover(); p != nil {
			s = fmt.Sprintf("<PANIC=%v>", p)
		}
	}()
	return fn()
}

// reflectedJSON marshals v and redacts the JSON text; ok is false when the
// result is not valid JSON any more (a masked object value) or v does not
// marshal, in which case s is the redacted text to log as a string.
func reflectedJSON(red *redact.Redactor, v any) (s string, ok bool) {
	b, err := json.Marshal(v)
	if err != nil {
		return red.String(fmt.Sprintf("%+v", v)), false
	}
	s = red.String(string(b))
	return s, json.Valid([]byte(s))
}

func redactReflected(red *redact.Redactor, key string, v any) zapcore.Field {
	s, ok := reflectedJSON(red, v)
	if !ok {
		return zap.String(key, s)
	}
	return zap.Reflect(key, json.RawMessage(s))
}

type redactedObject struct {
	m   zapcore.ObjectMarshaler
	red *redact.Redactor
}

func (o redactedObject) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	return o.m.MarshalLogObject(&redactEncoder{enc: enc, red: o.red})
}

type redactedArray struct {
	m   zapcore.ArrayMarshaler
	red *redact.Redactor
}

func (a redactedArray) MarshalLogArray(enc zapcore.ArrayEncoder) error {
	return a.m.MarshalLogArray(&redactArrayEncoder{enc: enc, red: a.red})
}

// redactEncoder redacts what an ObjectMarshaler adds.
type redactEncoder struct {
	enc zapcore.ObjectEncoder
	red *redact.Redactor
}

// masked adds the mask instead of the value when key is a secret key.
func (e *redactEncoder) masked(key string) bool {
	if e.red.IsSecretKey(key) {
		e.enc.AddString(key, redact.Mask)
		return true
	}
	return false
}

func (e *redactEncoder) AddArray(k string, m zapcore.ArrayMarshaler) error {
	if e.masked(k) {
		return nil
	}
	return e.enc.AddArray(k, redactedArray{m, e.red})
}

func (e *redactEncoder) AddObject(k string, m zapcore.ObjectMarshaler) error {
	if e.masked(k) {
		return nil
	}
	return e.enc.AddObject(k, redactedObject{m, e.red})
}

func (e *redactEncoder) AddBinary(k string, v []byte) {
	if !e.masked(k) {
		e.enc.AddBinary(k, []byte(e.red.String(string(v))))
	}
}

func (e *redactEncoder) AddByteString(k string, v []byte) {
	if !e.masked(k) {
		e.enc.AddByteString(k, []byte(e.red.String(string(v))))
	}
}

func (e *redactEncoder) AddString(k, v string) {
	if !e.masked(k) {
		e.enc.AddString(k, e.red.String(v))
	}
}

func (e *redactEncoder) AddReflected(k string, v any) error {
	if e.masked(k) {
		return nil
	}
	s, ok := reflectedJSON(e.red, v)
	if !ok {
		e.enc.AddString(k, s)
		return nil
	}
	return e.enc.AddReflected(k, json.RawMessage(s))
}

func (e *redactEncoder) OpenNamespace(k string) { e.enc.OpenNamespace(k) }

func (e *redactEncoder) AddBool(k string, v bool) {
	if !e.masked(k) {
		e.enc.AddBool(k, v)
	}
}

func (e *redactEncoder) AddComplex128(k string, v complex128) {
	if !e.masked(k) {
		e.enc.AddComplex128(k, v)
	}
}

func (e *redactEncoder) AddComplex64(k string, v complex64) {
	if !e.masked(k) {
		e.enc.AddComplex64(k, v)
	}
}

func (e *redactEncoder) AddDuration(k string, v time.Duration) {
	if !e.masked(k) {
		e.enc.AddDuration(k, v)
	}
}

func (e *redactEncoder) AddFloat64(k string, v float64) {
	if !e.masked(k) {
		e.enc.AddFloat64(k, v)
	}
}

func (e *redactEncoder) AddFloat32(k string, v float32) {
	if !e.masked(k) {
		e.enc.AddFloat32(k, v)
	}
}

func (e *redactEncoder) AddInt(k string, v int) {
	if !e.masked(k) {
		e.enc.AddInt(k, v)
	}
}

func (e *redactEncoder) AddInt64(k string, v int64) {
	if !e.masked(k) {
		e.enc.AddInt64(k, v)
	}
}

func (e *redactEncoder) AddInt32(k string, v int32) {
	if !e.masked(k) {
		e.enc.AddInt32(k, v)
	}
}

func (e *redactEncoder) AddInt16(k string, v int16) {
	if !e.masked(k) {
		e.enc.AddInt16(k, v)
	}
}

func (e *redactEncoder) AddInt8(k string, v int8) {
	if !e.masked(k) {
		e.enc.AddInt8(k, v)
	}
}

func (e *redactEncoder) AddTime(k string, v time.Time) {
	if !e.masked(k) {
		e.enc.AddTime(k, v)
	}
}

func (e *redactEncoder) AddUint(k string, v uint) {
	if !e.masked(k) {
		e.enc.AddUint(k, v)
	}
}

func (e *redactEncoder) AddUint64(k string, v uint64) {
	if !e.masked(k) {
		e.enc.AddUint64(k, v)
	}
}

func (e *redactEncoder) AddUint32(k string, v uint32) {
	if !e.masked(k) {
		e.enc.AddUint32(k, v)
	}
}

func (e *redactEncoder) AddUint16(k string, v uint16) {
	if !e.masked(k) {
		e.enc.AddUint16(k, v)
	}
}

func (e *redactEncoder) AddUint8(k string, v uint8) {
	if !e.masked(k) {
		e.enc.AddUint8(k, v)
	}
}

func (e *redactEncoder) AddUintptr(k string, v uintptr) {
	if !e.masked(k) {
		e.enc.AddUintptr(k, v)
	}
}

// redactArrayEncoder redacts what an ArrayMarshaler appends. Array elements
// have no keys, so only values are scrubbed.
type redactArrayEncoder struct {
	enc zapcore.ArrayEncoder
	red *redact.Redactor
}

func (e *redactArrayEncoder) AppendString(v string) { e.enc.AppendString(e.red.String(v)) }
func (e *redactArrayEncoder) AppendByteString(v []byte) {
	e.enc.AppendByteString([]byte(e.red.String(string(v))))
}
func (e *redactArrayEncoder) AppendArray(m zapcore.ArrayMarshaler) error {
	return e.enc.AppendArray(redactedArray{m, e.red})
}
func (e *redactArrayEncoder) AppendObject(m zapcore.ObjectMarshaler) error {
	return e.enc.AppendObject(redactedObject{m, e.red})
}
func (e *redactArrayEncoder) AppendReflected(v any) error {
	s, ok := reflectedJSON(e.red, v)
	if !ok {
		e.enc.AppendString(s)
		return nil
	}
	return e.enc.AppendReflected(json.RawMessage(s))
}
func (e *redactArrayEncoder) AppendBool(v bool)              { e.enc.AppendBool(v) }
func (e *redactArrayEncoder) AppendComplex128(v complex128)  { e.enc.AppendComplex128(v) }
func (e *redactArrayEncoder) AppendComplex64(v complex64)    { e.enc.AppendComplex64(v) }
func (e *redactArrayEncoder) AppendFloat64(v float64)        { e.enc.AppendFloat64(v) }
func (e *redactArrayEncoder) AppendFloat32(v float32)        { e.enc.AppendFloat32(v) }
func (e *redactArrayEncoder) AppendInt(v int)                { e.enc.AppendInt(v) }
func (e *redactArrayEncoder) AppendInt64(v int64)            { e.enc.AppendInt64(v) }
func (e *redactArrayEncoder) AppendInt32(v int32)            { e.enc.AppendInt32(v) }
func (e *redactArrayEncoder) AppendInt16(v int16)            { e.enc.AppendInt16(v) }
func (e *redactArrayEncoder) AppendInt8(v int8)              { e.enc.AppendInt8(v) }
func (e *redactArrayEncoder) AppendUint(v uint)              { e.enc.AppendUint(v) }
func (e *redactArrayEncoder) AppendUint64(v uint64)          { e.enc.AppendUint64(v) }
func (e *redactArrayEncoder) AppendUint32(v uint32)          { e.enc.AppendUint32(v) }
func (e *redactArrayEncoder) AppendUint16(v uint16)          { e.enc.AppendUint16(v) }
func (e *redactArrayEncoder) AppendUint8(v uint8)            { e.enc.AppendUint8(v) }
func (e *redactArrayEncoder) AppendUintptr(v uintptr)        { e.enc.AppendUintptr(v) }
func (e *redactArrayEncoder) AppendDuration(v time.Duration) { e.enc.AppendDuration(v) }
func (e *redactArrayEncoder) AppendTime(v time.Time)         { e.enc.AppendTime(v) }
