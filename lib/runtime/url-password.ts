/**
 * A service URL as messages and `trading-ai config` show it: each password becomes `***`, the rest
 * stays readable. NATS_URL may list several servers separated by commas; each is masked. Text that
 * does not parse as a URL still has anything between `//` and `@` masked, so a typo cannot leak a
 * password into a log.
 */
export function withoutPassword(url: string): string {
  return url
    .split(',')
    .map((part) => maskOne(part.trim()))
    .join(',');
}

function maskOne(server: string): string {
  try {
    const u = new URL(server);
    if (!u.password) return server;
    u.password = '***';
    return u.toString();
  } catch {
    return server.replace(/\/\/[^@/]*@/, '//***@');
  }
}
