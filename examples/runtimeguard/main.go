package main

import (
	"log"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/fnguard/fnguard/guard"
	"github.com/fnguard/fnguard/middleware/guardlambda"
)

func main() {
	g, err := guard.New() // FNGUARD_* from the environment, see template.yaml
	if err != nil {
		log.Fatal(err) // a bad setting fails the cold start: never serve unprotected
	}
	// http.DefaultClient: guardlambda calls g.Protect before the first
	// invocation, which installs FNGUARD_EGRESS_ALLOW on its transport and
	// applies FNGUARD_LOCKDOWN to the process.
	a, err := newApp(g, http.DefaultClient, os.Getenv("UPLOAD_DIR"))
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(guardlambda.Wrap(g, a.handle))
}
