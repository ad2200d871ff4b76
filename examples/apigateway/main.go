package main

import (
	"log"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

func main() {
	g, err := guard.New()
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(guardlambda.Wrap(g, handler))
}
