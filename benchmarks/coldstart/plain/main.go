// Command plain is the unguarded Lambda of the cold-start comparison: the
// shop handler under lambda.Start. Build it as for the provided.al2023
// runtime:
//
//	go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o bootstrap ./benchmarks/coldstart/plain
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnguard/fnguard/benchmarks/coldstart/shop"
)

func main() {
	lambda.Start(shop.Handle)
}
