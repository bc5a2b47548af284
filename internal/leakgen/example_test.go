package leakgen_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/leakwatch/leakwatch/internal/leakgen"
	"github.com/leakwatch/leakwatch/internal/leakparse"
)

func ExampleGenerate() {
	opts := leakgen.Options{Format: leakparse.FormatCombo, Rows: 6, Seed: 1, JunkEvery: 4}
	st, err := leakgen.Generate(context.Background(), os.Stdout, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d rows, %d junk lines\n", st.Rows, st.JunkLines)
	// Output:
	// obinna.adebayo@yahoo.com:123456
	// jwalker@icloud.com|MERCEDES9
	// GHOST@GMAIL.COM:xad5ab2fwrkup6y8n
	// ==================
	// kkimura:muhwhdtk9qz19p9s5
	// oleg6993@bk.ru:Yamaha068
	// zofiakrol1999@op.pl:password
	// 6 rows, 1 junk lines
}

func ExampleGenerate_ulp() {
	opts := leakgen.Options{Format: leakparse.FormatULP, Rows: 4, Seed: 7}
	if _, err := leakgen.Generate(context.Background(), os.Stdout, opts); err != nil {
		fmt.Println(err)
	}
	// Output:
	// https://ok.ru/:williams.sandra@gmail.com:Welcome3$
	// 12.114.125.76/:kyamada@biglobe.ne.jp:222222222
	// https://www.corsta.com:2087/session/new:madison.rivera@gmail.com:schalke04
	// https://github.com/login:Jhernandez:hdDy9JVLJFJVoskzQS2
}

func ExamplePeople() {
	for i, p := range leakgen.People(1) {
		if i == 3 {
			break
		}
		fmt.Println(i, p.Country, p.Email, p.PhoneE164, p.DateOfBirth)
	}
	// Output:
	// 0 NG obinna.adebayo@yahoo.com +2348057280785 1990-05-03
	// 1 US jwalker@icloud.com +16028961130 1986-10-01
	// 2 US ghost@gmail.com +15124888807 2001-04-04
}

func ExampleGenerateStealerTree() {
	dir, err := os.MkdirTemp("", "leakgen-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	st, err := leakgen.GenerateStealerTree(context.Background(), dir, leakgen.Options{Rows: 40, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		fmt.Println(filepath.ToSlash(rel))
	}
	fmt.Println(st.Rows, "credentials")
	// Output:
	// [BR]131.158.213.133/Passwords.txt
	// [BR]131.158.213.133/System.txt
	// [BR]189.213.145.27/Passwords.txt
	// [BR]189.213.145.27/System.txt
	// [FR]44.207.181.136/Passwords.txt
	// [FR]44.207.181.136/System.txt
	// [NG]138.50.145.18/All Passwords.txt
	// [NG]138.50.145.18/System.txt
	// 40 credentials
}
