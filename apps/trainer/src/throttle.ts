/** Says when something keyed (a log line per job, say) is due: the first time, then once per `intervalMs`. */
export class Throttle {
  private readonly last = new Map<string, number>();

  constructor(private readonly intervalMs: number) {}

  due(key: string, now = Date.now()): boolean {
    const last = this.last.get(key);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.last.set(key, now);
    return true;
  }
}
