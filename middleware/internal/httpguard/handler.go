package httpguard

import (
	"context"
	"log"
	"net/http"
	"strconv"
	"sync"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
)

// Handler protects one http.Handler; see the package documentation.
type Handler struct {
	g     *guard.Guard
	p     Platform
	next  http.Handler
	proxy string // canonical trusted client-IP header, or ""
	hops  int
	limit int64
	scan  bool
}

// New returns a Handler that inspects every request before next sees it.
// A nil g makes every request fail with 503 (guard.ErrNoGuard); a nil next
// makes every request fail with 500 (ErrNilHandler). Both are reported once,
// here, on the standard logger or fnguard's logger.
func New(g *guard.Guard, p Platform, next http.Handler) *Handler {
	h := &Handler{g: g, p: p, next: next}
	if g == nil {
		log.Printf("%s: %v: every request will be answered 503", p.Adapter, guard.ErrNoGuard)
		return h
	}
	if next == nil {
		g.Logger().Error("fnguard middleware misconfigured: every request will be answered 500",
			zap.String("fnguard.adapter", p.Adapter), zap.Error(ErrNilHandler))
	}
	if ph := g.TrustedProxyHeader(); ph != "" {
		h.proxy = http.CanonicalHeaderKey(ph)
	}
	h.hops = g.TrustedHops()
	h.limit = g.MaxBodyBytes()
	h.scan = ResponseScanEnabled(g)
	return h
}

// ResponseScanEnabled reports whether responses must be buffered for
// guard.Guard.ScanResponse: its response-scan mode is not off
// (ResponseScanMode is off for a nil guard and a guard whose mode is off).
func ResponseScanEnabled(g *guard.Guard) bool {
	return g.ResponseScanMode() != guard.ResponseScanOff
}

// ServeHTTP inspects r and either answers it (blocked, rejected, failed) or
// hands it, body restored, to the next handler. Everything between mapping
// the request and answering it is guard.Run's; the state implements
// guard.Exchange.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.g == nil {
		id, _ := requestIDs(r, &h.p)
		WriteStatus(w, http.StatusServiceUnavailable, id)
		return
	}
	if h.next == nil {
		id, _ := requestIDs(r, &h.p)
		WriteStatus(w, http.StatusInternalServerError, id)
		return
	}
	st := statePool.Get().(*state)
	st.h, st.w, st.r = h, w, r
	h.g.Run(r.Context(), &st.inv, st)
	st.release()
}

// state is the per-request Invocation and the backing array of its
// parameters, pooled: the handler never sees them, and everything they
// point to (strings of the request, the body) is left untouched.
type state struct {
	h      *Handler
	w      http.ResponseWriter
	r      *http.Request
	b      body // what was read of the body, restored whatever happens
	inv    guard.Invocation
	params []guard.Param
}

var statePool = sync.Pool{New: func() any { return new(state) }}

func (st *state) release() {
	clear(st.params) // drop references to the request's strings
	st.params = st.params[:0]
	if cap(st.params) > 1024 {
		st.params = nil // do not keep a huge request's array alive
	}
	st.h, st.w, st.r, st.b = nil, nil, nil, body{}
	st.inv = guard.Invocation{}
	statePool.Put(st)
}

// Map implements guard.Exchange: everything of the request, then the body
// up to one byte past the limit. A body over the limit or that cannot be
// read is a whole-request *guard.Rejection (in monitor mode the rest of the
// request is still inspected).
func (st *state) Map(ctx context.Context, inv *guard.Invocation) error {
	h, r := st.h, st.r
	st.params = mapInto(inv, st.params, r, &h.p, h.proxy, h.hops)
	st.b = readBody(r, h.limit)
	b := &st.b
	switch {
	case b.over:
		reason := "body is over the " + strconv.FormatInt(h.limit, 10) + "-byte limit (FNGUARD_MAX_BODY_BYTES)"
		if r.ContentLength > h.limit {
			reason = "Content-Length " + strconv.FormatInt(r.ContentLength, 10) + " is over the " +
				strconv.FormatInt(h.limit, 10) + "-byte limit (FNGUARD_MAX_BODY_BYTES)"
		}
		return &guard.Rejection{Status: http.StatusRequestEntityTooLarge, Rule: "validation.body_too_large", Location: "body", Reason: reason}
	case b.err != nil:
		status, rule := http.StatusBadRequest, "validation.body_unreadable"
		if b.tooLarge() {
			status, rule = http.StatusRequestEntityTooLarge, "validation.body_too_large"
		}
		return &guard.Rejection{Status: status, Rule: rule, Location: "body", Reason: b.err.Error()}
	}
	inv.Body = b.buf
	return nil
}

// Refuse implements guard.Exchange: fnguard's JSON answer.
func (st *state) Refuse(ctx context.Context, d guard.Decision) {
	WriteDecision(st.w, &d, st.inv.RequestID)
}

// Deliver implements guard.Exchange: the request, body restored (or
// sanitised), to the next handler, with its response scanned when
// FNGUARD_RESPONSE_SCAN is on.
func (st *state) Deliver(ctx context.Context, d guard.Decision, _ *guard.Batch) {
	h, r := st.h, st.r
	st.b.restore(r, d.Body)
	if ctx != r.Context() {
		r = r.WithContext(ctx)
	}
	if !h.scan {
		h.next.ServeHTTP(st.w, r)
		return
	}
	h.serveScanned(st.w, r, &st.inv)
}

// Message returns the message of fnguard's answer for an HTTP status.
func Message(status int) string {
	switch status {
	case http.StatusForbidden:
		return "Forbidden"
	case http.StatusBadRequest:
		return "Bad Request"
	case http.StatusRequestEntityTooLarge:
		return "Payload Too Large"
	case http.StatusServiceUnavailable:
		return "Service Unavailable"
	case http.StatusInternalServerError:
		return "Internal Server Error"
	}
	if t := http.StatusText(status); t != "" {
		return t
	}
	return "Error"
}

// StatusOf returns the HTTP status for a decision whose handler must not
// run: d.Status, or 403/400/503 by action when the engine left it 0.
func StatusOf(d *guard.Decision) int {
	if d.Status >= 400 && d.Status <= 599 {
		return d.Status
	}
	switch d.Action {
	case guard.ActionReject:
		return http.StatusBadRequest
	case guard.ActionFail:
		return http.StatusServiceUnavailable
	}
	return http.StatusForbidden
}

// WriteDecision answers a request whose handler must not run.
func WriteDecision(w http.ResponseWriter, d *guard.Decision, requestID string) {
	WriteStatus(w, StatusOf(d), requestID)
}

// WriteStatus writes fnguard's JSON answer
// {"message":"Forbidden","requestId":"..."} with the given status. The
// request id is left empty unless it is a safe id (it comes from the client).
func WriteStatus(w http.ResponseWriter, status int, requestID string) {
	if !validID(requestID) {
		requestID = ""
	}
	msg := Message(status)
	b := make([]byte, 0, 40+len(msg)+len(requestID))
	b = append(b, `{"message":"`...)
	b = append(b, msg...) // status texts need no JSON escaping
	b = append(b, `","requestId":"`...)
	b = append(b, requestID...) // validID: no character needs escaping
	b = append(b, `"}`...)
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", strconv.Itoa(len(b)))
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
