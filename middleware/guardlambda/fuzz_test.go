package guardlambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/jsontree"
)

// FuzzWrapHandler feeds arbitrary payloads through the wrapper: it must
// never panic, and every invocation must either reach the handler or end in
// a well-formed refusal (an HTTP response with the decision's status, a
// *guard.BlockedError, or a batch response naming the poisoned records).
func FuzzWrapHandler(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "null", "[]", "{}", `{"Records":[]}`, `{"Records":[{"eventSource":"aws:sqs","body":"x"}]}`,
		`{"httpMethod":"GET","requestContext":{},"body":"aGk=","isBase64Encoded":true}`,
		`{"version":"2.0","requestContext":{"http":{}},"rawQueryString":"a=%zz&b=%41+c"}`,
		`{"detail-type":"a","source":"b","detail":"c"}`, `{"a":"b","a":"c"}`} {
		f.Add([]byte(s))
	}
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogRate(0, 0))
	if err != nil {
		f.Fatal(err)
	}
	var called bool
	var handed []byte
	next := handlerFunc(func(_ context.Context, p []byte) ([]byte, error) {
		called, handed = true, p
		return []byte(`{"statusCode":200,"body":"ok"}`), nil
	})
	w := WrapHandler(g, next)
	f.Fuzz(func(t *testing.T, payload []byte) {
		called, handed = false, nil
		in := append([]byte(nil), payload...)
		out, err := w.Invoke(context.Background(), payload)
		if string(in) != string(payload) {
			t.Fatal("the wrapper modified the payload")
		}
		if called {
			if err != nil {
				t.Fatalf("handler ran but err %v", err)
			}
			// What the handler gets is always one valid JSON document.
			if _, perr := jsontree.Parse(handed, jsontree.Limits{MaxDepth: -1, AllowDuplicateKeys: true}); perr != nil && string(handed) != string(payload) {
				t.Fatalf("handler got invalid JSON %q: %v", handed, perr)
			}
			return
		}
		if err != nil {
			var be *guard.BlockedError
			if !errors.As(err, &be) || be.Decision.Allowed() {
				t.Fatalf("refusal is not a *guard.BlockedError: %v (%T)", err, err)
			}
			return
		}
		// Not called, no error: an HTTP refusal or a batch of poisoned records.
		doc, perr := jsontree.Parse(out, jsontree.Limits{MaxDepth: -1})
		if perr != nil {
			t.Fatalf("response %q is not JSON: %v", out, perr)
		}
		root := doc.Root()
		if code, ok := root.Get("statusCode").Int64(); ok {
			if code < 400 || code > 599 {
				t.Fatalf("refusal status %d", code)
			}
			return
		}
		if root.Get("batchItemFailures").Len() == 0 {
			t.Fatalf("handler skipped without a refusal: %s", out)
		}
	})
}

type handlerFunc func(context.Context, []byte) ([]byte, error)

func (f handlerFunc) Invoke(ctx context.Context, p []byte) ([]byte, error) { return f(ctx, p) }

// FuzzMergeFailures: whatever the handler answers, the merged response
// never panics, and when it is valid JSON it names every poisoned record.
func FuzzMergeFailures(f *testing.F) {
	for _, s := range []string{"", "null", "{}", `{"batchItemFailures":[]}`, `{"batchItemFailures":[{"itemIdentifier":"a"}],"x":1}`,
		`{"batchItemFailures":null}`, `{"batchItemFailures":"x"}`, `"str"`, `[1]`, `{`, ` { "k" : [ ] } `} {
		f.Add([]byte(s), "id-\"1\"")
	}
	log := zap.NewNop()
	f.Fuzz(func(t *testing.T, resp []byte, id string) {
		out, err := mergeFailures(log, resp, []string{id, "second"})
		if err != nil {
			if !errors.Is(err, ErrBatchResponse) || out != nil {
				t.Fatalf("err %v (out %q)", err, out)
			}
			if _, perr := jsontree.Parse(bytes.TrimSpace(resp), batchResponseLimits); perr == nil {
				t.Fatalf("valid response %q refused: %v", resp, err)
			}
			return
		}
		doc, err := jsontree.Parse(out, batchResponseLimits)
		if err != nil {
			t.Fatalf("invalid merged response %q from %q: %v", out, resp, err)
		}
		n := 0
		for _, e := range doc.Root().Get("batchItemFailures").Elems() {
			if s, _ := e.Get("itemIdentifier").Str(); s == "second" {
				n++
			}
		}
		if n == 0 {
			t.Fatalf("merged response %q lost a poisoned record (handler said %q)", out, resp)
		}
	})
}

// FuzzHTTPEvent builds well-formed API Gateway events (v1 and v2) around
// fuzzed client-controlled strings, so that the fuzzer spends its time on
// the mapping rather than on JSON syntax. The handler must either get the
// event byte for byte or not run at all, and a refusal is an HTTP response.
func FuzzHTTPEvent(f *testing.F) {
	f.Add("x-test", "value", "q", "blue shoes", "session=1; theme=dark", `{"a":"b"}`, false, false)
	f.Add("User-Agent", "${jndi:ldap://x/a}", "id", "' OR 1=1--", "a=<script>", "aGVsbG8=", true, true)
	f.Add("", "", "", "", ";;=", "%%%", true, false)
	f.Add("X-Forwarded-For", "1.2.3.4, ::1", "a%20b", "c+d%zz", "=", "", false, true)
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogRate(0, 0))
	if err != nil {
		f.Fatal(err)
	}
	var handed []byte
	w := WrapHandler(g, handlerFunc(func(_ context.Context, p []byte) ([]byte, error) {
		handed = p
		return []byte(`{"statusCode":200}`), nil
	}))
	f.Fuzz(func(t *testing.T, hName, hValue, qName, qValue, cookie, body string, b64, v2 bool) {
		var ev any
		if v2 {
			ev = map[string]any{
				"version": "2.0", "routeKey": "$default", "rawPath": "/" + qName, "rawQueryString": qName + "=" + qValue,
				"cookies": []string{cookie}, "headers": map[string]string{hName: hValue},
				"queryStringParameters": map[string]string{qName: qValue},
				"requestContext":        map[string]any{"http": map[string]string{"method": "POST", "sourceIp": hValue}, "domainName": "x.execute-api.eu-west-1.amazonaws.com"},
				"body":                  body, "isBase64Encoded": b64,
			}
		} else {
			ev = map[string]any{
				"httpMethod": "POST", "path": "/" + qName, "resource": "/{proxy+}",
				"headers":               map[string]string{hName: hValue, "Cookie": cookie},
				"multiValueHeaders":     map[string][]string{hName: {hValue, hValue}, "Cookie": {cookie}},
				"queryStringParameters": map[string]string{qName: qValue}, "multiValueQueryStringParameters": map[string][]string{qName: {qValue}},
				"pathParameters": map[string]string{"proxy": qValue},
				"requestContext": map[string]any{"identity": map[string]string{"sourceIp": hValue}, "authorizer": map[string]string{"principalId": cookie}},
				"body":           body, "isBase64Encoded": b64,
			}
		}
		payload, err := json.Marshal(ev)
		if err != nil {
			t.Skip()
		}
		handed = nil
		out, err := w.Invoke(context.Background(), payload)
		if err != nil {
			t.Fatalf("HTTP event answered with an error: %v", err)
		}
		if handed != nil {
			if string(handed) != string(payload) {
				t.Fatalf("handler got a modified event")
			}
			return
		}
		doc, perr := jsontree.Parse(out, jsontree.Limits{})
		if perr != nil {
			t.Fatalf("refusal %q: %v", out, perr)
		}
		if code, _ := doc.Root().Get("statusCode").Int64(); code < 400 || code > 599 {
			t.Fatalf("refusal status %d: %s", code, out)
		}
	})
}
