package guard

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestNestedLocations: the locations of nested documents (base64 of
// JSON, JSON in a string, GraphQL in a string) are rendered into pooled
// buffers that are reused from one document to the next (relLoc); every
// finding still names where its own string is, however many nested
// documents came after it, in a body and in the records of a batch.
func TestNestedLocations(t *testing.T) {
	g, _ := newTestGuard(t)
	b64 := func(doc string) string { return base64.StdEncoding.EncodeToString([]byte(doc)) }
	var members, want []string
	for i := range 6 {
		members = append(members,
			fmt.Sprintf(`"a%d":%q`, i, b64(fmt.Sprintf(`{"n%d":"x' OR 1=1--"}`, i))),
			fmt.Sprintf(`"b%d":%q`, i, fmt.Sprintf(`{"m%d":"<script>alert(1)</script>"}`, i)),
			fmt.Sprintf(`"c%d":%q`, i, fmt.Sprintf(`query { f(x%d: "<script>alert(1)</script>") { id } }`, i)),
		)
		want = append(want, fmt.Sprintf("body.a%d<base64>.n%d", i, i), fmt.Sprintf("body.b%d<json>.m%d", i, i), fmt.Sprintf("body.c%d<graphql>.x%d", i, i))
	}
	body := "{" + strings.Join(members, ",") + "}"
	d := g.Inspect(context.Background(), &Invocation{Source: SourceHTTP, Method: "POST", Path: "/x", ContentType: "application/json", Body: []byte(body)})
	var got []string
	for _, f := range d.Findings {
		if !slices.Contains(got, f.Location) {
			got = append(got, f.Location)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("locations\n got %q\nwant %q", got, want)
	}

	// The same documents in the bodies of a batch's records.
	inv := &Invocation{Source: SourceSQS}
	for i := range 3 {
		inv.Records = append(inv.Records, Record{Body: []byte(fmt.Sprintf(`{"a":%q,"b":%q}`, b64(`{"n":"x' OR 1=1--"}`), `{"m":"<script>alert(1)</script>"}`))})
		_ = i
	}
	d = g.Inspect(context.Background(), inv)
	got = got[:0]
	for _, f := range d.Findings {
		if !slices.Contains(got, f.Location) {
			got = append(got, f.Location)
		}
	}
	want = []string{"records[0].body.a<base64>.n", "records[0].body.b<json>.m", "records[1].body.a<base64>.n", "records[1].body.b<json>.m", "records[2].body.a<base64>.n", "records[2].body.b<json>.m"}
	if !slices.Equal(got, want) {
		t.Errorf("batch locations\n got %q\nwant %q", got, want)
	}
}
