package main

import "fmt"

func ExampleXRayParent() {
	sc, ok := XRayParent("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
	fmt.Println(ok, sc.TraceID(), sc.SpanID(), sc.IsSampled())
	// Output: true 5759e988bd862e3fe1be46a994272793 53995c3f42cd8ad8 true
}
