package guard_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/schema"
)

const orderSchema = `{
  "type": "object",
  "required": ["items"],
  "properties": {
    "items": {"type": "array", "items": {
      "type": "object", "required": ["sku", "qty"],
      "properties": {"sku": {"type": "string"}, "qty": {"type": "integer", "minimum": 1}}
    }}
  }
}`

func post(path, body string) *guard.Invocation {
	return &guard.Invocation{Source: guard.SourceAPIGatewayREST, Method: "POST", Path: path,
		ContentType: "application/json", Body: []byte(body)}
}

func gzipPost(path, body string) *guard.Invocation {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(body))
	zw.Close()
	inv := post(path, "")
	inv.Body = buf.Bytes()
	inv.Headers = []guard.Param{{Name: "content-encoding", Value: "gzip"}}
	return inv
}

func TestSchemasOption(t *testing.T) {
	set, err := schema.Load(map[string][]byte{
		"POST /orders":      []byte(orderSchema),
		"POST /orders/bulk": []byte(`{"type":"array"}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()), guard.WithSchemas(set))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		inv    *guard.Invocation
		status int
		loc    string
		rule   string
	}{
		{"conforming body", post("/orders", `{"items":[{"sku":"a","qty":2}]}`), 0, "", ""},
		{"minimum at its location", post("/orders", `{"items":[{"sku":"a","qty":2},{"sku":"b","qty":1},{"sku":"c","qty":0}]}`), 400, "body.items[2].qty", "validation.schema.minimum"},
		{"required", post("/orders", `{}`), 400, "body.items", "validation.schema.required"},
		{"not JSON", &guard.Invocation{Source: guard.SourceAPIGatewayREST, Method: "POST", Path: "/orders", ContentType: "text/plain", Body: []byte(`qty=1`)}, 400, "body", "validation.schema.json"},
		{"most specific route wins", post("/orders/bulk", `[]`), 0, "", ""},
		{"gzip body validated decoded", gzipPost("/orders", `{"items":[{"sku":"a","qty":2}]}`), 0, "", ""},
		{"gzip body, minimum", gzipPost("/orders", `{"items":[{"sku":"a","qty":0}]}`), 400, "body.items[0].qty", "validation.schema.minimum"},
		{"schema of the decoded path", post("/carts/..%2forders", `{}`), 400, "body.items", "validation.schema.required"},
		{"route without schema", post("/carts", `{"anything":true}`), 0, "", ""},
		{"other method", &guard.Invocation{Source: guard.SourceAPIGatewayREST, Method: "PUT", Path: "/orders", ContentType: "application/json", Body: []byte(`{}`)}, 0, "", ""},
		{"empty body not validated", post("/orders", ``), 0, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), tc.inv)
			if d.Status != tc.status && !(tc.status == 0 && d.Allowed()) {
				t.Fatalf("status %d, want %d: %+v", d.Status, tc.status, d.Findings)
			}
			if tc.status == 0 {
				if !d.Allowed() {
					t.Fatalf("want allowed: %+v", d.Findings)
				}
				return
			}
			if !errors.Is(d.Err(), guard.ErrRejected) {
				t.Fatalf("err %v", d.Err())
			}
			f := d.Findings[0]
			if f.Location != tc.loc || f.Rule != tc.rule {
				t.Fatalf("finding %+v, want %s at %s", f, tc.rule, tc.loc)
			}
			if strings.Contains(d.Reason, "qty\":0") {
				t.Fatalf("reason quotes the body: %s", d.Reason)
			}
		})
	}
}

func TestSchemasEnv(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "schemas"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "schemas", "order.json"), []byte(orderSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LAMBDA_TASK_ROOT", root)

	t.Run("loads from LAMBDA_TASK_ROOT", func(t *testing.T) {
		t.Setenv("FNGUARD_SCHEMAS", "POST /orders=schemas/order.json")
		g, err := guard.New(guard.WithLogger(zap.NewNop()))
		if err != nil {
			t.Fatal(err)
		}
		d := g.Inspect(context.Background(), post("/orders", `{"items":[{"sku":"a","qty":"two"}]}`))
		if d.Status != 400 || d.Findings[0].Location != "body.items[0].qty" {
			t.Fatalf("%+v", d)
		}
	})
	for _, tc := range []struct{ name, value, want string }{
		{"missing file", "POST /orders=schemas/nope.json", "nope.json"},
		{"bad entry", "POST /orders", "<route>=<schema file>"},
		{"escaping path", "POST /orders=../etc/passwd", "FNGUARD_SCHEMAS"},
		{"bad route glob", " =schemas/order.json", "FNGUARD_SCHEMAS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("FNGUARD_SCHEMAS", tc.value)
			_, err := guard.New(guard.WithLogger(zap.NewNop()))
			var ce *guard.ConfigError
			if !errors.As(err, &ce) || ce.Var != "FNGUARD_SCHEMAS" || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want a FNGUARD_SCHEMAS error mentioning %q", err, tc.want)
			}
		})
	}
	t.Run("option replaces env", func(t *testing.T) {
		t.Setenv("FNGUARD_SCHEMAS", "POST /orders=schemas/nope.json")
		set, err := schema.Load(map[string][]byte{"POST /x": []byte(`{}`)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := guard.New(guard.WithLogger(zap.NewNop()), guard.WithSchemas(set)); err != nil {
			t.Fatal(err)
		}
	})
}

func ExampleWithSchemas() {
	set, err := schema.Load(map[string][]byte{"POST /orders": []byte(orderSchema)})
	if err != nil {
		panic(err)
	}
	g := guard.Must(guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()), guard.WithSchemas(set)))
	d := g.Inspect(context.Background(), post("/orders", `{"items":[{"sku":"a","qty":0}]}`))
	fmt.Println(d.Status, d.Findings[0].Location, d.Findings[0].Rule)
	// Output:
	// 400 body.items[0].qty validation.schema.minimum
}
