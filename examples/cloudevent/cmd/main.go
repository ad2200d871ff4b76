// Command cmd runs the ProcessOrder CloudEvent function locally with the
// Functions Framework, on 127.0.0.1 and $PORT (default 8080):
//
//	go run ./examples/cloudevent/cmd
//
// and, in another terminal, a Pub/Sub push of {"id":"o-1","sku":"BK-1","qty":1}:
//
//	curl -i http://127.0.0.1:8080/projects/shop/topics/orders -H 'Content-Type: application/json' \
//	  -d '{"message":{"data":"eyJpZCI6Im8tMSIsInNrdSI6IkJLLTEiLCJxdHkiOjF9","messageId":"1"},"subscription":"projects/shop/subscriptions/fn"}'
package main

import (
	"log"
	"os"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"

	_ "github.com/fnguard/fnguard/examples/cloudevent" // registers ProcessOrder
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if os.Getenv("FUNCTION_TARGET") == "" {
		os.Setenv("FUNCTION_TARGET", "ProcessOrder") // serve it at "/" (and below, for Pub/Sub push paths)
	}
	log.Printf("serving ProcessOrder on http://127.0.0.1:%s/", port)
	if err := funcframework.StartHostPort("127.0.0.1", port); err != nil {
		log.Fatalf("funcframework.StartHostPort: %v", err)
	}
}
