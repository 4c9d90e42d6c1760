import { isIP } from 'node:net';

/**
 * Whether a request's `Host` header names this server, against DNS rebinding (a page on another
 * site whose name is made to resolve to this machine would send its own name): an IP address (a
 * browser that typed one is not being rebound), `localhost`, the host the server is bound to, or one
 * of `allowed` (REPORTER_ALLOWED_HOSTS, e.g. the name a reverse proxy forwards). Ports are ignored.
 */
export function hostAllowed(header: string | undefined, bound: string, allowed: readonly string[]): boolean {
  if (header === undefined) return true; // HTTP/1.0 without Host: no browser sends that
  const name = hostName(header);
  if (name === undefined) return false;
  if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true;
  return [bound, ...allowed].some((host) => host.toLowerCase() === name);
}

/** The host name of a Host header, lower case, without port or IPv6 brackets. */
function hostName(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end > 0 ? value.slice(1, end) : undefined;
  }
  const name = value.replace(/:\d*$/, '').replace(/\.$/, '');
  return name === '' || name.includes(':') ? undefined : name;
}
