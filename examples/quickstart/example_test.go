package main

import (
	"context"
	"fmt"
)

// Invoking the protected handler with one of the quickstart's attacks: the
// handler never runs, API Gateway gets a 403, and fnguard's log line says
// what was found where.
func Example_blockedRequest() {
	l, err := newLab()
	if err != nil {
		fmt.Println(err)
		return
	}
	sqli := samples()[3]
	r, err := l.invoke(context.Background(), "example-0001", sqli)
	if err != nil {
		fmt.Println(err)
		return
	}
	f, _ := r.finding()
	fmt.Println(sqli.event.QueryStringParameters["q"])
	fmt.Println(r.verdict(), r.status, "handler ran:", r.handlerRan)
	fmt.Println(f.Category, "at", f.Location)
	// Output:
	// ' OR 1=1--
	// BLOCKED 403 handler ran: false
	// sqli at query.q
}
