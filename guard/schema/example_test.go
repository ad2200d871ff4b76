package schema_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/fnguard/fnguard/guard/schema"
)

func ExampleSet_Validate() {
	set, err := schema.Load(map[string][]byte{
		"POST /orders": []byte(`{
			"type": "object",
			"required": ["items"],
			"properties": {
				"items": {
					"type": "array",
					"items": {
						"type": "object",
						"required": ["sku", "qty"],
						"properties": {"sku": {"type": "string"}, "qty": {"type": "integer", "minimum": 1}}
					}
				}
			}
		}`),
	})
	if err != nil {
		panic(err) // a broken schema is a start-up error
	}

	ok, err := set.Validate("POST /orders", []byte(`{"items":[{"sku":"A","qty":1},{"sku":"B","qty":2},{"sku":"C","qty":0}]}`))
	fmt.Println(ok, err)

	var ve *schema.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Failures {
			fmt.Printf("rule schema.%s at %s\n", f.Keyword, f.Location)
		}
	}

	ok, err = set.Validate("POST /orders", []byte(`{"items":[{"sku":"A","qty":1}]}`))
	fmt.Println(ok, err)

	// No schema for this route: the body is not checked.
	ok, err = set.Validate("GET /orders", nil)
	fmt.Println(ok, err)
	// Output:
	// true schema: POST /orders: body.items[2].qty: must be >= 1
	// rule schema.minimum at body.items[2].qty
	// true <nil>
	// false <nil>
}

func ExampleLoadEnv() {
	// FNGUARD_SCHEMAS names schema files relative to the function root; in
	// Lambda that is os.DirFS(os.Getenv("LAMBDA_TASK_ROOT")).
	set, err := schema.LoadEnv(os.DirFS("testdata"), "POST /orders=schemas/order.json;PUT /orders/*=schemas/order.json")
	if err != nil {
		panic(err)
	}
	fmt.Println(set.Routes())

	_, err = set.Validate("PUT /orders/*", []byte(`{"customer":{"email":"ada@example.com"},"items":[{"sku":"X1","qty":1}]}`))
	fmt.Println(err)

	_, err = schema.LoadEnv(os.DirFS("testdata"), "POST /orders")
	fmt.Println(err)
	// Output:
	// [POST /orders PUT /orders/*]
	// schema: PUT /orders/*: body.customer.name: is required; body.items[0].sku: must match pattern "^[A-Z0-9-]{3,32}$"
	// schema: FNGUARD_SCHEMAS entry "POST /orders": want "<route>=<schema file>"
}
