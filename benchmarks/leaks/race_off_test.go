//go:build !race

package leaks

const raceEnabled = false
