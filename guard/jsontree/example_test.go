package jsontree_test

import (
	"errors"
	"fmt"

	"github.com/fnguard/fnguard/guard/jsontree"
)

func ExampleParse() {
	event := []byte(`{
		"httpMethod": "POST",
		"headers": {"Content-Type": "application/json", "X-Forwarded-For": "203.0.113.7"},
		"requestContext": {"identity": {"sourceIp": "203.0.113.7"}, "requestTimeEpoch": 1709987696000},
		"body": "{\"q\":\"shoes\"}"
	}`)
	doc, err := jsontree.Parse(event, jsontree.Limits{MaxStringBytes: 1 << 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	root := doc.Root()
	fmt.Println(root.Get("httpMethod").StrOr(""))
	fmt.Println(root.Get("headers").GetFold("content-type").StrOr(""))
	fmt.Println(root.Path("requestContext", "identity", "sourceIp").StrOr("unknown"))
	epoch, _ := root.Path("requestContext", "requestTimeEpoch").Int64()
	fmt.Println(epoch)
	body, _ := root.Get("body").Str()
	fmt.Println(body)
	fmt.Println(root.Get("missing").Kind(), root.Get("headers").Len())
	// Output:
	// POST
	// application/json
	// 203.0.113.7
	// 1709987696000
	// {"q":"shoes"}
	// invalid 2
}

func ExampleWalk() {
	body := []byte(`{"user":{"name":"Ada","tags":["admin","x' OR '1'='1"]},"a b":"c"}`)
	err := jsontree.Walk(body, jsontree.Limits{}, func(p *jsontree.Path, s string, key bool) error {
		kind := "value"
		if key {
			kind = "key"
		}
		fmt.Printf("%-5s %-22s %q (parent %q)\n", kind, p.String("body"), s, p.ParentKey())
		return nil
	})
	fmt.Println(err)
	// Output:
	// key   body.user              "user" (parent "")
	// key   body.user.name         "name" (parent "user")
	// value body.user.name         "Ada" (parent "name")
	// key   body.user.tags         "tags" (parent "user")
	// value body.user.tags[0]      "admin" (parent "tags")
	// value body.user.tags[1]      "x' OR '1'='1" (parent "tags")
	// key   body["a b"]            "a b" (parent "")
	// value body["a b"]            "c" (parent "a b")
	// <nil>
}

func ExampleLimitError() {
	_, err := jsontree.Parse([]byte(`{"role":"user","role":"admin"}`), jsontree.Limits{})
	var le *jsontree.LimitError
	if errors.As(err, &le) {
		fmt.Println(le.Limit, le.Key, le.Path)
	}
	fmt.Println(errors.Is(err, jsontree.ErrLimit))
	fmt.Println(err)

	_, err = jsontree.Parse([]byte(`[[[[1]]]]`), jsontree.Limits{MaxDepth: 3})
	fmt.Println(err)
	// Output:
	// duplicate key role .role
	// true
	// jsontree: duplicate key "role" at offset 15 (path .role)
	// jsontree: depth limit exceeded (max 3) at offset 3 (path [0][0][0])
}

func ExampleSyntaxError() {
	_, err := jsontree.Parse([]byte(`{"items":[1,2,{"note" "x"}]}`), jsontree.Limits{})
	var se *jsontree.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se.Offset, se.Path)
	}
	fmt.Println(errors.Is(err, jsontree.ErrSyntax))
	fmt.Println(err)
	// Output:
	// 22 .items[2].note
	// true
	// jsontree: invalid character '"' after object key at offset 22 (path .items[2].note)
}

func ExampleAppendKey() {
	loc := []byte("headers")
	loc = jsontree.AppendKey(loc, "x-forwarded-for")
	loc = jsontree.AppendIndex(loc, 0)
	fmt.Println(string(loc))
	fmt.Println(string(jsontree.AppendKey([]byte("query"), "id")))
	// Output:
	// headers["x-forwarded-for"][0]
	// query.id
}
