package guardgcf

import (
	"context"
	"encoding/base64"
	"fmt"
	"log"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/cloudevents/sdk-go/v2/types"
	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
	"github.com/fnguard/fnguard/middleware/internal/httpguard"
)

// CloudEvent types with a dedicated mapping.
const (
	TypePubSub        = "google.cloud.pubsub.topic.v1.messagePublished"
	TypeStoragePrefix = "google.cloud.storage.object.v1." // finalized, deleted, archived, metadataUpdated

	TypeFirestorePrefix        = "google.cloud.firestore.document.v1." // created, updated, deleted, written (and .withAuthContext)
	TypeFirebaseDatabasePrefix = "google.firebase.database.ref.v1."    // created, updated, deleted, written
	TypeFirebaseAuthPrefix     = "google.firebase.auth.user.v1."       // created, deleted
	TypeAuditLog               = "google.cloud.audit.log.v1.written"
	TypeCloudBuildPrefix       = "google.cloud.cloudbuild.build.v1." // statusChanged
	TypeScheduler              = "google.cloud.scheduler.job.v1.executed"
)

// CloudEvent protects a CloudEvent function:
//
//	functions.CloudEvent("ProcessOrder", guardgcf.CloudEvent(g, processOrder))
//
// Every event is inspected before fn sees it (see the package documentation
// for the mapping of Pub/Sub, Cloud Storage and other events). When the
// event must not reach fn:
//
//   - blocked (an attack or a policy violation) or rejected (malformed or
//     oversized, e.g. message.data that is not base64): the returned error
//     is a *guard.BlockedError (errors.Is guard.ErrBlocked / ErrRejected),
//     so that the platform retries the event and, with a dead-letter topic,
//     keeps it; with FNGUARD_ACK_BLOCKED=true the event is acknowledged
//     instead (nil is returned, after logging) and dropped;
//   - failed (inspection failed and the fail mode is closed): the
//     *guard.BlockedError (guard.ErrFailed) is always returned, whatever
//     FNGUARD_ACK_BLOCKED says, so that a healthy event is never dropped.
//
// A nil g makes every invocation fail with guard.ErrNoGuard, and a nil fn
// with ErrNilFunction: fn never runs unprotected.
func CloudEvent(g *guard.Guard, fn func(context.Context, event.Event) error) func(context.Context, event.Event) error {
	a := &ceAdapter{g: g, fn: fn, fnName: functionName(), attrs: staticAttrs()}
	switch {
	case g == nil:
		log.Printf("guardgcf: %v: every event will fail", guard.ErrNoGuard)
	case fn == nil:
		g.Logger().Error("fnguard middleware misconfigured: every event will fail",
			zap.String("fnguard.adapter", "guardgcf"), zap.Error(ErrNilFunction))
	}
	return a.handle
}

type ceAdapter struct {
	g      *guard.Guard
	fn     func(context.Context, event.Event) error
	fnName string
	attrs  []guard.Param
}

func (a *ceAdapter) handle(ctx context.Context, e event.Event) error {
	if a.g == nil {
		return guard.ErrNoGuard
	}
	if a.fn == nil {
		return ErrNilFunction
	}
	st := statePool.Get().(*ceState)
	st.a, st.e = a, e
	a.g.Run(ctx, &st.inv, st)
	err := st.err
	st.release()
	return err
}

// ceState is the per-event Invocation with its one record and the record's
// fields, pooled: the function never sees them. It implements
// guard.Exchange.
type ceState struct {
	a   *ceAdapter
	e   event.Event
	err error // the answer: the function's, or the decision's

	inv    guard.Invocation
	rec    [1]guard.Record
	fields []guard.Field
}

var statePool = sync.Pool{New: func() any { return new(ceState) }}

func (st *ceState) release() {
	clear(st.fields[:cap(st.fields)]) // the data field was appended past len
	st.fields = st.fields[:0]
	if cap(st.fields) > 64 {
		st.fields = nil
	}
	st.a, st.e, st.err = nil, event.Event{}, nil
	st.inv, st.rec[0] = guard.Invocation{}, guard.Record{}
	statePool.Put(st)
}

// rejection is malformed input found while mapping an event.
type rejection struct {
	status    int
	rule, loc string
	reason    string
}

// Map implements guard.Exchange: the context attributes, then the data. Data
// that is malformed or over the limit is a whole-event *guard.Rejection (in
// monitor mode, what could be mapped is still inspected).
func (st *ceState) Map(ctx context.Context, inv *guard.Invocation) error {
	e := &st.e
	source := e.Source() // formatted from a URL on every call: once
	st.a.mapContext(e, st, source)
	rec := &inv.Records[0]
	if rej := mapData(e, rec, source, st.a.g.MaxBodyBytes()); rej != nil {
		return &guard.Rejection{Status: rej.status, Rule: rej.rule, Location: rej.loc, Reason: rej.reason}
	}
	if ct := e.DataContentType(); ct != "" && rec.ContentType == "" {
		// The data was decoded as what its type says (a Pub/Sub
		// envelope, a protobuf document, a scheduler payload), so the
		// engine does not read datacontenttype as the body's media type;
		// the sender wrote it all the same.
		rec.Fields = append(rec.Fields, guard.Field{Loc: "datacontenttype", Value: ct})
	}
	return nil
}

// Refuse implements guard.Exchange: the *guard.BlockedError, so that the
// platform retries the event; or, with FNGUARD_ACK_BLOCKED, nothing (the
// event is acknowledged and dropped), except for a failure, which is never
// dropped.
func (st *ceState) Refuse(ctx context.Context, d guard.Decision) {
	g := st.a.g
	if d.Action != guard.ActionFail && g != nil && g.AckBlocked() {
		g.Logger().Warn("fnguard acknowledged and dropped a blocked CloudEvent (FNGUARD_ACK_BLOCKED)",
			zap.String("function_request_id", st.inv.RequestID),
			zap.String("fnguard.action", d.Action.String()),
			zap.String("fnguard.source", string(st.inv.Source)),
			zap.String("fnguard.reason", d.Reason))
		st.err = nil
		return
	}
	st.err = d.Err()
}

// Deliver implements guard.Exchange: the event to the function.
func (st *ceState) Deliver(ctx context.Context, _ guard.Decision, _ *guard.Batch) {
	st.err = st.a.fn(ctx, st.e)
}

// Source returns the fnguard source of a CloudEvent type: guard.SourcePubSub
// for Pub/Sub messages, guard.SourceStorage for Cloud Storage object events,
// guard.SourceFirestore, SourceFirebaseDatabase, SourceFirebaseAuth,
// SourceAuditLog, SourceCloudBuild and SourceScheduler for those products'
// events, guard.SourceCloudEvent for anything else.
func Source(ceType string) guard.Source {
	switch {
	case ceType == TypePubSub:
		return guard.SourcePubSub
	case strings.HasPrefix(ceType, TypeStoragePrefix):
		return guard.SourceStorage
	case strings.HasPrefix(ceType, TypeFirestorePrefix):
		return guard.SourceFirestore
	case strings.HasPrefix(ceType, TypeFirebaseDatabasePrefix):
		return guard.SourceFirebaseDatabase
	case strings.HasPrefix(ceType, TypeFirebaseAuthPrefix):
		return guard.SourceFirebaseAuth
	case ceType == TypeAuditLog:
		return guard.SourceAuditLog
	case strings.HasPrefix(ceType, TypeCloudBuildPrefix):
		return guard.SourceCloudBuild
	case ceType == TypeScheduler:
		return guard.SourceScheduler
	}
	return guard.SourceCloudEvent
}

// mapContext fills the invocation and its one record from the event's
// context attributes.
func (a *ceAdapter) mapContext(e *event.Event, st *ceState, source string) {
	inv := &st.inv
	id := e.ID()
	inv.Source = Source(e.Type())
	inv.FunctionName = a.fnName
	inv.Attrs = a.attrs
	if httpguard.ValidID(id) {
		inv.RequestID = id
		inv.Attrs = append(slices.Clip(a.attrs), guard.Param{Name: "execution_id", Value: id})
	} else {
		inv.RequestID = httpguard.NewID()
	}
	exts := e.Extensions()
	st.rec[0] = guard.Record{ID: id, EventSource: source, EventType: e.Type()}
	rec := &st.rec[0]
	inv.Records = st.rec[:]
	// Context attributes are client-controlled strings too (anyone who can
	// reach the function can send ce-* headers).
	rec.Fields = append(slices.Grow(st.fields[:0], 6+len(exts)),
		guard.Field{Loc: "id", Value: id},
		guard.Field{Loc: "source", Value: source},
		guard.Field{Loc: "type", Value: e.Type()})
	if s := e.Subject(); s != "" {
		rec.Fields = append(rec.Fields, guard.Field{Loc: "subject", Value: s})
	}
	if s := e.DataSchema(); s != "" {
		rec.Fields = append(rec.Fields, guard.Field{Loc: "dataschema", Value: s})
	}
	if len(exts) > 0 {
		names := make([]string, 0, len(exts))
		for k := range exts {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			v, err := types.Format(exts[k])
			if err != nil {
				v = fmt.Sprint(exts[k])
			}
			if k == "traceparent" {
				inv.TraceID, inv.SpanID = httpguard.TraceParent(v), httpguard.TraceParentSpan(v)
				continue // a trace context, like the traceparent header
			}
			if k == "tracestate" {
				continue
			}
			rec.Fields = append(rec.Fields, guard.Field{Loc: string(jsontree.AppendKey([]byte("extensions"), k)), Value: v})
		}
	}
	st.fields = rec.Fields
}

// Limits of the Pub/Sub envelope parse: nesting as the engine's default,
// duplicate keys refused (parsers disagree on which one wins).
var envelopeLimits = jsontree.Limits{MaxDepth: guard.DefaultMaxDepth}

// mapData sets the record's body and data fields. It returns a rejection
// for data that is malformed or over the limit.
func mapData(e *event.Event, rec *guard.Record, source string, limit int64) *rejection {
	if rej := checkRequired(e, source); rej != nil {
		return rej
	}
	data := e.Data()
	if e.SpecVersion() != event.CloudEventsVersionV1 && e.DeprecatedDataContentEncoding() == event.Base64 && len(data) > 0 {
		s := string(data)
		if uq, err := strconv.Unquote(s); err == nil {
			s = uq
		}
		dec, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return &rejection{status: 400, rule: "validation.cloudevent_base64", loc: "records[0].data",
				reason: "data with datacontentencoding base64 is not valid base64: " + err.Error()}
		}
		data = dec
	}
	switch Source(e.Type()) {
	case guard.SourcePubSub:
		return mapPubSub(data, rec, limit)
	case guard.SourceStorage:
		if rej := checkSize(data, limit, "records[0].body"); rej != nil {
			return rej
		}
		rec.Body, rec.ContentType = data, dataContentType(e)
		return checkBucket(source, data, rec.ContentType)
	case guard.SourceFirestore:
		if rej := checkSize(data, limit, "records[0].data"); rej != nil {
			return rej
		}
		if isProtobuf(e) {
			// DocumentEventData in protobuf wire format (what Firestore
			// sends): every string in it (document names, field names,
			// string values, nested maps and arrays) is inspected.
			if len(data) > 0 {
				rec.Fields = append(rec.Fields, guard.Field{Loc: "data", Value: unsafe.String(unsafe.SliceData(data), len(data)), Kind: guard.KindProtobuf})
			}
			return nil
		}
	case guard.SourceScheduler:
		return mapScheduler(data, rec, limit)
	}
	if rej := checkSize(data, limit, "records[0].body"); rej != nil {
		return rej
	}
	rec.Body, rec.ContentType = data, dataContentType(e)
	return nil
}

// checkRequired rejects an event without the attributes the CloudEvents
// spec requires (the SDK validates them too; this check does not allocate).
func checkRequired(e *event.Event, source string) *rejection {
	for field, err := range e.FieldErrors { // a setter refused a value
		return &rejection{status: 400, rule: "validation.cloudevent", loc: "records[0]." + field,
			reason: "invalid CloudEvent: " + field + ": " + err.Error()}
	}
	missing := ""
	switch {
	case e.Context == nil || e.SpecVersion() == "":
		missing = "specversion"
	case e.ID() == "":
		missing = "id"
	case source == "":
		missing = "source"
	case e.Type() == "":
		missing = "type"
	default:
		return nil
	}
	return &rejection{status: 400, rule: "validation.cloudevent", loc: "records[0]." + missing,
		reason: "invalid CloudEvent: " + missing + " is required"}
}

func checkSize(data []byte, limit int64, loc string) *rejection {
	if int64(len(data)) > limit {
		return &rejection{status: 413, rule: "validation.body_too_large", loc: loc,
			reason: "event data is " + strconv.Itoa(len(data)) + " bytes, over the " + strconv.FormatInt(limit, 10) + "-byte limit (FNGUARD_MAX_BODY_BYTES)"}
	}
	return nil
}

// isProtobuf reports whether the event's data is a protobuf message.
func isProtobuf(e *event.Event) bool {
	switch strings.ToLower(e.DataMediaType()) {
	case "application/protobuf", "application/x-protobuf", "application/vnd.google.protobuf":
		return true
	}
	return false
}

// mapScheduler maps the data of a Cloud Scheduler job execution,
// {"customData":"<base64>"}: the job's payload, base64-decoded by the
// engine and inspected like a body (located at
// records[0].data.customData<base64>). Anything else in the data is walked
// as JSON.
func mapScheduler(data []byte, rec *guard.Record, limit int64) *rejection {
	if rej := checkSize(data, limit, "records[0].data"); rej != nil {
		return rej
	}
	if len(data) == 0 {
		return nil
	}
	doc, err := jsontree.Parse(data, envelopeLimits)
	if err != nil || doc.Root().Kind() != jsontree.Object {
		rec.Body = data // not the documented JSON: inspected as it is
		return nil
	}
	cd := doc.Root().Get("customData")
	if s, ok := cd.Str(); ok && s != "" {
		rec.Fields = append(rec.Fields, guard.Field{Loc: "data.customData", Value: s, Encoding: guard.EncodingBase64, Kind: guard.KindBody})
	}
	rec.Fields = append(rec.Fields, guard.Field{Loc: "data", Value: unsafe.String(unsafe.SliceData(data), len(data)), JSON: true})
	return nil
}

// dataContentType is the event's datacontenttype, with protobuf mapped to
// application/octet-stream: fnguard cannot decode protobuf without its
// schema, so such data is treated as binary (inspected as text only when it
// is valid UTF-8) rather than rejected as invalid text.
func dataContentType(e *event.Event) string {
	ct := e.DataContentType()
	switch strings.ToLower(e.DataMediaType()) {
	case "application/protobuf", "application/x-protobuf", "application/vnd.google.protobuf":
		return "application/octet-stream"
	}
	return ct
}

// mapPubSub maps the data of a messagePublished event:
//
//	{"message":{"data":"<base64>","attributes":{...},"messageId":"...","orderingKey":"..."},"subscription":"..."}
//
// The decoded message.data is the record body (JSON when it parses as JSON,
// else text); the rest of the envelope (attributes, ordering key,
// subscription, and any other member) is walked as JSON at
// records[0].data, with message.data blanked so its base64 text is not
// inspected twice.
func mapPubSub(data []byte, rec *guard.Record, limit int64) *rejection {
	// The envelope carries the payload in base64 (4/3 of its size) plus
	// attributes: allow for both before parsing anything.
	if max := limit/3*4 + 4 + 64<<10; int64(len(data)) > max {
		return &rejection{status: 413, rule: "validation.body_too_large", loc: "records[0].data",
			reason: "Pub/Sub event data is " + strconv.Itoa(len(data)) + " bytes, over the limit for a " +
				strconv.FormatInt(limit, 10) + "-byte message (FNGUARD_MAX_BODY_BYTES)"}
	}
	bad := func(loc, reason string) *rejection {
		return &rejection{status: 400, rule: "validation.pubsub_envelope", loc: loc, reason: reason}
	}
	if len(data) == 0 {
		return bad("records[0].data", "Pub/Sub event without data (want {\"message\":{...}})")
	}
	doc, err := jsontree.Parse(data, envelopeLimits)
	if err != nil {
		return bad("records[0].data", "Pub/Sub event data is not valid JSON: "+err.Error())
	}
	root := doc.Root()
	if root.Kind() != jsontree.Object {
		return bad("records[0].data", "Pub/Sub event data is a JSON "+root.Kind().String()+", not an object")
	}
	msg := root.Get("message")
	if msg.Kind() != jsontree.Object {
		return bad("records[0].data.message", "Pub/Sub event data has no message object")
	}
	envelope := data
	if md := msg.Get("data"); md.Exists() {
		s, ok := md.Str()
		if !ok {
			return &rejection{status: 400, rule: "validation.pubsub_data", loc: "records[0].data.message.data",
				reason: "message.data is a JSON " + md.Kind().String() + ", not a base64 string"}
		}
		if int64(base64.StdEncoding.DecodedLen(len(s))) > limit+2 {
			return &rejection{status: 413, rule: "validation.body_too_large", loc: "records[0].body",
				reason: "Pub/Sub message data is over the " + strconv.FormatInt(limit, 10) + "-byte limit (FNGUARD_MAX_BODY_BYTES)"}
		}
		// Decoded exactly as encoding/json decodes a []byte field, which is
		// how handlers read it (MessagePublishedData.Message.Data).
		body, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return &rejection{status: 400, rule: "validation.pubsub_base64", loc: "records[0].data.message.data",
				reason: "message.data is not valid base64: " + err.Error()}
		}
		if rej := checkSize(body, limit, "records[0].body"); rej != nil {
			return rej
		}
		rec.Body = body
		// Blank the payload in a copy of the envelope.
		raw := md.Raw()
		off := int(md.Offset())
		envelope = make([]byte, 0, len(data)-len(raw)+2)
		envelope = append(envelope, data[:off]...)
		envelope = append(envelope, `""`...)
		envelope = append(envelope, data[off+len(raw):]...)
	}
	// envelope is the event's data or our own copy: never modified.
	rec.Fields = append(rec.Fields, guard.Field{Loc: "data", Value: unsafe.String(unsafe.SliceData(envelope), len(envelope)), JSON: true})
	return nil
}

// checkBucket rejects a Cloud Storage event whose data names another bucket
// than its source (//storage.googleapis.com/projects/_/buckets/<bucket>):
// the allowlist (FNGUARD_ALLOW_EVENT_SOURCES) judges the source, so the two
// must agree.
func checkBucket(source string, data []byte, ct string) *rejection {
	i := strings.LastIndex(source, "/buckets/")
	if i < 0 || len(data) == 0 || (ct != "" && !strings.Contains(strings.ToLower(ct), "json")) {
		return nil
	}
	srcBucket, _, _ := strings.Cut(source[i+len("/buckets/"):], "/")
	doc, err := jsontree.Parse(data, envelopeLimits)
	if err != nil {
		return nil // the engine rejects invalid JSON with the precise error
	}
	b, ok := doc.Root().Get("bucket").Str()
	if ok && b != srcBucket {
		return &rejection{status: 400, rule: "validation.storage_bucket_mismatch", loc: "records[0].body.bucket",
			reason: "data.bucket " + strconv.Quote(b) + " does not match the bucket of the event source " + strconv.Quote(srcBucket)}
	}
	return nil
}
