package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/fnguard/fnguard/guard/detect"
)

// ruleView is a rule of the inventory as `fnguard rules` prints it.
type ruleView struct {
	ID          string   `json:"id"`
	Category    string   `json:"category"`
	Confidence  string   `json:"confidence"`
	Description string   `json:"description"`
	Attacks     []string `json:"attackExamples,omitempty"`
	Benign      []string `json:"benignExamples,omitempty"`
}

func runRules(args []string, stdout, stderr io.Writer) int {
	c := newSubcommand("rules", "[--format text|json] [--examples]", stderr)
	format := c.formatFlag("", "text", "json")
	examples := c.fs.Bool("examples", false, "include each rule's attack and benign examples (json always has them)")
	if !c.parse(args, 0, 0) {
		return exitUsage
	}
	rules := detect.Rules()
	views := make([]ruleView, 0, len(rules))
	for _, r := range rules {
		views = append(views, ruleView{ID: r.ID, Category: string(r.Category), Confidence: r.Confidence.String(), Description: r.Description, Attacks: r.Attacks, Benign: r.Benign})
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(views); err != nil {
			return writeErr(stderr, err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCATEGORY\tCONFIDENCE\tDESCRIPTION")
	for _, v := range views {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v.ID, v.Category, v.Confidence, v.Description)
		if *examples {
			for _, a := range v.Attacks {
				fmt.Fprintf(tw, "\t\tattack\t%q\n", a)
			}
			for _, b := range v.Benign {
				fmt.Fprintf(tw, "\t\tbenign\t%q\n", b)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		return writeErr(stderr, err)
	}
	fmt.Fprintf(stdout, "\n%d rules\n", len(views))
	return exitOK
}

// ruleDescription returns the inventory's description of a rule id, or ""
// for user rules and engine (policy) rules.
func ruleDescription(id string) string {
	if r, ok := detect.LookupRule(id); ok {
		return r.Description
	}
	return ""
}
