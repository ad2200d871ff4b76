package guardlambda

import (
	"bytes"
	"context"
	"strconv"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// mapFirehose maps a Kinesis Data Firehose transformation event:
// {"invocationId","deliveryStreamArn","region","records":[{"recordId","data":"<base64>",...}]},
// one guard.Record per record, its decoded data inspected (as JSON when it
// is JSON; binary data is skipped).
func (st *state) mapFirehose() *rejection {
	root := st.root
	arn, _ := root.Get("deliveryStreamArn").Str()
	recs := root.Get("records")
	switch recs.Kind() {
	case jsontree.Array:
	case jsontree.Null, jsontree.Invalid:
		st.finishFields()
		return nil
	default:
		return badShape("records", "an array", recs)
	}
	st.recArr = recs
	st.records, st.recVals = st.records[:0], st.recVals[:0]
	for i, rv := range recs.Elems() {
		r, f0 := st.beginRecord(rv)
		r.EventSource = arn
		r.ID, _ = rv.Get("recordId").Str()
		if rej := st.payloadField("data", rv.Get("data"), "records["+strconv.Itoa(i)+"].data"); rej != nil {
			return rej
		}
		if k := rv.Get("kinesisRecordMetadata"); k.Kind() == jsontree.Object {
			st.strField("kinesisRecordMetadata.partitionKey", k.Get("partitionKey"))
		}
		st.endRecord(r, f0)
	}
	st.finishRecords()
	return nil
}

// partialFirehose hands the clean records to the handler (a copy of the
// event whose records array holds only them, byte for byte) and adds the
// poisoned ones to its response with result "ProcessingFailed" and their
// data unchanged: Firehose then delivers them to the error output prefix
// instead of the destination. Firehose requires every recordId of the
// event in the response.
func (w *handler) partialFirehose(ctx context.Context, st *state, payload []byte, d *guard.Decision) ([]byte, error) {
	n := len(st.recVals)
	blocked := make([]bool, n)
	nb := 0
	for _, i := range d.BlockedRecords {
		if i >= 0 && i < n && !blocked[i] {
			blocked[i] = true
			nb++
		}
	}
	ours := make([]byte, 0, 64*nb)
	for i, rv := range st.recVals {
		if !blocked[i] {
			continue
		}
		if len(ours) > 0 {
			ours = append(ours, ',')
		}
		ours = append(ours, `{"recordId":`...)
		ours = appendJSONString(ours, st.inv.Records[i].ID)
		ours = append(ours, `,"result":"ProcessingFailed","data":`...)
		if dv := rv.Get("data"); dv.Kind() == jsontree.String {
			ours = append(ours, dv.Raw()...)
		} else {
			ours = append(ours, `""`...)
		}
		ours = append(ours, '}')
	}
	if nb == n {
		out := append([]byte(`{"records":[`), ours...)
		return append(out, "]}"...), nil
	}
	p := spliceRecords(payload, st, func(i int) bool { return !blocked[i] })
	resp, err := w.next.Invoke(ctx, p)
	if err != nil {
		return nil, err // Firehose retries the whole batch
	}
	return mergeFirehose(resp, ours)
}

// mergeFirehose appends our ProcessingFailed entries to the records array
// of the handler's response. A response that is not a JSON object with a
// records array (or repeats a key) cannot carry them: that is an error
// wrapping ErrBatchResponse, and Firehose retries the batch.
func mergeFirehose(resp, ours []byte) ([]byte, error) {
	trimmed := bytes.TrimSpace(resp)
	doc, err := jsontree.Parse(trimmed, batchResponseLimits)
	if err != nil {
		return nil, &BatchResponseError{Blocked: bytes.Count(ours, []byte(`"recordId"`)), Err: err}
	}
	recs := doc.Root().Get("records")
	if doc.Root().Kind() != jsontree.Object || recs.Kind() != jsontree.Array {
		return nil, &BatchResponseError{Blocked: bytes.Count(ours, []byte(`"recordId"`)), Err: errFirehoseResponse}
	}
	start := int(recs.Offset())
	end := start + len(recs.Raw())
	out := make([]byte, 0, len(trimmed)+len(ours)+2)
	out = append(out, trimmed[:start]...)
	out = append(out, '[')
	for i, e := range recs.Elems() {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, e.Raw()...)
	}
	if recs.Len() > 0 {
		out = append(out, ',')
	}
	out = append(out, ours...)
	out = append(out, ']')
	return append(out, trimmed[end:]...), nil
}
