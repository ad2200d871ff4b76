package schema

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzValidate validates arbitrary bodies against the order schema: never a
// panic (a recovered panic would surface as a non-ValidationError), every
// failure located under "body", and only valid JSON accepted.
func FuzzValidate(f *testing.F) {
	s := orderSet(f)
	f.Add([]byte(validOrder))
	f.Add(readFile(f, "bodies/order-1k.json"))
	for _, b := range []string{
		``, `{}`, `[]`, `null`, `"x"`, `1e999999`, `-0`, `{"items":[{"qty":1e308}]}`,
		`{"customer":{"email":"a@b","name":"\u0000"},"items":[{"sku":"AAA","qty":1.0}]}`,
		`{"items":[{"sku":"AAA","qty":1,"price":{"amount":0.1,"currency":"EUR"}}]}`,
		`{"a":1,"a":2}`, `{"\ud800":1}`, `[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]`,
		`{"customer":{},"items":[{}],"coupon":[1,{"x":null}]}`,
	} {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ok, err := s.Validate(orderRoute, body)
		if !ok {
			t.Fatal("ok = false for a registered route")
		}
		if err == nil {
			if !json.Valid(body) {
				t.Fatalf("accepted invalid JSON %q", body)
			}
			return
		}
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("not a ValidationError: %v", err)
		}
		if len(ve.Failures) == 0 || len(ve.Failures) > MaxFailures {
			t.Fatalf("%d failures", len(ve.Failures))
		}
		for _, fl := range ve.Failures {
			if !strings.HasPrefix(fl.Location, "body") || fl.Message == "" || fl.Keyword == "" {
				t.Fatalf("bad failure %+v", fl)
			}
		}
	})
}

// FuzzParseEnv: never a panic; accepted entries have a route and a usable
// relative path.
func FuzzParseEnv(f *testing.F) {
	for _, v := range []string{
		"POST /orders=schemas/order.json;PUT /orders/*=schemas/order.json",
		" a = b ;;", "=", "a=", "a=/b", "a=../b", "a=b;a=c", "a=b=c", ";", "",
	} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		routes, err := ParseEnv(v)
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		for r, p := range routes {
			if strings.TrimSpace(r) == "" || r != strings.TrimSpace(r) {
				t.Fatalf("route %q", r)
			}
			if _, err := cleanPath(p); err != nil {
				t.Fatalf("path %q accepted: %v", p, err)
			}
		}
	})
}
