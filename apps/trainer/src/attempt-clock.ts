import type { TrialSummary } from '@repo/contracts';

/** When a trial's attempt started and what it has used since: the timing fields of its TrialSummary. */
export class AttemptClock {
  readonly startedAt = new Date();
  private readonly cpuAtStart = process.cpuUsage();

  usage(): Pick<TrialSummary, 'durationMs' | 'cpuMs' | 'peakRssMiB'> {
    const cpu = process.cpuUsage(this.cpuAtStart);
    return {
      durationMs: Date.now() - this.startedAt.getTime(),
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
  }
}
