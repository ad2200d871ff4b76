package redact

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Mask replaces every redacted secret.
const Mask = "[REDACTED]"

// MinSecretLen is the shortest literal secret [Config.Secrets] accepts;
// shorter values are ignored because masking them would shred ordinary text.
const MinSecretLen = 8

const maxPatternLen = 256

// Config configures a [Redactor]. The zero value gives the built-in rules.
type Config struct {
	// ExtraKeys are additional secret-key patterns, typically split from
	// FNGUARD_REDACT_KEYS. A pattern without '*' or '?' is a
	// case-insensitive substring of the key; a pattern with '*' (any run of
	// bytes) or '?' (one byte) is a case-insensitive glob over the whole key.
	// Surrounding white space is trimmed. '[', ']', '{', '}', '\' and control
	// characters are refused, and so is a pattern made only of wildcards.
	ExtraKeys []string

	// Secrets are literal values scrubbed wherever they appear, e.g. the
	// function's own AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (see
	// [FromEnv]). Their URL-query-, URL-path- and JSON-escaped forms
	// (with or without '/' escaped) are scrubbed too. Values shorter than [MinSecretLen] bytes are ignored.
	Secrets []string
}

// Redactor masks secrets in strings. It is immutable and safe for
// concurrent use. A nil *Redactor behaves like New(Config{}).
type Redactor struct {
	keyPats []keyPattern
	secrets []string // literal forms to mask, longest first
}

type keyPattern struct {
	pat  string // lowercased
	glob bool
}

// New builds a Redactor. It fails with a [*PatternError] naming the first
// unusable pattern in cfg.ExtraKeys.
func New(cfg Config) (*Redactor, error) {
	r := &Redactor{}
	for i, raw := range cfg.ExtraKeys {
		p := strings.TrimSpace(raw)
		if reason := checkPattern(p); reason != "" {
			return nil, &PatternError{Index: i, Pattern: raw, Reason: reason}
		}
		r.keyPats = append(r.keyPats, keyPattern{pat: strings.ToLower(p), glob: strings.ContainsAny(p, "*?")})
	}
	seen := make(map[string]bool)
	for _, sec := range cfg.Secrets {
		if len(sec) < MinSecretLen || strings.TrimSpace(sec) == "" {
			continue
		}
		// JSON with '/' escaped as "\/" is what PHP's json_encode and
		// some JavaScript serialisers write.
		for _, form := range []string{sec, url.QueryEscape(sec), url.PathEscape(sec), jsonEscape(sec), strings.ReplaceAll(jsonEscape(sec), "/", `\/`)} {
			if !seen[form] {
				seen[form] = true
				r.secrets = append(r.secrets, form)
			}
		}
	}
	slices.SortFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
	return r, nil
}

func checkPattern(p string) string {
	if p == "" {
		return "empty pattern"
	}
	if len(p) > maxPatternLen {
		return fmt.Sprintf("longer than %d bytes", maxPatternLen)
	}
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c < 0x20 || c == 0x7f:
			return fmt.Sprintf("control character %q at byte %d", c, i)
		case c == '[' || c == ']' || c == '{' || c == '}' || c == '\\':
			return fmt.Sprintf("unsupported glob syntax %q at byte %d: only * and ? are wildcards", c, i)
		}
	}
	if strings.Trim(p, "*?") == "" && strings.Contains(p, "*") {
		return "matches every key: name the keys to mask instead"
	}
	return ""
}

// jsonEscape returns s as it appears inside a JSON string literal written by
// encoding/json without HTML escaping.
func jsonEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

var defaultRedactor = sync.OnceValue(func() *Redactor {
	r, err := New(Config{})
	if err != nil { // unreachable: the zero Config has no patterns
		panic(err)
	}
	return r
})

// Field returns [Mask] when key is a secret key (whatever the value, even
// empty) and String(value) otherwise.
func (r *Redactor) Field(key, value string) string {
	if r.IsSecretKey(key) {
		return Mask
	}
	return r.String(value)
}

// maxPasses bounds the fixed-point iteration of String. Masking can only
// shorten runs of token characters, so in practice the second pass finds
// nothing new; the bound keeps String linear whatever happens.
const maxPasses = 8

// String returns s with every secret it recognises replaced by [Mask]; see
// the package documentation for what is recognised. It returns s itself,
// without allocating, when nothing needs masking, and it runs in time linear
// in len(s). String(String(s)) == String(s).
func (r *Redactor) String(s string) string { return r.redact(s, modeText) }

// StringFold is [Redactor.String] for text whose letters may have been
// case-folded on the way: a lower-cased excerpt, an HTTP header name (which
// HTTP/2 and API Gateway lower-case), a location built from such names.
// Besides everything String masks, it recognises the shapes of AWS key ids,
// Google API keys, JSON Web Tokens and vendor tokens in any letter case,
// and masks runs of 32 or more letters and digits (with at least four
// digits) that are not a path, whose mixed case would have told String
// they are random. It masks more than String, never less.
func (r *Redactor) StringFold(s string) string { return r.redact(s, modeFold) }

// Credentials masks only what is a credential by its value alone, with high
// confidence: the configured literal secrets (in every form String knows),
// AWS access key ids, vendor tokens by prefix, PEM private key bodies, card
// numbers and passwords in URLs. It leaves alone what String also masks
// because a log line does not need it but a response may legitimately
// carry it: random-looking base64 runs (images, encrypted blobs, pagination
// cursors), JSON Web Tokens and bearer values (a login response), and the
// values of secret-named keys ("access_token"). It masks less than String,
// never more, and is what FNGUARD_RESPONSE_SCAN decides on.
func (r *Redactor) Credentials(s string) string { return r.redact(s, modeCredentials) }

// mode selects which recognisers a scan runs.
type mode uint8

const (
	modeText        mode = iota // String
	modeFold                    // StringFold: also case-folded shapes
	modeCredentials             // Credentials: high-confidence credentials only
)

func (r *Redactor) redact(s string, m mode) string {
	if r == nil {
		r = defaultRedactor()
	}
	for range maxPasses {
		out, changed := r.redactOnce(s, m)
		if !changed {
			return s
		}
		s = out
	}
	return s
}

// spans returns the sorted, merged byte ranges of s to mask, appended to
// buf.
func (r *Redactor) spans(buf []span, s string, m mode) []span {
	return r.spansBefore(buf, s, m, len(s))
}

// spansBefore is spans for a caller that reads only the spans starting
// before limit (collectBefore): it may leave out spans starting later.
func (r *Redactor) spansBefore(buf []span, s string, m mode, limit int) []span {
	spans, _ := r.spansStop(buf, s, m, limit)
	return spans
}

// spansStop is spansBefore, also returning where the search stopped: the
// spans starting before it are all there, and none starting later touches
// one of them.
func (r *Redactor) spansStop(buf []span, s string, m mode, limit int) ([]span, int) {
	spans, stop := scanner{r: r, s: s, fold: m == modeFold, creds: m == modeCredentials}.collectBefore(buf, limit)
	if len(spans) == 0 {
		return spans, stop
	}
	return mergeSpans(spans), stop
}

// mergeSpans sorts spans and merges the overlapping and touching ones.
func mergeSpans(spans []span) []span {
	if len(spans) == 0 {
		return spans
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	m := spans[:1]
	for _, sp := range spans[1:] {
		last := &m[len(m)-1]
		if sp.start <= last.end {
			last.end = max(last.end, sp.end)
			continue
		}
		m = append(m, sp)
	}
	return m
}

// Secrets returns the pieces of s that [Redactor.StringFold] would mask, in
// order, so that a caller holding a transformed copy of s (decoded,
// lower-cased, cut) can mask them there too. Nil when there are none.
func (r *Redactor) Secrets(s string) []string {
	if r == nil {
		r = defaultRedactor()
	}
	var buf [8]span
	var out []string
	for _, sp := range r.spans(buf[:0], s, modeFold) {
		if p := s[sp.start:sp.end]; !onlyMasks(p) {
			out = append(out, p)
		}
	}
	return out
}

func (r *Redactor) redactOnce(s string, md mode) (string, bool) {
	var buf [8]span
	m := r.spans(buf[:0], s, md)
	if len(m) == 0 {
		return s, false
	}
	changed := false
	for _, sp := range m {
		if !onlyMasks(s[sp.start:sp.end]) {
			changed = true
			break
		}
	}
	if !changed {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	prev := 0
	for _, sp := range m {
		b.WriteString(s[prev:sp.start])
		if onlyMasks(s[sp.start:sp.end]) {
			b.WriteString(s[sp.start:sp.end])
		} else {
			b.WriteString(Mask)
		}
		prev = sp.end
	}
	b.WriteString(s[prev:])
	return b.String(), true
}

// onlyMasks reports whether s is one or more repetitions of Mask.
func onlyMasks(s string) bool {
	if len(s) == 0 || len(s)%len(Mask) != 0 {
		return false
	}
	for i := 0; i < len(s); i += len(Mask) {
		if s[i:i+len(Mask)] != Mask {
			return false
		}
	}
	return true
}
