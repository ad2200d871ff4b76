package guardlambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/handlertrace"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// Wrap protects a typed handler:
//
//	lambda.Start(guardlambda.Wrap(g, handler))
//
// fnguard inspects the raw payload before aws-lambda-go decodes it into TIn,
// so a blocked event never reaches the decoder or the handler. Wrap decodes
// TIn and encodes TOut with encoding/json as lambda.NewHandler does, into
// buffers owned by each invocation, so the returned handler is safe for
// concurrent use (AWS_LAMBDA_MAX_CONCURRENCY > 1).
func Wrap[TIn, TOut any](g *guard.Guard, h func(context.Context, TIn) (TOut, error)) lambda.Handler {
	if h == nil {
		return WrapHandler(g, nil)
	}
	return WrapHandler(g, &typed[TIn, TOut]{f: h, plan: planFor(reflect.TypeFor[TIn]())})
}

// typed is a typed handler as a lambda.Handler. It does not go through
// lambda.NewHandler: the []byte that handler's Invoke returns aliases a
// pooled buffer that is already back in its pool when Invoke returns, so
// two concurrent invocations can exchange (or tear) their responses. When
// the adapter delivers a payload it parsed, TIn is filled from that tree
// (invokeDoc, typed.go) rather than decoded a second time.
type typed[TIn, TOut any] struct {
	f    func(context.Context, TIn) (TOut, error)
	plan *plan // nil: TIn is always decoded by encoding/json
}

// Invoke implements lambda.Handler.
func (t *typed[TIn, TOut]) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return t.invokeDoc(ctx, payload, jsontree.Value{})
}

// invokeDoc is Invoke with the payload's parsed tree (Invalid when there is
// none).
func (t *typed[TIn, TOut]) invokeDoc(ctx context.Context, payload []byte, root jsontree.Value) ([]byte, error) {
	trace := handlertrace.FromContext(ctx)
	var in TIn
	if !decodeTree(t.plan, payload, root, &in) {
		if err := json.Unmarshal(payload, &in); err != nil {
			return nil, err
		}
	}
	if trace.RequestEvent != nil {
		trace.RequestEvent(ctx, in)
	}
	out, err := t.f(ctx, in)
	if err != nil {
		return nil, err
	}
	if trace.ResponseEvent != nil {
		trace.ResponseEvent(ctx, out)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as aws-lambda-go's default
	encErr := enc.Encode(out)
	// As aws-lambda-go: an io.Reader response that does not serialise (or
	// serialises to an empty object) is returned as its contents.
	if r, ok := any(out).(io.Reader); ok && (encErr != nil || bytes.HasPrefix(buf.Bytes(), []byte("{}"))) {
		return io.ReadAll(r)
	}
	if encErr != nil {
		return nil, encErr
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// WrapHandler protects any lambda.Handler (the raw-payload form). Any
// handler that lambda.Start accepts can be turned into one with
// lambda.NewHandler or lambda.NewHandlerWithOptions first. With
// AWS_LAMBDA_MAX_CONCURRENCY > 1, h must be safe for concurrent use and
// return bytes it owns: a lambda.NewHandler handler is not (its Invoke
// returns a pooled buffer); use Wrap for typed handlers.
//
// A nil g (typically the ignored error of a failed guard.New) never lets an
// invocation through: HTTP events get a 503 response, every other event the
// error guard.ErrNoGuard. A nil h makes every invocation fail with
// ErrNilHandler.
func WrapHandler(g *guard.Guard, h lambda.Handler) lambda.Handler {
	di, _ := h.(docInvoker)
	return &handler{g: g, next: h, doc: di, scanResponses: responseScanOn(g)}
}

type handler struct {
	g    *guard.Guard
	next lambda.Handler
	// doc is next when it takes the parsed tree too (a typed handler;
	// asked once here: a failed type assertion is a search of the itab
	// table on every invocation).
	doc           docInvoker
	scanResponses bool
}

// responseScanOn reports whether responses of HTTP events must be extracted
// and handed to ScanResponse (FNGUARD_RESPONSE_SCAN not off; ResponseScanMode
// is off for a nil guard and a guard whose mode is off); when it is off the
// adapter does not parse responses at all.
func responseScanOn(g *guard.Guard) bool {
	return g.ResponseScanMode() != guard.ResponseScanOff
}

// Invoke implements lambda.Handler. Everything between mapping the event
// and answering it is guard.Run's; the state implements guard.Exchange.
func (w *handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if w.g == nil {
		return noGuard(ctx, payload)
	}
	if w.next == nil {
		return nil, ErrNilHandler
	}
	if w.g.Mode() == guard.Off {
		return w.next.Invoke(ctx, payload)
	}
	st := getState()
	st.w, st.payload = w, payload
	d := w.g.Run(ctx, &st.inv, st)
	out, err := st.out, st.err
	st.release(len(d.Findings) == 0)
	return out, err
}

// Map implements guard.Exchange: it parses the payload, tells its source
// and maps it. A payload that is not one valid JSON document, or whose
// envelope does not decode into its source's aws-lambda-go type, is a
// whole-event *guard.Rejection; a record that cannot be read gets its own
// Record.Rejection (see mapRecords).
func (st *state) Map(ctx context.Context, inv *guard.Invocation) error {
	perr := jsontree.ParseInto(&st.doc, st.payload, envelopeLimits)
	if perr != nil {
		st.kind = recognizeRefused(st.payload, perr, &st.env)
		st.albMulti = st.kind == kindALB && st.env.multiHeaders.Kind() == jsontree.Object
		inv.Source = st.kind.source()
		inv.RequestID = requestID(ctx)
		inv.FunctionName = lambdacontext.FunctionName
		return payloadRejection(perr).guard()
	}
	st.root = st.doc.Root()
	st.kind = recognize(st.root, &st.env)
	if rej := st.mapEvent(ctx, st.w.g, st.payload); rej != nil {
		return rej.guard()
	}
	return nil
}

// Refuse implements guard.Exchange: the source's block answer.
func (st *state) Refuse(ctx context.Context, d guard.Decision) {
	if st.env.fam == famCloudFormation { // answered by a PUT to CloudFormation (cfn.go)
		st.out, st.err = cfnRefusal(ctx, st, d)
		return
	}
	st.out, st.err = answerOf(st)(st, d)
}

// Deliver implements guard.Exchange: it calls the handler, with the
// sanitised body of an HTTP event or the delivered records of a batch, and
// turns its response into what the source expects.
func (st *state) Deliver(ctx context.Context, d guard.Decision, b *guard.Batch) {
	w := st.w
	switch {
	case st.env.fam == famFirehose && b.Held() > 0:
		// Poisoned records come back as ProcessingFailed (firehose.go).
		st.out, st.err = w.partialFirehose(ctx, st, st.payload, &d)
	case st.env.fam == famAppSyncBatch && b.Held() > 0:
		// Poisoned calls are answered with an error entry (appsync.go).
		st.out, st.err = w.partialAppSync(ctx, st, b, &d)
	case st.env.fam != famNone:
		st.out, st.err = w.invoke(ctx, st, st.payload)
	case st.kind.isHTTP():
		p := st.payload
		if d.Body != nil && st.body.Exists() {
			p = spliceBody(p, st, d.Body)
		}
		out, err := w.invoke(ctx, st, p)
		if err == nil && w.scanResponses {
			out = w.scanResponse(ctx, st, out)
		}
		st.out, st.err = out, err
	case b != nil && st.kind.isBatch():
		st.out, st.err = w.deliverBatch(ctx, st, b)
	default:
		st.out, st.err = w.invoke(ctx, st, st.payload)
	}
}

// invoke calls the handler with payload p; when p is the payload the
// adapter parsed (not a sanitised copy) and the handler is a typed one, it
// gets the parsed tree too, so that the event is not decoded twice.
func (w *handler) invoke(ctx context.Context, st *state, p []byte) ([]byte, error) {
	if w.doc != nil && len(p) > 0 && len(p) == len(st.payload) && &p[0] == &st.payload[0] {
		return w.doc.invokeDoc(ctx, p, st.root)
	}
	return w.next.Invoke(ctx, p)
}

// payloadRejection describes a payload that is not one valid JSON document.
func payloadRejection(err error) *rejection {
	var le *jsontree.LimitError
	if errors.As(err, &le) {
		switch le.Limit {
		case jsontree.LimitDuplicateKey:
			return &rejection{status: 400, rule: "validation.json_duplicate_key", loc: "event",
				reason: "event: duplicate key in the event envelope: " + clip(err.Error(), 256)}
		case jsontree.LimitDepth:
			// Not the error's text: its path alone is 3 bytes a level.
			return &rejection{status: 400, rule: "validation.json_depth", loc: "event",
				reason: "event: nested deeper than the " + strconv.Itoa(maxJSONDepth) +
					" levels encoding/json decodes (depth limit exceeded at offset " + strconv.FormatInt(le.Offset, 10) + ")"}
		}
		return &rejection{status: 413, rule: "validation.json_document_size", loc: "event", reason: "event: " + err.Error()}
	}
	return &rejection{status: 400, rule: "validation.invalid_json", loc: "event", reason: "event: payload is not valid JSON: " + err.Error()}
}

// recognizeRefused tells the source of a payload that is valid JSON but was
// refused for its nesting depth or a duplicate key, so that an HTTP event
// gets its 400 as an HTTP response (and not an invocation error, which API
// Gateway would turn into a 502). Any other parse error leaves it unknown.
func recognizeRefused(payload []byte, err error, e *envelope) kind {
	var le *jsontree.LimitError
	if !errors.As(err, &le) || le.Limit != jsontree.LimitDepth && le.Limit != jsontree.LimitDuplicateKey {
		return kindUnknown
	}
	doc, perr := jsontree.Parse(payload, jsontree.Limits{MaxDepth: -1, AllowDuplicateKeys: true})
	if perr != nil {
		return kindUnknown
	}
	return recognize(doc.Root(), e)
}

// clip cuts s to at most n bytes, on a UTF-8 boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

func requestID(ctx context.Context) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return lc.AwsRequestID
	}
	return ""
}

// blockStatus is the HTTP status of a decision that stops the handler.
func blockStatus(d *guard.Decision) int {
	if d.Status >= 400 && d.Status <= 599 {
		return d.Status
	}
	switch d.Action {
	case guard.ActionReject:
		return 400
	case guard.ActionFail:
		return 503
	}
	return 403
}

// noGuard answers for a nil *guard.Guard: never run the handler unprotected.
func noGuard(ctx context.Context, payload []byte) ([]byte, error) {
	if doc, err := jsontree.Parse(payload, envelopeLimits); err == nil {
		var e envelope
		k := recognize(doc.Root(), &e)
		if e.fam != famNone {
			if out := noGuardFamily(&e, doc.Root(), requestID(ctx)); out != nil {
				return out, nil
			}
			return nil, guard.ErrNoGuard
		}
		if k.isHTTP() {
			multi := k == kindALB && e.multiHeaders.Kind() == jsontree.Object
			return errorResponse(k, multi, 503, requestID(ctx)), nil
		}
	}
	return nil, guard.ErrNoGuard
}
