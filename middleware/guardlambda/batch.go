package guardlambda

import (
	"bytes"
	"context"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// partialBatch handles a batch (SQS, Kinesis, DynamoDB Streams) in which only
// some records are poisoned: the handler gets a copy of the payload whose
// Records array holds only the clean records (their raw JSON, byte for
// byte), and the response reports the poisoned ones as batch item failures,
// merged with the handler's own.
func (w *handler) partialBatch(ctx context.Context, st *state, payload []byte, d *guard.Decision) ([]byte, error) {
	n := len(st.recVals)
	blocked := make([]bool, n)
	var ids []string
	for _, i := range d.BlockedRecords {
		if i >= 0 && i < n && !blocked[i] {
			blocked[i] = true
			ids = append(ids, st.inv.Records[i].ID)
		}
	}
	var resp []byte
	if len(ids) < n {
		start := int(st.recArr.Offset())
		end := start + len(st.recArr.Raw())
		p := make([]byte, 0, len(payload))
		p = append(p, payload[:start]...)
		p = append(p, '[')
		first := true
		for i, rv := range st.recVals {
			if blocked[i] {
				continue
			}
			if !first {
				p = append(p, ',')
			}
			first = false
			p = append(p, rv.Raw()...)
		}
		p = append(p, ']')
		p = append(p, payload[end:]...)
		out, err := w.next.Invoke(ctx, p)
		if err != nil {
			return nil, err // the whole batch is retried, poisoned records included
		}
		resp = out
	}
	return mergeFailures(w.g.Logger(), resp, ids)
}

// mergeFailures adds {"itemIdentifier": id} entries for ids to the
// batchItemFailures of the handler's response (an events.SQSEventResponse,
// KinesisEventResponse or DynamoDBEventResponse), keeping every other field.
// A response that is not valid JSON, or that repeats a key (Lambda could read
// another batchItemFailures than the one extended), cannot carry them
// reliably: that is an error wrapping ErrBatchResponse, which makes Lambda
// retry the whole batch, poisoned records included.
func mergeFailures(log *zap.Logger, resp []byte, ids []string) ([]byte, error) {
	ours := make([]byte, 0, 32*len(ids))
	for i, id := range ids {
		if i > 0 {
			ours = append(ours, ',')
		}
		ours = append(ours, `{"itemIdentifier":`...)
		ours = appendJSONString(ours, id)
		ours = append(ours, '}')
	}
	own := func() []byte {
		out := make([]byte, 0, len(ours)+26)
		out = append(out, `{"batchItemFailures":[`...)
		out = append(out, ours...)
		return append(out, "]}"...)
	}
	trimmed := bytes.TrimSpace(resp)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return own(), nil
	}
	doc, err := jsontree.Parse(trimmed, batchResponseLimits)
	if err != nil {
		return nil, &BatchResponseError{Blocked: len(ids), Err: err}
	}
	root := doc.Root()
	if root.Kind() != jsontree.Object {
		log.Warn("fnguard replaced a batch handler response that is not a JSON object with its batch item failures",
			zap.String("fnguard.response_kind", root.Kind().String()))
		return own(), nil
	}
	bif := root.Get("batchItemFailures")
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
		if bif.Len() > 0 && len(ids) > 0 {
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

// batchResponseLimits parses a batch handler's response: duplicate keys
// are refused, because Lambda might read the other batchItemFailures.
var batchResponseLimits = jsontree.Limits{MaxDepth: -1}
