/**
 * Normalisation for every match (SPEC §5, §11): emails lower-cased and trimmed; domains
 * lower-cased, trimmed, without a leading `www.`; a lead's domain is its website's host,
 * else its email's domain unless that is a free-mail domain.
 *
 * @example leadDomain({ email: 'ana@gmail.com', website: 'https://www.Acme.example/x' }, ['gmail.com']) // 'acme.example'
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `WWW.Acme.Example.` → `acme.example`. */
export function normaliseDomain(domain: string): string {
  let d = domain.trim().toLowerCase();
  if (d.startsWith('www.')) d = d.slice(4);
  if (d.endsWith('.')) d = d.slice(0, -1);
  return d;
}

/** The host of a website value: `https://www.Acme.example/path` → `acme.example`. */
export function websiteHost(website: string): string | null {
  const w = website.trim();
  if (w === '') return null;
  let host = w.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  host = host.split(/[/?#]/, 1)[0]!;
  host = host.replace(/^[^@]*@/, '').replace(/:\d+$/, '');
  return host === '' ? null : normaliseDomain(host);
}

/** The normalised domain of an email address, or `null` without an `@`. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  return at < 0 ? null : normaliseDomain(email.slice(at + 1));
}

/** Whether a (normalised) domain is one of the rule set's free-mail domains. */
export function isFreeMail(domain: string, freeMailDomains: readonly string[]): boolean {
  return freeMailDomains.some((f) => normaliseDomain(f) === domain);
}

/** The website host, else the email domain, free-mail or not: what a registration is filed under. */
export function rawLeadDomain(lead: {
  readonly email?: string | null;
  readonly website?: string | null;
}): string | null {
  if (lead.website) {
    const host = websiteHost(lead.website);
    if (host) return host;
  }
  return lead.email ? emailDomain(lead.email) : null;
}

/** A lead's domain per SPEC §5; `null` when it has no website and a free-mail address. */
export function leadDomain(
  lead: { readonly email?: string | null; readonly website?: string | null },
  freeMailDomains: readonly string[],
): string | null {
  if (lead.website) {
    const host = websiteHost(lead.website);
    if (host) return host;
  }
  if (!lead.email) return null;
  const d = emailDomain(lead.email);
  if (!d) return null;
  return isFreeMail(d, freeMailDomains) ? null : d;
}
