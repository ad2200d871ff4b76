package guard

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/fnguard/fnguard/guard/redact"
)

// SinkKind names the kind of place where an input could execute: a SQL
// statement, a program start, a file path or an outbound URL.
type SinkKind string

// Sink kinds, as they appear in findings (fnguard.source "sink:sql"...).
const (
	SinkSQL  SinkKind = "sql"
	SinkExec SinkKind = "exec"
	SinkFile SinkKind = "file"
	SinkHTTP SinkKind = "http"
)

// canonical returns the constant for a known kind (so that a kind the
// caller built never ends up in a finding), or "custom".
func (k SinkKind) canonical() SinkKind {
	switch k {
	case SinkSQL:
		return SinkSQL
	case SinkExec:
		return SinkExec
	case SinkFile:
		return SinkFile
	case SinkHTTP:
		return SinkHTTP
	}
	return "custom"
}

// category maps a sink kind to the category its findings carry.
func (k SinkKind) category() Category {
	switch k {
	case SinkSQL:
		return SQLi
	case SinkExec:
		return CmdI
	case SinkFile:
		return PathTraversal
	case SinkHTTP:
		return SSRF
	}
	return Custom
}

// SinkVerdict is what a sink check concluded about one input.
type SinkVerdict uint8

const (
	// SinkSafe: the input does not change what the sink does.
	SinkSafe SinkVerdict = iota
	// SinkSuspect: the input breaks the statement without a clear attack
	// (a statement that no longer tokenises because of it). Recorded as a
	// monitor finding; never blocks.
	SinkSuspect
	// SinkInjection: the input changes the structure of the statement,
	// the program started, the file opened or the host connected to. Blocked
	// when FNGUARD_SINK_MODE is block.
	SinkInjection
)

// MinSinkInput is the length below which an input is never considered by
// the sink checks: one byte cannot span two tokens.
const MinSinkInput = 2

// MaxSinkOccurrences is how many occurrences of one input in one sink text
// [WorstOccurrence] judges; an input repeated more often than that is judged
// on its first occurrences only, which keeps a check linear.
const MaxSinkOccurrences = 8

// WorstOccurrence is the loop every sink package runs: it finds up to
// [MaxSinkOccurrences] occurrences of input in text, asks at for the verdict
// of each (the byte range [s, e) of text) and returns the worst, stopping at
// the first [SinkInjection]. Inputs shorter than [MinSinkInput] or longer
// than text are safe. It does not allocate.
func WorstOccurrence(text, input string, at func(s, e int) (SinkVerdict, string)) (SinkVerdict, string) {
	if len(input) < MinSinkInput || len(input) > len(text) {
		return SinkSafe, ""
	}
	worst, rule := SinkSafe, ""
	off := 0
	for n := 0; n < MaxSinkOccurrences && off < len(text); n++ {
		i := strings.Index(text[off:], input)
		if i < 0 {
			break
		}
		s := off + i
		if v, r := at(s, s+len(input)); v > worst {
			worst, rule = v, r
			if v == SinkInjection {
				break
			}
		}
		off = s + 1
	}
	return worst, rule
}

// scope is the invocation attached to a context for the sink checks. It is
// itself the context (one allocation per invocation, of 128 bytes: every
// invocation whose handler runs pays it, so the inputs' slice is made by
// the first check, not carried in it).
type scope struct {
	context.Context
	g   *Guard
	inv *Invocation

	mu    sync.RWMutex // held for reading by every check; end takes it for writing
	ended bool

	once   sync.Once
	inputs []sinkInput // made by collect, on the first check

	hostMu  sync.Mutex
	tainted []taintedHost // outbound hosts that came from an input (SSRF)
}

type scopeKey struct{}

// Value implements context.Context.
func (s *scope) Value(key any) any {
	if key == (scopeKey{}) {
		return s
	}
	return s.Context.Value(key)
}

// NewContext returns a copy of ctx that carries inv, an invocation judged by
// g, for the sink checks (packages sqlguard, execguard, fsguard and the
// outbound HTTP check installed by Protect), and a function to call when the
// invocation is over: after it, checks with the returned context pass
// through, and inv may be reused.
//
// The middlewares do this for every invocation whose handler runs, so the
// handler's ctx already carries it. Use it yourself where an invocation does
// not go through a middleware, for example inputs read from a queue by your
// own code:
//
//	ctx, end := guard.NewContext(ctx, g, &guard.Invocation{
//		Source: "worker",
//		Query:  []guard.Param{{Name: "id", Value: msg.ID}},
//		Body:   msg.Payload, ContentType: "application/json",
//	})
//	defer end()
//	rows, err := db.QueryContext(ctx, q) // checked against msg's inputs
//
// With a nil g, a nil inv, a guard whose mode is off or FNGUARD_SINK_MODE=off
// it returns ctx unchanged. The inputs travel only in the context: any
// number of invocations may run at once.
func NewContext(ctx context.Context, g *Guard, inv *Invocation) (context.Context, func()) {
	if g == nil || inv == nil || g.mode == Off || g.sinkMode == Off {
		return ctx, func() {}
	}
	if ctx == nil {
		ctx = context.Background()
	}
	s := &scope{Context: ctx, g: g, inv: inv}
	return s, s.end
}

// FromContext returns the invocation NewContext attached to ctx, if any.
// It stays valid until NewContext's end function is called.
func FromContext(ctx context.Context) (*Invocation, bool) {
	s := scopeFrom(ctx)
	if s == nil {
		return nil, false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ended {
		return nil, false
	}
	return s.inv, true
}

func scopeFrom(ctx context.Context) *scope {
	if ctx == nil {
		return nil
	}
	if s, ok := ctx.(*scope); ok { // the handler's own ctx: no Value chain walk
		return s
	}
	s, _ := ctx.Value(scopeKey{}).(*scope)
	return s
}

func (s *scope) end() {
	s.mu.Lock()
	s.ended = true
	s.inputs = nil
	s.mu.Unlock()
}

// SinkCheck is what a sink check hands to CheckSink.
type SinkCheck struct {
	Kind SinkKind
	// Statement is what would execute: the SQL text, the command line, the
	// path, the URL. Only a redacted, truncated excerpt is ever recorded.
	Statement string
	// Judge is called for each input of the invocation that is at least
	// MinSinkInput bytes long, and says whether that input subverts
	// Statement, and under which rule ("sql.tautology", "exec.separator"...).
	Judge func(input string) (SinkVerdict, string)
}

// CheckSink runs a sink check against the inputs of the invocation in ctx.
// It returns nil when ctx carries no invocation (at the cost of a context
// lookup), when every input is safe, or when the finding is only monitored;
// otherwise a *BlockedError, for which errors.Is(err, ErrBlocked) holds. A
// finding is recorded like an input finding: a log line, a span event and
// the fnguard.decisions counter, with source "sink:<kind>", the rule, the
// input's location in the event (query.id, body.user.name) and an excerpt
// of the statement.
//
// Packages sqlguard, execguard and fsguard, and the outbound HTTP check,
// are built on it; use it to protect a sink of your own (a template
// engine, an LDAP filter).
func CheckSink(ctx context.Context, c SinkCheck) error {
	s := scopeFrom(ctx)
	if s == nil || c.Judge == nil {
		return nil
	}
	return s.check(ctx, c.Kind, c.Statement, c.Judge)
}

func (s *scope) check(ctx context.Context, kind SinkKind, stmt string, judge func(string) (SinkVerdict, string)) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ended {
		return nil
	}
	s.once.Do(s.collect)
	worst, rule, which := SinkSafe, "", -1
	for i := range s.inputs {
		v, r := judge(s.inputs[i].val)
		if v > worst {
			worst, rule, which = v, r, i
			if v == SinkInjection {
				break
			}
		}
	}
	if worst == SinkSafe {
		return nil
	}
	return s.report(ctx, kind, rule, which, stmt, worst)
}

// report records a sink finding and returns the error for a blocked call.
func (s *scope) report(ctx context.Context, kind SinkKind, rule string, which int, stmt string, v SinkVerdict) error {
	g := s.g
	act := ActionMonitor
	if v == SinkInjection && g.sinkMode == Block {
		act = ActionBlock
	}
	loc := s.location(which)
	k := kind.canonical()
	if rule == "" {
		rule = string(k) + ".injection"
	}
	f := Finding{Rule: rule, Category: k.category(), Location: loc, Excerpt: g.sinkExcerpt(loc, stmt, s.inputs[which].val), Action: act, Record: int(s.inputs[which].rec)}
	what := "sink"
	switch k {
	case SinkSQL:
		what = "SQL statement"
	case SinkExec:
		what = "command"
	case SinkFile:
		what = "file path"
	case SinkHTTP:
		what = "outbound request"
	}
	reason := what + " changed by the input at " + loc + " (" + rule + ")"
	if act == ActionMonitor && v == SinkInjection {
		reason += "; FNGUARD_SINK_MODE=monitor lets it run"
	}
	d := Decision{Action: act, Reason: reason, Findings: []Finding{f}}
	if act == ActionBlock {
		d.Status = 403
	}
	inv := s.inv
	rec := Invocation{Source: Source("sink:" + string(k)), RequestID: strings.Clone(inv.RequestID),
		FunctionName: strings.Clone(inv.FunctionName), TraceID: strings.Clone(inv.TraceID), SpanID: strings.Clone(inv.SpanID), ClientIP: inv.ClientIP,
		Attrs: []Param{{Name: "sink", Value: string(k)}, {Name: "event_source", Value: strings.Clone(string(inv.Source))}}}
	start := time.Now()
	g.record(ctx, &rec, &d, time.Since(start))
	if act != ActionBlock {
		return nil
	}
	return &BlockedError{Decision: d}
}

// sinkExcerpt redacts and cuts a statement around the input's first
// occurrence (a secret-named location masks it whole, as for input
// findings): the statement is redacted before it is cut, and cut only at
// token boundaries. The result never aliases the statement.
func (g *Guard) sinkExcerpt(loc, stmt, input string) string {
	if k := lastKey(loc); k != "" && g.red.IsSecretKey(k) {
		return redact.Mask
	}
	start := 0
	if i := strings.Index(stmt, input); i > excerptLead {
		start = i - excerptLead
	}
	hi := min(len(stmt), start+excerptMargin)
	return strings.Clone(g.red.Excerpt(stmt[:hi], start, hi, maxExcerpt))
}

// excerptLead is how much of a statement is kept before the input.
const excerptLead = 16
