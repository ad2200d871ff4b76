package guardgcf_test

import (
	"testing"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardgcf"
)

func TestInspectCloudEvent(t *testing.T) {
	g, _ := newGuard(t)
	tests := []struct {
		name   string
		data   []byte
		action guard.Action
	}{
		{"benign message", pubsubData(`{"order":"A-1","note":"leave at the door"}`, nil), guard.ActionAllow},
		{"sqli in the message", pubsubData(`{"q":"1' OR '1'='1' --"}`, nil), guard.ActionBlock},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEvent(guardgcf.TypePubSub, "//pubsub.googleapis.com/projects/p/topics/orders", tc.data, "application/json")
			src, d := guardgcf.InspectCloudEvent(t.Context(), g, e)
			if src != guard.SourcePubSub || d.Action != tc.action {
				t.Errorf("InspectCloudEvent = %s %s (%v), want %s %s", src, d.Action, d.Findings, guard.SourcePubSub, tc.action)
			}
		})
	}
	e := newEvent(guardgcf.TypePubSub, "//pubsub.googleapis.com/projects/p/topics/orders", pubsubData("{}", nil), "application/json")
	if _, d := guardgcf.InspectCloudEvent(t.Context(), nil, e); d.Action != guard.ActionFail {
		t.Errorf("nil guard: %s, want fail", d.Action)
	}
}
