package redact

import (
	"slices"
	"strings"
	"testing"
)

// fuzzSecretAlphabet limits fuzzed secrets to the characters real credentials
// use, so that a secret cannot be spelled by the mask itself.
func plausibleSecret(s string) bool {
	if len(s) < MinSecretLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if class[s[i]]&(cTok68|cWord) == 0 && s[i] != '=' {
			return false
		}
	}
	return true
}

func FuzzString(f *testing.F) {
	for _, c := range loadStringCases(f) {
		f.Add(c.In, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	}
	for _, a := range attackFragments {
		f.Add(a, "FwoGZXIvYXdzEJr//////////wEaDOpaque+Token==")
	}
	f.Add("x"+strings.Repeat("=", 3)+"password=s3cretvalue123", "s3cretvalue123")
	f.Fuzz(func(t *testing.T, in, secret string) {
		var secrets []string
		if plausibleSecret(secret) {
			secrets = []string{secret}
			in = in + secret + in // make sure the secret is present
		}
		r, err := New(Config{Secrets: secrets, ExtraKeys: []string{"x-*-hash"}})
		if err != nil {
			t.Fatal(err)
		}
		out := r.String(in)
		if again := r.String(out); again != out {
			t.Fatalf("not idempotent:\n in  %q\n out %q\n out2 %q", in, out, again)
		}
		if secrets != nil && strings.Contains(out, secret) {
			t.Fatalf("secret %q survived:\n in  %q\n out %q", secret, in, out)
		}
		// Credentials masks less than String, never more, and never lets
		// a configured secret through either.
		creds := r.Credentials(in)
		if out == in && creds != in {
			t.Fatalf("Credentials masks what String leaves:\n in  %q\n out %q", in, creds)
		}
		if secrets != nil && strings.Contains(creds, secret) {
			t.Fatalf("secret %q survived Credentials:\n in  %q\n out %q", secret, in, creds)
		}
		// A secret stored under a secret key is masked whatever it is.
		if secrets != nil {
			kv := r.String("password=" + secret + "&x=1")
			if strings.Contains(kv, secret) {
				t.Fatalf("password value %q survived: %q", secret, kv)
			}
		}
	})
}

// FuzzExcerptBefore checks that an excerpt searched only up to its end
// (collectBefore) is the excerpt of the whole text's secrets, with
// literal secrets configured or not, at every match position.
func FuzzExcerptBefore(f *testing.F) {
	for _, c := range loadStringCases(f) {
		f.Add(c.In, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", uint16(3), uint8(5))
	}
	for _, a := range attackFragments {
		f.Add(a+" token=abcdef0123456789 "+a, "FwoGZXIvYXdzEJr//////////wEaDOpaque+Token==", uint16(1), uint8(9))
	}
	f.Add("x=1 password=s3cretvalue123s3cretvalue123 -----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END", "s3cretvalue123", uint16(12), uint8(4))
	f.Add("Cookie: a=b; c=d\nhttps://u:p4ssw0rd@h/x Bearer abc123XYZ=", "abc123XYZabc", uint16(20), uint8(30))
	f.Fuzz(func(t *testing.T, in, secret string, at uint16, n uint8) {
		var secrets []string
		if plausibleSecret(secret) {
			secrets = []string{secret, strings.ToUpper(secret[:len(secret)/2]) + secret[len(secret)/2:]}
			in = in + secret + in + secret[:len(secret)-1] + secret
		}
		r, err := New(Config{Secrets: secrets})
		if err != nil {
			t.Fatal(err)
		}
		start := int(at) % (len(in) + 1)
		end := min(len(in), start+int(n))
		full := r.spans(nil, in, modeFold)
		if full == nil {
			full = []span{}
		}
		want := r.excerpt(in, start, end, 64, nil, nil, nil, full[:len(full):len(full)], false)
		if got := r.excerpt(in, start, end, 64, nil, nil, nil, nil, false); got != want {
			t.Fatalf("excerpt of %q [%d:%d]: searched up to its end %q, whole text %q", in, start, end, got, want)
		}
		// a search stopped past end takes the excerpt the whole search does
		whole, part := r.Search(in), r.SearchBefore(in, end)
		if !part.Covers(end) {
			t.Fatalf("SearchBefore(%q, %d) does not cover %d", in, end, end)
		}
		want = r.ExcerptMaskingSearched(whole, start, end, 64, whole.SecretSpans(), nil)
		if got := r.ExcerptMaskingSearched(part, start, end, 64, part.SecretSpans(), nil); got != want {
			t.Fatalf("excerpt of %q [%d:%d]: searched up to %d %q, whole text %q", in, start, end, part.upTo, got, want)
		}
		for lim := 0; lim <= len(in); lim += 1 + lim/3 {
			before := r.spansBefore(nil, in, modeFold, lim)
			k := 0
			for k < len(full) && full[k].start < lim {
				k++
			}
			if len(before) < k || !slices.Equal(before[:k], full[:k]) {
				t.Fatalf("spans of %q before %d: %v, whole text %v", in, lim, before, full)
			}
		}
	})
}

// A search of a prefix that SearchPrefix calls settled finds what the
// search of the whole text finds before where it stopped, and an excerpt
// of the prefix ending there is the excerpt of the whole text.
func FuzzSearchPrefix(f *testing.F) {
	for _, c := range loadStringCases(f) {
		f.Add(c.In, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", uint16(3), uint16(40), uint8(7))
	}
	for _, a := range attackFragments {
		f.Add(a+" token=abcdef0123456789 "+a, "FwoGZXIvYXdzEJr//////////wEaDOpaque+Token==", uint16(1), uint16(30), uint8(9))
	}
	f.Add("x=1 password=\"s3cret value 123 s3cretvalue123\" -----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END", "s3cretvalue123", uint16(2), uint16(20), uint8(4))
	f.Add("https://u:p4ssw0rd"+strings.Repeat("x", 300)+"@h/x Bearer     abc123XYZ= 4111 1111 1111 1111", "abc123XYZabc", uint16(0), uint16(8), uint8(30))
	f.Add("password=    "+strings.Repeat(" ", 200)+"s3cr3t-value "+strings.Repeat("a b ", 80), "", uint16(0), uint16(5), uint8(3))
	f.Fuzz(func(t *testing.T, in, secret string, end, cut uint16, n uint8) {
		var secrets []string
		if plausibleSecret(secret) {
			secrets = []string{secret}
			in = in + " " + secret + in
		}
		for len(in) < 1200 && len(in) > 0 {
			in += in // long enough to cut past prefixSlack
		}
		r, err := New(Config{Secrets: secrets})
		if err != nil {
			t.Fatal(err)
		}
		e := int(end) % (len(in) + 1)
		p := e + int(cut)%(len(in)-e+1)
		tp, settled := r.SearchPrefix(in[:p], e, p == len(in))
		if !settled {
			return
		}
		full := r.spans(nil, in, modeFold)
		k := 0
		for k < len(full) && full[k].start < tp.upTo {
			k++
		}
		if !slices.Equal(tp.spans, full[:k]) && !(len(tp.spans) == 0 && k == 0) {
			t.Fatalf("spans of %q cut at %d, searched to %d: %v, whole text %v", in, p, tp.upTo, tp.spans, full)
		}
		if tp.upTo < len(in[:p]) && k < len(full) && full[k].start < tp.upTo {
			t.Fatalf("whole text span %v starts before %d", full[k], tp.upTo)
		}
		start := max(0, e-int(n))
		whole := r.Search(in)
		want := r.ExcerptMaskingSearched(whole, start, e, 64, nil, nil)
		if got := r.ExcerptMaskingSearched(tp, start, e, 64, nil, nil); got != want && e < p {
			t.Fatalf("excerpt of %q [%d:%d] cut at %d: %q, whole text %q", in, start, e, p, got, want)
		}
	})
}

// FuzzSearchFurther checks that a search resumed (SearchFurther, once or
// twice) is the search made from the start as far: the same secrets, the
// same stop, the same excerpts, with literal secrets configured or not.
func FuzzSearchFurther(f *testing.F) {
	for _, c := range loadStringCases(f) {
		f.Add(c.In, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", uint16(3), uint16(40), uint16(90))
	}
	for _, a := range attackFragments {
		f.Add(`{"k1":"`+a+`","token":"abcdef0123456789","k2":"`+a+`"}`, "FwoGZXIvYXdzEJr//////////wEaDOpaque+Token==", uint16(1), uint16(30), uint16(64))
	}
	f.Add("x=1 password=\"s3cret value 123 s3cretvalue123\" -----BEGIN RSA PRIVATE KEY-----\nMIIabc\n-----END", "s3cretvalue123", uint16(2), uint16(20), uint16(60))
	f.Add("https://u:p4ssw0rd"+strings.Repeat("x", 300)+"@h/x Bearer     abc123XYZ= 4111 1111 1111 1111", "abc123XYZabc", uint16(0), uint16(8), uint16(400))
	f.Fuzz(func(t *testing.T, in, secret string, a, b, c uint16) {
		var secrets []string
		if plausibleSecret(secret) {
			secrets = []string{secret}
			in = in + " " + secret + in + strings.ToUpper(secret)
		}
		r, err := New(Config{Secrets: secrets})
		if err != nil {
			t.Fatal(err)
		}
		ends := []int{int(a) % (len(in) + 1), int(b) % (len(in) + 1), int(c) % (len(in) + 1)}
		slices.Sort(ends)
		got := r.SearchBefore(in, ends[0])
		for _, e := range ends[1:] {
			if !got.Covers(e) {
				got = r.SearchFurther(got, e)
			}
			want := r.SearchBefore(in, e)
			if got.upTo != want.upTo || !slices.Equal(got.spans, want.spans) {
				t.Fatalf("%q resumed to %d: stop %d spans %v, searched from the start: stop %d spans %v", in, e, got.upTo, got.spans, want.upTo, want.spans)
			}
			for _, st := range []int{0, e / 2, max(0, e-9)} {
				if x, y := r.ExcerptMaskingSearched(got, st, e, 64, got.SecretSpans(), nil), r.ExcerptMaskingSearched(want, st, e, 64, want.SecretSpans(), nil); x != y {
					t.Fatalf("excerpt of %q [%d:%d]: resumed %q, from the start %q", in, st, e, x, y)
				}
			}
		}
	})
}

// FuzzExcerptLongWindow checks that an excerpt of a window much longer
// than its max, built only as far as its cut reads (the first
// max+cutSlack bytes), is the excerpt built whole and then cut, with
// masks, invalid UTF-8, escapes, a cuttable function reading around the
// cut (as the guard's escapedSeparator does) or none.
func FuzzExcerptLongWindow(f *testing.F) {
	for _, c := range loadStringCases(f) {
		f.Add(c.In, uint16(3), uint16(900), uint8(40), uint8(2))
	}
	for _, a := range attackFragments {
		f.Add(a+" token=abcdef0123456789 "+a, uint16(1), uint16(700), uint8(64), uint8(1))
	}
	f.Add("..%2f..%2f\xff\xfe..%2fé€😀 password=s3cretvalue123s3cretvalue123 ..%2f", uint16(0), uint16(2000), uint8(60), uint8(0))
	f.Add("Bearer abc123XYZabc123XYZ..%2f%20%2e%2e%2f", uint16(5), uint16(1000), uint8(10), uint8(3))
	f.Fuzz(func(t *testing.T, in string, at, n uint16, max, mask uint8) {
		if in == "" {
			return
		}
		for len(in) < 3000 {
			in += in
		}
		r := defaultRedactor()
		start := int(at) % (len(in) + 1)
		end := min(len(in), start+int(n)%len(in))
		var ms []Span
		for k := 0; k < int(mask%4); k++ {
			a := (start + k*97 + int(mask)*13) % len(in)
			ms = append(ms, Span{a, a + 5 + k*31})
		}
		cuts := []func(string, int) bool{nil, func(t string, i int) bool {
			return t[i-1] == '%' || i+2 < len(t) && t[i:i+3] == "%2f" || i >= 3 && t[i-3:i] == "%20"
		}}
		t0 := r.Search(in)
		for _, cut := range cuts {
			got := r.ExcerptMaskingSearched(t0, start, end, int(max), ms, cut)
			wholeExcerpts = true
			want := r.ExcerptMaskingSearched(t0, start, end, int(max), ms, cut)
			wholeExcerpts = false
			if got != want {
				t.Fatalf("excerpt of %q [%d:%d] max %d masks %v: built in part %q, whole %q", in, start, end, max, ms, got, want)
			}
		}
	})
}
