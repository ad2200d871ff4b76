package guard

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fakeExchange is an adapter in miniature: it maps a prepared invocation and
// records what Run asked of it.
type fakeExchange struct {
	mapFn func(inv *Invocation) error

	refused   *Decision
	delivered *Decision
	batch     *Batch
	handed    []string // ids of the records the handler got
	ctx       context.Context

	handlerFails []string // ids the handler reports failed
	reported     []string // b.Failures() after the handler ran
}

func (x *fakeExchange) Map(ctx context.Context, inv *Invocation) error {
	if x.mapFn == nil {
		return nil
	}
	return x.mapFn(inv)
}

func (x *fakeExchange) Refuse(ctx context.Context, d Decision) { x.refused = &d }

func (x *fakeExchange) Deliver(ctx context.Context, d Decision, b *Batch) {
	x.delivered, x.batch, x.ctx = &d, b, ctx
	for i := 0; i < b.Len(); i++ {
		if b.Delivered(i) {
			x.handed = append(x.handed, strconv.Itoa(i))
		}
	}
	for _, id := range x.handlerFails {
		b.HandlerFailed(id)
	}
	x.reported = b.Failures()
}

// batchInv is a batch of n clean records with ids "0".."n-1"; groups, when
// given, are their Record.Group.
func batchInv(src Source, order Order, n int, groups ...string) *Invocation {
	inv := &Invocation{Source: src, Order: order}
	for i := 0; i < n; i++ {
		r := Record{ID: strconv.Itoa(i), EventSource: "arn:aws:sqs:eu-west-1:123456789012:orders.fifo", Body: []byte(`{"sku":"A-` + strconv.Itoa(i) + `","qty":1}`)}
		if i < len(groups) {
			r.Group = groups[i]
		}
		inv.Records = append(inv.Records, r)
	}
	return inv
}

const attack = `{"q":"1' OR '1'='1' --"}`

func TestRunRecordVerdicts(t *testing.T) {
	long := strings.Repeat("a", 2048)
	cases := []struct {
		name     string
		opts     []Option
		inv      func() *Invocation
		fails    []string // handler-reported failures
		handed   []string
		reported []string
		blocked  []int
	}{
		{
			name: "standard queue: an attack fails alone",
			inv: func() *Invocation {
				inv := batchInv(SourceSQS, OrderNone, 4)
				inv.Records[1].Body = []byte(attack)
				return inv
			},
			handed: []string{"0", "2", "3"}, reported: []string{"1"}, blocked: []int{1},
		},
		{
			name: "standard queue: a record the adapter could not read fails alone",
			inv: func() *Invocation {
				inv := batchInv(SourceSQS, OrderNone, 3)
				inv.Records[1].Rejection = &Rejection{Status: 400, Rule: "validation.invalid_base64", Location: "messageAttributes.k.binaryValue", Reason: "Records[1].messageAttributes.k.binaryValue: not valid base64"}
				return inv
			},
			handed: []string{"0", "2"}, reported: []string{"1"}, blocked: []int{1},
		},
		{
			name: "standard queue: a record the engine finds too long fails alone",
			opts: []Option{WithMaxStringBytes(1024)},
			inv: func() *Invocation {
				inv := batchInv(SourceSQS, OrderNone, 3)
				inv.Records[1].Body = []byte(`{"note":"` + long + `"}`)
				return inv
			},
			handed: []string{"0", "2"}, reported: []string{"1"}, blocked: []int{1},
		},
		{
			name: "FIFO, batch scope: every later record is held",
			inv: func() *Invocation {
				inv := batchInv(SourceSQS, OrderFIFO, 5, "a", "b", "a", "b", "c")
				inv.Records[1].Body = []byte(attack)
				return inv
			},
			handed: []string{"0"}, reported: []string{"1", "2", "3", "4"}, blocked: []int{1, 2, 3, 4},
		},
		{
			name: "FIFO, group scope: only the later records of the group are held",
			opts: []Option{WithFIFOScope(FIFOScopeGroup)},
			inv: func() *Invocation {
				inv := batchInv(SourceSQS, OrderFIFO, 5, "a", "b", "a", "b", "c")
				inv.Records[1].Body = []byte(attack)
				return inv
			},
			handed: []string{"0", "2", "4"}, reported: []string{"1", "3"}, blocked: []int{1, 3},
		},
		{
			name: "FIFO, malformed record: the same order rule",
			inv: func() *Invocation {
				inv := batchInv(SourceSQS, OrderFIFO, 3, "a", "a", "a")
				inv.Records[0].Rejection = &Rejection{Status: 400, Rule: "validation.invalid_base64", Location: "messageAttributes.k.binaryValue", Reason: "bad"}
				return inv
			},
			handed: nil, reported: []string{"0", "1", "2"}, blocked: []int{0, 1, 2},
		},
		{
			name:  "FIFO, a failure the handler reports takes the later records with it",
			inv:   func() *Invocation { return batchInv(SourceSQS, OrderFIFO, 4, "a", "b", "a", "b") },
			fails: []string{"1"},
			// the handler saw every record; 2 and 3 must come again after 1
			handed: []string{"0", "1", "2", "3"}, reported: []string{"1", "2", "3"},
		},
		{
			name:   "FIFO, group scope, handler failure",
			opts:   []Option{WithFIFOScope(FIFOScopeGroup)},
			inv:    func() *Invocation { return batchInv(SourceSQS, OrderFIFO, 4, "a", "b", "a", "b") },
			fails:  []string{"0"},
			handed: []string{"0", "1", "2", "3"}, reported: []string{"0", "2"},
		},
		{
			name: "Kinesis, strict: the later records of the shard are held",
			inv: func() *Invocation {
				inv := batchInv(SourceKinesis, OrderShard, 4, "shardId-000", "shardId-000", "shardId-000", "shardId-000")
				inv.Records[2].Body = []byte(attack)
				return inv
			},
			handed: []string{"0", "1"}, reported: []string{"2", "3"}, blocked: []int{2, 3},
		},
		{
			name: "Kinesis, unordered: the failed record fails alone",
			opts: []Option{WithStreamOrder(StreamOrderUnordered)},
			inv: func() *Invocation {
				inv := batchInv(SourceKinesis, OrderShard, 4, "s", "s", "s", "s")
				inv.Records[2].Body = []byte(attack)
				return inv
			},
			handed: []string{"0", "1", "3"}, reported: []string{"2"}, blocked: []int{2},
		},
		{
			name: "DynamoDB, strict",
			inv: func() *Invocation {
				inv := batchInv(SourceDynamoDB, OrderShard, 3, "stream", "stream", "stream")
				inv.Records[0].Body = []byte(attack)
				return inv
			},
			handed: nil, reported: []string{"0", "1", "2"}, blocked: []int{0, 1, 2},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, logs := newTestGuard(t, tc.opts...)
			x := &fakeExchange{handlerFails: tc.fails}
			d := g.Run(t.Context(), tc.inv(), x)
			if x.refused != nil {
				t.Fatalf("refused: %+v", *x.refused)
			}
			if x.delivered == nil {
				t.Fatal("not delivered")
			}
			if !slices.Equal(x.handed, tc.handed) && !(len(x.handed) == 0 && len(tc.handed) == 0 && x.batch != nil) {
				if x.batch != nil || tc.handed != nil {
					t.Errorf("handler got records %v, want %v", x.handed, tc.handed)
				}
			}
			if !slices.Equal(x.reported, tc.reported) {
				t.Errorf("reported failures %v, want %v", x.reported, tc.reported)
			}
			got := slices.Clone(d.BlockedRecords)
			slices.Sort(got)
			if !slices.Equal(got, tc.blocked) {
				t.Errorf("BlockedRecords %v, want %v", d.BlockedRecords, tc.blocked)
			}
			if n := logs.Len(); tc.blocked != nil && n != 1 || tc.blocked == nil && n != 0 {
				t.Errorf("%d log lines, want one per blocked invocation:\n%v", n, logs.All())
			}
		})
	}
}

// A clean batch of an unordered source gets no Batch at all: the hot path
// allocates nothing for it.
func TestRunCleanBatchHasNoBatch(t *testing.T) {
	g, logs := newTestGuard(t)
	x := &fakeExchange{}
	g.Run(t.Context(), batchInv(SourceSQS, OrderNone, 3), x)
	if x.delivered == nil || x.batch != nil || logs.Len() != 0 {
		t.Fatalf("delivered %v batch %v logs %d", x.delivered, x.batch, logs.Len())
	}
	if raceEnabled {
		return // sync.Pool drops items at random under -race: allocation counts vary
	}
	// One exchange, reused: the comparison is between Run and the steps
	// it replaces.
	x = &fakeExchange{}
	allocs := testing.AllocsPerRun(50, func() {
		g.Run(context.Background(), batchInv(SourceSQS, OrderNone, 3), x)
	})
	base := testing.AllocsPerRun(50, func() {
		inv := batchInv(SourceSQS, OrderNone, 3)
		_ = x.Map(context.Background(), inv)
		d := g.Inspect(context.Background(), inv)
		ctx, end := NewContext(context.Background(), g, inv) // the handler's ctx carries the invocation for the sink checks: one allocation
		x.Deliver(ctx, d, nil)
		end()
	})
	if allocs > base {
		t.Errorf("Run on a clean batch: %.0f allocs, Inspect and a direct call %.0f", allocs, base)
	}
}

func TestRunWholeEvent(t *testing.T) {
	errMap := errors.New("mapper broke")
	cases := []struct {
		name       string
		opts       []Option
		mapFn      func(inv *Invocation) error
		setup      func(t *testing.T)
		wantAction Action
		wantStatus int
		wantRule   string
		delivered  bool
		logs       int
	}{
		{name: "clean", mapFn: func(inv *Invocation) error { *inv = *httpInv(nil); return nil },
			wantAction: ActionAllow, delivered: true},
		{name: "attack", mapFn: func(inv *Invocation) error {
			*inv = *httpInv(func(inv *Invocation) { inv.Query = []Param{{"q", "1' OR '1'='1' --"}} })
			return nil
		}, wantAction: ActionBlock, wantStatus: 403, logs: 1},
		{name: "adapter rejection", mapFn: func(inv *Invocation) error {
			*inv = *httpInv(nil)
			return &Rejection{Status: 413, Rule: "validation.body_too_large", Location: "body", Reason: "body is over the limit"}
		}, wantAction: ActionReject, wantStatus: 413, wantRule: "validation.body_too_large", logs: 1},
		{name: "adapter rejection, monitor: still inspected, one log line", opts: []Option{WithMode(Monitor)}, mapFn: func(inv *Invocation) error {
			*inv = *httpInv(func(inv *Invocation) { inv.Query = []Param{{"q", "1' OR '1'='1' --"}} })
			return &Rejection{Status: 413, Rule: "validation.body_too_large", Location: "body", Reason: "body is over the limit"}
		}, wantAction: ActionMonitor, wantRule: "validation.body_too_large", delivered: true, logs: 1},
		{name: "mapping panic, fail closed", mapFn: func(inv *Invocation) error { panic("boom") },
			wantAction: ActionFail, wantStatus: 503, wantRule: "fnguard.internal_error", logs: 1},
		{name: "mapping panic, fail open", opts: []Option{WithFailMode(FailOpen)}, mapFn: func(inv *Invocation) error { panic("boom") },
			wantAction: ActionAllow, wantRule: "fnguard.internal_error", delivered: true, logs: 1},
		{name: "mapping error, fail closed", mapFn: func(inv *Invocation) error { return errMap },
			wantAction: ActionFail, wantStatus: 503, wantRule: "fnguard.internal_error", logs: 1},
		{name: "runtime controls cannot be installed: closed even when failing open",
			opts:       []Option{WithFailMode(FailOpen), WithEgressAllow("api.example.com")},
			setup:      func(t *testing.T) { t.Setenv("AWS_LAMBDA_RUNTIME_API", "not a host:port") },
			mapFn:      func(inv *Invocation) error { *inv = *httpInv(nil); return nil },
			wantAction: ActionFail, wantStatus: 503, wantRule: "fnguard.runtime_protection", logs: 1},
		{name: "mode off: delivered, nothing logged", opts: []Option{WithMode(Off)},
			mapFn:      func(inv *Invocation) error { panic("an off guard must not even map") },
			wantAction: ActionAllow, delivered: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup(t)
			}
			g, logs := newTestGuard(t, tc.opts...)
			x := &fakeExchange{mapFn: tc.mapFn}
			d := g.Run(t.Context(), &Invocation{}, x)
			if d.Action != tc.wantAction || d.Status != tc.wantStatus {
				t.Fatalf("decision %s/%d (%s), want %s/%d", d.Action, d.Status, d.Reason, tc.wantAction, tc.wantStatus)
			}
			if tc.wantRule != "" && (len(d.Findings) == 0 || d.Findings[0].Rule != tc.wantRule) {
				t.Errorf("findings %+v, want first rule %s", d.Findings, tc.wantRule)
			}
			if (x.delivered != nil) != tc.delivered || (x.refused != nil) == tc.delivered {
				t.Errorf("delivered %v refused %v, want delivered=%v", x.delivered != nil, x.refused != nil, tc.delivered)
			}
			if logs.Len() != tc.logs {
				t.Errorf("%d log lines, want %d: %v", logs.Len(), tc.logs, logs.All())
			}
		})
	}
}

func TestRunNilGuard(t *testing.T) {
	var g *Guard
	x := &fakeExchange{mapFn: func(*Invocation) error { panic("a nil guard must not map") }}
	d := g.Run(t.Context(), &Invocation{}, x)
	if x.refused == nil || x.delivered != nil {
		t.Fatal("a nil guard must refuse")
	}
	if d.Status != 503 || !errors.Is(d.Err(), ErrNoGuard) || d.Err() != ErrNoGuard {
		t.Fatalf("decision %+v err %v", d, d.Err())
	}
}

// The record-scoped rejection of an adapter and one found by the engine
// give the same decision shape: blocked with status 400/413, that record
// only, a finding at records[i].
func TestRejectionSameWhicheverLayer(t *testing.T) {
	g, _ := newTestGuard(t, WithMaxStringBytes(64))
	byAdapter := batchInv(SourceSQS, OrderNone, 3)
	byAdapter.Records[2].Rejection = &Rejection{Status: 400, Rule: "validation.invalid_base64", Location: "messageAttributes.k.binaryValue", Reason: "Records[2].messageAttributes.k.binaryValue: not valid base64"}
	byEngine := batchInv(SourceSQS, OrderNone, 3)
	byEngine.Records[2].Body = []byte(`{"note":"` + strings.Repeat("x", 100) + `"}`)
	for name, inv := range map[string]*Invocation{"adapter": byAdapter, "engine": byEngine} {
		x := &fakeExchange{}
		d := g.Run(t.Context(), inv, x)
		if !d.Partial() || !slices.Equal(d.BlockedRecords, []int{2}) || x.refused != nil {
			t.Errorf("%s: decision %+v, want a partial block of record 2", name, d)
			continue
		}
		if f := d.Findings[0]; f.Record != 2 || !strings.HasPrefix(f.Location, "records[2].") || f.Category != Validation {
			t.Errorf("%s: finding %+v", name, f)
		}
		if !slices.Equal(x.handed, []string{"0", "1"}) || !slices.Equal(x.reported, []string{"2"}) {
			t.Errorf("%s: handed %v reported %v", name, x.handed, x.reported)
		}
	}
}
