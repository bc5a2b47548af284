// compat.mjs drives the npm "hibp" SDK against a running leakwatch server
// and prints, as one JSON object, what every call returned or threw. The Go
// test internal/api TestHIBPCompat starts the server over seeded data, runs
// this script and checks the output.
//
// usage: node compat.mjs API_BASE PASSWORDS_BASE KEY SLOW_KEY SLOW_RPM NTLM OWNER_KEY
//   API_BASE        e.g. http://127.0.0.1:8080/api/v3
//   PASSWORDS_BASE  e.g. http://127.0.0.1:8080
//   KEY             an API key with a generous rate limit and no owner
//   SLOW_KEY        an API key limited to SLOW_RPM requests per minute
//   NTLM            the NTLM hash of "password" (Node's OpenSSL 3 lacks MD4)
//   OWNER_KEY       an API key whose owner verified example.com and
//                   empty.example (domain and stealer-log searches)
import * as hibp from 'hibp';
import { createHash } from 'node:crypto';

const [apiBase, pwBase, key, slowKey, slowRPMArg, ntHash, ownerKey] = process.argv.slice(2);
if (!ownerKey) {
  console.error('usage: node compat.mjs API_BASE PASSWORDS_BASE KEY SLOW_KEY SLOW_RPM NTLM OWNER_KEY');
  process.exit(2);
}
const slowRPM = Number.parseInt(slowRPMArg, 10);

// Every exported function is wrapped so that the output says which were
// called; the Go test fails if one was not.
const called = new Set();
const sdk = {};
for (const [name, value] of Object.entries(hibp)) {
  const isClass = typeof value === 'function' && /^class\b/.test(Function.prototype.toString.call(value));
  if (typeof value === 'function' && !isClass) {
    sdk[name] = (...args) => {
      called.add(name);
      return value(...args);
    };
  }
}

const out = {};
async function run(label, fn) {
  try {
    out[label] = { ok: (await fn()) ?? null };
  } catch (e) {
    out[label] = {
      error: e.message,
      errorName: e.name,
      rateLimitError: e instanceof hibp.RateLimitError,
      retryAfterSeconds: e.retryAfterSeconds ?? null,
    };
  }
}

const api = { baseUrl: apiBase, apiKey: key, timeoutMs: 10000 };
const owner = { ...api, apiKey: ownerKey };
const pub = { baseUrl: apiBase, timeoutMs: 10000 };
const pw = { baseUrl: pwBase, timeoutMs: 10000 };
const sha1 = (s) => createHash('sha1').update(s).digest('hex').toUpperCase();

// Breach API.
await run('breachedAccount', () => sdk.breachedAccount('alice@example.com', api));
await run('breachedAccount full', () => sdk.breachedAccount('alice@example.com', { ...api, truncate: false }));
await run('breachedAccount verified', () => sdk.breachedAccount('alice@example.com', { ...api, includeUnverified: false }));
await run('breachedAccount domain', () => sdk.breachedAccount('alice@example.com', { ...api, domain: 'adobe.com' }));
await run('breachedAccount clean', () => sdk.breachedAccount('zed@example.com', api));
await run('breachedAccount malformed', () => sdk.breachedAccount(' ', api));
await run('breachedAccount no key', () => sdk.breachedAccount('alice@example.com', pub));
await run('breachedAccount bad key', () => sdk.breachedAccount('alice@example.com', { ...pub, apiKey: '0123456789abcdef0123456789abcdef' }));
for (let i = 0; i <= slowRPM; i++) {
  await run(`breachedAccount slow ${i}`, () => sdk.breachedAccount('alice@example.com', { ...pub, apiKey: slowKey }));
}
await run('breaches', () => sdk.breaches(pub));
await run('breaches domain', () => sdk.breaches({ ...pub, domain: 'adobe.com' }));
await run('breach', () => sdk.breach('Adobe', pub));
await run('breach missing', () => sdk.breach('Nope', pub));
await run('dataClasses', () => sdk.dataClasses(pub));
await run('latestBreach', () => sdk.latestBreach(pub));
await run('pasteAccount', () => sdk.pasteAccount('alice@example.com', api));
await run('search', () => sdk.search('alice@example.com', api));
await run('search username', () => sdk.search('nobody', api));
await run('subscriptionStatus', () => sdk.subscriptionStatus(api));

// Domain and stealer-log searches: a key whose owner verified the domain,
// and one without owner.
await run('subscriptionStatus owner', () => sdk.subscriptionStatus(owner));
await run('breachedAccount owner', () => sdk.breachedAccount('grace@example.com', owner));
await run('breachedAccount sensitive', () => sdk.breachedAccount('grace@example.com', api));
await run('breachedDomain', () => sdk.breachedDomain('example.com', owner));
await run('breachedDomain empty', () => sdk.breachedDomain('empty.example', owner));
await run('breachedDomain no owner', () => sdk.breachedDomain('example.com', api));
await run('breachedDomain malformed', () => sdk.breachedDomain('localhost', owner));
await run('subscribedDomains', () => sdk.subscribedDomains(owner));
await run('subscribedDomains no owner', () => sdk.subscribedDomains(api));
await run('stealerLogsByEmail', () => sdk.stealerLogsByEmail('heidi@example.com', owner));
await run('stealerLogsByEmail clean', () => sdk.stealerLogsByEmail('dave@example.com', owner));
await run('stealerLogsByEmail not owned', () => sdk.stealerLogsByEmail('trent@example.net', owner));
await run('stealerLogsByEmail no owner', () => sdk.stealerLogsByEmail('heidi@example.com', api));
await run('stealerLogsByEmailDomain', () => sdk.stealerLogsByEmailDomain('example.com', owner));
await run('stealerLogsByEmailDomain empty', () => sdk.stealerLogsByEmailDomain('empty.example', owner));
await run('stealerLogsByEmailDomain no owner', () => sdk.stealerLogsByEmailDomain('example.com', api));
await run('stealerLogsByWebsiteDomain', () => sdk.stealerLogsByWebsiteDomain('example.com', owner));
await run('stealerLogsByWebsiteDomain not owned', () => sdk.stealerLogsByWebsiteDomain('netflix.com', owner));
await run('stealerLogsByWebsiteDomain no key', () => sdk.stealerLogsByWebsiteDomain('example.com', pub));

// Pwned Passwords.
const pwHash = sha1('password');
await run('pwnedPassword', () => sdk.pwnedPassword('password', pw));
await run('pwnedPassword padded', () => sdk.pwnedPassword('password', { ...pw, addPadding: true }));
await run('pwnedPassword clean', () => sdk.pwnedPassword('correct horse battery staple leakwatch', pw));
await run('pwnedPasswordRange', () => sdk.pwnedPasswordRange(pwHash.slice(0, 5), pw));
await run('pwnedPasswordRange lower', () => sdk.pwnedPasswordRange(pwHash.slice(0, 5).toLowerCase(), pw));
await run('pwnedPasswordRange ntlm', () => sdk.pwnedPasswordRange(ntHash.slice(0, 5), { ...pw, mode: 'ntlm' }));
await run('pwnedPasswordRange empty', () => sdk.pwnedPasswordRange('00000', pw));
await run('pwnedPasswordRange bad', () => sdk.pwnedPasswordRange('XYZ12', pw));
await run('pwnedPasswordRange padded', async () => {
  const r = await sdk.pwnedPasswordRange(pwHash.slice(0, 5), { ...pw, addPadding: true });
  const counts = Object.values(r);
  return {
    lines: counts.length,
    zeros: counts.filter((n) => n === 0).length,
    real: Object.fromEntries(Object.entries(r).filter(([, n]) => n !== 0)),
  };
});

out.hashes = { sha1: pwHash, ntlm: ntHash };
out.exported = Object.keys(sdk).sort();
out.called = [...called].sort();
console.log(JSON.stringify(out));
