package guardgcf

import (
	"context"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/fnguard/fnguard/guard"
)

// InspectCloudEvent judges a CloudEvent exactly as the CloudEvent wrapper
// does before it calls the function — same mapping, limits, runtime-control
// installation and engine — and returns the event's source and the
// decision, without calling any function. The decision is recorded as the
// wrapper records it. Tools that replay recorded events (the fnguard
// command's replay) use it, so their verdict is the middleware's.
func InspectCloudEvent(ctx context.Context, g *guard.Guard, e event.Event) (guard.Source, guard.Decision) {
	if g == nil {
		return Source(e.Type()), guard.Decision{Action: guard.ActionFail, Status: 503, Reason: guard.ErrNoGuard.Error()}
	}
	a := &ceAdapter{g: g, fnName: functionName(), attrs: staticAttrs()}
	st := statePool.Get().(*ceState)
	st.a, st.e = a, e
	d := g.Run(ctx, &st.inv, inspectOnly{st})
	src := st.inv.Source
	if src == "" { // mode off: not mapped
		src = Source(e.Type())
	}
	st.release()
	return src, d
}

// inspectOnly maps as the state does, and neither refuses nor delivers.
type inspectOnly struct{ *ceState }

func (inspectOnly) Refuse(context.Context, guard.Decision)                {}
func (inspectOnly) Deliver(context.Context, guard.Decision, *guard.Batch) {}
