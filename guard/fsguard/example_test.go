package fsguard_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"go.uber.org/zap"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/guard/fsguard"
)

func ExampleOpen() {
	g := guard.Must(guard.New(guard.WithoutEnv(), guard.WithLogger(zap.NewNop())))
	name := "../../etc/passwd" // from the request
	ctx, end := guard.NewContext(context.Background(), g, &guard.Invocation{
		Source: guard.SourceHTTP, PathParams: []guard.Param{{Name: "file", Value: name}}})
	defer end()

	_, err := fsguard.Open(ctx, filepath.Join("/var/task/public", name))
	var be *guard.BlockedError
	if errors.As(err, &be) {
		fmt.Println(be.Decision.Findings[0].Rule, be.Decision.Findings[0].Location)
	}
	// Output: file.traversal pathParameters.file
}
