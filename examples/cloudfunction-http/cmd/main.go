// Command cmd runs the Hello function locally with the Functions Framework:
//
//	go run ./examples/cloudfunction-http/cmd
//	curl 'http://127.0.0.1:8080/?name=Ada'                    # 200 Hello, Ada!
//	curl 'http://127.0.0.1:8080/?name=%27%20OR%201%3D1--'     # 403, blocked by fnguard
//
// It listens on 127.0.0.1 and $PORT (default 8080).
package main

import (
	"log"
	"os"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"

	_ "github.com/fnguard/fnguard/examples/cloudfunction-http" // registers Hello
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	// Serve Hello at "/", as Cloud Functions does.
	if os.Getenv("FUNCTION_TARGET") == "" {
		os.Setenv("FUNCTION_TARGET", "Hello")
	}
	log.Printf("serving Hello on http://127.0.0.1:%s/", port)
	if err := funcframework.StartHostPort("127.0.0.1", port); err != nil {
		log.Fatalf("funcframework.StartHostPort: %v", err)
	}
}
