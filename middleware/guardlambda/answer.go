package guardlambda

import (
	"github.com/fnguard/fnguard/guard"
)

// blockAnswer is how a source answers an invocation whose handler must not
// run (guard.Exchange's Refuse): the payload Lambda returns to the caller
// and the invocation error, if any. The decision is a value: a pointer
// passed through a function value would move it to the heap.
type blockAnswer func(st *state, d guard.Decision) ([]byte, error)

// answerOf returns the block answer of an event. It is the one place that
// says how a source refuses: a new source with its own answer (a response
// shape its caller reads) adds a case here or, for a family, in
// familyAnswer.
//
// Record-level verdicts of batch sources (SQS, Kinesis, DynamoDB Streams)
// are not refusals: guard.Run delivers the clean records and the response
// carries batchItemFailures (see deliverBatch).
func answerOf(st *state) blockAnswer {
	switch {
	case st.env.fam != famNone:
		return familyRefusal // answers.go
	case st.kind.isHTTP():
		return httpAnswer
	case st.kind == kindSES:
		return sesStop // answers.go
	}
	return errAnswer
}

// familyRefusal is the answer of a recognised family (see answers.go):
// the one its platform takes in place of an error, or else the error.
func familyRefusal(st *state, d guard.Decision) ([]byte, error) {
	if out := familyAnswer(st, st.env.fam, blockStatus(&d), &d); out != nil {
		return out, nil
	}
	return nil, d.Err()
}

// httpAnswer is the source's HTTP response with fnguard's status: API
// Gateway and function URLs pass it to the client; an invocation error
// would become a 502.
func httpAnswer(st *state, d guard.Decision) ([]byte, error) {
	return errorResponse(st.kind, st.albMulti, blockStatus(&d), st.inv.RequestID), nil
}

// errAnswer fails the invocation with the decision as a *guard.BlockedError
// (guard.ErrNoGuard for a nil guard), so that Lambda's retries, dead-letter
// queue and on-failure destinations keep the event.
func errAnswer(_ *state, d guard.Decision) ([]byte, error) {
	return nil, d.Err()
}
