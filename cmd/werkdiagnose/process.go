package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/bar-organisatie/werkdiagnose/internal/config"
	"github.com/bar-organisatie/werkdiagnose/internal/process"
)

// cmdProcessShow prints the process definition the configuration gives:
// every step with its team, term, form, checks, effects and what follows,
// then the routes through it; with --json the definition as stored with
// a case. It needs no database.
func cmdProcessShow(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("process show", flag.ContinueOnError)
	fs.SetOutput(stdout)
	path := fs.String("config", "", "configuration file (JSON); default: "+config.EnvConfig+" or the built-in policy")
	asJSON := fs.Bool("json", false, "print the definition as JSON")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	cfg, err := config.Load(*path)
	if err != nil {
		return err
	}
	def, err := process.NewDefinition(cfg.Policy)
	if err != nil {
		return fmt.Errorf("process definition: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(def)
	}
	return def.Print(stdout)
}

// cmdProcessPermissions prints the permission table and the need-to-know
// rules the configuration gives, for a security review. It needs no
// database.
func cmdProcessPermissions(_ context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("process permissions", flag.ContinueOnError)
	fs.SetOutput(stdout)
	path := fs.String("config", "", "configuration file (JSON); default: "+config.EnvConfig+" or the built-in policy")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	cfg, err := config.Load(*path)
	if err != nil {
		return err
	}
	return process.PrintPermissions(stdout, cfg.Policy)
}
