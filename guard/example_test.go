package guard_test

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
)

func ExampleGuard_Inspect() {
	g, err := guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop()))
	if err != nil {
		panic(err)
	}
	d := g.Inspect(context.Background(), &guard.Invocation{
		Source:      guard.SourceHTTP,
		Method:      "POST",
		Path:        "/comments",
		ContentType: "application/json",
		Body:        []byte(`{"items":[{"note":"hi"},{"note":"ok"},{"note":"<script>alert(1)</script>"}]}`),
	})
	fmt.Println(d.Action, d.Status)
	for _, f := range d.Findings {
		fmt.Println(f.Category, f.Location)
	}
	// Output:
	// block 403
	// xss body.items[2].note
}

func ExampleNew_configError() {
	_, err := guard.New(guard.WithMode(guard.Mode(42)))
	fmt.Println(err != nil)
	// Output: true
}
