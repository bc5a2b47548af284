package main

// outboundEnv is the part of a usage that lists how mail, webhooks and
// domain proofs are configured (package outbound reads these).
const outboundEnv = `environment (read by serve and by every command that runs without a server):
  LEAKWATCH_SMTP_ADDR, LEAKWATCH_SMTP_FROM      the SMTP server (host:port) and From address of mailed codes and alerts
  LEAKWATCH_SMTP_USER, LEAKWATCH_SMTP_PASSWORD  AUTH PLAIN credentials
  LEAKWATCH_SMTP_TLS                            starttls (default, required), tls (implicit) or none (loopback only)
  LEAKWATCH_SMTP_CA, LEAKWATCH_SMTP_HELO        a PEM file of CAs to trust for the SMTP server; the EHLO name
  LEAKWATCH_PUBLIC_URL                          where users reach the service (alerts link to it)
  LEAKWATCH_DNS_RESOLVER                        the DNS server (host:port) that checks TXT proofs of domains
  LEAKWATCH_PROOF_URL                           check meta-tag and file proofs at this URL instead of https://DOMAIN
  LEAKWATCH_WEBHOOK_PRIVATE=1                   let webhooks reach loopback and private addresses`

// commands is the command table, in the order "leakwatch help" lists it.
var commands []*command

func init() {
	// In init: the help command refers back to the table.
	commands = []*command{
		{name: "demo", summary: "import generated sample leaks and serve them",
			synopsis: "[--addr ADDR]", setup: setupDemo},
		{name: "serve", summary: "serve the HIBP-compatible API and the web interface",
			synopsis: "[--addr ADDR] [--tls-cert FILE --tls-key FILE | --tls-self-signed] [--admin-addr HOST:PORT] [--import-workers N] [--import-priority low|normal] [--rpm N] [--range-cache DIR|off] [--log-level LEVEL] [--public-url URL] [--dns-resolver HOST:PORT] [--no-ui] [--ui-operator]",
			setup:    setupServe, footer: outboundEnv},
		{name: "status", summary: "say what the running server is doing (uptime, imports, range packs, request rate)",
			synopsis: "[--json]", setup: setupStatus},
		{name: "init", summary: "create a data directory and its key file",
			synopsis: "", setup: setupInit},
		{name: "import", summary: "import leaked data into a breach",
			synopsis: importSynopsis, setup: setupImport},
		{name: "quarantine", summary: "list the lines an import could not parse (quarantine list)", subs: []*command{
			{name: "list", summary: "count the quarantined lines of a breach by source and reason, or list them",
				synopsis: "--breach NAME [--lines] [--json]", setup: setupQuarantineList},
		}},
		{name: "breaches", summary: "list the breach catalog",
			synopsis: "[--json]", setup: setupBreaches},
		{name: "breach", summary: "show or edit one breach (breach show NAME, breach set NAME ...)", subs: []*command{
			{name: "show", summary: "print one breach of the catalog as JSON (an HIBP Breach object)",
				synopsis: "NAME [--json]", setup: setupBreachShow},
			{name: "set", summary: "create or edit a breach of the catalog and print it as JSON",
				synopsis: "NAME [--title TITLE] [--domain DOMAIN] [--date YYYY-MM-DD] [--description HTML] [--logo URL] [--attribution TEXT] [--disclosure-url URL] [--verified|--unverified] [--fabricated] [--spam-list] [--stealer-log] [--sensitive] [--retired] [--malware]",
				setup:    setupBreachSet},
		}},
		{name: "check", summary: "check an email address or a password offline (check email ADDR, check password), or a login and password privately against a server (check login --private)", status: 2, subs: []*command{
			{name: "email", summary: "list the breaches an email address, phone number or username is in (exit status 0 if any, 1 if none)",
				synopsis: "ADDRESS|- [--json]", setup: setupCheckEmail},
			{name: "password", summary: "count a password's appearances, read from standard input or a prompt (exit status 0 if seen, 1 if not)",
				synopsis: "[--json]", setup: setupCheckPassword},
			{name: "login", summary: "ask a server whether a login and password leaked, without telling it the password; the password is read from standard input or a prompt (exit status 0 if leaked, similar or login only, 1 if not found)",
				synopsis: "--private --server URL [--api-key KEY] [--json] [-v|--verbose] USERNAME", setup: setupCheckLogin, footer: checkLoginEnv},
		}},
		{name: "verify", summary: "weigh the evidence that a breach is what it claims: how much of it earlier breaches already hold (recycled, combolist)",
			synopsis: "--breach NAME [--json] [--html FILE] | --dry-run --breach NAME [--date YYYY-MM-DD] [--format F] [--json] [--html FILE] FILE...", setup: setupVerify},
		{name: "gen", summary: "generate a synthetic leak",
			synopsis: "[--format FORMAT] [--rows N] [--seed N] [--junk-every N] [--out FILE | --tree DIR] | --kind KIND [--of SEEDS] [--site-rows N] [--rows N] [--seed N] [--out FILE]", setup: setupGen},
		{name: "keys", summary: "manage API keys (keys create|list|revoke)", subs: []*command{
			{name: "create", summary: "create an API key and print its secret, which is shown only once",
				synopsis: "NAME [--rpm N] [--owner EMAIL] [--json]", setup: setupKeysCreate},
			{name: "list", summary: "list the API keys (not their secrets)",
				synopsis: "[--json]", setup: setupKeysList},
			{name: "revoke", summary: "delete an API key",
				synopsis: "NAME", setup: setupKeysRevoke},
		}},
		{name: "domains", summary: "verify the owners of domains (domains add|verify|list|remove)", subs: []*command{
			{name: "add", summary: "start proving that OWNER controls DOMAIN, by DNS TXT record, meta tag, root file or mailed code",
				synopsis: "DOMAIN --owner EMAIL [--method dns|meta|file|email] [--mailbox security|hostmaster|postmaster|webmaster] [--json]", setup: setupDomainsAdd, footer: outboundEnv},
			{name: "verify", summary: "check a domain's proof: the published token, or the mailed code",
				synopsis: "DOMAIN [--code CODE] [--json]", setup: setupDomainsVerify, footer: outboundEnv},
			{name: "list", summary: "list the domain claims and whether they are verified",
				synopsis: "[--json]", setup: setupDomainsList},
			{name: "remove", summary: "forget a domain claim",
				synopsis: "DOMAIN", setup: setupDomainsRemove},
		}},
		{name: "addresses", summary: "let holders prove their addresses by a mailed code (addresses verify|confirm)", subs: []*command{
			{name: "verify", summary: "mail a one-time code to an address",
				synopsis: "EMAIL", setup: setupAddressesVerify, footer: outboundEnv},
			{name: "confirm", summary: "check the code mailed to an address",
				synopsis: "EMAIL CODE", setup: setupAddressesConfirm},
		}},
		{name: "alerts", summary: "breach alerts by mail and webhook (alerts subscribe|subscriptions|unsubscribe|list|retry|deliver)", subs: []*command{
			{name: "subscribe", summary: "ask for alerts about a confirmed address or a verified domain",
				synopsis: "--email ADDRESS | --domain DOMAIN [--webhook URL] [--no-mail] [--json]", setup: setupAlertsSubscribe, footer: outboundEnv},
			{name: "subscriptions", summary: "list the subscriptions (not their webhook secrets)",
				synopsis: "[--json]", setup: setupAlertsSubscriptions},
			{name: "unsubscribe", summary: "remove a subscription",
				synopsis: "ID", setup: setupAlertsUnsubscribe},
			{name: "list", summary: "list the alerts waiting to be delivered and the dead letters",
				synopsis: "[--json]", setup: setupAlertsList},
			{name: "retry", summary: "deliver dead letters again",
				synopsis: "ID | --all", setup: setupAlertsRetry},
			{name: "deliver", summary: "queue the alerts of new commits and send what is due, once (a running server does this by itself)",
				synopsis: "[--json]", setup: setupAlertsDeliver, footer: outboundEnv},
		}},
		{name: "admin", summary: "manage admin tokens for remote operators (admin token create|list|revoke)", subs: []*command{
			{name: "token", summary: "manage the tokens of the TLS admin API (--admin-addr)", subs: []*command{
				{name: "create", summary: "create an admin token and print its secret, which is shown only once",
					synopsis: "NAME [--json]", setup: setupAdminTokenCreate},
				{name: "list", summary: "list the admin tokens (not their secrets)",
					synopsis: "[--json]", setup: setupAdminTokenList},
				{name: "revoke", summary: "delete an admin token; requests with it fail at once",
					synopsis: "NAME", setup: setupAdminTokenRevoke},
			}},
		}},
		{name: "private", summary: "the private credential check's index (private enable|status|build|rotate)", subs: []*command{
			{name: "enable", summary: "make the first epoch's key; from then on imports spool their pairs for the index",
				synopsis: "[--bucket-bits N | --expected-pairs N] [--json]", setup: setupPrivateEnable},
			{name: "status", summary: "show the epochs, their key fingerprints, and the pairs indexed and waiting",
				synopsis: "[--json]", setup: setupPrivateStatus},
			{name: "build", summary: "index the spooled pairs (slow hash and OPRF, about 0.5 ms of a core a pair), resumably",
				synopsis: "[--workers N] [--quiet] [--json]", setup: setupPrivateBuild},
			{name: "rotate", summary: "make a new epoch with a fresh key from the indexed inputs, without the leak files; the old one is retired after --grace",
				synopsis: "[--grace DURATION] [--bucket-bits N] [--workers N] [--quiet] [--json]", setup: setupPrivateRotate},
		}},
		{name: "keyring", summary: "manage the key file (keyring rotate)", subs: []*command{
			{name: "rotate", summary: "make a new key pair, re-wrap every data key under it and retire the old pair",
				synopsis: "[--json]", setup: setupKeyringRotate},
		}},
		{name: "export", summary: "export the Pwned Passwords corpus (export pwned-passwords)", subs: []*command{
			{name: "pwned-passwords", summary: "write the password hash corpus in the Pwned Passwords downloader's format, or one PREFIX.txt per range",
				synopsis: "[--mode sha1|ntlm] --out PATH [--split] [--force] [--json]", setup: setupExport},
		}},
		{name: "backup", summary: "write a consistent snapshot of the data directory, while it serves or not",
			synopsis: "--out FILE|- [--with-keys] [--force] [--json]", setup: setupBackup},
		{name: "restore", summary: "restore a backup into a new, empty data directory (--data DIR; --keyring FILE unless it holds the key file)",
			synopsis: "FILE|- [--json]", setup: setupRestore},
		{name: "version", summary: "print the version", synopsis: "", setup: setupVersion},
		{name: "help", summary: "print the usage of leakwatch or of a command",
			synopsis: "[COMMAND [SUBCOMMAND]]", setup: setupHelp},
	}
}
