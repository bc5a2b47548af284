package main

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The scripts in testdata/script run the real program: testscript re-runs
// this test binary as "leakwatch", which calls run like main does.
func TestMain(m *testing.M) {
	// Tests that need a real process to kill run this binary as leakwatch.
	if os.Getenv("LEAKWATCH_TEST_AS_MAIN") == "1" {
		main() // with its signal handling
	}
	testscript.Main(m, map[string]func(){
		"leakwatch": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("LEAKWATCH_DATA", env.WorkDir+"/data")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// mkpng FILE writes the first bytes of a PNG image: a binary
			// input a txtar archive cannot hold.
			"mkpng": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: mkpng FILE")
				}
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0o600))
			},
		},
		Condition: func(cond string) (bool, error) {
			if cond == "race" {
				return raceEnabled, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}
