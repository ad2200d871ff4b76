package guard

import (
	"context"
	"slices"
	"strings"
	"testing"

	"go.uber.org/zap"
)

// TestFindingsBounded: a body of many attack strings keeps at most
// maxFindings findings (plus the first of each action in a later record),
// and the decision is the one all findings would give: action, reason
// (the first blocking finding) and every blocked record of a batch.
func TestFindingsBounded(t *testing.T) {
	g, err := New(WithoutEnv(), WithLogger(zap.NewNop()))
	if err != nil {
		t.Fatal(err)
	}
	attacks := func(n int) []byte {
		return []byte(`["` + strings.Repeat(`' OR 1=1--","`, n-1) + `' OR 1=1--"]`)
	}
	t.Run("one body", func(t *testing.T) {
		d := g.Inspect(context.Background(), &Invocation{Source: SourceHTTP, Method: "POST", Path: "/p",
			ContentType: "application/json", Body: attacks(500)})
		if d.Action != ActionBlock || d.Status != 403 {
			t.Fatalf("decision %v %d, want block 403", d.Action, d.Status)
		}
		if len(d.Findings) != maxFindings {
			t.Errorf("%d findings, want %d", len(d.Findings), maxFindings)
		}
		if !strings.Contains(d.Reason, "body[0]") {
			t.Errorf("reason %q, want the first string's finding", d.Reason)
		}
	})
	t.Run("batch", func(t *testing.T) {
		inv := &Invocation{Source: SourceSQS}
		for i := range 5 {
			body := attacks(40)
			if i == 3 {
				body = []byte(`{"clean":true}`)
			}
			inv.Records = append(inv.Records, Record{ID: string(rune('a' + i)), Body: body})
		}
		d := g.Inspect(context.Background(), inv)
		if want := []int{0, 1, 2, 4}; !slices.Equal(d.BlockedRecords, want) {
			t.Errorf("blocked records %v, want %v", d.BlockedRecords, want)
		}
		if len(d.Findings) > maxFindings+3 {
			t.Errorf("%d findings, want at most %d", len(d.Findings), maxFindings+3)
		}
	})
}
