package guard

import (
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/fnguard/fnguard/guard/redact"
)

// leakForms finds the function's own credentials (redact.FromEnv) in a
// response when they are encoded rather than written out: hex (either letter
// case), base64 in the standard and URL alphabets at each of the three byte
// alignments a credential can have inside a longer encoded blob, every byte
// URL-encoded (%4A%61...) and every byte JSON-escaped (\u004a\u0061...). The
// plain text and the usual URL-query, URL-path and JSON escapes are the
// redactor's (redact.Config.Secrets). The forms are computed once, at New;
// scanning is one substring search per form, linear in the response.
//
// Not covered: encodings applied twice (base64 of hex...), MIME base64 with
// line breaks inside the credential, compression, encryption, and partial
// escaping (some bytes %-encoded, others not, beyond what
// url.QueryEscape/PathEscape produce).
type leakForms struct {
	forms []string // longest first
}

func newLeakForms(secrets []string) *leakForms {
	seen := map[string]bool{}
	lf := &leakForms{}
	for _, sec := range secrets {
		if len(sec) < redact.MinSecretLen || strings.TrimSpace(sec) == "" {
			continue
		}
		for _, f := range encodedForms(sec) {
			if len(f) >= redact.MinSecretLen && f != sec && !seen[f] {
				seen[f] = true
				lf.forms = append(lf.forms, f)
			}
		}
	}
	if len(lf.forms) == 0 {
		return nil
	}
	slices.SortFunc(lf.forms, func(a, b string) int { return len(b) - len(a) })
	return lf
}

// encodedForms returns the encoded forms of sec searched for in responses.
func encodedForms(sec string) []string {
	h := hex.EncodeToString([]byte(sec))
	out := []string{h, strings.ToUpper(h)}
	var pct, uni strings.Builder
	for i := 0; i < len(sec); i++ {
		pct.WriteByte('%')
		pct.WriteString(h[2*i : 2*i+2])
		uni.WriteString(`\u00`)
		uni.WriteString(h[2*i : 2*i+2])
	}
	out = append(out, pct.String(), strings.ToUpper(pct.String()), uni.String(), strings.ToUpper(uni.String()))
	out[len(out)-1] = strings.Replace(out[len(out)-1], `\U`, `\u`, -1) // \u004A: only the digits change case
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		for align := 0; align < 3; align++ {
			out = append(out, base64Core(enc, sec, align))
		}
	}
	return out
}

// base64Core is the part of the base64 encoding of any byte stream that
// carries sec at an offset ≡ align (mod 3) which depends on sec's bytes
// only: the characters that share bits with the bytes before or after it
// are cut off.
func base64Core(enc *base64.Encoding, sec string, align int) string {
	buf := make([]byte, align, align+len(sec))
	buf = append(buf, sec...)
	s := enc.EncodeToString(buf)
	skip := [3]int{0, 2, 3}[align] // characters holding bits of the preceding bytes
	end := len(s)
	if (align+len(sec))%3 != 0 {
		end-- // the last character holds bits of the following byte
	}
	if skip >= end {
		return ""
	}
	return s[skip:end]
}

// find appends the byte ranges of s holding an encoded credential.
func (lf *leakForms) find(s string) []leakSpan {
	if lf == nil {
		return nil
	}
	var spans []leakSpan
	for _, f := range lf.forms {
		for off := 0; off < len(s); {
			j := strings.Index(s[off:], f)
			if j < 0 {
				break
			}
			spans = append(spans, leakSpan{off + j, off + j + len(f)})
			off += j + len(f)
		}
	}
	return spans
}

type leakSpan struct{ start, end int }

// maskSpans replaces the (possibly overlapping) spans of s with redact.Mask.
func maskSpans(s string, spans []leakSpan) string {
	slices.SortFunc(spans, func(a, b leakSpan) int { return a.start - b.start })
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, sp := range spans {
		if sp.start < last { // overlaps the previous mask: extend it
			last = max(last, sp.end)
			continue
		}
		b.WriteString(s[last:sp.start])
		b.WriteString(redact.Mask)
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String()
}
