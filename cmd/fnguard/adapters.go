package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

// replayer runs events through the middlewares' own inspection entry
// points: a structured CloudEvent goes to guardgcf, anything else to
// guardlambda (which recognises every Lambda source, and walks unknown
// payloads as generic JSON, as a function would).
type replayer struct {
	g *guard.Guard
	n atomic.Int64
}

func (rp *replayer) replay(ctx context.Context, ev rawEvent) replayResult {
	n := rp.n.Add(1)
	r := replayResult{File: ev.file, Line: ev.line}
	var (
		src guard.Source
		d   guard.Decision
	)
	if ce, ok := structuredCloudEvent(ev.raw); ok {
		src, d = guardgcf.InspectCloudEvent(ctx, rp.g, ce)
	} else {
		lc := &lambdacontext.LambdaContext{AwsRequestID: "replay-" + strconv.FormatInt(n, 10)}
		src, d = guardlambda.Inspect(lambdacontext.NewContext(ctx, lc), rp.g, ev.raw)
	}
	r.Source, r.Verdict, r.Status, r.Reason = string(src), verdict(d), d.Status, d.Reason
	if d.Action == guard.ActionAllow {
		r.Reason = ""
	}
	r.Records = d.BlockedRecords
	r.Findings = findingsOf(d, recordIDs(ev.raw))
	return r
}

// structuredCloudEvent decodes a CloudEvent in structured JSON mode
// ("specversion", "type", "source", "id" members).
func structuredCloudEvent(raw []byte) (event.Event, bool) {
	if !bytes.Contains(raw, []byte(`"specversion"`)) {
		return event.Event{}, false
	}
	var probe struct {
		SpecVersion string `json:"specversion"`
		Type        string `json:"type"`
		Source      string `json:"source"`
	}
	if json.Unmarshal(raw, &probe) != nil || probe.SpecVersion == "" || probe.Type == "" || probe.Source == "" {
		return event.Event{}, false
	}
	var e event.Event
	if err := json.Unmarshal(raw, &e); err != nil {
		return event.Event{}, false
	}
	return e, true
}

// recordIDs returns a function naming a batch record by the id its
// platform gives it (messageId, eventID, sequence number), for forensics.
func recordIDs(raw []byte) func(int) string {
	var ids []string
	parsed := false
	return func(i int) string {
		if !parsed {
			parsed = true
			ids = parseRecordIDs(raw)
		}
		if i >= 0 && i < len(ids) {
			return ids[i]
		}
		return ""
	}
}

func parseRecordIDs(raw []byte) []string {
	var probe struct {
		Records []struct {
			MessageID string `json:"messageId"`
			EventID   string `json:"eventID"`
			Kinesis   struct {
				SequenceNumber string `json:"sequenceNumber"`
			} `json:"kinesis"`
			SNS struct {
				MessageID string `json:"MessageId"`
			} `json:"Sns"`
		} `json:"Records"`
		LowerRecords []struct {
			RecordID string `json:"recordId"`
		} `json:"records"`
	}
	if json.Unmarshal(raw, &probe) != nil {
		return nil
	}
	var ids []string
	for _, r := range probe.Records {
		id := ""
		for _, c := range []string{r.MessageID, r.Kinesis.SequenceNumber, r.EventID, r.SNS.MessageID} {
			if c != "" {
				id = c
				break
			}
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		for _, r := range probe.LowerRecords {
			ids = append(ids, r.RecordID)
		}
	}
	return ids
}
