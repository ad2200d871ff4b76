package guard

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/fnguard/fnguard/guard/redact"
)

// Exchange is one invocation as its adapter (guardlambda, guardgcf,
// guardhttp, or your own) sees it: the adapter maps its platform's event
// in and the decision out, and Guard.Run does every platform-neutral step
// in between. An adapter keeps its per-invocation state (the event, the
// answer it will give) in the value that implements Exchange; a pointer to
// pooled state makes Run allocation-free. Decisions are handed over as
// values (a pointer would make each one escape to the heap).
type Exchange interface {
	// Map fills inv from the platform's event. It returns nil; a
	// *Rejection when the event as a whole is malformed or oversized (the
	// invocation is rejected; in monitor mode it is logged and what was
	// mapped is inspected); or any other error, an internal failure that
	// the fail mode decides on. A panic is contained like an error. A
	// record that cannot be read gets Record.Rejection instead of failing
	// the event, so that it fails alone, as a record the engine finds
	// malformed does.
	Map(ctx context.Context, inv *Invocation) error

	// Refuse answers an invocation whose handler must not run (d.Allowed()
	// is false and no record-level verdict applies): the platform's block
	// answer for its source (a 403/400/413/503 response, an error for the
	// platform to retry, ...). d.Err() is the error to return when the
	// platform expects one.
	Refuse(ctx context.Context, d Decision)

	// Deliver runs the handler with ctx, the context Run derives for it.
	// d may carry a sanitised body (d.Body). b is nil unless the event is
	// a batch with a record-level verdict or an order to keep: then only
	// the records for which b.Delivered(i) reach the handler (none: the
	// handler is not called), the records the handler itself reports
	// failed are passed to b.HandlerFailed, and the answer reports
	// b.Failures() as batch item failures, merged with the handler's own.
	Deliver(ctx context.Context, d Decision, b *Batch)
}

// Rejection is malformed or oversized input that an adapter found while
// mapping an event (see Exchange.Map and Record.Rejection). It is an error,
// so that Map can return it.
type Rejection struct {
	Status   int    // HTTP status of the answer: 400, or 413 for a size limit
	Rule     string // stable rule id, e.g. "validation.invalid_base64"
	Location string // where: "event", "body", or relative to the record for Record.Rejection
	Reason   string // what is wrong, naming the location as the event spells it
}

func (r *Rejection) Error() string { return "fnguard: rejected: " + r.Reason }

// Run judges one invocation and answers it through x:
//
//  1. a nil Guard refuses it (503, or guard.ErrNoGuard from d.Err());
//     a guard whose mode is off delivers it unmapped and uninspected;
//  2. x.Map maps the event;
//  3. the runtime controls (Protect) are installed, once per process; if
//     they cannot be, the invocation fails closed whatever the fail mode;
//  4. the invocation is inspected, with the adapter's rejections and the
//     engine's own findings judged alike;
//  5. for a batch source, the record-level verdict (which records reach
//     the handler, which are reported failed, with the successors the
//     source's order requires) becomes a *Batch;
//  6. the decision is recorded (log line, metrics, span event), exactly
//     once;
//  7. x.Refuse answers a decision that stops the handler, or x.Deliver
//     runs the handler with the context derived for it.
//
// A panic in Map or in the inspection is handed to the fail mode (closed:
// ActionFail, 503; open: the handler runs, and the failure is logged). A
// panic of the handler in Deliver is not fnguard's: it propagates to the
// platform as it would without fnguard.
func (g *Guard) Run(ctx context.Context, inv *Invocation, x Exchange) Decision {
	if g == nil {
		d := Decision{Action: ActionFail, Status: 503, Reason: ErrNoGuard.Error(), noGuard: true}
		x.Refuse(ctx, d)
		return d
	}
	if g.mode == Off {
		d := Decision{Action: ActionAllow}
		x.Deliver(ctx, d, nil)
		return d
	}
	start := time.Now()
	d := g.decide(ctx, inv, x)
	var b *Batch
	if inv.Source.IsBatch() && len(inv.Records) > 0 && (d.Partial() || d.Allowed() && g.orderScope(inv.Order) != scopeNone) {
		b = g.newBatch(inv, &d)
	}
	g.record(ctx, inv, &d, time.Since(start))
	if b == nil && !d.Allowed() {
		x.Refuse(ctx, d)
		return d
	}
	hctx, end := g.handlerContext(ctx, inv)
	x.Deliver(hctx, d, b)
	end()
	return d
}

// handlerContext derives the context the handler runs with from the
// invocation's: this is the one place where fnguard adds to it. It carries
// the invocation for the sink checks (NewContext); end is called once
// Deliver returns, before the adapter may reuse inv.
func (g *Guard) handlerContext(ctx context.Context, inv *Invocation) (context.Context, func()) {
	return NewContext(ctx, g, inv)
}

// decide maps, protects and inspects, without recording. It never panics.
func (g *Guard) decide(ctx context.Context, inv *Invocation, x Exchange) (d Decision) {
	stage := "mapping"
	defer func() {
		if r := recover(); r != nil {
			d = g.failDecision(&PanicError{Value: r, Stage: stage + " of a " + string(inv.Source) + " event"})
		}
	}()
	err := x.Map(ctx, inv)
	// Runtime controls (egress allowlist, lockdown) go in before any
	// handler runs, including one that monitor mode lets through.
	if perr := g.Protect(); perr != nil {
		return g.protectFailure(perr)
	}
	stage = "inspection"
	if err == nil {
		return g.judge(inv, nil)
	}
	return g.judgeRejected(inv, err)
}

// judgeRejected is judge after Map returned err: a *Rejection is judged
// with the findings, any other error goes to the fail mode.
func (g *Guard) judgeRejected(inv *Invocation, err error) Decision {
	var rej *Rejection
	if !errors.As(err, &rej) {
		return g.failDecision(err)
	}
	return g.judge(inv, rej)
}

// protectFailure is the decision when the runtime controls cannot be
// installed: always closed, as running without them would be weaker than
// the policy asks.
func (g *Guard) protectFailure(err error) Decision {
	reason := "runtime protection could not be installed: " + redact.Cut(g.red.StringFold(err.Error()), 200)
	return Decision{Action: ActionFail, Status: 503, Reason: reason,
		Findings: []Finding{{Rule: "fnguard.runtime_protection", Category: Validation, Location: "runtime",
			Excerpt: g.excerpt(err.Error()), Action: ActionFail, Record: -1}}}
}

// judge inspects inv, after a whole-event rejection rej if there is one,
// without recording. It never panics.
func (g *Guard) judge(inv *Invocation, rej *Rejection) (d Decision) {
	defer func() {
		if r := recover(); r != nil {
			d = g.failDecision(&PanicError{Value: r, Stage: "inspection of a " + string(inv.Source) + " event"})
		}
	}()
	s := getScanner(g, inv)
	defer putScanner(s)
	if rej != nil {
		s.rejectAt(rej.Status, rej.Rule, rej.Location, rej.Reason)
		if s.status != 0 {
			return s.decision() // enforced: the rest of a malformed event is not inspected
		}
	}
	s.run()
	return s.decision()
}

// recScope is which later records a failed record takes with it.
type recScope uint8

const (
	scopeNone  recScope = iota // none: every record fails alone
	scopeBatch                 // every later record of the batch
	scopeGroup                 // the later records of the same Record.Group
)

func (g *Guard) orderScope(o Order) recScope {
	switch o {
	case OrderFIFO:
		if g.fifoScope == FIFOScopeGroup {
			return scopeGroup
		}
		return scopeBatch
	case OrderShard:
		if g.streamOrder == StreamOrderUnordered {
			return scopeNone
		}
		return scopeGroup
	}
	return scopeNone
}

// Batch is the record-level verdict on a batch event (Source.IsBatch):
// which records reach the handler and which are reported as batch item
// failures. Run builds it; the adapter's Deliver reads it and reports the
// handler's own failures to it. A nil *Batch delivers every record and
// reports nothing.
type Batch struct {
	inv   *Invocation
	scope recScope
	state []uint8 // per record: recHeld, recFailed
	held  int
}

const (
	recFailed uint8 = 1 << iota // reported as a batch item failure
	recHeld                     // not handed to the handler
)

func (g *Guard) newBatch(inv *Invocation, d *Decision) *Batch {
	b := &Batch{inv: inv, scope: g.orderScope(inv.Order), state: make([]uint8, len(inv.Records))}
	if !d.Partial() {
		return b
	}
	blocked := slices.Clone(d.BlockedRecords)
	slices.Sort(blocked)
	for _, i := range blocked {
		if i >= 0 && i < len(b.state) {
			b.fail(i, recFailed|recHeld)
		}
	}
	if b.scope != scopeNone {
		// The successors a failed record takes with it must not reach
		// the handler either.
		for i, st := range b.state {
			if st&recHeld != 0 && !slices.Contains(d.BlockedRecords, i) {
				d.BlockedRecords = append(d.BlockedRecords, i)
			}
		}
	}
	return b
}

// fail marks record i, and the later records its order ties to it, with
// bits.
func (b *Batch) fail(i int, bits uint8) {
	if b.state[i]&bits == bits {
		return // and so are its successors
	}
	b.mark(i, bits)
	switch b.scope {
	case scopeBatch:
		for j := i + 1; j < len(b.state); j++ {
			b.mark(j, bits)
		}
	case scopeGroup:
		grp := b.inv.Records[i].Group
		for j := i + 1; j < len(b.state); j++ {
			if b.inv.Records[j].Group == grp {
				b.mark(j, bits)
			}
		}
	}
}

func (b *Batch) mark(i int, bits uint8) {
	if bits&recHeld != 0 && b.state[i]&recHeld == 0 {
		b.held++
	}
	b.state[i] |= bits
}

// Len is the number of records in the batch.
func (b *Batch) Len() int {
	if b == nil {
		return 0
	}
	return len(b.state)
}

// Delivered reports whether record i reaches the handler.
func (b *Batch) Delivered(i int) bool {
	return b == nil || i < 0 || i >= len(b.state) || b.state[i]&recHeld == 0
}

// Held is the number of records that do not reach the handler.
func (b *Batch) Held() int {
	if b == nil {
		return 0
	}
	return b.held
}

// Ordered reports whether a failure the handler reports takes later records
// with it (an SQS FIFO queue, a stream in strict order): the adapter must
// then pass the handler's failures to HandlerFailed before it reports
// Failures.
func (b *Batch) Ordered() bool { return b != nil && b.scope != scopeNone }

// HandlerFailed records that the handler reported the record whose
// Record.ID is id as failed (its batchItemFailures). In an ordered batch
// the later records of its order are reported failed too, although the
// handler has seen them: the queue must deliver them again after the
// failed one. An id that names no record of the batch is ignored here (the
// adapter keeps the handler's own entries as they are).
func (b *Batch) HandlerFailed(id string) {
	if b == nil {
		return
	}
	for i := range b.inv.Records {
		if b.inv.Records[i].ID == id {
			b.fail(i, recFailed)
		}
	}
}

// Failures returns the Record.ID of every record to report as a batch item
// failure, in record order: the records fnguard kept from the handler, and
// the later records that failures reported with HandlerFailed take with
// them. The handler's own entries are not repeated unless their order
// requires it; adapters add those that the handler's answer lacks.
func (b *Batch) Failures() []string {
	if b == nil {
		return nil
	}
	var ids []string
	for i, st := range b.state {
		if st&recFailed != 0 {
			ids = append(ids, b.inv.Records[i].ID)
		}
	}
	return ids
}
