package guardlambda

import (
	"bytes"
	"context"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// deliverBatch runs the handler on a batch (SQS, Kinesis, DynamoDB
// Streams) with a record-level verdict: the handler gets a copy of the
// payload whose Records array holds only the delivered records (their raw
// JSON, byte for byte), or is not called when none is, and the response
// reports the others as batch item failures, merged with the handler's
// own (see mergeFailures).
func (w *handler) deliverBatch(ctx context.Context, st *state, b *guard.Batch) ([]byte, error) {
	n := len(st.recVals)
	var resp []byte
	if b.Held() < n {
		p := st.payload
		if b.Held() > 0 {
			p = spliceRecords(st.payload, st, b.Delivered)
		}
		out, err := w.next.Invoke(ctx, p)
		if err != nil {
			return nil, err // the whole batch is retried, held records included
		}
		resp = out
	}
	return mergeFailures(w.g.Logger(), resp, b)
}

// spliceRecords copies payload with its records array (st.recArr: the
// Records of a batch, the records of a Firehose event, the calls of a
// batched AppSync resolver) holding only the records keep accepts, their
// raw JSON byte for byte.
func spliceRecords(payload []byte, st *state, keep func(i int) bool) []byte {
	start := int(st.recArr.Offset())
	end := start + len(st.recArr.Raw())
	p := make([]byte, 0, len(payload))
	p = append(p, payload[:start]...)
	p = append(p, '[')
	first := true
	for i, rv := range st.recVals {
		if !keep(i) {
			continue
		}
		if !first {
			p = append(p, ',')
		}
		first = false
		p = append(p, rv.Raw()...)
	}
	p = append(p, ']')
	return append(p, payload[end:]...)
}

// mergeFailures adds {"itemIdentifier": id} entries to the batchItemFailures
// of the handler's response (an events.SQSEventResponse,
// KinesisEventResponse or DynamoDBEventResponse), keeping every other field
// and every entry of the handler's own: the records b holds back, and in an
// ordered batch (FIFO queue, stream) the later records that a failure the
// handler reports takes with it (guard.Batch.HandlerFailed). A response
// that is not valid JSON, or that repeats a key (Lambda could read another
// batchItemFailures than the one extended), cannot carry them reliably:
// that is an error wrapping ErrBatchResponse, which makes Lambda retry the
// whole batch, held records included.
func mergeFailures(log *zap.Logger, resp []byte, b failureSet) ([]byte, error) {
	trimmed := bytes.TrimSpace(resp)
	empty := len(trimmed) == 0 || string(trimmed) == "null"
	if b.Held() == 0 && (empty || !b.Ordered() || !bytes.Contains(trimmed, []byte("batchItemFailures"))) {
		return resp, nil // nothing of ours to add, and no failure of the handler's to extend
	}
	var root, bif jsontree.Value
	if !empty {
		doc, err := jsontree.Parse(trimmed, batchResponseLimits)
		if err != nil {
			if b.Held() == 0 {
				return resp, nil // nothing of ours to report: the handler's answer as it is
			}
			return nil, &BatchResponseError{Blocked: b.Held(), Err: err}
		}
		root = doc.Root()
		bif = root.Get("batchItemFailures")
	}
	// The handler's own failures, which in an ordered batch take the
	// later records with them.
	var theirs map[string]bool
	if bif.Kind() == jsontree.Array && bif.Len() > 0 {
		theirs = make(map[string]bool, bif.Len())
		for _, e := range bif.Elems() {
			if id, ok := e.Get("itemIdentifier").Str(); ok {
				theirs[id] = true
				b.HandlerFailed(id)
			}
		}
	}
	var ours []byte
	added := 0
	for _, id := range b.Failures() {
		if theirs[id] {
			continue
		}
		if added > 0 {
			ours = append(ours, ',')
		}
		added++
		ours = append(ours, `{"itemIdentifier":`...)
		ours = appendJSONString(ours, id)
		ours = append(ours, '}')
	}
	if added == 0 {
		return resp, nil
	}
	own := func() []byte {
		out := make([]byte, 0, len(ours)+26)
		out = append(out, `{"batchItemFailures":[`...)
		out = append(out, ours...)
		return append(out, "]}"...)
	}
	if empty {
		return own(), nil
	}
	if root.Kind() != jsontree.Object {
		log.Warn("fnguard replaced a batch handler response that is not a JSON object with its batch item failures",
			zap.String("fnguard.response_kind", root.Kind().String()))
		return own(), nil
	}
	out := make([]byte, 0, len(trimmed)+len(ours)+32)
	switch bif.Kind() {
	case jsontree.Array:
		start := int(bif.Offset())
		end := start + len(bif.Raw())
		out = append(out, trimmed[:start]...)
		out = append(out, '[')
		for i, e := range bif.Elems() {
			if i > 0 {
				out = append(out, ',')
			}
			out = append(out, e.Raw()...)
		}
		if bif.Len() > 0 {
			out = append(out, ',')
		}
		out = append(out, ours...)
		out = append(out, ']')
		return append(out, trimmed[end:]...), nil
	case jsontree.Invalid:
		// No batchItemFailures member: add one first.
		out = append(out, `{"batchItemFailures":[`...)
		out = append(out, ours...)
		out = append(out, ']')
		if root.Len() > 0 {
			out = append(out, ',')
		}
		return append(out, trimmed[1:]...), nil
	default:
		if bif.Kind() != jsontree.Null {
			log.Warn("fnguard replaced a batchItemFailures value that is not an array",
				zap.String("fnguard.response_kind", bif.Kind().String()))
		}
		start := int(bif.Offset())
		end := start + len(bif.Raw())
		out = append(out, trimmed[:start]...)
		out = append(out, '[')
		out = append(out, ours...)
		out = append(out, ']')
		return append(out, trimmed[end:]...), nil
	}
}

// failureSet is what mergeFailures needs of a *guard.Batch.
type failureSet interface {
	Held() int
	Ordered() bool
	HandlerFailed(id string)
	Failures() []string
}

// batchResponseLimits parses a batch handler's response: duplicate keys
// are refused, because Lambda might read the other batchItemFailures.
var batchResponseLimits = jsontree.Limits{MaxDepth: -1}
