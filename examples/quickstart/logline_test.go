package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestParseDecisions(t *testing.T) {
	fixture, err := os.ReadFile("testdata/decisions.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		in        string
		want      []loggedDecision // Line is not compared
		wantErrIn string           // substring of the error, "" for none
	}{
		{name: "empty", in: "", want: nil},
		{name: "blank lines only", in: "\n  \n\n", want: nil},
		{
			name: "fixture: start-up line skipped, single and multiple findings",
			in:   string(fixture),
			want: []loggedDecision{
				{Message: "fnguard blocked request", Action: "block", RequestID: "quickstart-0004",
					Findings: []loggedFinding{{Rule: "sqli.tautology", Category: "sqli", Location: "query.q", Excerpt: "' OR 1=1--", Action: "block"}}},
				{Message: "fnguard blocked request", Action: "block", RequestID: "quickstart-0007",
					Findings: []loggedFinding{
						{Rule: "cmdi.chain", Category: "cmdi", Location: "headers.x-export-name", Excerpt: "; cat /etc/passwd", Action: "block"},
						{Rule: "path_traversal.sensitive_file", Category: "path_traversal", Location: "headers.x-export-name", Excerpt: "/etc/passwd", Action: "block"},
					}},
			},
		},
		{
			name: "prefixed keys inside fnguard.findings",
			in:   `{"msg":"m","fnguard.action":"monitor","fnguard.findings":[{"fnguard.rule":"xss.tag","fnguard.category":"xss","fnguard.location":"body.c","fnguard.action":"monitor"}]}`,
			want: []loggedDecision{{Message: "m", Action: "monitor",
				Findings: []loggedFinding{{Rule: "xss.tag", Category: "xss", Location: "body.c", Action: "monitor"}}}},
		},
		{
			name: "decision without findings (a failure) keeps its reason",
			in:   `{"message":"fnguard inspection failed","fnguard.action":"error","fnguard.reason":"boom"}`,
			want: []loggedDecision{{Message: "fnguard inspection failed", Action: "error", Reason: "boom"}},
		},
		{name: "not JSON", in: "{\"fnguard.action\":\"block\"}\nnot json\n", wantErrIn: "log line 2 is not a JSON object"},
		{name: "JSON but not an object", in: `["fnguard.action"]`, wantErrIn: "log line 1 is not a JSON object"},
		{name: "findings not an array", in: `{"fnguard.action":"block","fnguard.findings":"x"}`, wantErrIn: "log line 1: fnguard.findings is not an array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDecisions([]byte(tt.in))
			if tt.wantErrIn != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErrIn) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErrIn)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d decisions, want %d: %+v", len(got), len(tt.want), got)
			}
			for i := range got {
				if got[i].Line == "" {
					t.Errorf("decision %d: Line is empty", i)
				}
				got[i].Line = ""
				if !equalDecision(got[i], tt.want[i]) {
					t.Errorf("decision %d:\n got %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func equalDecision(a, b loggedDecision) bool {
	if a.Message != b.Message || a.Action != b.Action || a.RequestID != b.RequestID || a.Reason != b.Reason || len(a.Findings) != len(b.Findings) {
		return false
	}
	for i := range a.Findings {
		if a.Findings[i] != b.Findings[i] {
			return false
		}
	}
	return true
}

// FuzzParseDecisions: any bytes either parse or fail with an error, never a
// panic; every decision comes from one input line, and re-parsing the lines
// of the decisions gives the same decisions.
func FuzzParseDecisions(f *testing.F) {
	fixture, err := os.ReadFile("testdata/decisions.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture)
	f.Add([]byte(`{"fnguard.action":"block","fnguard.findings":[{"rule":1}]}`))
	f.Add([]byte(`{"fnguard.action":null,"fnguard.findings":null}`))
	f.Add([]byte("\n\n{}\n"))
	f.Fuzz(func(t *testing.T, logs []byte) {
		got, err := parseDecisions(logs)
		if err != nil {
			return
		}
		lines := bytes.Count(logs, []byte("\n")) + 1
		if len(got) > lines {
			t.Fatalf("%d decisions from %d lines", len(got), lines)
		}
		var again bytes.Buffer
		for _, d := range got {
			if !bytes.Contains(logs, []byte(d.Line)) {
				t.Fatalf("decision line %q is not in the input", d.Line)
			}
			again.WriteString(d.Line)
			again.WriteByte('\n')
		}
		got2, err := parseDecisions(again.Bytes())
		if err != nil {
			t.Fatalf("re-parsing the decision lines: %v", err)
		}
		if len(got2) != len(got) {
			t.Fatalf("re-parse gave %d decisions, want %d", len(got2), len(got))
		}
		for i := range got {
			if !equalDecision(got[i], got2[i]) {
				t.Fatalf("re-parse of decision %d differs:\n%+v\n%+v", i, got[i], got2[i])
			}
		}
	})
}
