package guardlambda

import (
	"testing"

	"github.com/fnguard/fnguard/guard"
)

// TestInspectMatchesWrapper: Inspect gives the source and verdict the
// wrapper acts on, without a handler.
func TestInspectMatchesWrapper(t *testing.T) {
	g, logs := testGuard(t)
	tests := []struct {
		fixture string
		source  guard.Source
		action  guard.Action
		rule    string
	}{
		{"apigw_v1_benign.json", guard.SourceAPIGatewayREST, guard.ActionAllow, ""},
		{"apigw_v1_sqli_query.json", guard.SourceAPIGatewayREST, guard.ActionBlock, "sqli."},
		{"apigw_v1_bad_base64.json", guard.SourceAPIGatewayREST, guard.ActionReject, "validation.invalid_base64"},
		{"s3_cmdi_key.json", guard.SourceS3, guard.ActionBlock, "cmdi."},
		{"kinesis_batch.json", guard.SourceKinesis, guard.ActionBlock, "xss."}, // one poisoned record,
	}
	for _, tc := range tests {
		t.Run(tc.fixture, func(t *testing.T) {
			before := logs.Len()
			src, d := Inspect(lambdaCtx("req-inspect"), g, fixture(t, tc.fixture))
			if src != tc.source || d.Action != tc.action {
				t.Fatalf("Inspect = %s %s (%v), want %s %s", src, d.Action, d.Findings, tc.source, tc.action)
			}
			if tc.rule != "" {
				if len(d.Findings) == 0 || len(d.Findings[0].Rule) < len(tc.rule) || d.Findings[0].Rule[:len(tc.rule)] != tc.rule {
					t.Errorf("findings %v, want rule %s…", d.Findings, tc.rule)
				}
				if logs.Len() == before {
					t.Error("a blocked event was not recorded")
				}
			}
		})
	}
	if src, d := Inspect(lambdaCtx("req-nil"), nil, fixture(t, "apigw_v1_benign.json")); d.Action != guard.ActionFail || src == "" {
		t.Errorf("nil guard: %s %s, want a fail decision", src, d.Action)
	}
}
