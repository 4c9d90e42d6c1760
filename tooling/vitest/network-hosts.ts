import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** The private range the hosts' addresses come from; it exists only inside their namespaces. */
const SUBNET = '10.203.0';

/**
 * Network hosts on this one machine, for tests of workers that reach Redis over a network: one Linux
 * network namespace per host, each joined by a veth pair to a bridge in a switch namespace of its own.
 * The machine's own namespace is never touched, so nothing but these hosts is reachable from them.
 * Needs root and iproute2 (`ip netns`). `destroy()` kills what runs in them and deletes them all.
 */
export class NetworkHosts {
  private readonly run = randomBytes(3).toString('hex');
  private readonly switchNs = `mtl-${this.run}-switch`;
  private readonly hosts = new Map<string, { ns: string; port: string; address: string }>();
  private switchUp = false;

  /** Throws, naming what to do, when this process cannot create network namespaces. */
  static assertSupported(): void {
    if (process.getuid?.() !== 0) {
      throw new Error(
        'network-host tests create network namespaces: run them as root (ip netns needs CAP_NET_ADMIN)',
      );
    }
    try {
      execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    } catch {
      throw new Error('network-host tests need iproute2: apt-get install -y iproute2');
    }
  }

  /** Adds a host named `name` (a-z, 0-9, at most 8 characters) and returns its address. */
  add(name: string): string {
    if (!/^[a-z0-9]{1,8}$/.test(name) || this.hosts.has(name))
      throw new Error(`bad or repeated host name ${name}`);
    if (!this.switchUp) {
      ip('netns', 'add', this.switchNs);
      this.switchUp = true;
      ip('-n', this.switchNs, 'link', 'add', 'br0', 'type', 'bridge');
      ip('-n', this.switchNs, 'link', 'set', 'br0', 'up');
    }
    const host = {
      ns: `mtl-${this.run}-${name}`,
      port: `p-${name}`,
      address: `${SUBNET}.${this.hosts.size + 2}`,
    };
    ip('netns', 'add', host.ns);
    this.hosts.set(name, host);
    ip(
      'link',
      'add',
      'eth0',
      'netns',
      host.ns,
      'type',
      'veth',
      'peer',
      'name',
      host.port,
      'netns',
      this.switchNs,
    );
    ip('-n', this.switchNs, 'link', 'set', host.port, 'master', 'br0', 'up');
    ip('-n', host.ns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
    ip('-n', host.ns, 'link', 'set', 'eth0', 'up');
    ip('-n', host.ns, 'link', 'set', 'lo', 'up');
    return host.address;
  }

  /** The command prefix that runs a program on host `name`. */
  on(name: string): string[] {
    return ['ip', 'netns', 'exec', this.host(name).ns];
  }

  /** Unplugs host `name` from the switch: its packets are dropped silently, as on a failed link. */
  cut(name: string): void {
    ip('-n', this.switchNs, 'link', 'set', this.host(name).port, 'down');
  }

  /** Plugs host `name` back in. */
  restore(name: string): void {
    ip('-n', this.switchNs, 'link', 'set', this.host(name).port, 'up');
  }

  /** Kills every process left on the hosts, then deletes their namespaces and the switch. Idempotent. */
  destroy(): void {
    const namespaces = [
      ...[...this.hosts.values()].map((host) => host.ns),
      ...(this.switchUp ? [this.switchNs] : []),
    ];
    for (const ns of namespaces) {
      const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
      ip('netns', 'del', ns);
    }
    this.hosts.clear();
    this.switchUp = false;
  }

  private host(name: string) {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`no network host ${name}`);
    return host;
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
