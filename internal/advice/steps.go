package advice

import "github.com/leakwatch/leakwatch/internal/catalog"

// The steps. Short sentences, plain text, no HTML, no jargon the reader
// must look up. A step shared by several classes is one variable, so it
// reads the same everywhere.

var (
	stepTwoFactor = Step{
		Title:  "Turn on two-factor sign-in",
		Detail: "Add a second step to signing in, preferably a passkey or an authenticator app. Codes sent by text message are better than nothing, but they can be stolen by taking over your phone number.",
	}
	stepSignOutEverywhere = Step{
		Title:  "Sign out of all sessions",
		Detail: "In the account's security settings, sign out of all devices and sessions. This makes stolen session tokens and cookies useless. If the site has no such option, changing the password often does the same.",
	}
	stepRevokeTokens = Step{
		Title:  "Revoke tokens and app passwords",
		Detail: "Revoke API tokens, app passwords and access granted to third-party apps. Create new ones only for what you still use.",
	}
	stepStatements = Step{
		Title:  "Watch your statements",
		Detail: "Check your statements and alerts for payments, direct debits or transfers you do not recognise, including small test charges. Report them at once: the sooner you report, the more you are protected.",
	}
	stepBankCalls = Step{
		Title:  "Beware of calls about the breach",
		Detail: "Your bank will never ask for your PIN, full password or a one-time code. If someone calls about the breach, hang up and call the number on the back of your card.",
	}
	stepCreditFreeze = Step{
		Title:  "Freeze your credit",
		Detail: "A credit freeze stops lenders from opening new accounts in your name. In the US, it is free: place one with each of Equifax, Experian and TransUnion. Elsewhere, ask the credit reference agencies about a freeze or a fraud alert.",
	}
	stepIdentityTheft = Step{
		Title:  "Watch for identity theft",
		Detail: "Check your credit reports regularly for accounts or searches you do not recognise. Act at once on letters about loans, accounts or debts that are not yours. In the US, report identity theft at IdentityTheft.gov.",
	}
	stepScams = Step{
		Title:  "Expect personalised scams",
		Detail: "Scammers use leaked details to make messages look genuine. A message that knows your name or other details is not proof that it is real.",
	}
	stepWorkPhishing = Step{
		Title:  "Expect work-themed phishing",
		Detail: "Scammers may pose as your employer, a colleague or a recruiter. Check unusual requests, especially for payments, gift cards or sign-in codes, with a contact you already know.",
	}
	stepLowerRisk = Step{
		Title:  "Lower risk: stay alert",
		Detail: "This data shows roughly where you were or what you used. On its own it rarely lets anyone into your accounts, but scammers may quote it to seem credible.",
	}
)

// passwords is the advice for a leaked password.
var passwords = []Step{
	{
		Title:  "Change this password",
		Detail: "If you still use the breached account, change its password now.",
	},
	{
		Title:  "Change it everywhere you reused it",
		Detail: "Attackers try leaked email and password pairs on other sites. Change the password on every site where you used the same or a similar one, starting with your email account.",
	},
	{
		Title:  "Use a password manager",
		Detail: "Let a password manager create and remember a long, unique password for every site. Then one breach exposes only one account.",
	},
	stepTwoFactor,
}

// stealer is the advice for an exposure in a stealer log. Cleaning comes
// first: a stealer still on the device captures new passwords too.
var stealer = []Step{
	{
		Title:  "Clean the infected device first",
		Detail: "Malware on one of your devices copied your saved passwords and sign-in cookies. While it is there it also captures new passwords, so do not change them from that device yet. Back up your files, then reset or reinstall the device; at the very least, run a full scan with up-to-date security software.",
	},
	{
		Title:  "Then change your passwords from a clean device",
		Detail: "Once the device is clean, or from another device you trust, change your passwords: your email account first, then banking, then every site saved in that browser.",
	},
	stepSignOutEverywhere,
	stepTwoFactor,
}

var generic = []Step{
	{
		Title:  "Review what you shared with this site",
		Detail: "Think about what the site held about you. Change anything that still works as a secret, such as a password or a security answer.",
	},
	stepScams,
}

var byClass = map[catalog.DataClass][]Step{
	catalog.ClassPassword: passwords,
	catalog.ClassPasswordHash: append([]Step{{
		Title:  "Treat the password as leaked",
		Detail: "Password hashes get cracked, quickly for common passwords and for older hashes such as MD5 or SHA-1. Act as if the password itself leaked.",
	}}, passwords...),
	catalog.ClassAuthToken: {stepSignOutEverywhere, stepRevokeTokens},
	catalog.ClassCookie:    {stepSignOutEverywhere, stepRevokeTokens},
	catalog.ClassSecurityQuestion: {
		{
			Title:  "Change your security answers",
			Detail: "Change the answers on the breached site and on every site where you used the same ones.",
		},
		{
			Title:  "Treat answers like passwords",
			Detail: "Answers such as a first school or a mother's maiden name can be found or guessed. Use random, made-up answers and keep them in your password manager.",
		},
	},
	catalog.ClassCreditCard: {
		{
			Title:  "Tell your card issuer",
			Detail: "Call your bank or card issuer on the number on the back of your card. Ask them to cancel the card and send a new one with a new number.",
		},
		stepStatements,
		stepBankCalls,
	},
	catalog.ClassBankAccount: {
		{
			Title:  "Tell your bank",
			Detail: "Tell your bank the account number was exposed, and ask whether they advise extra monitoring or a new account.",
		},
		stepStatements,
		stepBankCalls,
	},
	catalog.ClassGovernmentID: {
		stepCreditFreeze,
		stepIdentityTheft,
		{
			Title:  "Protect your tax return",
			Detail: "In the US, get an Identity Protection PIN (IP PIN) from the IRS. It stops anyone else filing a tax return with your Social Security number.",
		},
	},
	catalog.ClassDateOfBirth: {
		stepCreditFreeze,
		stepIdentityTheft,
		{
			Title:  "Add a passcode where your birth date is the check",
			Detail: "Banks and phone carriers often use your date of birth to confirm who you are. Ask them to add a password or PIN to your account.",
		},
	},
	catalog.ClassPhone: {
		{
			Title:  "Protect your number from SIM swaps",
			Detail: "Ask your mobile carrier to add a PIN to your account and to turn on port-out protection (a number transfer lock). This makes it harder for someone to move your number to their SIM.",
		},
		{
			Title:  "Expect scam texts and calls",
			Detail: "Be wary of texts and calls about the breach, a delivery or your bank. Do not tap links in unexpected texts. Call back on a number you look up yourself.",
		},
		{
			Title:  "Do not rely on text messages alone",
			Detail: "If a text message is your only second sign-in step, add a passkey or an authenticator app. A hijacked number could otherwise let someone reset your passwords.",
		},
	},
	catalog.ClassEmail: {
		{
			Title:  "Expect targeted phishing",
			Detail: "Scammers use breach data to write convincing emails, sometimes mentioning the breach itself. Do not click links or open attachments in mail you did not expect. Go to the site yourself instead.",
		},
		{
			Title:  "Check your sign-in activity",
			Detail: "Review recent sign-ins and devices in your email account's security settings, and remove any you do not recognise. Your email can reset your other passwords, so protect it with a unique password and two-factor sign-in.",
		},
	},
	catalog.ClassUsername: {
		{
			Title:  "Expect sign-in attempts",
			Detail: "Attackers pair leaked usernames with leaked passwords to try other sites. Make sure the account has a unique password and two-factor sign-in.",
		},
	},
	catalog.ClassAddress: {
		{
			Title:  "Be wary of post and visits",
			Detail: "Your address can make letters, parcels and calls look official. Be wary of unexpected post asking for payment or personal details.",
		},
		stepScams,
	},
	catalog.ClassName:     {stepScams},
	catalog.ClassGender:   {stepScams},
	catalog.ClassEmployer: {stepWorkPhishing},
	catalog.ClassJobTitle: {stepWorkPhishing},
	catalog.ClassWebsite: {
		{
			Title:  "Do not pay blackmailers",
			Detail: "Scammers may claim to know what you did online and demand payment. Do not reply or pay: such threats are usually bluffs built from breach data.",
		},
		stepScams,
	},
	catalog.ClassGeolocation: {
		stepLowerRisk,
		{
			Title:  "Review location sharing",
			Detail: "If the data could reveal your home or routine and that worries you, review which apps may share your location.",
		},
	},
	catalog.ClassIP:               {stepLowerRisk},
	catalog.ClassDeviceID:         {stepLowerRisk},
	catalog.ClassBrowserUserAgent: {stepLowerRisk},
	catalog.ClassAppSoftware:      {stepLowerRisk},
	catalog.ClassUnknown:          generic,
}
