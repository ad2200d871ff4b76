package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// subcommand is the flag handling every subcommand shares: a flag set that
// reports to stderr, the usage text, a --format flag checked against the
// formats the subcommand writes, the number of arguments, and how an input
// or usage error is reported (exit status 2, prefixed with the command).
type subcommand struct {
	name    string // "replay"
	fs      *flag.FlagSet
	stderr  io.Writer
	format  *string
	formats []string
}

// newSubcommand starts the flag set of "fnguard name"; synopsis is the
// usage line after the name, notes are printed under it.
func newSubcommand(name, synopsis string, stderr io.Writer, notes ...string) *subcommand {
	c := &subcommand{name: name, fs: flag.NewFlagSet("fnguard "+name, flag.ContinueOnError), stderr: stderr}
	c.fs.SetOutput(stderr)
	c.fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: fnguard "+name+" "+synopsis)
		for _, n := range notes {
			fmt.Fprintln(stderr, "  "+n)
		}
		c.fs.PrintDefaults()
	}
	return c
}

// formatFlag defines --format with the accepted formats, the first being
// the default. help "" describes them as "output format: a, b or c".
func (c *subcommand) formatFlag(help string, formats ...string) *string {
	if help == "" {
		help = "output format: " + orList(formats)
	}
	c.formats = formats
	c.format = c.fs.String("format", formats[0], help)
	return c.format
}

// parse parses args, then checks --format and that the command got between
// min and max arguments (max < 0: no limit). On false the caller returns
// exitUsage: the problem has been reported.
func (c *subcommand) parse(args []string, min, max int) bool {
	if err := c.fs.Parse(args); err != nil {
		return false // the flag package has printed the error and the usage
	}
	if c.format != nil && !slices.Contains(c.formats, *c.format) {
		fmt.Fprintf(c.stderr, "fnguard %s: --format %q: want %s\n", c.name, *c.format, orList(c.formats))
		return false
	}
	if n := c.fs.NArg(); n < min || max >= 0 && n > max {
		c.fs.Usage()
		return false
	}
	return true
}

// fail reports a usage or input error and returns its exit status.
func (c *subcommand) fail(err error) int {
	fmt.Fprintf(c.stderr, "fnguard %s: %v\n", c.name, err)
	return exitUsage
}

// orList spells a list as "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
