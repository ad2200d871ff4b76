// Package hooks holds the registration points through which optional
// fnguard packages plug into the engine without the engine importing them.
//
// It imports nothing but the standard library, so that a program pays for
// an optional feature (and its dependencies' init time) only when it links
// the package that provides it, usually with a blank import.
package hooks
