import { createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import fastifyStatic from '@fastify/static';
import {
  type ArtifactLayout,
  describeMissing,
  idSchema,
  missingArtifacts,
  QUEUES,
  reportJobId,
  SweepRegistry,
  type SweepStatus,
  SweepStatusReader,
} from '@repo/contracts';
import {
  ASSETS_DIR,
  CHART_JS_DIR,
  LEADERBOARD_PAGE_SIZE,
  type LoadedReport,
  listSweepsFromArtifacts,
  loadComparison,
  loadReport,
  type PageAssets,
  type ReportSummary,
  readReportSummary,
  renderLeaderboardRows,
  renderQueuedPage,
  renderQueueNotice,
  renderRunDetail,
  renderRunRows,
  renderSweepContent,
  renderSweepPage,
  renderSweepsContent,
  renderSweepsPage,
  reportFingerprint,
  type SweepListEntry,
  SweepNotFoundError,
} from '@repo/report-view';
import { Queue } from 'bullmq';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { hostAllowed } from './allowed-hosts.js';
import { reaggregate } from './reporter-worker.js';
import { openSweepFile, SERVED_EXTENSIONS } from './sweep-files.js';

export interface ReportServerDeps {
  /**
   * A connection for reads (status, Bull Board); stays the caller's. Give it its own
   * (`createRedis(url, { role: 'web' })`), not a worker's: a worker's connection queues commands
   * through an outage, and every request would wait with it.
   */
  connection: Redis;
  /** Serve Bull Board at /queues (job payloads, Redis server details; read-only). Default true. */
  board?: boolean;
  /** The address the server listens on, a name the Host header may carry. Default 127.0.0.1. */
  boundHost?: string;
  /**
   * Further names the Host header may carry (REPORTER_ALLOWED_HOSTS), besides IP addresses,
   * `localhost` and `boundHost`: any other Host answers 421 (against DNS rebinding).
   */
  allowedHosts?: readonly string[];
  /** BullMQ key prefix, as the producers use. */
  prefix: string;
  layout: ArtifactLayout;
  /** Where failed requests are logged; default nowhere. */
  logger?: Logger;
}

const LINKED: PageAssets = { mode: 'linked', base: '/assets/' };

/**
 * Our pages load scripts and styles from this origin only; images may be inline data (the sample
 * test images). Bull Board's pages under /queues bring their own policy.
 */
const PAGE_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The reporter's web app: the sweeps list (`/`), a report page per sweep (`/sweeps/:id`, its content
 * at `/sweeps/:id/content` for live refresh, JSON at `/api/sweeps[/:id]`), the sweep directories'
 * files read-only (`/artifacts/:id/…`), chart assets from node_modules (`/assets/…`), Bull Board
 * read-only at `/queues`, and one action: `POST /sweeps/:id/reaggregate` (JSON only).
 */
export async function createReportServer(deps: ReportServerDeps): Promise<FastifyInstance> {
  // No request log: a page polling every few seconds would flood it; failures are logged below.
  const app = Fastify();
  const allowedHosts = deps.allowedHosts ?? [];
  const boundHost = deps.boundHost ?? '127.0.0.1';
  app.addHook('onRequest', async (request, reply) => {
    if (!hostAllowed(request.headers.host, boundHost, allowedHosts))
      return reply.code(421).send({
        message: `Host ${JSON.stringify(request.headers.host)} is not this server's: add it to REPORTER_ALLOWED_HOSTS`,
      });
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });
  const status = new SweepStatusReader(deps.connection, deps.prefix);
  const queues = Object.values(QUEUES).map((name) =>
    new Queue(name, { connection: deps.connection, prefix: deps.prefix }).on('error', () => {}),
  );
  app.addHook('onClose', async () => {
    await status.close();
    await Promise.all(queues.map((queue) => queue.close()));
  });

  await app.register(fastifyStatic, { root: [ASSETS_DIR, CHART_JS_DIR], prefix: '/assets/', index: false });
  app.get<{ Params: { sweepId: string; '*': string } }>('/artifacts/:sweepId/*', async (request, reply) => {
    const file = await openSweepFile(
      deps.layout.sweepDir(checkId(request.params.sweepId)),
      request.params['*'],
    );
    if (typeof file === 'string')
      return reply.code(404).send({
        message:
          file === 'type'
            ? `not served: only ${SERVED_EXTENSIONS} files of a sweep's directory`
            : 'no such file in this sweep',
      });
    // Whatever a file holds, it runs nothing here: no sniffing, no script, no same-origin access.
    reply.header('content-security-policy', 'sandbox').header('content-length', file.size).type(file.type);
    if (file.download) reply.header('content-disposition', 'attachment');
    return reply.send(file.stream);
  });
  if (deps.board ?? true) {
    // Bull Board reads Redis on every request: while it does not answer, 503 at once.
    app.addHook('onRequest', async (request, reply) => {
      if (!isBoardPath(request.url)) return;
      // Read-only, whatever the board's own checks: no request but a read reaches it.
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return reply.code(405).send({ message: 'the queues board is read-only' });
      if (deps.connection.status !== 'ready')
        return reply
          .code(503)
          .header('retry-after', '5')
          .send({ message: new QueueUnreachableError().message });
    });
    const board = new FastifyAdapter();
    board.setBasePath('/queues');
    createBullBoard({
      queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
      serverAdapter: board,
    });
    await app.register(board.registerPlugin(), { prefix: '/queues' });
  } else {
    app.get('/queues', async (_request, reply) =>
      reply.code(404).send({ message: 'the queues board is turned off (REPORTER_BOARD=off)' }),
    );
  }

  const registry = new SweepRegistry(deps.connection, deps.prefix);
  const reportQueue = queues.find((queue) => queue.name === QUEUES.report)!;
  /**
   * Runs a read of the queues; QueueUnreachableError at once while the connection is down (BullMQ
   * would wait for it), or when the read fails for want of Redis (a reply slower than the
   * connection's command timeout included).
   */
  const fromQueue = async <T>(read: () => Promise<T>): Promise<T> => {
    if (deps.connection.status !== 'ready') throw new QueueUnreachableError();
    try {
      return await read();
    } catch (error) {
      if (deps.connection.status !== 'ready' || isConnectionError(error)) throw new QueueUnreachableError();
      throw error;
    }
  };
  /** The banner of pages served while Redis does not answer. */
  const noticeIf = (reachable: boolean) => (reachable ? '' : renderQueueNotice());

  /**
   * A reported sweep's list entry comes from its written summary; only unreported ones need their full
   * status. While Redis does not answer, the list is what is on disk (`reachable: false`).
   */
  const sweepList = async (): Promise<{ entries: SweepListEntry[]; reachable: boolean }> => {
    let fromRedis: SweepListEntry[] | undefined;
    try {
      fromRedis = await fromQueue(async () =>
        (
          await Promise.all(
            (
              await registry.list({ limit: 100 })
            ).map(async (sweepId) => {
              const reported = (await reportQueue.getJobState(reportJobId(sweepId))) === 'completed';
              if (reported) {
                const summary = await readReportSummary(deps.layout, sweepId);
                const info = summary && (await registry.get(sweepId));
                if (summary && info) return summaryEntry(summary, info.createdAt);
              }
              const current = await status.status(sweepId);
              if (current === undefined) return undefined;
              // Reported, yet no summary on disk: its files are gone (or this app reads another ARTIFACTS_DIR).
              const gone = reported && (await missingArtifacts(deps.layout, current));
              return { ...listEntry(current), ...(gone ? { state: 'files missing' } : {}) };
            }),
          )
        ).filter((entry): entry is SweepListEntry => entry !== undefined),
      );
    } catch (error) {
      if (!(error instanceof QueueUnreachableError)) throw error;
    }
    const known = new Set(fromRedis?.map((entry) => entry.sweepId));
    const fromFiles = (await listSweepsFromArtifacts(deps.layout, fromRedis ? 'orphaned' : 'unknown')).filter(
      (entry) => !known.has(entry.sweepId),
    );
    return { entries: [...(fromRedis ?? []), ...fromFiles], reachable: fromRedis !== undefined };
  };
  // One loaded report per sweep, kept while its files are unchanged: a page polling a finished or
  // running sweep costs a stat per trial, not a re-read of every record.
  const cache = new Map<string, { fingerprint: string; report: LoadedReport }>();
  /** A sweep's report, with whether Redis answered (if not, its state is what the files say). */
  const sweepReport = async (sweepId: string): Promise<LoadedReport & { reachable: boolean }> => {
    let queue: { reported: boolean; current: SweepStatus | undefined } | undefined;
    try {
      queue = await fromQueue(async () => {
        const reported = (await reportQueue.getJobState(reportJobId(sweepId))) === 'completed';
        return { reported, current: reported ? undefined : await status.status(sweepId) };
      });
    } catch (error) {
      if (!(error instanceof QueueUnreachableError)) throw error;
    }
    const { current } = queue ?? {};
    // Without a written report the files cannot tell whether the sweep still runs: say what is known.
    const unreported = queue === undefined ? 'unknown' : queue.reported || current ? undefined : 'orphaned';
    const state =
      current?.state ??
      (unreported && !(await readReportSummary(deps.layout, sweepId)) ? unreported : undefined);
    const fingerprint = `${state ?? ''}:${current?.counts.total ?? ''}:${await reportFingerprint(deps.layout, sweepId)}`;
    const cached = cache.get(sweepId);
    if (cached?.fingerprint === fingerprint) return { ...cached.report, reachable: queue !== undefined };
    try {
      const report = await loadReport(deps.layout, sweepId, {
        ...(state ? { state } : {}),
        ...(current ? { trials: current.counts.total } : {}),
      });
      cache.set(sweepId, { fingerprint, report });
      return { ...report, reachable: queue !== undefined };
    } catch (error) {
      // Enqueued, but no trial has written anything yet (or its files are gone): a page that says so.
      const known =
        error instanceof SweepNotFoundError && queue
          ? (current ?? (await fromQueue(() => status.status(sweepId))))
          : undefined;
      if (known) {
        const { name } = known.sweep;
        const missing = await missingArtifacts(deps.layout, known);
        throw new SweepNotOnDiskError(
          sweepId,
          { sweepId, name, state: known.state, trials: known.counts.total },
          missing && describeMissing(missing),
        );
      }
      if (error instanceof SweepNotFoundError && !queue) throw new QueueUnreachableError();
      throw error;
    }
  };
  const html = (reply: FastifyReply, body: string) =>
    reply.header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8').send(body);
  /** Sends `body` with an ETag; a poll whose If-None-Match matches gets 304 and no body. */
  const fresh = (request: FastifyRequest, reply: FastifyReply, body: string) => {
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return html(reply, body);
  };
  const page = (request: FastifyRequest<{ Querystring: { page?: string } }>) => {
    const value = Number(request.query.page ?? '1');
    if (!Number.isInteger(value) || value < 1) throw new BadIdError('page must be a whole number from 1');
    return value;
  };

  app.get('/', async (_request, reply) => {
    const { entries, reachable } = await sweepList();
    return html(reply, renderSweepsPage(entries, LINKED, '/content', noticeIf(reachable)));
  });
  app.get('/content', async (request, reply) => {
    const { entries, reachable } = await sweepList();
    return fresh(request, reply, noticeIf(reachable) + renderSweepsContent(entries));
  });
  app.get('/api/sweeps', async (_request, reply) => {
    const { entries, reachable } = await sweepList();
    if (!reachable) reply.header(QUEUE_HEADER, 'unreachable');
    return entries;
  });

  app.get<{ Params: { sweepId: string } }>('/sweeps/:sweepId', async (request, reply) => {
    const sweepId = checkId(request.params.sweepId);
    try {
      const { summary, reachable } = await sweepReport(sweepId);
      return html(
        reply,
        renderSweepPage(summary, { assets: LINKED, ...pageLinks(sweepId), notice: noticeIf(reachable) }),
      );
    } catch (error) {
      if (!(error instanceof SweepNotOnDiskError)) throw error;
      const page = renderQueuedPage(error.summary, {
        assets: LINKED,
        ...pageLinks(sweepId),
        ...(error.missing ? { missing: error.missing } : {}),
      });
      return html(error.missing ? reply.code(404) : reply, page);
    }
  });
  app.get<{ Params: { sweepId: string } }>('/sweeps/:sweepId/content', async (request, reply) => {
    const sweepId = checkId(request.params.sweepId);
    const { summary, reachable } = await sweepReport(sweepId);
    return fresh(request, reply, noticeIf(reachable) + renderSweepContent(summary, pageLinks(sweepId)));
  });
  app.get<{ Params: { sweepId: string }; Querystring: { page?: string } }>(
    '/sweeps/:sweepId/runs',
    async (request, reply) => {
      const { summary } = await sweepReport(checkId(request.params.sweepId));
      return html(reply, renderRunRows(summary, page(request)));
    },
  );
  app.get<{ Params: { sweepId: string }; Querystring: { page?: string } }>(
    '/sweeps/:sweepId/leaderboard',
    async (request, reply) => {
      const { summary } = await sweepReport(checkId(request.params.sweepId));
      return html(
        reply,
        renderLeaderboardRows(summary, (page(request) - 1) * LEADERBOARD_PAGE_SIZE, LEADERBOARD_PAGE_SIZE),
      );
    },
  );
  app.get<{ Params: { sweepId: string; trialId: string } }>(
    '/sweeps/:sweepId/runs/:trialId',
    async (request, reply) => {
      const report = await sweepReport(checkId(request.params.sweepId));
      const trialId = checkId(request.params.trialId);
      const index = report.summary.runs.rows.findIndex((row) => row.trialId === trialId);
      const details =
        index < 0 ? undefined : await report.runDetails(Math.floor(index / report.summary.runs.pageSize) + 1);
      const run = details?.runs.find((entry) => entry.trialId === trialId);
      if (!details || !run)
        return reply.code(404).send({ message: `no completed run ${trialId} in this sweep` });
      return html(reply, renderRunDetail(run, report.summary, details.samples));
    },
  );
  app.get<{ Params: { sweepId: string } }>('/api/sweeps/:sweepId', async (request, reply) => {
    const { summary, reachable } = await sweepReport(checkId(request.params.sweepId));
    if (!reachable) reply.header(QUEUE_HEADER, 'unreachable');
    return summary;
  });
  app.get<{ Params: { sweepId: string }; Querystring: { page?: string } }>(
    '/api/sweeps/:sweepId/runs',
    async (request, reply) => {
      const details = await (await sweepReport(checkId(request.params.sweepId))).runDetails(page(request));
      return details ?? reply.code(404).send({ message: 'no such page of runs' });
    },
  );
  app.post<{ Params: { sweepId: string } }>('/sweeps/:sweepId/reaggregate', async (request, reply) => {
    // JSON only: a cross-site form or a text/plain "simple" request cannot trigger it without a CORS preflight, which this server never grants.
    if (!request.headers['content-type']?.startsWith('application/json')) {
      return reply.code(415).send({ message: 'send the re-aggregate request as application/json' });
    }
    const sweepId = checkId(request.params.sweepId);
    try {
      return await fromQueue(() => reaggregate(sweepId, deps));
    } catch (error) {
      if ((error as Error).message.startsWith(`no sweep ${sweepId}`))
        throw new SweepNotFoundError(sweepId, '');
      throw error;
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof QueueUnreachableError)
      return reply.code(503).header('retry-after', '5').send({ message: error.message });
    if (error instanceof SweepNotOnDiskError)
      return reply.code(404).send({
        message: error.missing
          ? `sweep ${error.sweepId} is ${error.summary.state} in Redis, but its files are gone: ${error.missing}`
          : `sweep ${error.sweepId} is ${error.summary.state}: no trial has written a record yet`,
      });
    if (error instanceof SweepNotFoundError)
      return reply.code(404).send({ message: `no sweep ${error.sweepId}` });
    if (error instanceof BadIdError) return reply.code(400).send({ message: error.message });
    const code = error.statusCode ?? 500;
    if (code >= 500) deps.logger?.error({ err: error }, 'request failed');
    return reply
      .code(code)
      .send({ message: code >= 500 ? 'internal error (see the server log)' : error.message });
  });
  return app;
}

/** Set to `unreachable` on JSON answered from disk alone because Redis does not answer. */
const QUEUE_HEADER = 'x-mtl-queue';

/** Redis does not answer: what needs the queues is unavailable (503), what is on disk still served. */
class QueueUnreachableError extends Error {
  override readonly name = 'QueueUnreachableError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_QUEUE_UNREACHABLE';
  constructor() {
    super('queue unreachable: Redis does not answer; try again when it is back');
  }
}

/** ioredis's errors for a command that could not reach the server (no offline queue, timeout, closed). */
function isConnectionError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return (
    (error instanceof Error && error.name === 'MaxRetriesPerRequestError') ||
    /Command timed out|Connection is closed|enableOfflineQueue|ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(
      message,
    )
  );
}

/** A path segment that is not a sweep id (so it can never name a path outside the artifact tree). */
class BadIdError extends Error {
  override readonly name = 'BadIdError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_BAD_ID';
}

/** A sweep the queues know that has nothing on disk: nothing written yet, or (`missing`) its files are gone. */
class SweepNotOnDiskError extends Error {
  override readonly name = 'SweepNotOnDiskError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_SWEEP_NOT_ON_DISK';
  constructor(
    readonly sweepId: string,
    readonly summary: { sweepId: string; name: string; state: string; trials: number },
    readonly missing?: string,
  ) {
    super(missing ? `sweep ${sweepId}: ${missing}` : `sweep ${sweepId} has no trial on disk yet`);
  }
}

function isBoardPath(url: string): boolean {
  return url === '/queues' || url.startsWith('/queues/') || url.startsWith('/queues?');
}

function checkId(sweepId: string): string {
  if (!idSchema.safeParse(sweepId).success)
    throw new BadIdError('a sweep id holds letters, digits, "-" and "_" only');
  return sweepId;
}

function pageLinks(sweepId: string) {
  const base = `/sweeps/${encodeURIComponent(sweepId)}`;
  return {
    links: true,
    refreshUrl: `${base}/content`,
    reaggregateUrl: `${base}/reaggregate`,
    fetchBase: base,
  };
}

function summaryEntry(summary: ReportSummary, createdAt: string): SweepListEntry {
  const best = summary.best.find((figure) => figure.metric === summary.objective.metric);
  return {
    sweepId: summary.sweepId,
    name: summary.name,
    state: summary.state,
    trials: summary.counts.trials,
    done: summary.counts.completed + summary.counts.stopped,
    failed: summary.counts.failed,
    createdAt,
    ...(best ? { best: { metric: best.metric, split: best.split, value: best.value } } : {}),
  };
}

/** A sweep not reported yet: its best is the best validation figure of a completed trial so far. */
function listEntry(status: SweepStatus): SweepListEntry {
  return {
    sweepId: status.sweep.sweepId,
    name: status.sweep.name,
    state: status.state,
    trials: status.counts.total,
    done: status.counts.done,
    failed: status.counts.failed,
    createdAt: status.sweep.createdAt,
    ...(status.best
      ? { best: { metric: status.objective.metric, split: 'val', value: status.best.value } }
      : {}),
  };
}
