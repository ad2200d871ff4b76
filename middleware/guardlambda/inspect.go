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
	st.out, st.err = nil, nil
	src := st.inv.Source
	if src == "" {
		src = guard.SourceLambdaUnknown
	}
	st.release(len(d.Findings) == 0)
	return src, d
}

// inspect runs guard.Run on payload as Invoke does, with an exchange that
// answers nothing and calls no handler.
func (w *handler) inspect(ctx context.Context, st *state, payload []byte) guard.Decision {
	st.w, st.payload = w, payload
	return w.g.Run(ctx, &st.inv, inspectOnly{st})
}

// inspectOnly maps as the state does, and neither refuses nor delivers.
type inspectOnly struct{ *state }

func (inspectOnly) Refuse(context.Context, guard.Decision)                {}
func (inspectOnly) Deliver(context.Context, guard.Decision, *guard.Batch) {}
