package telemetry

import (
	"strings"
	"testing"

	"github.com/fnguard/fnguard/guard/redact"
)

// FuzzRecordNoLeak records events whose strings embed a configured secret
// and checks that it never reaches the log or the span event.
func FuzzRecordNoLeak(f *testing.F) {
	f.Add("' OR 1=1--", "query.q", "bad input", "block")
	f.Add("<script>", "body.password", "", "monitor")
	f.Add(strings.Repeat("é", 40), "headers.x", "reason "+jwt, "reject")
	f.Add("password=", "cookies.session=", "\x00\xff", "weird")
	const secret = "Sup3rS3cretV4lue0987"
	red, err := redact.New(redact.Config{Secrets: []string{secret}})
	if err != nil {
		f.Fatal(err)
	}
	h := newHarness(f, Config{Redactor: red, LogRate: -1})
	f.Fuzz(func(t *testing.T, excerpt, location, reason, action string) {
		h.logs.mu.Lock()
		h.logs.buf.Reset()
		h.logs.mu.Unlock()
		h.spans.Reset()
		h.record(&Event{Action: action, Source: "http", Reason: reason + secret, RequestID: secret,
			Findings: []Finding{{Rule: "r", Category: "c", Location: location + secret, Excerpt: excerpt + secret + excerpt, Record: -1},
				{Rule: secret, Excerpt: secret}},
			Attrs: []Attr{{Key: location, Value: secret}}})
		if out := h.logs.String(); strings.Contains(out, secret) {
			t.Fatalf("secret in log: %s", out)
		}
		for _, e := range h.events() {
			for k, v := range e {
				if strings.Contains(v, secret) || strings.Contains(k, secret) {
					t.Fatalf("secret in span attribute %s=%q", k, v)
				}
			}
		}
	})
}
