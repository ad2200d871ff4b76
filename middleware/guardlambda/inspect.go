package guardlambda

import (
	"context"

	"github.com/fnguard/fnguard/guard"
)

// Inspect judges a raw Lambda payload exactly as WrapHandler does before it
// calls the handler — same recognition, mapping, limits, runtime-control
// installation and engine — and returns the event's source and the
// decision, without calling any handler. The decision is recorded (logs,
// span events, metrics) as the wrapper records it. Tools that replay
// recorded events (the fnguard command's replay) use it, so their verdict
// is the middleware's.
//
// The returned Decision does not alias the payload or any pooled state.
func Inspect(ctx context.Context, g *guard.Guard, payload []byte) (guard.Source, guard.Decision) {
	if g == nil {
		return guard.SourceLambdaUnknown, guard.Decision{Action: guard.ActionFail, Status: 503, Reason: guard.ErrNoGuard.Error()}
	}
	st := getState()
	var d guard.Decision
	if g.Mode() == guard.Off {
		d = guard.Decision{Action: guard.ActionAllow}
	} else {
		d = (&handler{g: g}).inspect(ctx, st, payload)
	}
	src := st.inv.Source
	if src == "" {
		src = guard.SourceLambdaUnknown
	}
	st.release(len(d.Findings) == 0)
	return src, d
}
