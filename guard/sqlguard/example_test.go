package sqlguard_test

import (
	"fmt"

	"github.com/fnguard/fnguard/guard/sqlguard"
)

// Judge is the decision sqlguard applies to each input found in a statement.
func ExampleJudge() {
	id := "1 OR 1=1"
	v, rule := sqlguard.Judge(sqlguard.PostgreSQL, "SELECT name FROM items WHERE id = "+id, id)
	fmt.Println(v == 2, rule)

	sort := "price DESC"
	v, _ = sqlguard.Judge(sqlguard.PostgreSQL, "SELECT name FROM items ORDER BY "+sort, sort)
	fmt.Println(v == 0)
	// Output:
	// true sql.tautology
	// true
}
