package execguard_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/execguard"
)

func ExampleCommand() {
	g := guard.Must(guard.New(guard.WithoutEnv(), guard.WithLogger(nopLogger())))
	host := "127.0.0.1; cat /etc/passwd" // from the request
	ctx, end := guard.NewContext(context.Background(), g, &guard.Invocation{
		Source: guard.SourceHTTP, Query: []guard.Param{{Name: "host", Value: host}}})
	defer end()

	_, err := execguard.Command(ctx, "/bin/sh", "-c", "ping -c 1 "+host)
	var be *guard.BlockedError
	if errors.As(err, &be) {
		f := be.Decision.Findings[0]
		fmt.Println(errors.Is(err, guard.ErrBlocked), f.Rule, f.Location)
	}

	// The same input as a positional parameter is safe.
	_, err = execguard.Command(ctx, "/bin/sh", "-c", `ping -c 1 "$1"`, "sh", host)
	fmt.Println(err)
	// Output:
	// true exec.separator query.host
	// <nil>
}
