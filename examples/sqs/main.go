package main

import (
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

func main() {
	g, err := guard.New()
	if err != nil {
		log.Fatal(err) // a bad FNGUARD_* setting fails the cold start
	}
	p := &processor{sink: newLogSink(os.Stdout), log: log.New(os.Stderr, "", 0)}
	lambda.Start(guardlambda.Wrap(g, p.handle))
}
