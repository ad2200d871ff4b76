package guardlambda

import (
	"bytes"
	"context"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// partialAppSync runs the handler of a batched AppSync direct Lambda
// resolver on the calls that are clean, and answers each poisoned call with
// an error entry in its place:
//
//	{"data":null,"errorMessage":"Forbidden","errorType":"fnguard.Blocked"}
//
// AppSync requires the batch response to list one result per call, in the
// order of the calls; an element with data, errorMessage and errorType is
// the form AppSync documents for per-item errors, so only the poisoned
// field of the GraphQL response fails (with that error) while the others
// resolve. The handler gets the array of the clean calls (their raw JSON,
// byte for byte) and must answer with an array of as many results. Any
// other answer cannot be spliced reliably: that is a *BatchResponseError,
// and AppSync fails the whole batch, as it would without fnguard, so that
// no poisoned call is answered by the handler.
func (w *handler) partialAppSync(ctx context.Context, st *state, b *guard.Batch, d *guard.Decision) ([]byte, error) {
	n := len(st.recVals)
	entry := appSyncError(d)
	out := make([]byte, 0, len(entry)*b.Held()+2)
	if b.Held() >= n {
		out = append(out, '[')
		for i := range n {
			if i > 0 {
				out = append(out, ',')
			}
			out = append(out, entry...)
		}
		return append(out, ']'), nil
	}
	resp, err := w.next.Invoke(ctx, spliceRecords(st.payload, st, b.Delivered))
	if err != nil {
		return nil, err // AppSync fails every call of the batch
	}
	doc, perr := jsontree.Parse(bytes.TrimSpace(resp), batchResponseLimits)
	if perr != nil {
		return nil, &BatchResponseError{Blocked: b.Held(), Err: perr}
	}
	res := doc.Root()
	if res.Kind() != jsontree.Array || res.Len() != n-b.Held() {
		return nil, &BatchResponseError{Blocked: b.Held(), Err: &AppSyncResponseError{Calls: n - b.Held(), Got: res.Kind().String(), Len: res.Len()}}
	}
	out = append(out, '[')
	k := 0
	for i := range n {
		if i > 0 {
			out = append(out, ',')
		}
		if b.Delivered(i) {
			out = append(out, res.At(k).Raw()...)
			k++
			continue
		}
		out = append(out, entry...)
	}
	return append(out, ']'), nil
}

// appSyncError is the result of a poisoned call. Its message is the HTTP
// status text of the decision (as an HTTP client would see), never the
// rule or the input: the GraphQL client reads it.
func appSyncError(d *guard.Decision) []byte {
	status := d.Status
	if status == 0 {
		status = 403
	}
	typ := "fnguard.Blocked"
	if status == 400 {
		typ = "fnguard.Rejected"
	}
	out := make([]byte, 0, 96)
	out = append(out, `{"data":null,"errorMessage":`...)
	out = appendJSONString(out, statusText(status))
	out = append(out, `,"errorType":"`...)
	out = append(out, typ...)
	return append(out, `"}`...)
}
