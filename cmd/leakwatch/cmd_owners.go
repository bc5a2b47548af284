package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/leakwatch/leakwatch/internal/alert"
	"github.com/leakwatch/leakwatch/internal/control"
	"github.com/leakwatch/leakwatch/internal/exposure"
	"github.com/leakwatch/leakwatch/internal/owner"
)

// ownerError adds the hint a failed owner or alert call has.
func ownerError(err error) error {
	switch {
	case errors.Is(err, owner.ErrNeedsMailer):
		return withHint(err, "set LEAKWATCH_SMTP_ADDR and LEAKWATCH_SMTP_FROM (see leakwatch help serve), or use --method dns, meta or file")
	case errors.Is(err, owner.ErrWrongCode):
		return withHint(err, "codes expire after a day and five tries; start again to get a new one")
	case errors.Is(err, owner.ErrNotProven):
		return withHint(err, "publish the proof leakwatch domains add printed (leakwatch domains list shows the claims), wait until DNS or the site serves it, and verify again")
	case errors.Is(err, owner.ErrNotFound):
		return withHint(err, "leakwatch domains list shows the claims")
	case errors.Is(err, owner.ErrOwned):
		return withHint(err, "its owner removes it first (leakwatch domains remove DOMAIN)")
	case errors.Is(err, alert.ErrNotVerified):
		return withHint(err, "leakwatch addresses verify EMAIL, or leakwatch domains add DOMAIN --owner EMAIL")
	case errors.Is(err, exposure.ErrBadAccount), errors.Is(err, control.ErrBadRequest):
		return usageError{err.Error()}
	}
	return err
}

func printDomain(e *env, d owner.Domain, asJSON bool) error {
	if asJSON {
		return writeJSON(e, d)
	}
	state := "pending"
	if d.IsVerified() {
		state = "verified " + d.Verified.UTC().Format(time.RFC3339)
	}
	fmt.Fprintf(e.stdout, "domain: %s\nowner: %s\nmethod: %s\nstate: %s\n", d.Name, quoteName(d.Owner), d.Method, state)
	if !d.IsVerified() {
		fmt.Fprintf(e.stdout, "to do: %s, then run leakwatch domains verify %s", d.Instructions(), d.Name)
		if d.Method == owner.MethodEmail {
			fmt.Fprint(e.stdout, " --code CODE")
		}
		fmt.Fprintln(e.stdout)
	}
	return nil
}

func setupDomainsAdd(fs *flag.FlagSet) runFunc {
	ownerEmail := fs.String("owner", "", "the address of the domain's owner (required)")
	method := fs.String("method", owner.MethodDNS, "how to prove control: dns, meta, file or email")
	mailbox := fs.String("mailbox", "security", "with --method email, the standard address the code goes to: security, hostmaster, postmaster or webmaster")
	asJSON := fs.Bool("json", false, "print the claim as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 || *ownerEmail == "" {
			return usageError{"domains add needs one DOMAIN and --owner EMAIL"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		d, err := s.AddDomain(ctx, control.DomainRequest{Domain: args[0], Owner: *ownerEmail, Method: *method, Mailbox: *mailbox})
		if err != nil {
			return ownerError(err)
		}
		return printDomain(e, d, *asJSON)
	}
}

func setupDomainsVerify(fs *flag.FlagSet) runFunc {
	code := fs.String("code", "", "the code mailed to the domain (method email)")
	asJSON := fs.Bool("json", false, "print the claim as JSON")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"domains verify needs one DOMAIN"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		d, err := s.VerifyDomain(ctx, args[0], *code)
		if err != nil && *code == "" && errors.Is(err, owner.ErrWrongCode) {
			return withHint(err, "give the code mailed to the domain: leakwatch domains verify DOMAIN --code CODE")
		} else if err != nil {
			return ownerError(err)
		}
		return printDomain(e, d, *asJSON)
	}
}

func setupDomainsList(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print a JSON array of claims")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"domains list takes no arguments"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		ds, err := s.Domains(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			if ds == nil {
				ds = []owner.Domain{}
			}
			return writeJSON(e, ds)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "DOMAIN\tOWNER\tMETHOD\tVERIFIED")
		for _, d := range ds {
			v := "-"
			if d.IsVerified() {
				v = d.Verified.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Name, quoteName(d.Owner), d.Method, v)
		}
		return tw.Flush()
	}
}

func setupDomainsRemove(fs *flag.FlagSet) runFunc {
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"domains remove needs one DOMAIN"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		if err := s.RemoveDomain(ctx, args[0]); err != nil {
			return ownerError(err)
		}
		notef(e, "removed the claim of %s", args[0])
		return nil
	}
}

func setupAddressesVerify(fs *flag.FlagSet) runFunc {
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"addresses verify needs one EMAIL"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		a, err := s.StartAddress(ctx, args[0])
		if err != nil {
			return ownerError(err)
		}
		if a.IsVerified() {
			notef(e, "the address is verified already")
			return nil
		}
		notef(e, "a code was mailed to the address; run leakwatch addresses confirm EMAIL CODE")
		return nil
	}
}

func setupAddressesConfirm(fs *flag.FlagSet) runFunc {
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 2 {
			return usageError{"addresses confirm needs EMAIL and CODE"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		if _, err := s.ConfirmAddress(ctx, args[0], args[1]); errors.Is(err, owner.ErrNotFound) {
			return withHint(err, "leakwatch addresses verify EMAIL mails the code first")
		} else if err != nil {
			return ownerError(err)
		}
		notef(e, "the address is verified")
		return nil
	}
}

func setupAlertsSubscribe(fs *flag.FlagSet) runFunc {
	email := fs.String("email", "", "alerts about this address (confirmed with leakwatch addresses verify); mail goes to it")
	domain := fs.String("domain", "", "alerts about the addresses at this verified domain; mail goes to its owner")
	webhook := fs.String("webhook", "", "also post signed JSON (Standard Webhooks) to this URL")
	noMail := fs.Bool("no-mail", false, "send no mail: the webhook only")
	asJSON := fs.Bool("json", false, "print the subscription as JSON, with the webhook secret")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 || (*email == "") == (*domain == "") {
			return usageError{"alerts subscribe needs one of --email ADDRESS or --domain DOMAIN"}
		}
		req := control.SubscribeRequest{Kind: alert.KindEmail, Target: *email, Webhook: *webhook, NoMail: *noMail}
		if *domain != "" {
			req.Kind, req.Target = alert.KindDomain, *domain
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		sub, err := s.Subscribe(ctx, req)
		if err != nil {
			return ownerError(err)
		}
		if *asJSON {
			return writeJSON(e, sub)
		}
		fmt.Fprintf(e.stdout, "subscription: %s\n", sub.ID)
		if sub.Secret != "" {
			fmt.Fprintf(e.stdout, "webhook secret: %s\n", sub.Secret)
			notef(e, "the webhook secret is shown only now; receivers verify webhook-signature with it")
		}
		return nil
	}
}

func setupAlertsSubscriptions(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, "print a JSON array of subscriptions (without secrets)")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"alerts subscriptions takes no arguments"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		subs, err := s.Subscriptions(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e, subs)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tKIND\tTARGET\tMAIL\tWEBHOOK")
		for _, sub := range subs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", sub.ID, sub.Kind, quoteName(sub.Target), orDash(quoteName(sub.MailTo)), orDash(quoteName(sub.Webhook)))
		}
		return tw.Flush()
	}
}

func orDash(s string) string {
	if s == "" || s == `""` {
		return "-"
	}
	return s
}

func setupAlertsUnsubscribe(fs *flag.FlagSet) runFunc {
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 {
			return usageError{"alerts unsubscribe needs one subscription ID"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		if err := s.Unsubscribe(ctx, args[0]); err != nil {
			return ownerError(err)
		}
		notef(e, "removed subscription %s", quoteName(args[0]))
		return nil
	}
}

func setupAlertsList(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, `print {"outbox":[...],"dead":[...]}`)
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"alerts list takes no arguments"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		rep, err := s.AlertOutbox(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e, rep)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSTATE\tCHANNEL\tBREACH\tATTEMPTS\tDUE\tLAST ERROR")
		for _, list := range []struct {
			state string
			ds    []alert.Delivery
		}{{"pending", rep.Outbox}, {"dead", rep.Dead}} {
			for _, d := range list.ds {
				due := d.Due.UTC().Format(time.RFC3339)
				if list.state == "dead" {
					due = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", d.ID, list.state, d.Channel, quoteName(d.Breach), d.Attempts, due, orDash(escapeText(strings.TrimSpace(d.LastError))))
			}
		}
		return tw.Flush()
	}
}

func setupAlertsRetry(fs *flag.FlagSet) runFunc {
	all := fs.Bool("all", false, "retry every dead letter")
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) != 1 && !*all || len(args) > 0 && *all {
			return usageError{"alerts retry needs one delivery ID or --all"}
		}
		id := ""
		if len(args) == 1 {
			id = args[0]
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		n, err := s.RetryAlerts(ctx, id)
		if err != nil {
			return ownerError(err)
		}
		notef(e, "%d deliveries are due again", n)
		return nil
	}
}

func setupAlertsDeliver(fs *flag.FlagSet) runFunc {
	asJSON := fs.Bool("json", false, `print {"queued","sent","failed"}`)
	return func(ctx context.Context, e *env, args []string) error {
		if len(args) > 0 {
			return usageError{"alerts deliver takes no arguments"}
		}
		s, err := e.connect(ctx, readStore)
		if err != nil {
			return err
		}
		defer s.end(true)
		rep, err := s.DeliverAlerts(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(e, rep)
		}
		fmt.Fprintf(e.stdout, "queued %d, sent %d, failed %d\n", rep.Queued, rep.Sent, rep.Failed)
		return nil
	}
}
