package guard

import (
	"context"
)

// ScanResponse checks a response body for credentials (FNGUARD_RESPONSE_SCAN).
// The function's own credentials are found written out and encoded: URL- or
// JSON-escaped, hex, base64 (both alphabets, any alignment), every byte %- or
// \u-escaped. Other credentials count when their value alone says so (see
// redact.Redactor.Credentials: AWS access key ids, vendor tokens by prefix,
// PEM private keys, card numbers, passwords in URLs); what a response
// legitimately carries — images and other base64 blobs, JSON Web Tokens, the
// token of a login response — passes. With block it returns
// ok=false and the adapter answers 500 instead; with scrub it returns the
// body with the secrets masked. Off returns body unchanged. Every leak is
// logged (without the secret) as a finding of category Leak.
func (g *Guard) ScanResponse(ctx context.Context, inv *Invocation, body []byte) (out []byte, ok bool) {
	if g == nil || g.responseScan == ResponseScanOff || g.mode == Off || len(body) == 0 {
		return body, true
	}
	s := bytesToString(body)
	clean := g.red.Credentials(s)
	if spans := g.leaks.find(clean); len(spans) > 0 {
		clean = maskSpans(clean, spans) // hex, base64, %- or \u-encoded own credentials
	}
	if clean == s {
		return body, true
	}
	act := ActionBlock
	if g.mode == Monitor || g.categoryMode(Leak) == Monitor {
		act = ActionMonitor
	}
	d := Decision{Action: act, Reason: "response carries a credential or secret",
		Findings: []Finding{{Rule: "leak.response_secret", Category: Leak, Location: "response.body", Excerpt: "[REDACTED]", Action: act, Record: -1}}}
	if inv == nil {
		inv = &Invocation{}
	}
	g.record(ctx, inv, &d, 0)
	switch {
	case act == ActionMonitor:
		return body, true
	case g.responseScan == ResponseScanScrub:
		return []byte(clean), true
	default:
		return nil, false
	}
}
