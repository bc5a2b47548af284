package leakparse

import (
	"testing"

	"github.com/leakwatch/leakwatch/internal/catalog"
)

// TestClassifyRealColumnNames classifies column names of real forum, shop
// and password-manager software: owners, foreign keys, flags, timestamps
// and tokens never make accounts.
func TestClassifyRealColumnNames(t *testing.T) {
	const (
		unknown  = catalog.ClassUnknown
		email    = catalog.ClassEmail
		username = catalog.ClassUsername
		password = catalog.ClassPassword
		hash     = catalog.ClassPasswordHash
		token    = catalog.ClassAuthToken
		website  = catalog.ClassWebsite
		name     = catalog.ClassName
		ip       = catalog.ClassIP
	)
	tests := []struct {
		col   string
		class catalog.DataClass
		known bool
	}{
		// WordPress wp_users
		{"user_login", username, true}, {"user_pass", password, true}, {"user_email", email, true},
		{"user_url", website, true}, {"user_registered", unknown, true}, {"user_status", unknown, true},
		{"user_activation_key", unknown, true}, {"user_nicename", unknown, true}, {"display_name", name, true},
		// phpBB phpbb_users
		{"user_passchg", unknown, false}, {"user_lastvisit", unknown, true}, {"user_regdate", unknown, true},
		{"user_email_hash", unknown, true}, {"user_allow_viewemail", unknown, true}, {"user_ip", ip, true},
		{"username_clean", username, true}, {"user_newpasswd", password, true}, {"user_form_salt", unknown, true},
		{"user_posts", unknown, true},
		// SMF smf_members, MyBB mybb_users, vBulletin user, IPB members
		{"id_member", unknown, true}, {"member_name", username, true}, {"real_name", name, true},
		{"tfa_secret", token, true}, {"secret_question", catalog.ClassSecurityQuestion, true},
		{"loginkey", token, true}, {"hideemail", unknown, true}, {"receivepms", unknown, true},
		{"loginlockoutexpiry", unknown, true}, {"logintype", unknown, true}, {"fbuserid", unknown, true},
		{"styleid", unknown, true}, {"assetposthash", unknown, true}, {"members_pass_hash", hash, true},
		{"members_display_name", name, true}, {"member_login_key", token, true},
		// Drupal users / users_field_data
		{"name", name, true}, {"login", username, true}, {"access", unknown, true}, {"pass", password, true},
		// Shopify, Magento
		{"Accepts Email Marketing", unknown, true}, {"Accepts SMS Marketing", unknown, true},
		{"Customer ID", unknown, true}, {"website_id", unknown, true}, {"store_id", unknown, true},
		{"confirmation", unknown, true}, {"rp_token", token, true}, {"customer_since", unknown, true},
		// password managers and browsers
		{"login_uri", website, true}, {"login_username", username, true}, {"login_password", password, true},
		{"login_totp", token, true}, {"totp", token, true}, {"OTPAuth", token, true}, {"Last Modified", unknown, true},
		{"favorite", unknown, true}, {"reprompt", unknown, true}, {"timePasswordChanged", unknown, true},
		// identifiers that stay identifiers
		{"login_id", username, true}, {"device_id", catalog.ClassDeviceID, true}, {"session_id", token, true},
		{"Apple ID", email, true}, {"user_name", username, true}, {"account_name", username, true},
		{"customer_email", email, true}, {"public_email", email, true}, {"last_ip", ip, true},
		{"last_name", name, true}, {"registered_email", email, true}, {"show_email", email, true},
	}
	for _, tc := range tests {
		c, known := classifyName(tc.col)
		if c != tc.class || known != tc.known {
			t.Errorf("classifyName(%q) = %v, %v; want %v, %v", tc.col, c, known, tc.class, tc.known)
		}
	}
}

func TestNotAnIdentifier(t *testing.T) {
	tests := []struct {
		v, want string
	}{
		{"alice", ""}, {"jdoe_77", ""}, {"1999", ""}, {"31337", ""}, {"+15555550100", ""},
		{"Pavel Novák", ""}, {"xXDarkLord2000Xx", ""}, {"TheRealSlimShady2001", ""},
		{"0", "numbers"}, {"1", "numbers"}, {"42", "numbers"}, {"-1", "numbers"}, {"120.50", "numbers"},
		{"1500000000", "timestamps"}, {"1700000000123", "timestamps"},
		{"yes", "booleans"}, {"No", "booleans"}, {"TRUE", "booleans"}, {"null", "booleans"},
		{"2019-05-01 12:34:56", "dates"}, {"2024-01-15T10:20:30Z", "dates"}, {"1985-03-14", "dates"},
		{"https://example.com/login", "URLs"}, {"203.0.113.7", "IP addresses"},
		{"BURM6mvSiKXreCuKjQpUMz1b6uzwXthhyR27Q2CAMaFvJT436m", "tokens"}, // MyBB loginkey
		{"JNAVXFKU2TIOYAGJ", "tokens"},                                   // TOTP seed
		{"5ec0c1a8-3b4c-4f2e-9d3a-1b2c3d4e5f60", "tokens"},               // UUID
		{"a1b2c3d4e5f60718a1b2c3d4", "tokens"},                           // hex key
	}
	for _, tc := range tests {
		if got := notAnIdentifier([]byte(tc.v)); got != tc.want {
			t.Errorf("notAnIdentifier(%q) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestValueChecks(t *testing.T) {
	for _, v := range []string{"1985-03-14", "14- 3-1985", "05-17-1979", "1979"} {
		if !dobValue([]byte(v)) {
			t.Errorf("dobValue(%q) = false", v)
		}
	}
	for _, v := range []string{"0000-00-00", "0- 0-   0", "0001-01-01", "--"} {
		if dobValue([]byte(v)) {
			t.Errorf("dobValue(%q) = true", v)
		}
	}
	for _, v := range []string{"https://example.com", "www.example.org", "example.net", "192.0.2.1", "blog.example.com/path"} {
		if !websiteValue([]byte(v)) {
			t.Errorf("websiteValue(%q) = false", v)
		}
	}
	for _, v := range []string{"5", "My Blog", "0"} {
		if websiteValue([]byte(v)) {
			t.Errorf("websiteValue(%q) = true", v)
		}
	}
	for _, v := range []string{"siteadmin", "r.okafor", "elena", "user42"} {
		if ok, _ := handleLike([]byte(v)); !ok {
			t.Errorf("handleLike(%q) = false", v)
		}
	}
	for _, v := range []string{"Alice", "Jane Doe", "Pavel Novák"} {
		if ok, _ := handleLike([]byte(v)); ok {
			t.Errorf("handleLike(%q) = true", v)
		}
	}
}
