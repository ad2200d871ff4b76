// Command guarded is the guarded Lambda of the cold-start comparison: the
// same shop handler as benchmarks/coldstart/plain, wrapped by fnguard with
// its configuration from the environment (FNGUARD_*):
//
//	go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o bootstrap ./benchmarks/coldstart/guarded
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnguard/fnguard/benchmarks/coldstart/shop"
	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

func main() {
	lambda.Start(guardlambda.Wrap(guard.Must(guard.New()), shop.Handle))
}
