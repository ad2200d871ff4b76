package benchmarks_test

import (
	"fmt"

	"github.com/fnguard/fnguard/benchmarks"
)

// Score two corpus items the way TestCorpusScore does: as the query
// parameter q of an API Gateway GET, through guardlambda.WrapHandler.
func ExampleClassify() {
	g, err := benchmarks.NewGuard()
	if err != nil {
		fmt.Println(err)
		return
	}
	h := benchmarks.CorpusHandler(g)
	for _, payload := range []string{"blue cotton shirt", "1' OR '1'='1' --"} {
		ev, err := benchmarks.CorpusEvent(benchmarks.PlaceQuery, payload)
		if err != nil {
			fmt.Println(err)
			return
		}
		outcome, err := benchmarks.Classify(benchmarks.InvokeContext("example"), h, ev)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-18s -> %s\n", payload, outcome)
	}
	// Output:
	// blue cotton shirt  -> passed
	// 1' OR '1'='1' --   -> 403
}
